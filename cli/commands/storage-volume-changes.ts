/**
 * Storage volume changes, as virsh names them: vol-create, vol-create-as, vol-create-from,
 * vol-clone, vol-delete, vol-wipe, vol-resize (task progress on a terminal).
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { InvalidInputError, UnsupportedError } from "../../errors/esxvi-error.js";
import { createVolume, createVolumeFrom, deleteVolume, resizeVolume, wipeVolume } from "../../drivers/storage/storage.js";
import { scaleBytes, volumeCreateAsXml } from "../../drivers/storage/storage-xml.js";
import type { CommandContext } from "../command-context.js";
import type { ActionRunner } from "../action-runner.js";
import { UsageError } from "./failures.js";
import { resolvePool, resolveVolume, storageFailure } from "./storage-selectors.js";
import { withTaskProgress } from "./task-progress.js";

/** virsh's vshVolSize: a scaled size in bytes ("10G", "512M", "1024"). */
export function parseVolumeSize(text: string): number {
  const m = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(text);
  try {
    if (m === null) throw new Error("malformed");
    return scaleBytes(m[1] ?? "", m[2] === "" ? undefined : m[2], "size");
  } catch {
    throw new UsageError(`Malformed size ${text}`);
  }
}

async function readXmlFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new InvalidInputError(`Failed to open file '${file}'`, { cause: e });
  }
}

function extra(ctx: CommandContext, text: string): void {
  if (ctx.options.quiet !== true) ctx.out(text);
}

function registerCreate(program: Command, run: ActionRunner): void {
  program
    .command("vol-create")
    .description("create a vol from an XML file")
    .argument("<pool>", "pool name or uuid")
    .argument("<file>", "file containing an XML vol description")
    .action(
      run(
        async (ctx, selector: string, file: string) => {
          const xml = await readXmlFile(file);
          const conn = await ctx.connection();
          const pool = await resolvePool(conn, selector, ctx.signal);
          const vol = await withTaskProgress(ctx, "Create", (t) => createVolume(conn, pool, xml, t));
          extra(ctx, `Vol ${vol.name} created from ${file}\n`);
        },
        (error, _pool: string, file: string) => storageFailure(error, `Failed to create vol from ${file}`),
      ),
    );
  program
    .command("vol-create-as")
    .description("create a volume from a set of args")
    .argument("<pool>", "pool name")
    .argument("<name>", "name of the volume: <directory>/<file>.vmdk")
    .argument("<capacity>", "size of the vol, as scaled integer (default bytes)")
    .option("--allocation <size>", "initial allocation size, as scaled integer (default bytes): 0 (thin) or the capacity")
    .option("--format <format>", "file format type: vmdk")
    .option("--print-xml", "print XML document, but don't define/create")
    .action(
      run(
        async (
          ctx,
          selector: string,
          name: string,
          capacityText: string,
          o: { allocation?: string; format?: string; printXml?: boolean },
        ) => {
          const capacity = parseVolumeSize(capacityText);
          const allocation = o.allocation === undefined ? undefined : parseVolumeSize(o.allocation);
          const xml = volumeCreateAsXml(name, capacity, allocation, o.format);
          if (o.printXml === true) return ctx.out(xml);
          const conn = await ctx.connection();
          const pool = await resolvePool(conn, selector, ctx.signal);
          const vol = await withTaskProgress(ctx, "Create", (t) => createVolume(conn, pool, xml, t));
          extra(ctx, `Vol ${vol.name} created\n`);
        },
        (error, _pool: string, name: string) => storageFailure(error, `Failed to create vol ${name}`),
      ),
    );
  program
    .command("vol-create-from")
    .description("create a vol, using another volume as input")
    .argument("<pool>", "pool name or uuid")
    .argument("<file>", "file containing an XML vol description")
    .argument("<vol>", "input vol name or key")
    .option("--inputpool <pool>", "pool name or uuid of the input volume's pool")
    .action(
      run(
        async (ctx, selector: string, file: string, source: string, o: { inputpool?: string }) => {
          const xml = await readXmlFile(file);
          const conn = await ctx.connection();
          const pool = await resolvePool(conn, selector, ctx.signal);
          const input = await resolveVolume(conn, source, o.inputpool, ctx.signal);
          const vol = await withTaskProgress(ctx, "Copy", (t) => createVolumeFrom(conn, pool, xml, input, t));
          extra(ctx, `Vol ${vol.name} created from input vol ${input.name}\n`);
        },
        (error, _pool: string, file: string) => storageFailure(error, `Failed to create vol from ${file}`),
      ),
    );
  program
    .command("vol-clone")
    .description("clone a volume")
    .argument("<vol>", "orig vol name or key")
    .argument("<newname>", "clone name: <directory>/<file>.vmdk")
    .option("--pool <pool>", "pool name or uuid")
    .option("--prealloc-metadata", "preallocate metadata (for qcow2 instead of full allocation)")
    .option("--reflink", "use btrfs COW lightweight copy")
    .action(
      run(
        async (ctx, selector: string, newName: string, o: { pool?: string }) => {
          const conn = await ctx.connection();
          const source = await resolveVolume(conn, selector, o.pool, ctx.signal);
          const xml = volumeCreateAsXml(newName, source.capacity, source.allocation, source.format);
          const vol = await withTaskProgress(ctx, "Copy", (t) => createVolumeFrom(conn, source.pool, xml, source, t));
          extra(ctx, `Vol ${vol.name} cloned from ${source.name}\n`);
        },
        (error, selector: string) => storageFailure(error, `Failed to clone vol from ${selector}`),
      ),
    );
}

