/**
 * The domain handle as a program uses it (ESX model, the prepared domains of helpers.ts): a
 * lookup resolves the selector once and holds the identity and the properties asked for,
 * typed by path; an operation given a handle with the paths it reads costs no call, one
 * without them costs one retrieval of the missing ones (and the same answer); a listing's
 * entries carry handles too; refreshDomain
 * reads the state again; a handle whose VM left fails as NO_DOMAIN.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EsxviError } from "../../errors/esxvi-error.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { PowerOnVM_Task, UnregisterVM } from "../../generated/index.js";
import type { Connection } from "../../drivers/connection/connection.js";
import { DOMAIN_INFO_PATHS, domainInfo, domainVcpuCounts, VCPU_COUNT_PATHS } from "../../drivers/domain/info.js";
import { listDomains } from "../../drivers/domain/list.js";
import { lookupDomain, refreshDomain } from "../../drivers/domain/lookup.js";
import { DOMAIN_STATE_PATHS, domainState } from "../../drivers/domain/state.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { prepareDomains } from "./helpers.js";

let sim: Simulator;
let conn: Connection;

/** The SOAP calls `f` makes on the connection, and its result. */
async function counted<T>(f: () => Promise<T>): Promise<{ calls: number; value: T }> {
  const before = conn.calls;
  const value = await f();
  return { calls: conn.calls - before, value };
}

if (requireSimulator("domain handles")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 5 });
    conn = await connectTo(sim);
    await prepareDomains(conn);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("a lookup holds the identity and the typed properties asked for, in one retrieval", async () => {
    const { calls, value: vm } = await counted(() => lookupDomain(conn, "ha-host_VM0", ["config.hardware.numCPU", "runtime.powerState"]));
    assert.is(calls, 1);
    assert.is(vm.identity.name, "ha-host_VM0");
    assert.is(vm.ref.value, vm.identity.ref.value);
    assert.is(vm.identity.powerState, "poweredOn");
    const cpus: number | undefined = vm.props["config.hardware.numCPU"];
    assert.is(cpus, 1);
    // @ts-expect-error a path the lookup did not ask for is not on the handle's type
    assert.is(vm.props["config.hardware.memoryMB"], undefined);
    assert.ok(vm.paths.includes("config.hardware.numCPU") && vm.paths.includes("name"));
  });

  test("an operation on a handle with its paths makes no call; without them, one retrieval and the same answer", async () => {
    const full = await lookupDomain(conn, "ha-host_VM0", DOMAIN_INFO_PATHS, { autostart: true });
    const withPaths = await counted(() => domainInfo(conn, full));
    assert.is(withPaths.calls, 0);
    const bare = await lookupDomain(conn, "ha-host_VM0");
    const without = await counted(() => domainInfo(conn, bare));
    assert.is(without.calls, 1);
    assert.equal(without.value, withPaths.value);
    assert.is(withPaths.value.autostart, true);

    const counts = await counted(async () => domainVcpuCounts(conn, await lookupDomain(conn, "ha-host_VM1", VCPU_COUNT_PATHS)));
    assert.equal([counts.calls, counts.value.vcpus, counts.value.active], [1, 1, false]);
    const state = await counted(async () => domainState(conn, await lookupDomain(conn, "ha-host_VM1", DOMAIN_STATE_PATHS)));
    assert.equal([state.calls, state.value.state, state.value.reason], [1, "shut off", "destroyed"]);
  });

  test("a listing's entries carry handles: an operation on one needs no lookup", async () => {
    const entries = await listDomains(conn, { active: true, inactive: true });
    const vm1 = entries.find((e) => e.identity.name === "ha-host_VM1");
    if (vm1 === undefined) throw new Error("ha-host_VM1 not listed");
    assert.equal(vm1.handle.identity, vm1.identity);
    const state = await counted(() => domainState(conn, vm1.handle));
    assert.equal([state.calls, state.value.state, state.value.reason], [1, "shut off", "destroyed"]);
  });

  test("the handle keeps the lookup's state; refreshDomain reads it again in one retrieval", async () => {
    const vm = await lookupDomain(conn, "ha-host_VM3");
    assert.is(vm.identity.powerState, "poweredOff");
    await waitForTask(conn.primary, await PowerOnVM_Task(conn.primary.client, vm.ref, {}));
    assert.is(vm.identity.powerState, "poweredOff");
    const now = await counted(() => refreshDomain(conn, vm, ["config.hardware.memoryMB"]));
    assert.is(now.calls, 1);
    assert.is(now.value.identity.powerState, "poweredOn");
    assert.is(now.value.identity.uuid, vm.identity.uuid);
    const mib: number | undefined = now.value.props["config.hardware.memoryMB"];
    assert.ok(mib !== undefined && mib > 0);
  });

  test("a handle whose domain left: NO_DOMAIN from an operation that must read it", async () => {
    const vm = await lookupDomain(conn, "ha-host_VM2");
    await UnregisterVM(conn.primary.client, vm.ref);
    for (const attempt of [() => domainInfo(conn, vm), () => refreshDomain(conn, vm)]) {
      try {
        await attempt();
        assert.unreachable("read a domain that is gone");
      } catch (e) {
        assert.instance(e, EsxviError);
        assert.is((e as EsxviError).code, "NO_DOMAIN");
        assert.is((e as EsxviError).message, `Domain not found: no domain with UUID '${vm.identity.uuid}'`);
      }
    }
  });

  test.run();
}
