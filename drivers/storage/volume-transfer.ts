/**
 * vol-upload and vol-download over the datastore's HTTP /folder endpoint, streamed through
 * constant memory whatever the size. The bytes of a volume are those of its data file: a
 * flat disk's extent ("<name>-flat.vmdk"), or the image file itself. A download (or a byte
 * range of it: HTTP Range) goes to a temporary local file renamed at the end. An upload writes
 * the whole new data file under a temporary name on the datastore — the bytes before
 * `offset` and after the uploaded ones read back from the current file with Range requests —
 * and moves it over the data file only once the PUT succeeded; a failed or interrupted
 * upload removes the temporary file and leaves the volume as it was.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { PassThrough, Readable, type Writable } from "node:stream";
import { InvalidInputError, UnsupportedError } from "../../errors/esxvi-error.js";
import { downloadFile, uploadFile, type DatastoreFile, type RangeOptions } from "../../runtime/datastore-files.js";
import { downloadFileToHandle, uploadFileFromHandle } from "../../runtime/datastore-local-files.js";
import type { Session } from "../../runtime/session.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { DeleteDatastoreFile_Task, MoveDatastoreFile_Task } from "../../generated/storage.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import { writeHandleAtomically } from "./atomic-file.js";
import type { StorageVolume } from "./handles.js";

export interface TransferOptions {
  /** First byte of the volume to read or write. */
  readonly offset?: number;
  /** How many bytes to read (0 or absent: to the end). */
  readonly length?: number;
  readonly signal?: AbortSignal;
  /** Bytes moved so far and the total. */
  readonly onProgress?: (bytes: number, total: number) => void;
}

/** The datastore file holding a volume's bytes, and its size. */
export interface VolumeData {
  readonly file: DatastoreFile;
  readonly size: number;
  /** A disk's size is fixed (its capacity); an image grows when written past its end. */
  readonly fixedSize: boolean;
}

const FLAT_DISK_TYPES = new Set([undefined, "", "VirtualDiskFlatVer2BackingInfo", "VirtualDiskFlatVer1BackingInfo"]);

export function volumeData(conn: Connection, vol: StorageVolume): VolumeData {
  if (vol.kind === "iscsi") throw new UnsupportedError("this function is not supported by the connection driver: streams of iSCSI volumes");
  const dc = conn.inventory.datacenter.path;
  if (vol.file._typeName === "VmDiskFileInfo") {
    if (!FLAT_DISK_TYPES.has(vol.file.diskType))
      throw new UnsupportedError(`the disk '${vol.path}' is not a flat disk (${vol.file.diskType ?? ""}): its bytes are not one file`);
    const path = `${vol.name.slice(0, -".vmdk".length)}-flat.vmdk`;
    return { file: { datastore: vol.pool.name, path, datacenterPath: dc }, size: vol.capacity, fixedSize: true };
  }
  return {
    file: { datastore: vol.pool.name, path: vol.name, datacenterPath: dc },
    size: toNumber(vol.file.fileSize) ?? 0,
    fixedSize: false,
  };
}

