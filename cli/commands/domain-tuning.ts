/**
 * Domain tuning commands: setmem, setmaxmem, setvcpus, memtune and schedinfo, with virsh's
 * arguments, flags (--current, --live, --config, --maximum) and output layouts
 * ("%-15s: %s" lines for memtune and schedinfo).
 */
import type { Command } from "commander";
import { InvalidInputError, UnsupportedError } from "../../errors/esxvi-error.js";
import { checkAffectFlags, type AffectFlags } from "../../drivers/domain/affect.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import {
  getMemoryParameters,
  MAX_MEMORY_PATHS,
  MEMORY_ALLOCATION_PATHS,
  setDomainMaxMemory,
  setDomainMemory,
  setMemoryParameters,
} from "../../drivers/domain/memory.js";
import {
  allocationChange,
  getSchedulerInfo,
  SCHEDULER_FIELDS,
  SCHEDULER_PATHS,
  setSchedulerParameters,
  type SchedulerInfo,
  type SchedulerParameters,
} from "../../drivers/domain/scheduler.js";
import { checkVcpuCount, setDomainVcpus, SET_VCPUS_HOST_PATHS, SET_VCPUS_PATHS } from "../../drivers/domain/vcpus.js";
import type { CommandContext } from "../command-context.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine, UsageError, virshFailure } from "./failures.js";
import { parseIntOption, parseMemtuneSize, parseScaledKiB } from "./option-values.js";
import { withTaskProgress, type TaskRun } from "./task-progress.js";

interface FlagOptions extends AffectFlags {
  readonly json?: boolean;
}

