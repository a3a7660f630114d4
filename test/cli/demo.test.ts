/**
 * npm run demo as a new user runs it: the script prepares the simulator itself (the step
 * `node scripts/vcsim.mjs ensure` that npm test runs), then tours the command line; it
 * neither skips nor exits 0 without running the tour.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../support/paths.js";
import { requireSimulator } from "../support/vcsim.js";

if (requireSimulator("demo")) {
  test("the demo prepares the simulator, runs every step of the tour, stops the simulator, exit 0", () => {
    const source = readFileSync(join(ROOT, "scripts", "demo.ts"), "utf8");
    const steps = [...source.matchAll(/^\s+\["[a-z-]+"[^\n]*\],$/gm)].length;
    // The variable that made the demo skip (a simulator npm test could not prepare) no longer does.
    const r = spawnSync(process.execPath, [join(ROOT, "dist", "scripts", "demo.js")], {
      encoding: "utf8",
      env: { ...process.env, ESXVI_VCSIM_UNAVAILABLE: "1" },
    });
    assert.is(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith("Preparing the simulator (node scripts/vcsim.mjs ensure)…\nStarting the simulator"), r.stdout);
    assert.ok(steps >= 10, `${steps} steps`);
    assert.is(r.stdout.split("\n$ esxvi -c ").length - 1, steps);
    assert.ok(r.stdout.endsWith("\nSimulator stopped.\n"));
    assert.not.match(r.stdout + r.stderr, /skipped/);
  });

  test.run();
}