function checkRange(offset: number, length: number, size: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidInputError(`invalid offset ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new InvalidInputError(`invalid length ${length}`);
  if (offset > size || (what === "download" && offset === size && size > 0))
    throw new InvalidInputError(`offset ${offset} is beyond the end of the volume (${size} bytes)`);
}

/** The datastore file and the request options of a download of the volume's bytes (from `offset`, `length` of them). */
function downloadRequest(conn: Connection, vol: StorageVolume, options: TransferOptions): { file: DatastoreFile; request: RangeOptions } {
  const data = volumeData(conn, vol);
  const offset = options.offset ?? 0;
  const length = options.length ?? 0;
  checkRange(offset, length, data.size, "download");
  const end = length > 0 ? Math.min(offset + length, data.size) - 1 : undefined;
  const total = (end ?? data.size - 1) - offset + 1;
  const ranged = offset > 0 || end !== undefined;
  return {
    file: data.file,
    request: {
      ...(ranged ? { range: { start: offset, ...(end !== undefined ? { end } : {}) } } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.onProgress !== undefined ? { onProgress: (b: number) => options.onProgress?.(b, total) } : {}),
    },
  };
}

/** Streams the volume's bytes (from `offset`, `length` of them) into `dest`; returns the bytes written. */
export async function downloadVolume(conn: Connection, vol: StorageVolume, dest: Writable, options: TransferOptions = {}): Promise<number> {
  const { file, request } = downloadRequest(conn, vol, options);
  return downloadFile(conn.primary, file, dest, request);
}

/**
 * vol-download to a local file: written under a temporary name, renamed when complete. The
 * bytes go from the socket to the file through one fixed buffer (constant memory).
 */
export async function downloadVolumeToFile(
  conn: Connection,
  vol: StorageVolume,
  target: string,
  options: TransferOptions = {},
): Promise<number> {
  const { file, request } = downloadRequest(conn, vol, options);
  return writeHandleAtomically(target, (handle) => downloadFileToHandle(conn.primary, file, handle, request));
}

/** The bytes [start, end] of a datastore file, streamed. */
async function* rangeOf(session: Session, file: DatastoreFile, start: number, end: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const pass = new PassThrough();
  const done = downloadFile(session, file, pass, { range: { start, end }, ...(signal !== undefined ? { signal } : {}) });
  done.catch((e: unknown) => pass.destroy(e instanceof Error ? e : new Error(String(e))));
  for await (const chunk of pass) yield chunk as Buffer;
  await done;
}

async function* concat(parts: readonly (() => AsyncIterable<Buffer>)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield* part();
}

async function runTask(conn: Connection, task: Parameters<typeof waitForTask>[1], signal?: AbortSignal): Promise<void> {
  await waitForTask(conn.primary, task, { logger: conn.logger, ...(signal !== undefined ? { signal } : {}) });
}

/**
 * Writes `size` bytes of `source` into the volume at `offset` (default 0), keeping the bytes
 * before and after. Nothing changes on the datastore unless the whole transfer succeeds.
 */
export async function uploadVolume(
  conn: Connection,
  vol: StorageVolume,
  source: Readable,
  size: number,
  options: TransferOptions = {},
): Promise<void> {
  const data = volumeData(conn, vol);
  const offset = options.offset ?? 0;
  checkUpload(data, offset, size);
  const newSize = Math.max(data.size, offset + size);
  const signal = options.signal;
  const session = conn.primary;
  const parts: (() => AsyncIterable<Buffer>)[] = [];
  if (offset > 0) parts.push(() => rangeOf(session, data.file, 0, offset - 1, signal));
  parts.push(() => source as AsyncIterable<Buffer>);
  if (offset + size < data.size) parts.push(() => rangeOf(session, data.file, offset + size, data.size - 1, signal));
  // The common case, the whole volume, sends the source as it is (no generator in between).
  const body = parts.length === 1 ? source : Readable.from(concat(parts), { objectMode: false });
  await replaceDataFile(conn, data, signal, (temp) =>
    uploadFile(session, temp, body, {
      size: newSize,
      ...(signal !== undefined ? { signal } : {}),
      ...(options.onProgress !== undefined ? { onProgress: (b: number) => options.onProgress?.(b, newSize) } : {}),
    }),
  );
}

/**
 * vol-upload from a local file: its first `size` bytes written into the volume at `offset`
 * (default 0), as uploadVolume does. The whole volume's bytes, the common case, go from the
 * file to the socket through a few fixed buffers (constant memory).
 */
export async function uploadVolumeFromFile(
  conn: Connection,
  vol: StorageVolume,
  path: string,
  size: number,
  options: TransferOptions = {},
): Promise<void> {
  const data = volumeData(conn, vol);
  const offset = options.offset ?? 0;
  checkUpload(data, offset, size);
  if (offset > 0 || size < data.size) {
    const source = createReadStream(path, { start: 0, end: size - 1, highWaterMark: 1 << 20 });
    try {
      await uploadVolume(conn, vol, source, size, options);
    } finally {
      source.destroy();
    }
    return;
  }
  const handle = await open(path, "r");
  try {
    await replaceDataFile(conn, data, options.signal, (temp) =>
      uploadFileFromHandle(
        conn.primary,
        temp,
        { handle, start: 0, length: size },
        {
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
          ...(options.onProgress !== undefined ? { onProgress: (b: number) => options.onProgress?.(b, size) } : {}),
        },
      ),
    );
  } finally {
    await handle.close();
  }
}

function checkUpload(data: VolumeData, offset: number, size: number): void {
  checkRange(offset, size, data.size, "upload");
  if (data.fixedSize && offset + size > data.size)
    throw new InvalidInputError(`cannot upload ${size} bytes at offset ${offset}: the volume's capacity is ${data.size} bytes`);
}

/**
 * Writes a new data file under a temporary name on the datastore with `send`, then moves it
 * over the volume's data file; a failure or an abort removes the temporary file.
 */
async function replaceDataFile(
  conn: Connection,
  data: VolumeData,
  signal: AbortSignal | undefined,
  send: (temp: DatastoreFile) => Promise<void>,
): Promise<void> {
  const session = conn.primary;
  const slash = data.file.path.lastIndexOf("/");
  const temp: DatastoreFile = {
    ...data.file,
    path: `${data.file.path.slice(0, slash + 1)}.${data.file.path.slice(slash + 1)}.esxvi-upload-${randomBytes(4).toString("hex")}`,
  };
  const dsPath = (f: DatastoreFile): string => `[${f.datastore}] ${f.path}`;
  const datacenter = conn.inventory.datacenter.ref;
  try {
    await send(temp);
    signal?.throwIfAborted();
    const move = await MoveDatastoreFile_Task(session.client, {
      sourceName: dsPath(temp),
      sourceDatacenter: datacenter,
      destinationName: dsPath(data.file),
      destinationDatacenter: datacenter,
      force: true,
    });
    await runTask(conn, move);
  } catch (e) {
    // The cleanup runs whatever stopped the transfer, so not under the (maybe aborted) signal.
    await DeleteDatastoreFile_Task(session.client, { name: dsPath(temp), datacenter })
      .then((t) => runTask(conn, t))
      .catch(() => undefined);
    throw e;
  }
}
