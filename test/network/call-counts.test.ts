/**
 * Calls: net-list --all and iface-list --all make one retrieval after connecting, net-dumpxml
 * (lookup and description) one as well (at most two asked); counted by the simulator.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { methodCalls } from "./helpers.js";

let sim: Simulator;

/** Login, the connection's inventory retrieval, `retrievals` more, Logout. */
function expected(retrievals: number): Record<string, number> {
  return { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 1 + retrievals, Logout: 1 };
}

if (requireSimulator("network call counts")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 3 });
  });

  test.after(async () => {
    await sim.stop();
  });

  for (const [args, retrievals] of [
    [["net-list", "--all"], 1],
    [["net-list", "--all", "--uuid"], 1],
    [["iface-list", "--all"], 1],
    [["net-dumpxml", "vSwitch0"], 1],
    [["net-dumpxml", "2f467347-8b4e-8655-e7d6-c4c3fb968009"], 1],
    [["net-info", "vSwitch0"], 1],
    [["iface-dumpxml", "vmnic0"], 1],
  ] as const) {
    test(`${args.join(" ")}: ${retrievals} retrieval after connecting`, async () => {
      await sim.control.resetStats();
      const r = await esxvi(sim, args);
      assert.is(r.status, 0, r.stderr);
      assert.equal(await methodCalls(sim), expected(retrievals));
    });
  }

  test.run();
}
