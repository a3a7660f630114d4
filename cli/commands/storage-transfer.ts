/**
 * vol-upload and vol-download: a volume's bytes to and from a local file, streamed, with
 * --offset and --length, a progress line on a terminal, and no truncated file left under the
 * final name on either side when the transfer fails or is interrupted (Ctrl-C).
 */
import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { downloadVolumeToFile, uploadVolumeFromFile } from "../../drivers/storage/volume-transfer.js";
import type { CommandContext } from "../command-context.js";
import type { ActionRunner } from "../action-runner.js";
import { UsageError } from "./failures.js";
import { resolveVolume, storageFailure } from "./storage-selectors.js";

interface TransferFlags {
  readonly pool?: string;
  readonly offset?: string;
  readonly length?: string;
  readonly sparse?: boolean;
}

/** vshCommandOptULongLong. */
function byteCount(text: string | undefined, option: string): number {
  if (text === undefined) return 0;
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`Numeric value '${text}' for <${option}> option is malformed or out of range`);
  return Number(text);
}

function progressOf(ctx: CommandContext, label: string): { onProgress?: (b: number, t: number) => void; done: () => void } {
  const p = ctx.progress(label);
  if (p === undefined) return { done: () => undefined };
  return { onProgress: (b, t) => p.update(t > 0 ? (b * 100) / t : 100), done: () => p.done() };
}

export function registerStorageTransferCommands(program: Command, run: ActionRunner): void {
  program
    .command("vol-upload")
    .description("upload file contents to a volume")
    .argument("<vol>", "vol name, key or path")
    .argument("<file>", "file")
    .option("--pool <pool>", "pool name or uuid")
    .option("--offset <bytes>", "volume offset to upload to")
    .option("--length <bytes>", "amount of data to upload")
    .option("--sparse", "preserve sparseness of volume")
    .action(
      run(
        async (ctx, selector: string, file: string, o: TransferFlags) => {
          const offset = byteCount(o.offset, "offset");
          const length = byteCount(o.length, "length");
          let size: number;
          try {
            size = (await stat(file)).size;
          } catch (e) {
            throw new InvalidInputError(`cannot read ${file}`, { cause: e });
          }
          if (length > 0) size = Math.min(size, length);
          const conn = await ctx.connection();
          const vol = await resolveVolume(conn, selector, o.pool, ctx.signal);
          const progress = progressOf(ctx, "Upload");
          try {
            await uploadVolumeFromFile(conn, vol, file, size, {
              offset,
              signal: ctx.signal,
              ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
            });
          } finally {
            progress.done();
          }
        },
        (error, selector: string) => storageFailure(error, `cannot upload to volume ${selector}`),
      ),
    );
  program
    .command("vol-download")
    .description("download volume contents to a file")
    .argument("<vol>", "vol name, key or path")
    .argument("<file>", "file")
    .option("--pool <pool>", "pool name or uuid")
    .option("--offset <bytes>", "volume offset to download from")
    .option("--length <bytes>", "amount of data to download")
    .option("--sparse", "preserve sparseness of volume")
    .action(
      run(
        async (ctx, selector: string, file: string, o: TransferFlags) => {
          const offset = byteCount(o.offset, "offset");
          const length = byteCount(o.length, "length");
          const conn = await ctx.connection();
          const vol = await resolveVolume(conn, selector, o.pool, ctx.signal);
          const progress = progressOf(ctx, "Download");
          try {
            await downloadVolumeToFile(conn, vol, file, {
              offset,
              length,
              signal: ctx.signal,
              ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
            });
          } finally {
            progress.done();
          }
        },
        (error, selector: string) => storageFailure(error, `cannot download from volume ${selector}`),
      ),
    );
}
