/**
 * The bench's Go programs (bench/<name>/, package main): built as the simulator launcher is,
 * in GOPATH mode over Debian's govmomi (GO111MODULE=off, GOPATH=.cache/bench/gopath:/usr/share/gocode),
 * into .cache/bench/<name>, and rebuilt when a source file is newer than the binary. The Go
 * build cache is the launcher's, so govmomi's packages compiled for it are reused.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../test/support/paths.js";

const GOCODE = "/usr/share/gocode";
const CACHE_DIR = join(ROOT, ".cache", "bench");
const GOPATH_DIR = join(CACHE_DIR, "gopath");
const GO_BUILD_CACHE = join(ROOT, ".cache", "vcsim", "go-build");

function goBinary(): string {
  for (const candidate of ["/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go"]) if (existsSync(candidate)) return candidate;
  throw new Error("go is not installed (node scripts/vcsim.mjs ensure installs it as root)");
}

function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".go"))
    .sort();
}

/**
 * Installs Go and Debian's govmomi when missing (as root) and builds the simulator launcher,
 * through scripts/vcsim.mjs, which owns both.
 */
async function ensureToolchain(): Promise<void> {
  const mod: unknown = await import(pathToFileURL(join(ROOT, "scripts", "vcsim.mjs")).href);
  if (typeof mod === "object" && mod !== null && "ensureLauncher" in mod && typeof mod.ensureLauncher === "function") {
    await mod.ensureLauncher();
    return;
  }
  throw new Error("scripts/vcsim.mjs has no usable ensureLauncher()");
}

/** The path of bench/<name> built, building it first when it is missing or older than its sources. */
export async function goProgram(name: string): Promise<string> {
  const sourceDir = join(ROOT, "bench", name);
  const binary = join(CACHE_DIR, name);
  const files = sources(sourceDir);
  if (existsSync(binary)) {
    const built = statSync(binary).mtimeMs;
    if (files.every((f) => statSync(join(sourceDir, f)).mtimeMs <= built)) return binary;
  }
  await ensureToolchain();
  // GOPATH mode wants the package inside a GOPATH src/ tree: copy the sources there.
  const buildDir = join(GOPATH_DIR, "src", "esxvi", "bench", name);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  for (const f of files) copyFileSync(join(sourceDir, f), join(buildDir, f));
  const tmp = `${binary}.tmp-${process.pid}`;
  const env = {
    ...process.env,
    GO111MODULE: "off",
    GOPATH: `${GOPATH_DIR}:${GOCODE}`,
    GOCACHE: GO_BUILD_CACHE,
    GOFLAGS: "",
    CGO_ENABLED: "0",
    PWD: buildDir,
  };
  process.stderr.write(`bench: building bench/${name} (go build)\n`);
  const r = spawnSync(goBinary(), ["build", "-o", tmp, "."], { cwd: buildDir, env, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`go build of bench/${name} failed (exit ${r.status ?? r.signal})`);
  }
  renameSync(tmp, binary);
  return binary;
}
