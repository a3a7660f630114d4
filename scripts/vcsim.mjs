#!/usr/bin/env node
// The vcsim test bed: install its Debian packages when missing, build the Go launcher
// (test/vcsim/launcher) once into .cache/vcsim/, start and stop it.
//   node scripts/vcsim.mjs ensure               -> prints the launcher binary path
//   node scripts/vcsim.mjs start [flags...]     -> starts it detached, prints its JSON line
//   node scripts/vcsim.mjs stop PID             -> SIGTERM, waits for the exit
// The launcher is built in GOPATH mode over Debian's govmomi 0.24.2 sources:
//   GO111MODULE=off GOPATH=.cache/vcsim/gopath:/usr/share/gocode go build
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const LAUNCHER_SOURCE = join(ROOT, "test", "vcsim", "launcher");
export const CACHE_DIR = join(ROOT, ".cache", "vcsim");
export const LAUNCHER_BINARY = join(CACHE_DIR, "vcsim-launcher");

const GOCODE = "/usr/share/gocode";
const GOVMOMI_SIMULATOR = join(GOCODE, "src", "github.com", "vmware", "govmomi", "simulator");
// python3-pyvmomi is no part of the simulator: its type tables are the second source, beside
// govmomi's, that the managed-object import and its test read (generator/managed).
const PACKAGES = ["golang-go", "golang-github-vmware-govmomi-dev", "python3-pyvmomi"];
const PYVMOMI = "/usr/lib/python3/dist-packages/pyVmomi";
const GOPATH_DIR = join(CACHE_DIR, "gopath");
const BUILD_DIR = join(GOPATH_DIR, "src", "esxvi", "vcsim-launcher");
const LOCK_DIR = join(CACHE_DIR, "build.lock");

/** The go binary, or undefined when Go is not installed. */
function goBinary() {
  for (const candidate of ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"]) {
    if (existsSync(candidate)) return candidate;
  }
  const r = spawnSync("sh", ["-c", "command -v go"], { encoding: "utf8" });
  const found = r.status === 0 ? r.stdout.trim() : "";
  return found === "" ? undefined : found;
}

function missingPackages() {
  const missing = [];
  if (goBinary() === undefined) missing.push("golang-go");
  if (!existsSync(GOVMOMI_SIMULATOR)) missing.push("golang-github-vmware-govmomi-dev");
  if (!existsSync(PYVMOMI)) missing.push("python3-pyvmomi");
  return missing;
}

function sourceFiles() {
  return readdirSync(LAUNCHER_SOURCE)
    .filter((f) => f.endsWith(".go"))
    .sort();
}

/** True when the binary exists and is newer than every launcher source file. */
export function launcherIsFresh() {
  if (!existsSync(LAUNCHER_BINARY)) return false;
  const built = statSync(LAUNCHER_BINARY).mtimeMs;
  return sourceFiles().every((f) => statSync(join(LAUNCHER_SOURCE, f)).mtimeMs <= built);
}

class SetupError extends Error {}

function installPackages(missing) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new SetupError(
      `the vcsim launcher needs Debian packages that are missing: ${missing.join(" ")}\n` +
        `install them as root with:\n  apt-get update && apt-get install -y ${PACKAGES.join(" ")}`,
    );
  }
  process.stderr.write(`vcsim: installing ${PACKAGES.join(" ")} with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", ...PACKAGES]]) {
    // apt-get output goes to stderr: stdout carries only the binary path
    const r = spawnSync("apt-get", args, { stdio: ["ignore", 2, 2], env });
    if (r.status !== 0) throw new SetupError(`apt-get ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
  }
  const still = missingPackages();
  if (still.length > 0) throw new SetupError(`still missing after apt-get: ${still.join(" ")}`);
}

/** Serialises builds between processes (several test suites may start at once). */
async function withBuildLock(fn) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (e) {
      if (e?.code !== "EEXIST") throw e;
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > 10 * 60_000) rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        // the holder released it meanwhile
      }
      if (Date.now() > deadline) throw new SetupError(`timed out waiting for ${LOCK_DIR}`);
      await delay(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function build(go) {
  // GOPATH mode wants the package inside a GOPATH src/ tree: copy the sources there.
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const f of sourceFiles()) copyFileSync(join(LAUNCHER_SOURCE, f), join(BUILD_DIR, f));
  const tmp = `${LAUNCHER_BINARY}.tmp-${process.pid}`;
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPATH: `${GOPATH_DIR}:${GOCODE}`,
    GOCACHE: join(CACHE_DIR, "go-build"),
    GOFLAGS: "",
    CGO_ENABLED: "0",
    PWD: BUILD_DIR,
  };
  process.stderr.write("vcsim: building the launcher (go build)\n");
  const r = spawnSync(go, ["build", "-o", tmp, "."], { cwd: BUILD_DIR, env, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new SetupError(`go build failed (exit ${r.status ?? r.signal})`);
  }
  renameSync(tmp, LAUNCHER_BINARY);
}

/**
 * Makes sure the Debian packages are there and the launcher binary is built and current;
 * returns its path. Installs the packages first when they are missing (root only; otherwise throws with the
 * command to run).
 */
export async function ensureLauncher() {
  const missing = missingPackages();
  if (missing.length > 0) installPackages(missing);
  if (launcherIsFresh()) return LAUNCHER_BINARY;
  const go = goBinary();
  if (go === undefined) throw new SetupError("go is not installed");
  await withBuildLock(async () => {
    if (!launcherIsFresh()) build(go);
  });
  return LAUNCHER_BINARY;
}

/** Starts the launcher detached; resolves with its parsed JSON line. */
export async function startDetached(args) {
  const binary = await ensureLauncher();
  mkdirSync(CACHE_DIR, { recursive: true });
  const logFile = join(CACHE_DIR, `launcher-${Date.now()}.log`);
  const log = openSync(logFile, "a");
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", "pipe", log] });
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise((resolveLine, reject) => {
    child.once("exit", (code, signal) =>
      reject(new SetupError(`the launcher exited (${code ?? signal}) before it was ready; see ${logFile}`)),
    );
    lines.once("line", resolveLine);
  });
  lines.close();
  child.stdout.destroy();
  child.unref();
  return { ...JSON.parse(line), log: logFile };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then wait for the process to go (SIGKILL after 10 s). */
export async function stopPid(pid) {
  if (!alive(pid)) return false;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await delay(50);
  }
  return true;
}

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case "ensure":
      process.stdout.write(`${await ensureLauncher()}\n`);
      return 0;
    case "start":
      process.stdout.write(`${JSON.stringify(await startDetached(rest))}\n`);
      return 0;
    case "stop": {
      const pid = Number(rest[0]);
      if (!Number.isInteger(pid) || pid <= 0) {
        process.stderr.write("usage: node scripts/vcsim.mjs stop PID\n");
        return 2;
      }
      process.stdout.write((await stopPid(pid)) ? `stopped ${pid}\n` : `no process ${pid}\n`);
      return 0;
    }
    default:
      process.stderr.write("usage: node scripts/vcsim.mjs ensure | start [launcher flags] | stop PID\n");
      return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`vcsim: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
