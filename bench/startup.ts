/**
 * Every command's fixed cost, whole process (start to exit), each against a yardstick
 * measured in the same run: commands and yardsticks run alternately (A B A B …, one round
 * after a warm-up), and each figure is the median over the rounds; a ratio is the median of
 * the rounds' own ratios, so that a burst of load on this shared machine hits both sides.
 *
 *   esxvi --version, esxvi --help,         against `node -e 0`
 *   esxvi help dominfo, esxvi dominfo --help
 *   esxvi hostname, esxvi dominfo <vm>     against `node -e 0` plus the simulator's own time
 *                                          for the same calls (2 VMs; both logged)
 *   esxvi list --all, 1,000 and 5,000 VMs  against bench/govmomi-list (Go, Debian's govmomi):
 *                                          the same Login and retrievals, the same table; and
 *                                          the floor under that ratio: node -e 0 (same rounds)
 *                                          plus the simulator's own time for esxvi's calls, and
 *                                          bench/node-http-list.mjs (the same requests with
 *                                          node:http, answers dropped)
 *
 * ESXVI_BENCH_BASELINE=<another build's dist/bin/esxvi.js> adds that build to every group,
 * run alternately with this one in the same rounds, and reports this build against it
 * (wall, CPU and peak RSS ratios: a before/after of a change in one run).
 *
 * Wall time, CPU time (user + sys: steadier than wall when other work shares the cores) and
 * peak RSS come from wait4's rusage of each child, through bench/child-usage (a small Go
 * program: a child forked by the bench's own Node process would be charged with that
 * process's peak RSS). The simulator speaks plain HTTP, to esxvi and govmomi alike.
 * ESXVI_BENCH_STARTUP_NO_LIST=1 leaves out the list groups (their simulators take minutes
 * to start), for comparing builds of the command's own start.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { simulatorUri } from "../test/support/cli.js";
import { ROOT } from "../test/support/paths.js";
import { requireSimulator, startSimulator, type Simulator } from "../test/support/vcsim.js";
import { goProgram } from "./go-programs.js";
import type { Figure } from "./report.js";

// What users run: the bundled command (scripts/bundle.mjs).
const ESXVI = join(ROOT, "dist", "bin", "esxvi.cjs");
/** A Node program that sends list --all's requests with node:http and drops the answers. */
const NODE_HTTP_LIST = join(ROOT, "bench", "node-http-list.mjs");
const MIB = 1024 * 1024;

/** Another esxvi build (its bundled command) timed against this one, when given. */
function baselineBin(): string | undefined {
  const given = process.env["ESXVI_BENCH_BASELINE"];
  if (given === undefined || given === "") return undefined;
  const path = resolve(given);
  if (!existsSync(path)) throw new Error(`ESXVI_BENCH_BASELINE: ${path} does not exist`);
  return path;
}
const BASELINE = baselineBin();

/** Rounds per group (after one warm-up round): enough for steady medians, the whole bench in a few minutes. */
const ROUNDS = { local: 11, host: 7, list1000: 7, list5000: 5 } as const;

interface Usage {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
  /** The simulator's own time serving the run's SOAP calls (runs against a simulator). */
  readonly serverMs: number;
  readonly soapCalls: number;
  readonly stdout: string;
}

