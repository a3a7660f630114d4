/**
 * Datastore files copied to and from local files through fixed buffers (http/bulk-exchange.ts):
 * what a transfer holds stays a few hundred KiB whatever its size, where a stream of new
 * buffers lets tens of MiB of garbage pile up between two collections.
 */
import type { FileHandle } from "node:fs/promises";
import {
  abortedTransfer,
  folderPath,
  getStatusError,
  putStatusError,
  type DatastoreFile,
  type RangeOptions,
  type TransferOptions,
} from "./datastore-files.js";
import { bulkExchange } from "./http/bulk-exchange.js";
import type { Session } from "./session.js";

/** Writes all of `chunk` at the handle's current position. */
async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length;) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
}

/** Streams a datastore file (or a byte range of it) into a local file at its current position; returns the bytes written. */
export async function downloadFileToHandle(
  session: Session,
  file: DatastoreFile,
  handle: FileHandle,
  options: RangeOptions = {},
): Promise<number> {
  const headers: Record<string, string> = {};
  if (options.range !== undefined) headers["range"] = `bytes=${options.range.start}-${options.range.end ?? ""}`;
  let bytes = 0;
  let total: number | undefined;
  try {
    const res = await bulkExchange(session.vim.transport, {
      method: "GET",
      path: folderPath(file),
      headers,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      onResponse: (r) => {
        const refused = getStatusError(file, r.status, options.range !== undefined);
        if (refused !== undefined) throw refused;
        const length = r.headers["content-length"];
        total = length === undefined ? undefined : Number(Array.isArray(length) ? length[0] : length);
      },
      onData: async (chunk) => {
        await writeAll(handle, chunk);
        bytes += chunk.length;
        options.onProgress?.(bytes, total);
      },
    });
    const refused = getStatusError(file, res.status, options.range !== undefined);
    if (refused !== undefined) throw refused;
  } catch (e) {
    if (options.signal?.aborted === true) throw abortedTransfer("GET", file, bytes, e);
    throw e;
  }
  return bytes;
}

/** Uploads `length` bytes of a local file, from `start`, to a datastore file. */
export async function uploadFileFromHandle(
  session: Session,
  file: DatastoreFile,
  source: { readonly handle: FileHandle; readonly start: number; readonly length: number },
  options: TransferOptions = {},
): Promise<void> {
  let bytes = 0;
  const res = await bulkExchange(session.vim.transport, {
    method: "PUT",
    path: folderPath(file),
    headers: { "content-type": "application/octet-stream" },
    body: {
      length: source.length,
      read: async (buf) => {
        const want = Math.min(buf.length, source.length - bytes);
        const { bytesRead } = await source.handle.read(buf, 0, want, source.start + bytes);
        bytes += bytesRead;
        if (bytesRead > 0) options.onProgress?.(bytes, source.length);
        return bytesRead;
      },
    },
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    onData: () => undefined,
  });
  const refused = putStatusError(file, res.status);
  if (refused !== undefined) throw refused;
}
