/**
 * Storage volume read commands, as virsh names and prints them: vol-list [--details],
 * vol-info, vol-dumpxml, vol-path, vol-key, vol-name, vol-pool.
 */
import type { Command } from "commander";
import type { StorageVolume, VolumeEntry } from "../../drivers/storage/handles.js";
import { listVolumes } from "../../drivers/storage/storage.js";
import { volumeXml } from "../../drivers/storage/storage-xml.js";
import { formatTable } from "../output/table.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import type { JsonOption } from "./option-values.js";
import { prettyCapacity, resolvePool, resolveVolume } from "./storage-selectors.js";

function entryJson(v: VolumeEntry): Record<string, unknown> {
  return { name: v.name, path: v.path, type: v.type, format: v.format, capacity: v.capacity, allocation: v.allocation };
}

function volumeJson(v: StorageVolume): Record<string, unknown> {
  return { ...entryJson(v), key: v.key, pool: v.pool.name };
}

interface VolOptions extends JsonOption {
  readonly pool?: string;
}

function registerList(program: Command, run: ActionRunner): void {
  program
    .command("vol-list")
    .description("list vols")
    .argument("<pool>", "pool name or uuid")
    .option("--details", "display extended details for volumes")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption & { details?: boolean }) => {
        const conn = await ctx.connection();
        const pool = await resolvePool(conn, selector, ctx.signal);
        const vols = [...(await listVolumes(conn, pool, { signal: ctx.signal }))].sort((a, b) =>
          a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
        );
        if (o.json === true) return ctx.json(vols.map(entryJson));
        const header = ctx.options.quiet !== true;
        if (o.details === true) {
          const rows = vols.map((v) => [v.name, v.path, v.type, prettyCapacity(v.capacity), prettyCapacity(v.allocation)]);
          ctx.out(formatTable(["Name", "Path", "Type", "Capacity", "Allocation"], rows, { header }));
          return;
        }
        ctx.out(
          formatTable(
            ["Name", "Path"],
            vols.map((v) => [v.name, v.path]),
            { header },
          ),
        );
      }),
    );
}

function volCommand(program: Command, name: string, description: string, argHelp = "vol name, key or path"): Command {
  return program
    .command(name)
    .description(description)
    .argument("<vol>", argHelp)
    .option("--pool <pool>", "pool name or uuid")
    .option("--json", "print JSON");
}

function registerReads(program: Command, run: ActionRunner): void {
  volCommand(program, "vol-info", "storage vol information")
    .option("--bytes", "return the volume's sizes in bytes")
    .option("--physical", "return the physical size of the volume in allocation field")
    .action(
      run(async (ctx, selector: string, o: VolOptions & { bytes?: boolean }) => {
        const vol = await resolveVolume(await ctx.connection(), selector, o.pool, ctx.signal);
        if (o.json === true) return ctx.json(volumeJson(vol));
        const size = (n: number): string => (o.bytes === true ? `${n} bytes` : prettyCapacity(n));
        ctx.out(
          formatFields([
            { label: "Name:", value: vol.name },
            { label: "Type:", value: vol.type },
            { label: "Capacity:", value: size(vol.capacity) },
            { label: "Allocation:", value: size(vol.allocation) },
          ]),
        );
      }),
    );
  volCommand(program, "vol-dumpxml", "vol information in XML").action(
    run(async (ctx, selector: string, o: VolOptions) => {
      const vol = await resolveVolume(await ctx.connection(), selector, o.pool, ctx.signal);
      const xml = volumeXml(vol);
      if (o.json === true) return ctx.json({ name: vol.name, xml });
      ctx.out(xml);
    }),
  );
  const one = (name: string, description: string, pick: (v: StorageVolume) => string, argHelp?: string): void => {
    volCommand(program, name, description, argHelp).action(
      run(async (ctx, selector: string, o: VolOptions) => {
        const vol = await resolveVolume(await ctx.connection(), selector, o.pool, ctx.signal);
        if (o.json === true) return ctx.json({ name: vol.name, key: vol.key, path: vol.path, pool: vol.pool.name });
        ctx.out(`${pick(vol)}\n`);
      }),
    );
  };
  one("vol-path", "returns the volume path for a given volume name or key", (v) => v.path, "volume name or key");
  one("vol-key", "returns the volume key for a given volume name or path", (v) => v.key, "volume name or path");
  one("vol-name", "returns the volume name for a given volume key or path", (v) => v.name, "volume key or path");
  program
    .command("vol-pool")
    .description("returns the storage pool for a given volume key or path")
    .argument("<vol>", "volume key or path")
    .option("--uuid", "return the pool uuid rather than pool name")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption & { uuid?: boolean }) => {
        const vol = await resolveVolume(await ctx.connection(), selector, undefined, ctx.signal);
        if (o.json === true) return ctx.json({ name: vol.pool.name, uuid: vol.pool.uuid });
        ctx.out(`${o.uuid === true ? vol.pool.uuid : vol.pool.name}\n`);
      }),
    );
}

export function registerStorageVolumeCommands(program: Command, run: ActionRunner): void {
  registerList(program, run);
  registerReads(program, run);
}
