/**
 * `npx esxvi …` in the checkout, as README promises right after `npm ci`: npm links no command
 * of the root package itself, so `prepare` (and `npm run build`) link it into node_modules/.bin.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../support/paths.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

test("node_modules/.bin/esxvi points at the package's bin", () => {
  const bin = pkg.bin["esxvi"];
  assert.type(bin, "string");
  const link = join(ROOT, "node_modules", ".bin", "esxvi");
  assert.is(resolve(join(ROOT, "node_modules", ".bin"), readlinkSync(link)), join(ROOT, bin ?? ""));
});

test("npx esxvi --version prints the package's version", () => {
  const r = spawnSync("npx", ["--offline", "esxvi", "--version"], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, `${pkg.version}\n`);
});

test("npx esxvi with an unknown command fails naming it", () => {
  const r = spawnSync("npx", ["--offline", "esxvi", "no-such-command"], { cwd: ROOT, encoding: "utf8" });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, "no-such-command");
});

test.run();
