/** Every command reports a failed connection as virsh does: "failed to connect to the hypervisor", then why. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";

const REFUSED = "esx://root@127.0.0.1:1/?transport=http";
const COMMANDS = [
  ["list"],
  ["dominfo", "vm"],
  ["start", "vm"],
  ["setmem", "vm", "1024"],
  ["dumpxml", "vm"],
  ["snapshot-list", "vm"],
  ["nodeinfo"],
  ["autostart", "vm"],
];

for (const args of COMMANDS) {
  test(`${args[0] ?? ""}: a refused connection`, async () => {
    const r = await esxvi(undefined, args, { uri: REFUSED, env: { ESXVI_PASSWORD: "x" } });
    assert.equal(
      [r.status, r.stdout, r.stderr],
      [1, "", "error: failed to connect to the hypervisor\nerror: POST http://127.0.0.1:1/sdk: connect ECONNREFUSED 127.0.0.1:1\n"],
    );
  });
}

test("no URI at all", async () => {
  const r = await esxvi(undefined, ["list"]);
  assert.equal(
    [r.status, r.stderr],
    [1, "error: failed to connect to the hypervisor\nerror: no connection URI: use -c esx://[user@]host/ (or set ESXVI_DEFAULT_URI)\n"],
  );
});

test.run();
