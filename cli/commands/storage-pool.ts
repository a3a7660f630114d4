/**
 * Storage pool commands, as virsh names and prints them: pool-list (--all, --details,
 * --name, --uuid and virsh's filters), pool-info, pool-uuid, pool-name, pool-dumpxml,
 * pool-refresh, pool-autostart. ESX pools are always active, persistent and autostarted.
 */
import type { Command } from "commander";
import type { StoragePool } from "../../drivers/storage/handles.js";
import { poolSizes } from "../../drivers/storage/pool-info.js";
import { listPools, refreshPool, setPoolAutostart } from "../../drivers/storage/storage.js";
import { poolXml } from "../../drivers/storage/storage-xml.js";
import { formatTable } from "../output/table.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { UsageError } from "./failures.js";
import type { JsonOption } from "./option-values.js";
import { prettyCapacity, resolvePool, storageFailure } from "./storage-selectors.js";

const POOL_TYPES = new Set([
  "dir",
  "fs",
  "netfs",
  "logical",
  "disk",
  "iscsi",
  "iscsi-direct",
  "scsi",
  "mpath",
  "rbd",
  "sheepdog",
  "gluster",
  "zfs",
  "vstorage",
]);

function poolJson(pool: StoragePool): Record<string, unknown> {
  const s = poolSizes(pool);
  return {
    name: pool.name,
    uuid: pool.uuid,
    type: pool.type,
    state: s.state,
    persistent: true,
    autostart: true,
    capacity: s.capacity,
    allocation: s.allocation,
    available: s.available,
  };
}

interface ListOptions extends JsonOption {
  readonly all?: boolean;
  readonly inactive?: boolean;
  readonly persistent?: boolean;
  readonly transient?: boolean;
  readonly autostart?: boolean;
  readonly noAutostart?: boolean;
  readonly details?: boolean;
  readonly name?: boolean;
  readonly uuid?: boolean;
  readonly type?: string;
}

function registerList(program: Command, run: ActionRunner): void {
  program
    .command("pool-list")
    .description("list pools")
    .option("--inactive", "list inactive pools")
    .option("--all", "list inactive & active pools")
    .option("--transient", "list transient pools")
    .option("--persistent", "list persistent pools")
    .option("--autostart", "list pools with autostart enabled")
    .option("--no-autostart", "list pools with autostart disabled")
    .option("--type <types>", "only list pool of specified type(s) (if supported)")
    .option("--details", "display extended details for pools")
    .option("--uuid", "list UUID of active pools only")
    .option("--name", "list name of active pools only")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, raw: ListOptions & { autostart?: boolean }) => {
        // commander turns --no-autostart into autostart=false.
        const o: ListOptions = { ...raw, autostart: raw.autostart === true, noAutostart: raw.autostart === false };
        if (o.details === true && (o.name === true || o.uuid === true))
          throw new UsageError(`Options --details and --${o.name === true ? "name" : "uuid"} are mutually exclusive`);
        const types = o.type === undefined ? undefined : o.type.split(",").map((t) => t.trim());
        for (const t of types ?? []) if (!POOL_TYPES.has(t)) throw new UsageError(`Invalid pool type '${t}'`);
        const conn = await ctx.connection();
        let pools = await listPools(conn, { signal: ctx.signal });
        // Every ESX pool is active, persistent and autostarted.
        if ((o.inactive === true && o.all !== true) || o.transient === true || o.noAutostart === true) pools = [];
        if (types !== undefined) pools = pools.filter((p) => types.includes(p.type));
        if (o.json === true) return ctx.json(pools.map(poolJson));
        if (o.name === true || o.uuid === true) {
          for (const p of pools)
            ctx.out(o.name === true && o.uuid === true ? `${p.uuid.padEnd(36)} ${p.name}\n` : `${o.uuid === true ? p.uuid : p.name}\n`);
          return;
        }
        const header = ctx.options.quiet !== true;
        if (o.details === true) {
          const rows = pools.map((p) => {
            const s = poolSizes(p);
            const sized = s.state === "running";
            return [
              p.name,
              s.state,
              "yes",
              "yes",
              sized ? prettyCapacity(s.capacity) : "-",
              sized ? prettyCapacity(s.allocation) : "-",
              sized ? prettyCapacity(s.available) : "-",
            ];
          });
          ctx.out(formatTable(["Name", "State", "Autostart", "Persistent", "Capacity", "Allocation", "Available"], rows, { header }));
          return;
        }
        const rows = pools.map((p) => [p.name, poolSizes(p).state === "running" ? "active" : "inactive", "yes"]);
        ctx.out(formatTable(["Name", "State", "Autostart"], rows, { header }));
      }),
    );
}