function flagsOf(o: FlagOptions): AffectFlags {
  const flags: AffectFlags = {
    ...(o.live === true ? { live: true } : {}),
    ...(o.config === true ? { config: true } : {}),
    ...(o.current === true ? { current: true } : {}),
  };
  try {
    checkAffectFlags(flags);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return flags;
}

function affectOptions(cmd: Command, what: string): Command {
  return cmd
    .option("--current", `affect current domain (${what})`)
    .option("--config", "affect next boot")
    .option("--live", "affect running domain");
}

/** virsh's "%-15s: %s" lines. */
function paramLines(params: readonly (readonly [string, string | number])[]): string {
  return formatFields(
    params.map(([label, value]) => ({ label: `${label.padEnd(15)}:`, value })),
    0,
  );
}

/** Runs a reconfiguring driver call with progress on a terminal. */
function withProgress<T>(ctx: CommandContext, body: (run: TaskRun) => Promise<T>): Promise<T> {
  return withTaskProgress(ctx, "Reconfigure", body);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function schedulerOutput(ctx: CommandContext, info: SchedulerInfo, json: boolean): void {
  if (json) {
    ctx.json({ domain: info.identity.name, scheduler: info.type, ...info.params });
    return;
  }
  ctx.out(paramLines([["Scheduler", info.type], ...SCHEDULER_FIELDS.map((f) => [f.name, info.params[f.name]] as const)]));
}

/** virsh schedinfo's name=value updates, typed by the parameters' types (virTypedParamsAddFromString). */
function schedulerUpdates(settings: readonly string[]): Partial<SchedulerParameters> {
  const updates: { -readonly [K in keyof SchedulerParameters]?: number } = {};
  for (const s of settings) {
    const eq = s.indexOf("=");
    if (eq < 0) throw new UsageError("Invalid syntax for --set, expecting name=value");
    const name = s.slice(0, eq);
    const value = s.slice(eq + 1);
    const field = SCHEDULER_FIELDS.find((f) => f.name === name);
    if (field === undefined) throw new UsageError(`invalid scheduler option: ${name}`);
    const n = /^\s*[-+]?\d+$/.test(value) ? Number(value) : Number.NaN;
    const bound = field.type === "int" ? 2 ** 31 : 2 ** 63;
    if (!Number.isSafeInteger(n) || n < -bound || n >= bound) {
      throw new UsageError(`Invalid value for field '${name}': expecting ${field.type === "int" ? "an int" : "a long long"}`);
    }
    updates[field.name] = n;
  }
  return updates;
}

/** setmem and setmaxmem: a size in KiB for a memory setter of the driver. */
const MEMORY_SETTERS = [
  {
    name: "setmem",
    description: "change memory allocation: the domain's memory limit (memoryAllocation.limit)",
    size: "new memory size",
    current: "the running domain if it is active, else its configuration; vSphere applies a limit at once and keeps it",
    set: setDomainMemory,
    paths: MEMORY_ALLOCATION_PATHS,
    /** virsh's name of the value in its error line. */
    field: "MemorySize",
  },
  {
    name: "setmaxmem",
    description:
      "change maximum memory limit (config.hardware.memoryMB, rounded up to 4 MiB; domain powered off, or running with memory hot add enabled)",
    size: "new maximum memory size",
    current: "its configuration when powered off, else the running domain through memory hot add (both at once)",
    set: setDomainMaxMemory,
    paths: MAX_MEMORY_PATHS,
    field: "MaxMemorySize",
  },
] as const;

export function registerTuningCommands(program: Command, run: ActionRunner): void {
  for (const c of MEMORY_SETTERS) {
    affectOptions(
      program
        .command(c.name)
        .description(c.description)
        .argument("<domain>", "domain name, id or uuid")
        .argument("<size>", `${c.size}, as scaled integer (default KiB)`),
      c.current,
    ).action(
      run(
        async (ctx, domain: string, size: string, o: FlagOptions) => {
          const kib = parseScaledKiB(size, "size");
          const flags = flagsOf(o);
          const conn = await ctx.connection();
          const d = await lookupDomain(conn, domain, c.paths, { signal: ctx.signal });
          await withProgress(ctx, (t) => c.set(conn, d, kib, { ...t, ...flags }));
        },
        virshFailure((d) => `Unable to change ${c.field} of domain '${d}'`),
      ),
    );
  }

  affectOptions(
    program
      .command("setvcpus")
      .description("change number of virtual CPUs (numCPUs: powered off, or live with CPU hot add/remove)")
      .argument("<domain>", "domain name, id or uuid")
      .argument("<count>", "number of virtual CPUs")
      .option("--maximum", "set maximum limit on next boot (on vSphere the one vCPU count: domain powered off)"),
    "the running domain if it is active, else its configuration",
  ).action(
    run(
      async (ctx, domain: string, countText: string, o: FlagOptions & { maximum?: boolean }) => {
        const count = parseIntOption(countText, "count");
        const flags = flagsOf(o);
        const conn = await ctx.connection();
        checkVcpuCount(count);
        const d = await lookupDomain(conn, domain, SET_VCPUS_PATHS, { signal: ctx.signal, hostPaths: SET_VCPUS_HOST_PATHS });
        await withProgress(ctx, (t) =>
          setDomainVcpus(conn, d, count, { ...t, ...flags, ...(o.maximum === true ? { maximum: true } : {}) }),
        );
      },
      virshFailure((d) => `Unable to change the number of virtual CPUs of domain '${d}'`),
    ),
  );

  affectOptions(
    program
      .command("memtune")
      .description("get or set memory parameters: min_guarantee is the memory reservation (memoryAllocation.reservation)")
      .argument("<domain>", "domain name, id or uuid")
      .option("--hard-limit <size>", "max memory, as scaled integer (default KiB): not supported by ESX")
      .option("--soft-limit <size>", "memory during contention, as scaled integer (default KiB): not supported by ESX")
      .option("--swap-hard-limit <size>", "max memory plus swap, as scaled integer (default KiB): not supported by ESX")
      .option("--min-guarantee <size>", "min guaranteed memory, as scaled integer (default KiB)")
      .option("--json", "print JSON"),
    "vSphere applies a reservation at once and keeps it",
  ).action(
    run(
      async (
        ctx,
        domain: string,
        o: FlagOptions & { hardLimit?: string; softLimit?: string; swapHardLimit?: string; minGuarantee?: string },
      ) => {
        const unsupported = (
          [
            ["hard-limit", "hard_limit", o.hardLimit],
            ["soft-limit", "soft_limit", o.softLimit],
            ["swap-hard-limit", "swap_hard_limit", o.swapHardLimit],
          ] as const
        ).filter(([, , v]) => v !== undefined);
        for (const [option, , value] of unsupported) parseMemtuneSize(value ?? "", option);
        const min = o.minGuarantee === undefined ? undefined : parseMemtuneSize(o.minGuarantee, "min-guarantee");
        const first = unsupported[0];
        if (first !== undefined) throw new UnsupportedError(`parameter '${first[1]}' not supported`, { code: "ARGUMENT_UNSUPPORTED" });
        if (min === "unlimited") throw new InvalidInputError("min_guarantee cannot be unlimited: the reservation is a size");
        const flags = flagsOf(o);
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, MEMORY_ALLOCATION_PATHS, { signal: ctx.signal });
        const params =
          min === undefined
            ? await getMemoryParameters(conn, d, { signal: ctx.signal, ...flags })
            : await withProgress(ctx, (t) => setMemoryParameters(conn, d, { minGuaranteeKiB: min }, { ...t, ...flags }));
        if (min !== undefined && o.json !== true) return;
        if (o.json === true) return ctx.json({ domain: params.identity.name, min_guarantee: params.minGuaranteeKiB });
        ctx.out(paramLines([["min_guarantee", params.minGuaranteeKiB]]));
      },
      (error: unknown, domain: string, o: { hardLimit?: string; softLimit?: string; swapHardLimit?: string; minGuarantee?: string }) =>
        failureLine(
          error,
          domain,
          [o.hardLimit, o.softLimit, o.swapHardLimit, o.minGuarantee].every((v) => v === undefined)
            ? `Unable to get memory parameters of domain '${domain}'`
            : `Unable to change memory parameters of domain '${domain}'`,
        ),
    ),
  );

  affectOptions(
    program
      .command("schedinfo")
      .description(
        "show/set scheduler parameters: the CPU allocation (reservation and limit in MHz, shares: custom, or -1 low, -2 normal, -3 high)",
      )
      .argument("<domain>", "domain name, id or uuid")
      .argument("[set...]", "parameter=value")
      .option("--set <parameter=value>", "parameter=value (repeatable)", collect)
      .option("--json", "print JSON"),
    "get/set current scheduler info",
  ).action(
    run(
      async (ctx, domain: string, positional: string[], o: FlagOptions & { set?: string[] }) => {
        const settings = [...(o.set ?? []), ...positional];
        const updates = schedulerUpdates(settings);
        if (settings.length === 0 && o.live === true && o.config === true)
          throw new UsageError("cannot query both live and config at once");
        const flags = flagsOf(o);
        const conn = await ctx.connection();
        // libvirt checks the values before it looks the domain up.
        if (settings.length > 0) allocationChange(updates);
        const d = await lookupDomain(conn, domain, SCHEDULER_PATHS, { signal: ctx.signal });
        const info =
          settings.length === 0
            ? await getSchedulerInfo(conn, d, { signal: ctx.signal, ...flags })
            : await withProgress(ctx, (t) => setSchedulerParameters(conn, d, updates, { ...t, ...flags }));
        schedulerOutput(ctx, info, o.json === true);
      },
      (error: unknown, domain: string, positional: string[], o: { set?: string[] }) =>
        failureLine(
          error,
          domain,
          positional.length + (o.set?.length ?? 0) === 0
            ? `Unable to get scheduler parameters of domain '${domain}'`
            : `Unable to change scheduler parameters of domain '${domain}'`,
        ),
    ),
  );
}
