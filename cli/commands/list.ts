/**
 * virsh list: the domains of the host with virsh's filter flags (computed as virsh computes
 * them: active by default, --inactive or --state-shutoff switch to inactive, --all to both),
 * as a table (Id, Name, State [, Title] [, UUID]) or as UUIDs / ids / names.
 */
import type { Command } from "commander";
import { listDomains, type ListFilters, type StateFilter } from "../../drivers/domain/list.js";
import { formatTable } from "../output/table.js";
import type { ActionRunner } from "../action-runner.js";
import { virshFailure } from "./failures.js";
import { exclusive } from "./option-values.js";

interface ListOptions {
  readonly all?: boolean;
  readonly inactive?: boolean;
  readonly transient?: boolean;
  readonly persistent?: boolean;
  readonly stateRunning?: boolean;
  readonly statePaused?: boolean;
  readonly stateShutoff?: boolean;
  readonly stateOther?: boolean;
  readonly autostart?: boolean;
  readonly noAutostart?: boolean;
  readonly withSnapshot?: boolean;
  readonly withoutSnapshot?: boolean;
  readonly withManagedSave?: boolean;
  readonly withoutManagedSave?: boolean;
  readonly managedSave?: boolean;
  readonly name?: boolean;
  readonly uuid?: boolean;
  readonly id?: boolean;
  readonly table?: boolean;
  readonly title?: boolean;
  readonly json?: boolean;
}

/** A pair of flags where both means "no filter" (libvirt's MATCH(A) || MATCH(B)). */
function pair(yes: boolean | undefined, no: boolean | undefined): boolean | undefined {
  if (yes === true && no !== true) return true;
  if (no === true && yes !== true) return false;
  return undefined;
}

/** virsh's cmdList flags as driver filters. */
function filtersOf(o: ListOptions): ListFilters {
  let active = true;
  let inactive = false;
  if (o.inactive === true || o.stateShutoff === true) {
    active = false;
    inactive = true;
  }
  if (o.all === true) {
    active = true;
    inactive = true;
  }
  const states: StateFilter[] = [];
  if (o.stateRunning === true) states.push("running");
  if (o.statePaused === true) states.push("paused");
  if (o.stateShutoff === true) states.push("shutoff");
  if (o.stateOther === true) states.push("other");
  const autostart = pair(o.autostart, o.noAutostart);
  const withSnapshot = pair(o.withSnapshot, o.withoutSnapshot);
  const persistent = pair(o.persistent, o.transient);
  const managedSave = pair(o.withManagedSave, o.withoutManagedSave);
  return {
    active,
    inactive,
    ...(states.length > 0 ? { states } : {}),
    ...(autostart !== undefined ? { autostart } : {}),
    ...(withSnapshot !== undefined ? { withSnapshot } : {}),
    ...(persistent !== undefined ? { persistent } : {}),
    ...(managedSave !== undefined ? { managedSave } : {}),
  };
}

export function registerListCommand(program: Command, run: ActionRunner): void {
  program
    .command("list")
    .description("list domains (active ones unless --all or --inactive)")
    .option("--inactive", "list inactive domains")
    .option("--all", "list inactive & active domains")
    .option("--transient", "list transient domains")
    .option("--persistent", "list persistent domains")
    .option("--with-snapshot", "list domains with existing snapshot")
    .option("--without-snapshot", "list domains without a snapshot")
    .option("--state-running", "list domains in running state")
    .option("--state-paused", "list domains in paused state")
    .option("--state-shutoff", "list domains in shutoff state")
    .option("--state-other", "list domains in other states")
    .option("--autostart", "list domains with autostart enabled")
    .option("--no-autostart", "list domains with autostart disabled")
    .option("--with-managed-save", "list domains with managed save state")
    .option("--without-managed-save", "list domains without managed save")
    .option("--uuid", "list uuid's only")
    .option("--name", "list domain names only")
    .option("--id", "list domain IDs only")
    .option("--table", "list table (default)")
    .option("--managed-save", "mark inactive domains with managed save state")
    .option("--title", "show domain title")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, raw: ListOptions) => {
        // commander folds --autostart / --no-autostart into one boolean; the last one given wins.
        const o: ListOptions = { ...raw, ...(raw.autostart === false ? { autostart: false, noAutostart: true } : {}) };
        exclusive("table", o.table, "name", o.name);
        exclusive("table", o.table, "id", o.id);
        const conn = await ctx.connection();
        const entries = await listDomains(conn, filtersOf(o), { signal: ctx.signal });
        if (o.json === true) {
          return ctx.json(
            entries.map((e) => ({
              id: e.id ?? null,
              name: e.identity.name,
              uuid: e.identity.uuid,
              state: e.state,
              ...(e.autostart !== undefined ? { autostart: e.autostart } : {}),
              ...(e.hasSnapshot !== undefined ? { hasSnapshot: e.hasSnapshot } : {}),
            })),
          );
        }
        const table = o.table === true || (o.uuid !== true && o.name !== true && o.id !== true);
        if (!table) {
          for (const e of entries) {
            const id = e.id === undefined ? "-" : String(e.id);
            if (o.id === true && e.id === undefined && o.uuid !== true && o.name !== true) continue;
            const parts = [
              o.uuid === true ? e.identity.uuid : undefined,
              o.id === true ? id : undefined,
              o.name === true ? e.identity.name : undefined,
            ];
            ctx.out(`${parts.filter((p) => p !== undefined).join(" ")}\n`);
          }
          return;
        }
        const header = ["Id", "Name", "State", ...(o.title === true ? ["Title"] : []), ...(o.uuid === true ? ["UUID"] : [])];
        // ESX domains have no title (libvirt's VMX converter reads none) and no managed save.
        const rows = entries.map((e) => {
          const row = [e.id === undefined ? "-" : String(e.id), e.identity.name, e.state];
          if (o.title === true) row.push("");
          if (o.uuid === true) row.push(e.identity.uuid);
          return row;
        });
        ctx.out(formatTable(header, rows, { header: ctx.options.quiet !== true }));
      }, virshFailure("Failed to list domains")),
    );
}
