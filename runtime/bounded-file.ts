/**
 * Reading a local file named by the user (a CA file, an auth file, a domain XML or .vmx)
 * with a size limit: a device such as /dev/zero or a huge file is refused after `limit`
 * bytes instead of being read into memory.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { errorMessage, InvalidInputError } from "../errors/esxvi-error.js";

/** The default limit for input files: far above any CA bundle, domain XML or .vmx. */
export const MAX_INPUT_FILE_BYTES = 16 << 20;

function tooLarge(what: string, limit: number): InvalidInputError {
  return new InvalidInputError(`${what} is larger than ${limit} bytes`);
}

function unreadable(what: string, e: unknown): InvalidInputError {
  return new InvalidInputError(`cannot read ${what}: ${errorMessage(e)}`, { cause: e });
}

/** Reads at most `limit` bytes of `path`; a longer file is refused with INVALID_ARG. */
export async function readBoundedFile(path: string, what = `the file ${path}`, limit = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw unreadable(what, e);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(chunk, 0, chunk.length, null));
      } catch (e) {
        throw unreadable(what, e);
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(what, limit);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** readBoundedFile for synchronous callers. */
export function readBoundedFileSync(path: string, what = `the file ${path}`, limit = MAX_INPUT_FILE_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw unreadable(what, e);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw unreadable(what, e);
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw tooLarge(what, limit);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}
