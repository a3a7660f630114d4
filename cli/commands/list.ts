/** virsh list: the domains of the host with libvirt's filters, as a table or names/UUIDs. */
import type { Command } from "commander";
import { listDomains, type ListFilters } from "../../drivers/domain/list.js";
import { formatTable } from "../output/table.js";
import type { ActionRunner } from "../program.js";

interface ListOptions {
  readonly all?: boolean;
  readonly inactive?: boolean;
  readonly stateRunning?: boolean;
  readonly statePaused?: boolean;
  readonly stateShutoff?: boolean;
  readonly autostart?: boolean;
  readonly noAutostart?: boolean;
  readonly withSnapshot?: boolean;
  readonly withoutSnapshot?: boolean;
  readonly name?: boolean;
  readonly uuid?: boolean;
  readonly table?: boolean;
  readonly json?: boolean;
}

export function filtersOf(o: ListOptions): ListFilters {
  const states: ("running" | "paused" | "shutoff")[] = [];
  if (o.stateRunning === true) states.push("running");
  if (o.statePaused === true) states.push("paused");
  if (o.stateShutoff === true) states.push("shutoff");
  const stateOnly = states.length > 0;
  return {
    active: o.all === true || stateOnly || (o.inactive !== true),
    inactive: o.all === true || stateOnly || o.inactive === true,
    ...(stateOnly ? { states } : {}),
    ...(o.autostart === true ? { autostart: true } : o.noAutostart === true ? { autostart: false } : {}),
    ...(o.withSnapshot === true ? { withSnapshot: true } : o.withoutSnapshot === true ? { withSnapshot: false } : {}),
  };
}

export function registerListCommand(program: Command, run: ActionRunner): void {
  program
    .command("list")
    .description("list domains (active ones unless --all or --inactive)")
    .option("--all", "list inactive and active domains")
    .option("--inactive", "list inactive domains")
    .option("--state-running", "list domains in running state")
    .option("--state-paused", "list domains in paused state")
    .option("--state-shutoff", "list domains in shutoff state")
    .option("--autostart", "list domains with autostart enabled")
    .option("--no-autostart", "list domains with autostart disabled")
    .option("--with-snapshot", "list domains with existing snapshot")
    .option("--without-snapshot", "list domains without a snapshot")
    .option("--name", "list domain names only")
    .option("--uuid", "list uuid's only")
    .option("--table", "list table (default)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, raw: ListOptions & { autostart?: boolean }) => {
        // commander turns --no-autostart into autostart=false.
        const o: ListOptions = { ...raw, ...(raw.autostart === false ? { autostart: false, noAutostart: true } : {}) };
        if (o.table === true && (o.name === true || o.uuid === true)) throw new Error("Options --table and --name/--uuid are mutually exclusive");
        const conn = await ctx.connection();
        const entries = await listDomains(conn, filtersOf(o), { signal: ctx.signal });
        if (o.json === true) {
          return ctx.json(entries.map((e) => ({ id: e.id ?? null, name: e.identity.name, uuid: e.identity.uuid, state: e.state, ...(e.autostart !== undefined ? { autostart: e.autostart } : {}), ...(e.hasSnapshot !== undefined ? { hasSnapshot: e.hasSnapshot } : {}) })));
        }
        if (o.name === true || o.uuid === true) {
          for (const e of entries) ctx.out(`${[o.uuid === true ? e.identity.uuid : undefined, o.name === true ? e.identity.name : undefined].filter((x) => x !== undefined).join(" ")}\n`);
          return;
        }
        const rows = entries.map((e) => [e.id === undefined ? "-" : String(e.id), e.identity.name, e.state]);
        ctx.out(formatTable(["Id", "Name", "State"], rows, { header: ctx.options.quiet !== true }));
      }),
    );
}
