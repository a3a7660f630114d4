/**
 * Waits that lose their session: the private property collector dies with the session, so
 * after the re-login the wait creates a new collector and filter and goes on (the launcher
 * counts Login and CreatePropertyCollector); the task waiter reports the task's real
 * outcome and the event watcher the change that happened meanwhile.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PowerOffVM_Task, PowerOnVM_Task } from "../../generated/index.js";
import { PropertyWait } from "../../runtime/property-wait.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { type Connection } from "../../drivers/connection/connection.js";
import { DomainEventWatcher } from "../../drivers/domain/events.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect, vmsByName } from "./helpers.js";

let sim: Simulator;
let session: Session;
let vms: Map<string, MoRef<"VirtualMachine">>;

function vm(name: string): MoRef<"VirtualMachine"> {
  const v = vms.get(name);
  if (v === undefined) throw new Error(`no VM ${name}`);
  return v;
}

async function calls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([k, v]) => [k, v.calls]));
}

async function powerState(name: string): Promise<string | undefined> {
  return (await retrieveOne(session, vm(name), ["runtime.powerState"])).props["runtime.powerState"];
}

if (requireSimulator("waits that lose their session")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 3, powerOn: false });
    session = await connect(sim);
    vms = await vmsByName(session);
  });
  test.after(async () => {
    await session?.close();
    await sim?.stop();
  });

  test("a property wait whose session is revoked starts again on a new collector, with the whole state", async () => {
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM0"), {});
    const wait = await PropertyWait.open(session, {
      _typeName: "PropertyFilterSpec",
      propSet: [{ _typeName: "PropertySpec", type: "Task", pathSet: ["info.state"] }],
      objectSet: [{ _typeName: "ObjectSpec", obj: task }],
    });
    try {
      const first = await wait.next({ maxWaitSeconds: 0 });
      assert.is(first.resumed, false);
      await sim.control.resetStats();
      assert.is(await sim.control.revokeSessions(), 1);
      const again = await wait.next({ maxWaitSeconds: 0 });
      assert.is(again.resumed, true);
      assert.equal(
        again.update?.filterSet?.[0]?.objectSet?.[0]?.changeSet?.map((c) => [c.name, c.val]),
        [["info.state", "success"]],
      );
      const c = await calls();
      assert.equal([c["Login"], c["CreatePropertyCollector"], c["CreateFilter"]], [1, 1, 1]);
    } finally {
      await wait.close();
    }
  });

  test("waitForTask reports the task's real outcome when the session is lost while it waits", async () => {
    await sim.control.taskDuration(1500);
    try {
      assert.is(await powerState("ha-host_VM1"), "poweredOff");
      const task = await PowerOnVM_Task(session.client, vm("ha-host_VM1"), {});
      await sim.control.resetStats();
      let revoked: Promise<number> | undefined;
      const info = await waitForTask(session, task, {
        onProgress: () => {
          // The session goes while the task runs: the next long poll finds it gone.
          revoked ??= sim.control.revokeSessions();
        },
      });
      assert.is(await revoked, 1);
      assert.is(info.state, "success");
      assert.is(await powerState("ha-host_VM1"), "poweredOn");
      const c = await calls();
      assert.equal([c["Login"], c["CreatePropertyCollector"]], [1, 2]);
    } finally {
      await sim.control.taskDuration(0);
    }
  });

  test("the event watcher goes on after a re-login and reports what changed meanwhile", async () => {
    const conn: Connection = await connectTo(sim);
    const watcher = await DomainEventWatcher.start(conn);
    try {
      assert.is(await sim.control.revokeSessions(), 2);
      // While the watcher's session is gone, VM2 starts (through this suite's own session, logged in again).
      await waitForTask(session, await PowerOnVM_Task(session.client, vm("ha-host_VM2"), {}));
      const e = await watcher.next();
      assert.equal([e?.type, e?.domain.name, e?.type === "lifecycle" ? e.event : undefined], ["lifecycle", "ha-host_VM2", "Started"]);
    } finally {
      await watcher.close();
      await conn.close();
      await waitForTask(session, await PowerOffVM_Task(session.client, vm("ha-host_VM2")));
    }
  });

  test.run();
}
