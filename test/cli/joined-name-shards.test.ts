/**
 * The names index in the command's bundle (scripts/joined-name-shards.mjs): one chunk holds
 * every shard, no shard is a file of its own, and the bundled command, which loads the
 * shards through that chunk, prints what the compiled program prints.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi, simulatorUri } from "../support/cli.js";
import { ROOT } from "../support/paths.js";
import { requireSimulator, startSimulator } from "../support/vcsim.js";

const BIN = join(ROOT, "dist", "bin");
const SHARDS = readdirSync(join(ROOT, "dist", "generated", "metadata", "names"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => basename(f, ".js"));

test("every shard is in one chunk of the bundle, none in a file of its own", () => {
  assert.ok(SHARDS.length > 1, "the index has shards");
  const files = readdirSync(BIN).filter((f) => f.endsWith(".js"));
  assert.equal(
    files.filter((f) => SHARDS.some((s) => f.startsWith(`${s}-`))),
    [],
  );
  // Each shard's loader in the index names its shard in the joined chunk.
  const holders = files.filter((f) => {
    const text = readFileSync(join(BIN, f), "utf8");
    return SHARDS.every((s) => text.includes(s));
  });
  assert.ok(holders.length >= 1, "a chunk names every shard");
});

if (requireSimulator("joined name shards: the bundled list --all and dominfo")) {
  test("the bundled command prints what the compiled program prints", async () => {
    const sim = await startSimulator({ model: "esx", vms: 3 });
    try {
      const uri = simulatorUri(sim);
      const env = { PATH: process.env["PATH"], HOME: "/nonexistent", ESXVI_PASSWORD: sim.password };
      const list = await esxvi(sim, ["list", "--all"], { separator: true });
      assert.is(list.status, 0, list.stderr);
      const bundled = spawnSync(process.execPath, [join(BIN, "esxvi.cjs"), "-c", uri, "list", "--all"], { encoding: "utf8", env });
      assert.is(bundled.status, 0, bundled.stderr);
      assert.is(bundled.stdout, list.stdout);
      const vm = list.stdout.split("\n")[2]?.trim().split(/\s+/)[1] ?? "";
      const info = await esxvi(sim, ["dominfo", vm], { separator: true });
      assert.is(info.status, 0, info.stderr);
      const bundledInfo = spawnSync(process.execPath, [join(BIN, "esxvi.cjs"), "-c", uri, "dominfo", vm], { encoding: "utf8", env });
      assert.is(bundledInfo.status, 0, bundledInfo.stderr);
      assert.is(bundledInfo.stdout, info.stdout);
    } finally {
      await sim.stop();
    }
  });
}

test.run();
