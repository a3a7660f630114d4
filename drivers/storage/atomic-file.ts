/**
 * Writing a local file so that it is never seen truncated: the data goes to a temporary file
 * beside the target, renamed over it only once everything was written and flushed; on any
 * failure or abort the temporary file is removed and the target is left as it was.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { open, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The temporary name used for `target` (hidden, in the same directory, so the rename is atomic). */
export function temporaryNameFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.esxvi-part-${randomBytes(4).toString("hex")}`);
}

/**
 * Runs `write` on a stream to a temporary file; renames it to `target` when `write` resolves.
 * A target known only from the result (a default name) is a function of it; the temporary
 * file is then made in the current directory.
 */
export async function writeFileAtomically<T>(
  target: string | ((result: T) => string),
  write: (dest: WriteStream) => Promise<T>,
): Promise<T> {
  const temp = temporaryNameFor(typeof target === "string" ? target : "file");
  const dest = createWriteStream(temp, { flags: "wx" });
  try {
    const result = await write(dest);
    if (!dest.closed) await new Promise<void>((resolve, reject) => dest.end((e?: Error | null) => (e ? reject(e) : resolve())));
    await rename(temp, typeof target === "string" ? target : target(result));
    return result;
  } catch (e) {
    dest.destroy();
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** writeFileAtomically for a writer of a file handle (positioned at the start of the empty temporary file). */
export async function writeHandleAtomically<T>(target: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
  const temp = temporaryNameFor(target);
  const handle = await open(temp, "wx");
  try {
    const result = await write(handle);
    await handle.close();
    await rename(temp, target);
    return result;
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
