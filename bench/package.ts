/**
 * The package as a program meets it, each figure from fresh processes in a consumer folder
 * whose node_modules/esxvi links to this repository (so the package's exports resolve to
 * dist/, as they do in an installed tarball):
 * - cold start: `node -e 0`, `import("esxvi")`, `import("esxvi/vi")`, and both plus one call
 *   (Session.connect + CurrentTime against the simulator), runs alternated, medians and their
 *   ratio to `node -e 0`;
 * - what a program calling PowerOnVM_Task and waitForTask loads (modules and bytes, counted
 *   by a loader hook), its minified bundle (esbuild, undici external, code splitting: the code
 *   loaded at start against the target, and what the call loads on demand), and the tsc time
 *   of that program in a strict NodeNext project beside that of a program importing nothing
 *   (the machine's and the standard library's share);
 * - the tarball's packed and unpacked size (`npm pack --dry-run`).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { waitForTask } from "../runtime/task-waiter.js";
import { lookupByType } from "../runtime/property-collector.js";
import type { Session } from "../runtime/session.js";
import { PowerOffVM_Task } from "../generated/vm.js";
import { connect, HA_HOST, originOf } from "../test/runtime/helpers.js";
import { ROOT } from "../test/support/paths.js";
import { requireSimulator, startSimulator, type Simulator } from "../test/support/vcsim.js";
import type { Figure } from "./report.js";

const ROUNDS = 11;
const TSC_RUNS = 3;

/** A program that calls one method and waits for its task: valid as TypeScript and as JavaScript. */
const POWER_ON = `import { Session, moRef, waitForTask } from "esxvi";
import { PowerOnVM_Task } from "esxvi/vi";

const session = await Session.connect({
  origin: process.env["ESXVI_ORIGIN"] ?? "",
  username: process.env["ESXVI_USER"] ?? "",
  password: process.env["ESXVI_PASSWORD"] ?? "",
  tls: { verify: false },
});
try {
  const task = await PowerOnVM_Task(session.client, moRef("VirtualMachine", process.env["ESXVI_VM"] ?? ""), {});
  await waitForTask(session, task);
} finally {
  await session.close();
}
`;

/** A strict NodeNext project of one file; `tsc --init` writes skipLibCheck: true, the package test false. */
function tsconfig(skipLibCheck: boolean, file: string): string {
  return JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck,
      types: ["node"],
      noEmit: true,
    },
    files: [file],
  });
}

const PROGRAMS: Readonly<Record<string, string>> = {
  "import-esxvi.mjs": `await import("esxvi");\n`,
  "import-vi.mjs": `await import("esxvi/vi");\n`,
  "current-time.mjs": `import { Session, moRef } from "esxvi";
import { CurrentTime } from "esxvi/vi";

const session = await Session.connect({
  origin: process.env["ESXVI_ORIGIN"] ?? "",
  username: process.env["ESXVI_USER"] ?? "",
  password: process.env["ESXVI_PASSWORD"] ?? "",
  tls: { verify: false },
});
await CurrentTime(session.client, moRef("ServiceInstance", "ServiceInstance"));
await session.close();
`,
  "power-on.mjs": POWER_ON,
  "src/power-on.ts": POWER_ON,
  // Records every module the process loads, with the size of its source.
  "count-hook.mjs": `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  const r = await next(url, context);
  const size = r.source == null ? 0 : typeof r.source === "string" ? Buffer.byteLength(r.source) : r.source.byteLength;
  if (url.startsWith("file:")) appendFileSync(process.env["ESXVI_LOAD_LOG"], url + "\\t" + size + "\\n");
  return r;
}
`,
  "count.mjs": `import { register } from "node:module";\nregister("./count-hook.mjs", import.meta.url);\n`,
  "src/empty.ts": `console.log(process.env["ESXVI_VM"] ?? "");\n`,
  "tsconfig.json": tsconfig(true, "src/power-on.ts"),
  "tsconfig.empty.json": tsconfig(true, "src/empty.ts"),
  "tsconfig.libcheck.json": tsconfig(false, "src/power-on.ts"),
};

function consumerFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-package-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "node_modules", "@types"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules", "esxvi"), "dir");
  symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(dir, "node_modules", "@types", "node"), "dir");
  // The bundle leaves undici out: it is installed beside it.
  symlinkSync(join(ROOT, "node_modules", "undici"), join(dir, "node_modules", "undici"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  for (const [name, text] of Object.entries(PROGRAMS)) writeFileSync(join(dir, name), text);
  return dir;
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`${what} failed (exit ${String(r.status)}): ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}

function timed(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  must(spawnSync(process.execPath, args, { cwd, env, encoding: "utf8" }), `node ${args.join(" ")}`);
  return performance.now() - t0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function simulatorEnv(sim: Simulator): NodeJS.ProcessEnv {
  return { ...process.env, ESXVI_ORIGIN: originOf(sim), ESXVI_USER: sim.user, ESXVI_PASSWORD: sim.password };
}

/** Cold starts, the variants alternated round by round so that drift of the machine hits them all alike. */
function coldStarts(dir: string, sim: Simulator): Figure[] {
  const env = simulatorEnv(sim);
  const variants: readonly { name: string; args: readonly string[] }[] = [
    { name: "node -e 0", args: ["-e", "0"] },
    { name: 'cold import("esxvi")', args: ["import-esxvi.mjs"] },
    { name: 'cold import("esxvi/vi")', args: ["import-vi.mjs"] },
    { name: "cold both + connect + CurrentTime (simulator)", args: ["current-time.mjs"] },
  ];
  const times = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    variants.forEach((v, i) => times[i]?.push(timed(v.args, dir, env)));
  }
  const base = median(times[0] ?? []);
  return variants.flatMap((v, i) => {
    const ms = median(times[i] ?? []);
    const figures: Figure[] = [{ name: `${v.name} (median of ${ROUNDS})`, value: Math.round(ms), unit: "ms" }];
    if (i > 0) figures.push({ name: "  its ratio to node -e 0", value: ms / base, unit: "x" });
    return figures;
  });
}

interface Loaded {
  readonly modules: number;
  readonly bytes: number;
  readonly generated: number;
  readonly generatedBytes: number;
}

/** Runs `script` with the counting hook; what it loaded from this repository (dependencies apart). */
function loadedBy(dir: string, script: string, env: NodeJS.ProcessEnv, under: string): Loaded {
  const log = join(dir, "load.log");
  rmSync(log, { force: true });
  must(
    spawnSync(process.execPath, ["--import", "./count.mjs", script], { cwd: dir, env: { ...env, ESXVI_LOAD_LOG: log }, encoding: "utf8" }),
    script,
  );
  const prefix = pathToFileURL(under).href + "/";
  const rows = readFileSync(log, "utf8")
    .split("\n")
    .filter((l) => l.startsWith(prefix) && !l.includes("/node_modules/"))
    .map((l) => {
      const [url = "", size = "0"] = l.split("\t");
      return { url, size: Number(size) };
    });
  const generated = rows.filter((r) => r.url.includes("/dist/generated/"));
  const sum = (rs: readonly { size: number }[]): number => rs.reduce((a, r) => a + r.size, 0);
  return { modules: rows.length, bytes: sum(rows), generated: generated.length, generatedBytes: sum(generated) };
}

async function vmToPowerOn(session: Session): Promise<string> {
  const [vm] = await lookupByType(session, HA_HOST, "VirtualMachine", ["runtime.powerState"]);
  if (vm === undefined) throw new Error("the simulator has no VM");
  if (vm.props["runtime.powerState"] !== "poweredOff") await waitForTask(session, await PowerOffVM_Task(session.client, vm.obj));
  return vm.obj.value;
}

/** Runs a program that powers the simulator's VM on (powered off first), counting what it loads from `under`. */
async function powerOnRun(dir: string, sim: Simulator, session: Session, script: string, under: string): Promise<Loaded> {
  const env = { ...simulatorEnv(sim), ESXVI_VM: await vmToPowerOn(session) };
  return loadedBy(dir, script, env, under);
}

interface BundleOutputs {
  readonly outputs: Readonly<Record<string, { readonly bytes: number; readonly imports: readonly { path: string; kind: string }[] }>>;
}

/** The minified bundle of power-on.mjs: what loads at start (entry and its static imports) and the whole. */
async function bundle(dir: string): Promise<{ eager: number; total: number; chunks: number; outdir: string }> {
  const esbuild = await import("esbuild");
  const outdir = join(dir, "bundle");
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ["power-on.mjs"],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["undici"],
    splitting: true,
    outdir,
    metafile: true,
    logLevel: "silent",
    // Bundled CommonJS dependencies require Node's built-in modules.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  });
  const meta: BundleOutputs = result.metafile;
  const entry = Object.keys(meta.outputs).find((k) => k.endsWith("power-on.js"));
  if (entry === undefined) throw new Error("esbuild wrote no entry chunk");
  const eager = new Set<string>();
  const visit = (path: string): void => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const i of meta.outputs[path]?.imports ?? []) if (i.kind === "import-statement" && i.path in meta.outputs) visit(i.path);
  };
  visit(entry);
  const sizeOf = (paths: Iterable<string>): number => [...paths].reduce((a, p) => a + (meta.outputs[p]?.bytes ?? 0), 0);
  const js = Object.keys(meta.outputs).filter((p) => p.endsWith(".js"));
  return { eager: sizeOf(eager), total: sizeOf(js), chunks: js.length, outdir };
}

function tscRun(dir: string, project: string): number {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [tsc, "-p", project], { cwd: dir, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tsc -p ${project} failed:\n${r.stdout}${r.stderr}`);
  return ms;
}

