#!/usr/bin/env node
// npm test: build, check that generated/ is current, make sure the simulator launcher is
// built (installing its Debian packages when missing and allowed), then run every uvu
// suite under dist/test. Suites that need ../shared/reference or the simulator skip with
// a printed reason when those are missing, unless ESXVI_REQUIRE_REFERENCE=1 or
// ESXVI_REQUIRE_VCSIM=1 (CI sets both) make that a failure.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "./run.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv[2]; // optional: only suites whose path contains this text

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}

step("build (tsc)");
ensureBuilt();

step("module graph (layering, no import cycles)");
{
  const r = spawnSync(process.execPath, [join(root, "scripts", "check-imports.mjs")], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step("lint (prettier --check; generated/ excluded)");
{
  const prettier = join(root, "node_modules", "prettier", "bin", "prettier.cjs");
  const r = spawnSync(process.execPath, [prettier, "--check", "--log-level", "warn", "**/*.{ts,mjs}"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write("formatting differs from prettier's: run npm run format\n");
    process.exit(r.status ?? 1);
  }
}

step("generated/ is current");
{
  const r = spawnSync(process.execPath, [join(root, "dist", "generator", "cli.js"), "--check"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step("simulator launcher");
{
  const vcsim = join(root, "scripts", "vcsim.mjs");
  if (existsSync(vcsim)) {
    const r = spawnSync(process.execPath, [vcsim, "ensure"], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) {
      if (process.env.ESXVI_REQUIRE_VCSIM === "1") {
        process.stderr.write("the simulator is required (ESXVI_REQUIRE_VCSIM=1) but could not be prepared\n");
        process.exit(1);
      }
      process.stdout.write("simulator not available: suites that need it will skip\n");
      process.env.ESXVI_VCSIM_UNAVAILABLE = "1";
    }
  }
}

function suites(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...suites(p));
    else if (e.name.endsWith(".test.js")) out.push(p);
  }
  return out.sort();
}

step("tests (uvu)");
const testDir = join(root, "dist", "test");
const files = suites(testDir).filter((f) => filter === undefined || f.includes(filter));
let failed = 0;
for (const file of files) {
  const name = relative(testDir, file);
  process.stdout.write(`\n-- ${name}\n`);
  // One process per suite: a suite's simulator and state never leak into the next one.
  const r = spawnSync(process.execPath, [file], { stdio: "inherit", env: process.env });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`FAILED: ${name} (exit ${r.status ?? r.signal})\n`);
  }
}
process.stdout.write(`\n${files.length - failed} of ${files.length} suites passed\n`);
process.exit(failed === 0 ? 0 : 1);
