/**
 * Domain lifecycle commands with virsh's messages: start, shutdown, reboot, reset, destroy,
 * suspend, resume. Tasks show their progress on a terminal; -q drops the success line (as
 * virsh's vshPrintExtra).
 */
import type { Command } from "commander";
import { domainLifecycle, type LifecycleAction } from "../../drivers/domain/lifecycle.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import type { ActionRunner } from "../action-runner.js";
import { UsageError, virshFailure } from "./failures.js";
import { withTaskProgress } from "./task-progress.js";

interface LifecycleCommand {
  readonly action: LifecycleAction;
  readonly description: string;
  /** virsh's success line; start names the domain, the others repeat the argument. */
  readonly done: (name: string) => string;
  readonly failed: (name: string) => string;
  /** The progress label of a task (shutdown and reboot are not tasks). */
  readonly progress?: string;
}

const COMMANDS: readonly LifecycleCommand[] = [
  {
    action: "start",
    description: "start a (previously defined) inactive domain",
    done: (n) => `Domain '${n}' started`,
    failed: (n) => `Failed to start domain '${n}'`,
    progress: "Start",
  },
  {
    action: "shutdown",
    description: "gracefully shutdown a domain (VMware Tools)",
    done: (n) => `Domain '${n}' is being shutdown`,
    failed: (n) => `Failed to shutdown domain '${n}'`,
  },
  {
    action: "reboot",
    description: "reboot a domain (VMware Tools)",
    done: (n) => `Domain '${n}' is being rebooted`,
    failed: (n) => `Failed to reboot domain '${n}'`,
  },
  {
    action: "reset",
    description: "reset a domain as if by power button",
    done: (n) => `Domain '${n}' was reset`,
    failed: (n) => `Failed to reset domain '${n}'`,
    progress: "Reset",
  },
  {
    action: "destroy",
    description: "destroy (stop) a domain: power it off",
    done: (n) => `Domain '${n}' destroyed`,
    failed: (n) => `Failed to destroy domain '${n}'`,
    progress: "Destroy",
  },
  {
    action: "suspend",
    description: "suspend a domain",
    done: (n) => `Domain '${n}' suspended`,
    failed: (n) => `Failed to suspend domain '${n}'`,
    progress: "Suspend",
  },
  {
    action: "resume",
    description: "resume a domain",
    done: (n) => `Domain '${n}' resumed`,
    failed: (n) => `Failed to resume domain '${n}'`,
    progress: "Resume",
  },
];

/** virsh's --mode values for shutdown and reboot (virDomainShutdownFlagValues). */
const MODES: Readonly<Record<string, number>> = { acpi: 1, agent: 2, initctl: 4, signal: 8, paravirt: 16 };

/** virsh's --mode list ("acpi,agent"): the flag bits, or virsh's error for an unknown mode. */
export function modeFlags(mode: string): number {
  let flags = 0;
  for (const m of mode.split(",")) {
    const bit = MODES[m];
    if (bit === undefined) throw new UsageError(`Unknown mode ${mode} value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'`);
    flags |= bit;
  }
  return flags;
}

interface LifecycleFlags {
  readonly paused?: boolean;
  readonly graceful?: boolean;
  readonly mode?: string;
}

function flagsOf(o: LifecycleFlags): number {
  return (o.paused === true ? 1 : 0) | (o.graceful === true ? 1 : 0) | (o.mode === undefined ? 0 : modeFlags(o.mode));
}

/** The options virsh has for each command (refused by ESX except --mode agent). */
function addFlagOptions(cmd: Command, action: LifecycleAction): Command {
  if (action === "start") cmd.option("--paused", "leave the guest paused after creation: not supported by ESX");
  if (action === "destroy") cmd.option("--graceful", "terminate gracefully: not supported by ESX (use shutdown)");
  if (action === "shutdown" || action === "reboot")
    cmd.option("--mode <mode>", `${action} mode: agent (VMware Tools, what ESX does); acpi, initctl, signal, paravirt are not supported`);
  return cmd;
}

export function registerLifecycleCommands(program: Command, run: ActionRunner): void {
  for (const c of COMMANDS) {
    addFlagOptions(
      program
        .command(c.action)
        .description(c.description)
        .argument("<domain>", c.action === "start" ? "name or uuid of the inactive domain" : "domain name, id or uuid"),
      c.action,
    ).action(
      run(async (ctx, domain: string, opts: LifecycleFlags) => {
        const flags = flagsOf(opts);
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, [], { signal: ctx.signal });
        const identity =
          c.progress === undefined
            ? await domainLifecycle(conn, c.action, d, { signal: ctx.signal, flags })
            : await withTaskProgress(ctx, c.progress, (t) => domainLifecycle(conn, c.action, d, { ...t, flags }));
        if (ctx.options.quiet !== true) ctx.out(`${c.done(c.action === "start" ? identity.name : domain)}\n`);
      }, virshFailure(c.failed)),
    );
  }
}
