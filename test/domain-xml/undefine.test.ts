/**
 * undefine on the simulator (ESX model): UnregisterVM of a powered-off or suspended domain,
 * its files kept (it registers again from them); a running domain is refused and unchanged.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { undefineDomain } from "../../drivers/domain/undefine.js";
import { PowerOffVM_Task, SuspendVM_Task } from "../../generated/index.js";
import { moRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { inventory, listFolder, registerVmx } from "./support.js";

let sim: Simulator;
let conn: Connection;

async function vm(name: string): Promise<{ uuid: string; powerState: string; moref: string; vmPathName: string }> {
  const v = (await inventory(conn)).get(name);
  if (v === undefined) throw new Error(`no VM ${name}`);
  return v;
}

if (requireSimulator("undefine")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 4 });
    conn = await connectTo(sim);
    const off = await vm("ha-host_VM0");
    await waitForTask(conn.primary, await PowerOffVM_Task(conn.primary.client, moRef("VirtualMachine", off.moref)));
    const paused = await vm("ha-host_VM1");
    await waitForTask(conn.primary, await SuspendVM_Task(conn.primary.client, moRef("VirtualMachine", paused.moref)));
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("a powered-off domain: gone from the inventory, its files stay and register again", async () => {
    const before = await vm("ha-host_VM0");
    assert.is(before.powerState, "poweredOff");
    const files = await listFolder(conn, "LocalDS_0", "ha-host_VM0");
    assert.ok(files.includes("ha-host_VM0.vmx") && files.includes("disk1.vmdk"), files.join(" "));

    const r = await esxvi(sim, ["undefine", "ha-host_VM0"]);
    assert.is(r.stderr, "");
    assert.is(r.stdout, "Domain 'ha-host_VM0' has been undefined\n");
    assert.is(r.status, 0);

    assert.is((await inventory(conn)).has("ha-host_VM0"), false);
    const list = await esxvi(sim, ["list", "--all", "--name"]);
    assert.is(list.stdout.includes("ha-host_VM0"), false);
    assert.equal(await listFolder(conn, "LocalDS_0", "ha-host_VM0"), files);

    await registerVmx(conn, before.vmPathName);
    assert.is((await vm("ha-host_VM0")).uuid, before.uuid);
  });

  test("a suspended domain, by UUID", async () => {
    const v = await vm("ha-host_VM1");
    assert.is(v.powerState, "suspended");
    const r = await esxvi(sim, ["undefine", v.uuid]);
    assert.is(r.stdout, "Domain 'ha-host_VM1' has been undefined\n");
    assert.is(r.status, 0);
    assert.is((await inventory(conn)).has("ha-host_VM1"), false);
  });

  test("a running domain is refused and stays as it was", async () => {
    const before = await inventory(conn);
    assert.is(before.get("ha-host_VM2")?.powerState, "poweredOn");
    const r = await esxvi(sim, ["undefine", "ha-host_VM2"]);
    assert.is(r.stdout, "");
    assert.is(r.stderr, "error: Failed to undefine domain 'ha-host_VM2'\nerror: Domain is not suspended or powered off\n");
    assert.is(r.status, 1);
    assert.equal(await inventory(conn), before);
  });

  test("an unknown domain", async () => {
    const r = await esxvi(sim, ["undefine", "nope"]);
    assert.is(r.stderr, "error: failed to get domain 'nope'\nerror: Domain not found: no domain with name 'nope'\n");
    assert.is(r.status, 1);
  });

  test("SOAP calls: the lookup by name and UnregisterVM", async () => {
    const before = conn.calls;
    const identity = await undefineDomain(conn, await lookupDomain(conn, "ha-host_VM0"));
    assert.is(identity.name, "ha-host_VM0");
    assert.is(conn.calls - before, 2);
  });

  test.run();
}