function registerChanges(program: Command, run: ActionRunner): void {
  program
    .command("vol-delete")
    .description("delete a vol")
    .argument("<vol>", "vol name, key or path")
    .option("--pool <pool>", "pool name or uuid")
    .option("--delete-snapshots", "delete snapshots associated with volume (must be supported by storage driver)")
    .action(
      run(
        async (ctx, selector: string, o: { pool?: string }) => {
          const conn = await ctx.connection();
          const vol = await resolveVolume(conn, selector, o.pool, ctx.signal);
          await withTaskProgress(ctx, "Delete", (t) => deleteVolume(conn, vol, t));
          extra(ctx, `Vol ${selector} deleted\n`);
        },
        (error, selector: string) => storageFailure(error, `Failed to delete vol ${selector}`),
      ),
    );
  program
    .command("vol-wipe")
    .description("wipe a vol")
    .argument("<vol>", "vol name, key or path")
    .option("--pool <pool>", "pool name or uuid")
    .option("--algorithm <algorithm>", "perform selected wiping algorithm (ESX: zero only)")
    .action(
      run(
        async (ctx, selector: string, o: { pool?: string; algorithm?: string }) => {
          if (o.algorithm !== undefined && o.algorithm !== "zero")
            throw new UnsupportedError("this function is not supported by the connection driver: virStorageVolWipePattern");
          const conn = await ctx.connection();
          const vol = await resolveVolume(conn, selector, o.pool, ctx.signal);
          await withTaskProgress(ctx, "Wipe", (t) => wipeVolume(conn, vol, t));
          extra(ctx, `Vol ${selector} wiped\n`);
        },
        (error, selector: string) => storageFailure(error, `Failed to wipe vol ${selector}`),
      ),
    );
  program
    .command("vol-resize")
    .description("resize a vol (ESX: grow a disk, ExtendVirtualDisk)")
    .argument("<vol>", "vol name, key or path")
    .argument("<capacity>", "new capacity for the vol, as scaled integer (default bytes)")
    .option("--pool <pool>", "pool name or uuid")
    .option("--allocate", "allocate the new capacity, rather than leaving it sparse")
    .option("--delta", "use capacity as a delta to current size, rather than the new size")
    .option("--shrink", "allow the resize to shrink the volume")
    .action(
      run(
        async (
          ctx,
          selector: string,
          capacityText: string,
          o: { pool?: string; allocate?: boolean; delta?: boolean; shrink?: boolean },
        ) => {
          const text = capacityText.startsWith("-") ? capacityText.slice(1) : capacityText;
          if (capacityText.startsWith("-") && o.shrink !== true) throw new UsageError("negative size requires --shrink");
          const size = parseVolumeSize(text);
          if (o.shrink === true) throw new UnsupportedError("Shrinking a volume is not supported");
          if (o.allocate === true) throw new UnsupportedError("Preallocating the new capacity is not supported");
          const conn = await ctx.connection();
          const vol = await resolveVolume(conn, selector, o.pool, ctx.signal);
          const capacity = o.delta === true ? vol.capacity + size : size;
          await withTaskProgress(ctx, "Resize", (t) => resizeVolume(conn, vol, capacity, t));
          extra(ctx, `Size of volume '${vol.name}' successfully changed to ${capacityText}\n`);
        },
        (error, selector: string, capacityText: string) =>
          storageFailure(error, `Failed to change size of volume '${selector}' to ${capacityText}`),
      ),
    );
}

export function registerStorageVolumeChangeCommands(program: Command, run: ActionRunner): void {
  registerCreate(program, run);
  registerChanges(program, run);
}
