/**
 * `esxvi list --all` on the simulator (ESX model) with 1,000 and 5,000 VMs: wall time of the whole command in process (connect, one paged retrieval,
 * Logout; median of three runs after a warm-up), the SOAP calls after Login (target <= 3,
 * counted by the simulator), the simulator's own time serving them (control.stats()
 * serverNanos) and its share of the wall time; libvirt's ESX driver as the reference: about
 * three calls per VM (15,014 calls and ~30 s for 5,000 VMs on the simulator).
 */
import { Writable } from "node:stream";
import { runCli } from "../cli/program.js";
import { simulatorUri } from "../test/support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../test/support/vcsim.js";
import type { Figure } from "./report.js";

class Sink extends Writable {
  lines = 0;
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    const s = chunk.toString();
    for (const ch of s) if (ch === "\n") this.lines++;
    if (this.text.length < 4096) this.text += s;
    done();
  }
}

interface Run {
  readonly wallMs: number;
  readonly callsAfterLogin: number;
  readonly serverMs: number;
  readonly lines: number;
}

async function listAll(sim: Simulator): Promise<Run> {
  await sim.control.resetStats();
  const stdout = new Sink();
  const stderr = new Sink();
  const t0 = performance.now();
  const status = await runCli(["-c", simulatorUri(sim), "list", "--all"], {
    stdout,
    stderr,
    env: { ESXVI_PASSWORD: sim.password },
    separator: false,
  });
  const wallMs = performance.now() - t0;
  if (status !== 0) throw new Error(`list --all failed: ${stderr.text}`);
  const stats = await sim.control.stats();
  const login = (stats.byMethod["RetrieveServiceContent"]?.calls ?? 0) + (stats.byMethod["Login"]?.calls ?? 0);
  return { wallMs, callsAfterLogin: stats.soapCalls - login, serverMs: stats.serverNanos / 1e6, lines: stdout.lines };
}

function median(runs: readonly Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const m = sorted[Math.floor(sorted.length / 2)];
  if (m === undefined) throw new Error("no runs");
  return m;
}

async function benchSize(vms: number): Promise<Figure[]> {
  const sim = await startSimulator({ model: "esx", vms, startTimeoutMs: 600_000 });
  try {
    await listAll(sim);
    const runs: Run[] = [];
    for (let i = 0; i < 3; i++) runs.push(await listAll(sim));
    const r = median(runs);
    if (r.lines !== vms + 2) throw new Error(`list --all printed ${r.lines} lines for ${vms} VMs`);
    const label = `list --all, ${vms.toLocaleString("en-US")} VMs`;
    return [
      { name: `${label}: wall time (median of 3)`, value: Math.round(r.wallMs), unit: "ms" },
      { name: `${label}: SOAP calls after Login`, value: r.callsAfterLogin, unit: "calls", target: "<= 3" },
      { name: `${label}: simulator's own time`, value: Math.round(r.serverMs), unit: "ms" },
      { name: `${label}: simulator's share of the wall time`, value: Math.round((r.serverMs / r.wallMs) * 100), unit: "%" },
      { name: `${label}: libvirt reference, ~3 calls/VM`, value: 3 * vms + 14, unit: "calls" },
    ];
  } finally {
    await sim.stop();
  }
}

export async function benchList(): Promise<Figure[]> {
  if (!requireSimulator("bench list")) return [];
  return [...(await benchSize(1000)), ...(await benchSize(5000))];
}