function registerInfo(program: Command, run: ActionRunner): void {
  program
    .command("pool-info")
    .description("storage pool information")
    .argument("<pool>", "pool name or uuid")
    .option("--bytes", "return pool info in bytes")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption & { bytes?: boolean }) => {
        const conn = await ctx.connection();
        const pool = await resolvePool(conn, selector, ctx.signal);
        if (o.json === true) return ctx.json(poolJson(pool));
        const s = poolSizes(pool);
        const size = (n: number): string => (o.bytes === true ? String(n) : prettyCapacity(n));
        const fields = [
          { label: "Name:", value: pool.name },
          { label: "UUID:", value: pool.uuid },
          { label: "State:", value: s.state },
          { label: "Persistent:", value: "yes" },
          { label: "Autostart:", value: "yes" },
        ];
        if (s.state === "running")
          fields.push(
            { label: "Capacity:", value: size(s.capacity) },
            { label: "Allocation:", value: size(s.allocation) },
            { label: "Available:", value: size(s.available) },
          );
        ctx.out(formatFields(fields));
      }),
    );
}

function registerSmall(program: Command, run: ActionRunner): void {
  program
    .command("pool-uuid")
    .description("convert a pool name to pool UUID")
    .argument("<pool>", "pool name")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption) => {
        const pool = await resolvePool(await ctx.connection(), selector, ctx.signal);
        if (o.json === true) return ctx.json({ name: pool.name, uuid: pool.uuid });
        ctx.out(`${pool.uuid}\n`);
      }),
    );
  program
    .command("pool-name")
    .description("convert a pool UUID to pool name")
    .argument("<pool>", "pool uuid")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption) => {
        const pool = await resolvePool(await ctx.connection(), selector, ctx.signal);
        if (o.json === true) return ctx.json({ name: pool.name, uuid: pool.uuid });
        ctx.out(`${pool.name}\n`);
      }),
    );
  program
    .command("pool-dumpxml")
    .description("pool information in XML")
    .argument("<pool>", "pool name or uuid")
    .option("--inactive", "show inactive defined XML")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, selector: string, o: JsonOption) => {
        const pool = await resolvePool(await ctx.connection(), selector, ctx.signal);
        const xml = poolXml(pool);
        if (o.json === true) return ctx.json({ name: pool.name, xml });
        ctx.out(xml);
      }),
    );
  program
    .command("pool-refresh")
    .description("refresh a pool (RefreshDatastore; RescanHba for an iSCSI target)")
    .argument("<pool>", "pool name or uuid")
    .action(
      run(
        async (ctx, selector: string) => {
          const conn = await ctx.connection();
          const pool = await resolvePool(conn, selector, ctx.signal);
          await refreshPool(conn, pool, { signal: ctx.signal });
          ctx.out(`Pool ${pool.name} refreshed\n`);
        },
        (error, selector: string) => storageFailure(error, `Failed to refresh pool ${selector}`),
      ),
    );
  program
    .command("pool-autostart")
    .description("autostart a pool (ESX pools always start with the host)")
    .argument("<pool>", "pool name or uuid")
    .option("--disable", "disable autostarting")
    .action(
      run(
        async (ctx, selector: string, o: { disable?: boolean }) => {
          const pool = await resolvePool(await ctx.connection(), selector, ctx.signal);
          setPoolAutostart(pool, o.disable !== true);
          ctx.out(`Pool ${pool.name} marked as autostarted\n`);
        },
        (error, selector: string, o: { disable?: boolean }) =>
          storageFailure(error, `failed to ${o.disable === true ? "unmark" : "mark"} pool ${selector} as autostarted`),
      ),
    );
}

export function registerStoragePoolCommands(program: Command, run: ActionRunner): void {
  registerList(program, run);
  registerInfo(program, run);
  registerSmall(program, run);
}
