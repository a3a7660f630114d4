/**
 * Networks and interfaces through a vCenter (simulator VPX model, vpx://…/DC0/DC0_H0): those
 * of the URI's host, its port groups that are networks of the host's datacenter; a network
 * defined and undefined there changes that host only.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connectTo, networkSnapshot, tempFile } from "./helpers.js";

const PATH = { path: "DC0/DC0_H0" };
const OTHER = { path: "DC0/DC0_C0/DC0_C0_H0" };
const UUID0 = "2f467347-8b4e-8655-e7d6-c4c3fb968009";

let sim: Simulator;
let conn: Connection;
let other: Connection;

/** The host's own part of a snapshot (the datacenter's networks are shared by its hosts). */
async function hostPart(c: Connection): Promise<unknown> {
  const { vswitches, portgroups, pnics } = JSON.parse(await networkSnapshot(c)) as Record<string, unknown>;
  return { vswitches, portgroups, pnics };
}

const cli = (args: readonly string[], query: Readonly<Record<string, string>> = PATH) =>
  esxvi(sim, args, { uri: simulatorUri(sim, query) });

if (requireSimulator("networks through a vCenter")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx", vms: 1 });
    conn = await connectTo(sim, PATH);
    other = await connectTo(sim, OTHER);
  });

  test.after(async () => {
    await conn.close();
    await other.close();
    await sim.stop();
  });

  test("net-list, net-dumpxml and iface-list show the URI's host", async () => {
    assert.ok(conn.vcenter === conn.primary);
    assert.equal(await cli(["net-list", "--all", "--name"]), { status: 0, stdout: "vSwitch0\n", stderr: "" });
    assert.equal(await cli(["net-dumpxml", "vSwitch0"]), {
      status: 0,
      stdout: `<network>\n  <name>vSwitch0</name>\n  <uuid>${UUID0}</uuid>\n  <forward dev='vmnic0' mode='bridge'>\n    <interface dev='vmnic0'/>\n  </forward>\n  <portgroup name='VM Network'>\n  </portgroup>\n</network>\n`,
      stderr: "",
    });
    const r = await cli(["iface-list", "--all"]);
    assert.is(r.status, 0);
    assert.is(r.stdout.split("\n").filter((l) => l.includes(" active ")).length, 4);
    assert.equal(await cli(["iface-mac", "vmnic1"]), { status: 0, stdout: "00:0c:29:81:d8:aa\n", stderr: "" });
  });

  test("net-define and net-undefine through the vCenter change the URI's host only", async () => {
    const otherBefore = await hostPart(other);
    const before = await networkSnapshot(conn);
    const file = tempFile(
      "<network><name>vclab</name><forward mode='bridge'><interface dev='vmnic2'/></forward><portgroup name='vclab-pg'><vlan><tag id='12'/></vlan></portgroup></network>",
    );
    assert.equal(await cli(["net-define", file]), { status: 0, stdout: `Network vclab defined from ${file}\n`, stderr: "" });
    assert.equal(await cli(["net-list", "--name"]), { status: 0, stdout: "vclab\nvSwitch0\n", stderr: "" });
    const dump = await cli(["net-dumpxml", "vclab"]);
    assert.match(dump.stdout, "<portgroup name='vclab-pg'>\n    <vlan>\n      <tag id='12'/>\n    </vlan>\n  </portgroup>\n");
    assert.equal(await hostPart(other), otherBefore);
    assert.equal(await cli(["net-undefine", "vclab"]), { status: 0, stdout: "Network vclab has been undefined\n", stderr: "" });
    assert.is(await networkSnapshot(conn), before);
  });

  test.run();
}