/** One process to measure: its argv and how to tell that it did its job. */
interface Contender {
  readonly label: string;
  readonly argv: readonly string[];
  readonly check: (stdout: string) => boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Runs argv under child-usage; resolves with its rusage figures and stdout. */
function measure(childUsage: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Omit<Usage, "serverMs" | "soapCalls">> {
  return new Promise((resolve, reject) => {
    const child = spawn(childUsage, argv, { env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    const collect = (fd: 1 | 2 | 3): Buffer[] => {
      const chunks: Buffer[] = [];
      const stream = child.stdio[fd];
      if (stream === null || stream === undefined || !("on" in stream)) throw new Error(`no pipe on fd ${fd}`);
      stream.on("data", (c: Buffer) => chunks.push(c));
      return chunks;
    };
    const out = collect(1);
    const err = collect(2);
    const report = collect(3);
    child.on("error", reject);
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8");
      let r: unknown;
      try {
        r = JSON.parse(Buffer.concat(report).toString("utf8"));
      } catch {
        reject(new Error(`${argv.join(" ")}: no usage report (exit ${code}): ${stderr}`));
        return;
      }
      if (!isRecord(r) || r["exit"] !== 0) {
        reject(new Error(`${argv.join(" ")} failed: ${stderr}`));
        return;
      }
      resolve({
        wallMs: Number(r["wallNanos"]) / 1e6,
        cpuMs: (Number(r["userNanos"]) + Number(r["sysNanos"])) / 1e6,
        rssMiB: (Number(r["maxRssKiB"]) * 1024) / MIB,
        stdout: Buffer.concat(out).toString("utf8"),
      });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new Error("no values");
  return n % 2 === 1 ? (sorted[(n - 1) / 2] ?? 0) : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Runs the contenders alternately for one warm-up round and `rounds` measured ones. */
async function alternate(
  childUsage: string,
  contenders: readonly Contender[],
  rounds: number,
  env: NodeJS.ProcessEnv,
  sim?: Simulator,
): Promise<Usage[][]> {
  const runs: Usage[][] = contenders.map(() => []);
  for (let round = 0; round <= rounds; round++) {
    for (const [i, c] of contenders.entries()) {
      if (sim !== undefined) await sim.control.resetStats();
      const u = await measure(childUsage, c.argv, env);
      if (!c.check(u.stdout)) throw new Error(`${c.label}: unexpected output:\n${u.stdout.slice(0, 2000)}`);
      const stats = sim === undefined ? undefined : await sim.control.stats();
      if (round > 0) runs[i]?.push({ ...u, serverMs: (stats?.serverNanos ?? 0) / 1e6, soapCalls: stats?.soapCalls ?? 0 });
    }
  }
  return runs;
}

function usageFigures(label: string, runs: readonly Usage[], options: { rssTarget?: string; server?: boolean } = {}): Figure[] {
  const n = runs.length;
  const figures: Figure[] = [
    { name: `${label}: wall (median of ${n})`, value: round1(median(runs.map((r) => r.wallMs))), unit: "ms" },
    { name: `${label}: CPU user+sys`, value: round1(median(runs.map((r) => r.cpuMs))), unit: "ms" },
    {
      name: `${label}: peak RSS`,
      value: round1(median(runs.map((r) => r.rssMiB))),
      unit: "MiB",
      ...(options.rssTarget !== undefined ? { target: options.rssTarget } : {}),
    },
  ];
  if (options.server === true) {
    figures.push(
      { name: `${label}: simulator's own time`, value: round1(median(runs.map((r) => r.serverMs))), unit: "ms" },
      { name: `${label}: SOAP calls`, value: median(runs.map((r) => r.soapCalls)), unit: "calls" },
    );
  }
  return figures;
}

/** Median of the rounds' ratios a[i] / b[i]. */
function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return round2(median(a.map((v, i) => v / (b[i] ?? Number.NaN))));
}

function ratioFigures(label: string, yardstick: { wall: string; cpu: string }, wall: number, cpu: number, target?: string): Figure[] {
  const t = target !== undefined ? { target } : {};
  return [
    { name: `${label}: wall / ${yardstick.wall}`, value: wall, unit: "x", ...t },
    { name: `${label}: CPU / ${yardstick.cpu}`, value: cpu, unit: "x", ...t },
  ];
}

const NODE_YARDSTICK = { wall: "node -e 0", cpu: "node -e 0" };
const GOVMOMI_YARDSTICK = { wall: "govmomi", cpu: "govmomi" };
// The simulator runs in another process: its time adds to the wall yardstick, not to the CPU one.
const HOST_YARDSTICK = { wall: "(node -e 0 + simulator)", cpu: "node -e 0" };

const wallOf = (runs: readonly Usage[]): number[] => runs.map((r) => r.wallMs);
/** Round by round, node -e 0's wall time plus the simulator's own time serving `runs`. */
const plusServer = (node: readonly Usage[], runs: readonly Usage[]): number[] =>
  runs.map((r, i) => (node[i]?.wallMs ?? Number.NaN) + r.serverMs);
const cpuOf = (runs: readonly Usage[]): number[] => runs.map((r) => r.cpuMs);

function nodeArgv(...args: string[]): string[] {
  return [process.execPath, ...args];
}

function benchEnv(password?: string): NodeJS.ProcessEnv {
  return { PATH: process.env["PATH"], HOME: "/nonexistent", ...(password !== undefined ? { ESXVI_PASSWORD: password } : {}) };
}

/**
 * With a baseline, the same esxvi commands of the baseline build (same arguments, same check),
 * to run after this build's in every round; none without one.
 */
function baselineOf(contenders: readonly Contender[]): Contender[] {
  const base = BASELINE;
  if (base === undefined) return [];
  return contenders
    .filter((c) => c.argv.includes(ESXVI))
    .map((c) => ({ ...c, label: `baseline ${c.label}`, argv: c.argv.map((a) => (a === ESXVI ? base : a)) }));
}

/** This build against the baseline build, round by round (nothing without a baseline). */
function baselineFigures(label: string, runs: readonly Usage[], base: readonly Usage[] | undefined): Figure[] {
  if (BASELINE === undefined || base === undefined) return [];
  const rss = (u: readonly Usage[]): number[] => u.map((r) => r.rssMiB);
  return [
    ...usageFigures(`baseline ${label}`, base),
    { name: `${label}: wall / baseline`, value: pairedRatio(wallOf(runs), wallOf(base)), unit: "x" },
    { name: `${label}: CPU / baseline`, value: pairedRatio(cpuOf(runs), cpuOf(base)), unit: "x" },
    { name: `${label}: peak RSS / baseline`, value: pairedRatio(rss(runs), rss(base)), unit: "x" },
  ];
}

const NODE_E0: Contender = { label: "node -e 0", argv: nodeArgv("-e", "0"), check: () => true };

/** --version and the help answers: no connection, against node -e 0. */
async function benchLocal(childUsage: string, version: string): Promise<Figure[]> {
  const answers: (Contender & { readonly target: string })[] = [
    { label: "esxvi --version", argv: nodeArgv(ESXVI, "--version"), check: (s) => s.trim() === version, target: "<= 1.3" },
    {
      label: "esxvi --help",
      argv: nodeArgv(ESXVI, "--help"),
      check: (s) => s.includes("--version") && /^\s+list\s/m.test(s),
      target: "<= 1.5",
    },
    { label: "esxvi help dominfo", argv: nodeArgv(ESXVI, "help", "dominfo"), check: (s) => s.includes("dominfo - "), target: "<= 1.5" },
    {
      label: "esxvi dominfo --help",
      argv: nodeArgv(ESXVI, "dominfo", "--help"),
      check: (s) => s.includes("dominfo") && s.includes("--json"),
      target: "<= 1.5",
    },
  ];
  // Every answer runs esxvi, so the baseline's runs (when given) follow in the same order.
  const [node = [], ...runs] = await alternate(childUsage, [NODE_E0, ...answers, ...baselineOf(answers)], ROUNDS.local, benchEnv());
  return [
    ...usageFigures("node -e 0", node),
    ...answers.flatMap((c, i) => {
      const own = runs[i] ?? [];
      return [
        ...usageFigures(c.label, own),
        ...ratioFigures(c.label, NODE_YARDSTICK, pairedRatio(wallOf(own), wallOf(node)), pairedRatio(cpuOf(own), cpuOf(node)), c.target),
        ...baselineFigures(c.label, own, runs[answers.length + i]),
      ];
    }),
  ];
}

/** hostname and dominfo on a 2-VM host: against node -e 0 plus the simulator's time for the same calls. */
async function benchHost(childUsage: string): Promise<Figure[]> {
  const sim = await startSimulator({ model: "esx", vms: 2 });
  try {
    const uri = simulatorUri(sim);
    const env = benchEnv(sim.password);
    const names = await measure(childUsage, nodeArgv(ESXVI, "-c", uri, "list", "--all", "--name"), env);
    const vm = names.stdout.split("\n")[0]?.trim() ?? "";
    if (vm === "") throw new Error("the simulator has no VM");
    const contenders: Contender[] = [
      NODE_E0,
      { label: "esxvi hostname", argv: nodeArgv(ESXVI, "-c", uri, "hostname"), check: (s) => s.trim() !== "" },
      { label: `esxvi dominfo ${vm}`, argv: nodeArgv(ESXVI, "-c", uri, "dominfo", vm), check: (s) => s.includes(vm) },
    ];
    const [node = [], hostname = [], dominfo = [], baseHostname, baseDominfo] = await alternate(
      childUsage,
      [...contenders, ...baselineOf(contenders)],
      ROUNDS.host,
      env,
      sim,
    );
    const figures: Figure[] = [];
    for (const [label, runs, base] of [
      ["esxvi hostname", hostname, baseHostname],
      ["esxvi dominfo", dominfo, baseDominfo],
    ] as const) {
      figures.push(
        ...usageFigures(label, runs, { server: true }),
        ...ratioFigures(label, HOST_YARDSTICK, pairedRatio(wallOf(runs), plusServer(node, runs)), pairedRatio(cpuOf(runs), cpuOf(node))),
        ...baselineFigures(label, runs, base),
      );
    }
    return figures;
  } finally {
    await sim.stop();
  }
}

/** Non-empty lines of a table: header, dashes and one per VM. */
function tableRows(s: string): number {
  return s.split("\n").filter((l) => l.trim() !== "").length;
}

/** list --all on a host with `vms` VMs against the govmomi program. */
async function benchList(
  childUsage: string,
  govmomiList: string,
  vms: number,
  rounds: number,
  target: string,
  rssTarget?: string,
): Promise<Figure[]> {
  const sim = await startSimulator({ model: "esx", vms, startTimeoutMs: 600_000 });
  try {
    const env = benchEnv(sim.password);
    const contenders: Contender[] = [
      { label: "govmomi-list", argv: [govmomiList, `${sim.url}`, sim.user], check: (s) => tableRows(s) === vms + 2 },
      {
        label: "esxvi list --all",
        argv: nodeArgv(ESXVI, "-c", simulatorUri(sim), "list", "--all"),
        check: (s) => tableRows(s) === vms + 2,
      },
    ];
    // The floor under esxvi's ratio, in the same rounds: node -e 0 plus the simulator's time
    // for esxvi's calls, and a Node program that only sends esxvi's requests with node:http.
    const floors: Contender[] = [
      NODE_E0,
      {
        label: "node:http, the requests alone",
        argv: nodeArgv(NODE_HTTP_LIST, `${sim.url}`, sim.user),
        check: (s) => Number(s.trim()) > vms * 500,
      },
    ];
    const [go = [], esxvi = [], node = [], nodeHttp = [], base] = await alternate(
      childUsage,
      [...contenders, ...floors, ...baselineOf(contenders)],
      rounds,
      env,
      sim,
    );
    const size = `${vms.toLocaleString("en-US")} VMs`;
    const floor = plusServer(node, esxvi);
    return [
      ...usageFigures(`node -e 0, list group ${size}`, node),
      ...usageFigures(`node:http, the requests alone, ${size}`, nodeHttp, { server: true }),
      {
        name: `node:http, the requests alone, ${size}: wall / govmomi`,
        value: pairedRatio(wallOf(nodeHttp), wallOf(go)),
        unit: "x",
      },
      ...usageFigures(`govmomi list, ${size}`, go, { server: true }),
      ...usageFigures(`esxvi list --all, ${size}`, esxvi, { server: true, ...(rssTarget !== undefined ? { rssTarget } : {}) }),
      ...ratioFigures(
        `esxvi list --all, ${size}`,
        GOVMOMI_YARDSTICK,
        pairedRatio(wallOf(esxvi), wallOf(go)),
        pairedRatio(cpuOf(esxvi), cpuOf(go)),
        target,
      ),
      {
        name: `esxvi list --all, ${size}: floor (node -e 0 + simulator's own time) / govmomi`,
        value: pairedRatio(floor, wallOf(go)),
        unit: "x",
      },
      {
        name: `esxvi list --all, ${size}: wall above the floor`,
        value: round1(median(esxvi.map((r, i) => r.wallMs - (floor[i] ?? Number.NaN)))),
        unit: "ms",
      },
      ...baselineFigures(`esxvi list --all, ${size}`, esxvi, base),
    ];
  } finally {
    await sim.stop();
  }
}

async function packageVersion(): Promise<string> {
  const { VERSION } = await import("../cli/version.js");
  return VERSION;
}

export async function benchStartup(): Promise<Figure[]> {
  const childUsage = await goProgram("child-usage");
  const figures = await benchLocal(childUsage, await packageVersion());
  if (!requireSimulator("bench startup")) return figures;
  figures.push(...(await benchHost(childUsage)));
  if (process.env["ESXVI_BENCH_STARTUP_NO_LIST"] === "1") return figures;
  const govmomiList = await goProgram("govmomi-list");
  figures.push(...(await benchList(childUsage, govmomiList, 1000, ROUNDS.list1000, "<= 1.5", "<= 70")));
  figures.push(...(await benchList(childUsage, govmomiList, 5000, ROUNDS.list5000, "<= 1")));
  return figures;
}
