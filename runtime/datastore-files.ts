/**
 * Datastore files over HTTP: GET and PUT `/folder/<path>?dcPath=<datacenter>&dsName=<datastore>`
 * with the session cookie, streamed (never a whole file in memory), Range reads and progress
 * callbacks.
 */
import { pipeline as pipe, Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AbortError } from "../errors/esxvi-error.js";
import { HttpError } from "./http/http-errors.js";
import type { RequestOptions } from "./http/transport.js";
import type { Session } from "./session.js";
import { pickCallOptions } from "./soap/index.js";

export interface DatastoreFile {
  readonly datastore: string;
  /** Path inside the datastore, e.g. "vm1/vm1.vmx". */
  readonly path: string;
  /** The datacenter's inventory path (ESX: "ha-datacenter"). */
  readonly datacenterPath?: string;
}

export interface TransferOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Called as bytes move: bytes so far and the total when known. */
  readonly onProgress?: (bytes: number, total: number | undefined) => void;
}

export interface RangeOptions extends TransferOptions {
  /** First byte (inclusive) and last byte (inclusive) to read. */
  readonly range?: { readonly start: number; readonly end?: number };
}

/** The request path of a datastore file, each path segment percent-encoded. */
export function folderPath(file: DatastoreFile): string {
  const path = file.path
    .split("/")
    .filter((s) => s !== "")
    .map(encodeURIComponent)
    .join("/");
  const query = new URLSearchParams();
  if (file.datacenterPath !== undefined) query.set("dcPath", file.datacenterPath);
  query.set("dsName", file.datastore);
  return `/folder/${path}?${query.toString().replace(/\+/g, "%20")}`;
}

function describe(file: DatastoreFile): string {
  return `[${file.datastore}] ${file.path}`;
}

/** The error for a GET answered by anything but the bytes asked for, or undefined. */
export function getStatusError(file: DatastoreFile, status: number, ranged: boolean): HttpError | undefined {
  if (status !== 200 && status !== 206)
    return new HttpError(
      status,
      folderPath(file),
      status === 404 ? `datastore file ${describe(file)} does not exist` : `GET ${describe(file)}: HTTP ${status}`,
    );
  if (ranged && status !== 206) return new HttpError(status, folderPath(file), `GET ${describe(file)}: the server ignored the byte range`);
  return undefined;
}

/** The error for a PUT that did not store the file, or undefined. */
export function putStatusError(file: DatastoreFile, status: number): HttpError | undefined {
  return status === 200 || status === 201 ? undefined : new HttpError(status, folderPath(file), `PUT ${describe(file)}: HTTP ${status}`);
}

/** The error of a transfer stopped by its signal. */
export function abortedTransfer(method: string, file: DatastoreFile, bytes: number, cause: unknown): AbortError {
  return new AbortError(`${method} ${describe(file)}: aborted after ${bytes} bytes`, { cause });
}

function counter(total: number | undefined, onProgress: TransferOptions["onProgress"]): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
}

function headerNumber(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : Number(s);
}

/** Streams a datastore file (or a byte range of it) into `dest`; returns the bytes written. */
export async function downloadFile(session: Session, file: DatastoreFile, dest: Writable, options: RangeOptions = {}): Promise<number> {
  const headers: Record<string, string> = {};
  if (options.range !== undefined) headers["range"] = `bytes=${options.range.start}-${options.range.end ?? ""}`;
  const request: RequestOptions = { headers, ...pickCallOptions(options) };
  const transport = session.vim.transport;
  const res = await transport.stream("GET", folderPath(file), undefined, request);
  const refused = getStatusError(file, res.status, options.range !== undefined);
  if (refused !== undefined) {
    res.body.resume();
    throw refused;
  }
  const total = headerNumber(res.headers["content-length"]);
  let bytes = 0;
  const count = counter(total, (b, t) => {
    bytes = b;
    options.onProgress?.(b, t);
  });
  try {
    await pipeline(res.body, count, dest, ...(options.signal !== undefined ? [{ signal: options.signal }] : []));
  } catch (e) {
    if (options.signal?.aborted === true) throw abortedTransfer("GET", file, bytes, e);
    // The connection's failures (a stalled or broken body) are typed; the destination's own pass as they are.
    if (typeof (e as { code?: unknown } | null)?.code === "string" && String((e as { code: string }).code).startsWith("UND_ERR_")) {
      throw transport.wrapError(e, "GET", folderPath(file), request);
    }
    throw e;
  }
  return bytes;
}

/** Reads a (small) datastore file whole, as bytes. */
export async function readFileBytes(session: Session, file: DatastoreFile, options: TransferOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await downloadFile(session, file, sink, options);
  return Buffer.concat(chunks);
}

/** Reads a (small) datastore file as UTF-8 text, e.g. a .vmx. */
export async function readTextFile(session: Session, file: DatastoreFile, options: TransferOptions = {}): Promise<string> {
  return (await readFileBytes(session, file, options)).toString("utf8");
}

/** Uploads `source` (a stream with its size, or bytes/text) to a datastore file. */
export async function uploadFile(
  session: Session,
  file: DatastoreFile,
  source: Readable | Buffer | string,
  options: TransferOptions & { readonly size?: number } = {},
): Promise<void> {
  const size = typeof source === "string" ? Buffer.byteLength(source) : Buffer.isBuffer(source) ? source.length : options.size;
  const stream = typeof source === "string" || Buffer.isBuffer(source) ? Readable.from([Buffer.from(source)]) : source;
  // pipeline, not pipe: an error of the source fails the request instead of stalling it.
  const body = pipe(stream, counter(size, options.onProgress), () => undefined);
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (size !== undefined) headers["content-length"] = String(size);
  const res = await session.vim.transport.stream("PUT", folderPath(file), body, { headers, ...pickCallOptions(options) });
  res.body.resume();
  const refused = putStatusError(file, res.status);
  if (refused !== undefined) throw refused;
}
