/**
 * The Node modules the bundle loads on first use only (scripts/deferred-builtins.mjs): the
 * stand-in for node:http2 carries Node's own constants and hands out the real module's members;
 * the one for node:child_process hands out the real module's; and the bundled command, run as
 * users run it, loads neither module for `list --all`, while the same check sees them in a
 * process that does load them (the check can fail).
 */
import { spawnSync } from "node:child_process";
import * as childProcess from "node:child_process";
import * as http2 from "node:http2";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { simulatorUri } from "../support/cli.js";
import { ROOT } from "../support/paths.js";
import { requireSimulator, startSimulator } from "../support/vcsim.js";

const BIN = join(ROOT, "dist", "bin", "esxvi.cjs");
const DEFERRED = ["http2", "child_process"];

type StandInSource = (name: string) => string;

async function standInSource(): Promise<StandInSource> {
  const mod: unknown = await import(pathToFileURL(join(ROOT, "scripts", "deferred-builtins.mjs")).href);
  if (typeof mod === "object" && mod !== null && "standInSource" in mod && typeof mod.standInSource === "function") {
    return mod.standInSource as StandInSource;
  }
  throw new Error("scripts/deferred-builtins.mjs has no standInSource()");
}

/** Evaluates a stand-in's CommonJS source as the bundle runs it; returns its exports. */
function evaluate(source: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function("module", "require", source)(module, createRequire(import.meta.url));
  return module.exports;
}

let dir: string;

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "esxvi-deferred-"));
});

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("node:http2's stand-in: Node's constants, and the real module's members on use", async () => {
  const h2 = evaluate((await standInSource())("node:http2"));
  assert.equal(h2["constants"], { ...http2.constants });
  assert.ok(h2["connect"] === http2.connect, "connect is http2.connect");
  assert.ok("getDefaultSettings" in h2, "has() reaches the real module");
});

test("node:child_process's stand-in: the real module's members on use", async () => {
  const cp = evaluate((await standInSource())("node:child_process"));
  assert.ok(cp["spawn"] === childProcess.spawn, "spawn is child_process.spawn");
});

test("no stand-in for a module that is not deferred", async () => {
  const source = await standInSource();
  assert.throws(() => source("node:fs"), /not a deferred module/);
});

/** Runs node with a preload that writes the Node modules the process loaded at exit. */
function loadedBuiltins(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stderr: string; builtins: string[] } {
  const preload = join(dir, "record-builtins.cjs");
  const list = join(dir, "builtins.txt");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`,
  );
  const r = spawnSync(process.execPath, ["--require", preload, ...argv], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"], HOME: "/nonexistent", ...env },
  });
  const builtins = readFileSync(list, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("NativeModule "))
    .map((l) => l.slice("NativeModule ".length));
  return { status: r.status, stderr: r.stderr, builtins };
}

test("the recorder sees http2 and child_process in a process that loads them", () => {
  const r = loadedBuiltins(["-e", `require("node:http2"); require("node:child_process");`]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(
    DEFERRED.filter((m) => r.builtins.includes(m)),
    DEFERRED,
  );
});

if (requireSimulator("deferred builtins: the bundled list --all")) {
  test("the bundled esxvi list --all loads neither http2 nor child_process", async () => {
    const sim = await startSimulator({ model: "esx", vms: 2 });
    try {
      const r = loadedBuiltins([BIN, "-c", simulatorUri(sim), "list", "--all"], { ESXVI_PASSWORD: sim.password });
      assert.is(r.status, 0, r.stderr);
      assert.ok(r.builtins.includes("net"), "the recorder saw the connection's modules");
      assert.equal(
        DEFERRED.filter((m) => r.builtins.includes(m)),
        [],
      );
    } finally {
      await sim.stop();
    }
  });
}

test.run();
