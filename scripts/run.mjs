#!/usr/bin/env node
// Runs one of the project's TypeScript entry points from dist/, rebuilding first
// when any source file is newer than the last build.
//   node scripts/run.mjs generator/cli.ts [args...]
// The generator (generator/) is built on its own (tsconfig.generator.json: generator/, errors/,
// runtime/soap/), so that it runs when the rest of the project does not compile, e.g. after
// a schema edit that breaks the code using the bindings.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["entry", "errors", "generator", "generated", "runtime", "drivers", "cli", "test", "bench", "scripts"];

function newestSource(dir, newest) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name === "out") continue;
      newest = newestSource(p, newest);
    } else if (e.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

const GENERATOR_BUILD = {
  project: "tsconfig.generator.json",
  stamp: ".tsbuildinfo-generator",
  dirs: ["generator", "errors", join("runtime", "soap")],
};
const FULL_BUILD = { project: "tsconfig.json", stamp: ".tsbuildinfo", dirs: SOURCE_DIRS };

export function ensureBuilt(build = FULL_BUILD) {
  const stamp = join(root, "dist", build.stamp);
  let built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  let newest = Math.max(statSync(join(root, "tsconfig.json")).mtimeMs, statSync(join(root, build.project)).mtimeMs);
  for (const d of build.dirs) newest = newestSource(join(root, d), newest);
  if (newest > built) {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", join(root, build.project)], { stdio: "inherit" });
    if (r.status !== 0) {
      process.stderr.write("esxvi: the TypeScript build failed (see above)\n");
      process.exit(r.status ?? 1);
    }
  }
  if (build === FULL_BUILD) {
    // The bundled command (scripts/bundle.mjs) follows the compiled sources.
    const r = spawnSync(process.execPath, [join(root, "scripts", "bundle.mjs"), "--if-stale"], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const entry = process.argv[2];
  if (!entry) {
    process.stderr.write("usage: node scripts/run.mjs <file.ts> [args...]\n");
    process.exit(2);
  }
  ensureBuilt(entry.startsWith("generator/") ? GENERATOR_BUILD : FULL_BUILD);
  const js = join(root, "dist", entry.replace(/\.ts$/, ".js"));
  process.argv.splice(1, 2, js);
  await import(pathToFileURL(js).href);
}