/** tsc of the program and of a program that imports nothing, alternated; then once with the libraries' declarations checked. */
function tscFigures(dir: string): Figure[] {
  const program: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < TSC_RUNS; i++) {
    empty.push(tscRun(dir, "tsconfig.empty.json"));
    program.push(tscRun(dir, "tsconfig.json"));
  }
  const withLibCheck = tscRun(dir, "tsconfig.libcheck.json");
  return [
    { name: `tsc, PowerOnVM_Task program (median of ${TSC_RUNS})`, value: Math.round(median(program)), unit: "ms", target: "<= 3000" },
    { name: "tsc, a program importing nothing, same project", value: Math.round(median(empty)), unit: "ms" },
    { name: "tsc, PowerOnVM_Task program, skipLibCheck: false", value: Math.round(withLibCheck), unit: "ms" },
  ];
}

function tarball(): { size: number; unpackedSize: number; entryCount: number } {
  const out = must(
    spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 }),
    "npm pack --dry-run",
  );
  const [first] = JSON.parse(out) as { size: number; unpackedSize: number; entryCount: number }[];
  if (first === undefined) throw new Error("npm pack --dry-run described no tarball");
  return first;
}

const kb = (bytes: number): number => Math.round(bytes / 1024);

export async function benchPackage(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const pack = tarball();
  figures.push(
    { name: "tarball: packed size", value: kb(pack.size), unit: "KB" },
    { name: "tarball: unpacked size", value: kb(pack.unpackedSize), unit: "KB" },
    { name: "tarball: files", value: pack.entryCount, unit: "files" },
  );
  const dir = consumerFolder();
  try {
    figures.push(...tscFigures(dir));
    const built = await bundle(dir);
    figures.push(
      { name: "bundle (minified, undici external): loaded at start", value: kb(built.eager), unit: "KB", target: "<= 60" },
      { name: `bundle: all ${built.chunks} chunks, lazy metadata included`, value: kb(built.total), unit: "KB" },
    );
    if (!requireSimulator("bench package")) return figures;
    const sim = await startSimulator({ model: "esx", vms: 1, powerOn: false });
    const session = await connect(sim);
    try {
      const loaded = await powerOnRun(dir, sim, session, "power-on.mjs", ROOT);
      figures.push(
        { name: "PowerOnVM_Task + waitForTask: esxvi modules loaded", value: loaded.modules, unit: "modules" },
        { name: "PowerOnVM_Task + waitForTask: esxvi code loaded", value: kb(loaded.bytes), unit: "KB" },
        { name: "PowerOnVM_Task + waitForTask: generated modules loaded", value: loaded.generated, unit: "modules" },
        { name: "PowerOnVM_Task + waitForTask: generated code loaded", value: kb(loaded.generatedBytes), unit: "KB" },
      );
      const fromBundle = await powerOnRun(dir, sim, session, join("bundle", "power-on.js"), built.outdir);
      figures.push({ name: "bundle: chunks the PowerOnVM_Task run loads", value: kb(fromBundle.bytes), unit: "KB" });
      figures.push(...coldStarts(dir, sim));
    } finally {
      await session.close();
      await sim.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}
