/**
 * What the domain lifecycle and tuning suites share: a Connection on the simulator, the
 * server state the commands may change (every VM's power state, question, sizes,
 * allocations and recent tasks, and the host's autostart configuration) for before/after
 * comparisons, the CLI with a terminal for stderr, and small task helpers.
 */
import { Writable } from "node:stream";
import { runCli } from "../../cli/program.js";
import { type Connection } from "../../drivers/connection/connection.js";
import { autostartConfig, autostartRetrieval } from "../../drivers/domain/autostart-state.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { ReconfigVM_Task, type HostAutoStartManagerConfig, type TaskInfo, type VirtualMachineConfigSpec } from "../../generated/index.js";
import { simulatorUri, type CliResult } from "../support/cli.js";
import type { Simulator } from "../support/vcsim.js";

export const STATE_PATHS = [
  "runtime.powerState",
  "runtime.question",
  "config.hardware.numCPU",
  "config.hardware.memoryMB",
  "config.memoryAllocation",
  "config.cpuAllocation",
  "config.cpuHotAddEnabled",
  "config.cpuHotRemoveEnabled",
  "recentTask",
] as const;

export interface VmState {
  readonly ref: MoRef<"VirtualMachine">;
  readonly props: Readonly<Record<string, unknown>>;
}

export interface ServerState {
  readonly vms: Readonly<Record<string, VmState>>;
  readonly autostart: HostAutoStartManagerConfig | undefined;
}

/** Everything the commands under test may change, in one retrieval. */
export async function serverState(conn: Connection): Promise<ServerState> {
  const auto = autostartRetrieval(conn);
  const r = await retrieveDomains(conn, STATE_PATHS, { also: auto === undefined ? [] : [auto] });
  const vms: Record<string, VmState> = {};
  for (const d of r.domains) vms[d.identity.name] = { ref: d.identity.ref, props: d.props };
  return { vms, autostart: autostartConfig(conn, r.extra) };
}

export function vmOf(state: ServerState, name: string): VmState {
  const v = state.vms[name];
  if (v === undefined) throw new Error(`no VM '${name}' on the simulator`);
  return v;
}

export function prop(state: ServerState, name: string, path: string): unknown {
  return vmOf(state, name).props[path];
}

export async function taskInfo(conn: Connection, task: MoRef<"Task">): Promise<TaskInfo> {
  const r = await retrieveOne(conn.primary, task, ["info"]);
  const info = r.props.info;
  if (info === undefined) throw new Error(`task ${task.value} has no info`);
  return info;
}

/** The VM's most recent task (recentTask is oldest first). */
export function lastTask(state: ServerState, name: string): MoRef<"Task"> | undefined {
  const tasks = prop(state, name, "recentTask");
  return Array.isArray(tasks) ? (tasks[tasks.length - 1] as MoRef<"Task"> | undefined) : undefined;
}

/** Test set-up: reconfigures a VM directly and waits. */
export async function reconfigure(
  conn: Connection,
  vm: MoRef<"VirtualMachine">,
  spec: Omit<VirtualMachineConfigSpec, "_typeName">,
): Promise<void> {
  const task = await ReconfigVM_Task(conn.primary.client, vm, { spec: { _typeName: "VirtualMachineConfigSpec", ...spec } });
  await waitForTask(conn.primary, task);
}

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in process with stderr a terminal (progress shows), stdout not. */
export async function esxviOnTerminal(
  sim: Simulator,
  args: readonly string[],
  query: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  const stdout = new Capture(false);
  const stderr = new Capture(true);
  const status = await runCli(["-c", simulatorUri(sim, query), ...args], {
    stdout,
    stderr,
    env: { ESXVI_PASSWORD: sim.password, HOME: "/nonexistent" },
    separator: false,
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** The percentages of a progress line ("\rLabel [####      ]  50 %" updates). */
export function progressPercents(stderr: string, label: string): number[] {
  const out: number[] = [];
  const re = new RegExp(`\\r${label} \\[[# ]{20}\\] +(\\d+) %`, "g");
  for (const m of stderr.matchAll(re)) out.push(Number(m[1]));
  return out;
}
