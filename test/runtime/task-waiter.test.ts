/**
 * The task waiter on the simulator: progress announced through WaitForUpdatesEx (0, 50,
 * 100 with the launcher's task duration), a finished task, a failed task as a typed
 * TaskError (fault type, decoded fault, localized message), a timeout and an abort (both
 * cancel the server-side wait and destroy the private collector, seen in the launcher's
 * per-method counts), and the task's server state before and after.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CancelTask, PowerOffVM_Task, PowerOnVM_Task, type TaskInfo } from "../../generated/index.js";
import { AbortError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { TaskError } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
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

async function power(name: string): Promise<string | undefined> {
  return (await retrieveOne(session, vm(name), ["runtime.powerState"])).props["runtime.powerState"];
}

async function taskState(task: MoRef<"Task">): Promise<TaskInfo> {
  const info = (await retrieveOne(session, task, ["info"])).props.info;
  if (info === undefined) throw new Error(`no info for ${task.value}`);
  return info;
}

async function calls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([k, v]) => [k, v.calls]));
}

/** Waits for a task the test cancelled; returns its final info. */
async function cancelled(task: MoRef<"Task">): Promise<TaskInfo> {
  await CancelTask(session.client, task);
  try {
    await waitForTask(session, task);
  } catch (e) {
    if (e instanceof TaskError) return e.info;
    throw e;
  }
  throw new Error("the cancelled task succeeded");
}

if (requireSimulator("runtime task waiter")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 4 });
    session = await connect(sim);
    vms = await vmsByName(session);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test.after.each(async () => {
    await sim.control.taskDuration(0);
  });

  test("progress 50 → 100 is announced through WaitForUpdatesEx, then the final TaskInfo", async () => {
    assert.is(await sim.control.taskDuration(2000), 2000);
    assert.is(await power("ha-host_VM0"), "poweredOn");
    await sim.control.resetStats();
    const task = await PowerOffVM_Task(session.client, vm("ha-host_VM0"));
    const seen: [number, string][] = [];
    const info = await waitForTask(session, task, { onProgress: (p, i) => seen.push([p, i.state]) });
    // The launcher sets progress 0, 50, 100; govmomi omits an int32 of 0 from the XML, so
    // the first update of the running task carries no progress at all (ESX would send 0).
    assert.equal(
      seen.map(([p]) => p),
      [50, 100],
    );
    assert.is(seen[0]?.[1], "running");
    assert.is(info.state, "success");
    assert.equal(info.task, task);
    assert.equal(info.entity, vm("ha-host_VM0"));
    assert.is(info.entityName, "ha-host_VM0");
    assert.is(info.descriptionId, "VirtualMachine.powerOff");
    assert.instance(info.completeTime, Date);
    assert.is(await power("ha-host_VM0"), "poweredOff");
    const c = await calls();
    assert.is(c["CreatePropertyCollector"], 1);
    assert.is(c["CreateFilter"], 1);
    assert.is(c["DestroyPropertyCollector"], 1);
    assert.is(c["CancelWaitForUpdates"], undefined);
    assert.ok((c["WaitForUpdatesEx"] ?? 0) >= 3, "one wait per change, no polling");
    assert.is(c["RetrievePropertiesEx"], 1, "only the test's own power-state read: no polling");
  });

  test("a task that already ended: one wait, progress 100 once", async () => {
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM0"), {});
    const seen: number[] = [];
    const info = await waitForTask(session, task, { onProgress: (p) => seen.push(p) });
    assert.is(info.state, "success");
    assert.equal(seen, [100]);
    assert.is(await power("ha-host_VM0"), "poweredOn");
  });

  test("a failed task is a TaskError with the fault type, the decoded fault and the localized message", async () => {
    assert.is(await power("ha-host_VM1"), "poweredOn");
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM1"), {});
    let error: unknown;
    try {
      await waitForTask(session, task);
    } catch (e) {
      error = e;
    }
    assert.instance(error, TaskError);
    const t = error as TaskError;
    assert.is(t.code, "TASK_FAILED");
    assert.is(t.faultType, "InvalidPowerState");
    assert.is(t.localizedMessage, "*types.InvalidPowerState");
    assert.is(t.message, "InvalidPowerState - *types.InvalidPowerState");
    assert.equal(t.fault, { _typeName: "InvalidPowerState", requestedState: "poweredOn", existingState: "poweredOn" });
    assert.is(t.info.state, "error");
    assert.equal(t.info.task, task);
    assert.is(await power("ha-host_VM1"), "poweredOn");
  });

  test("a task refused by another one on the VM: TaskInProgress names the running task", async () => {
    await sim.control.taskDuration(600_000);
    const running = await PowerOffVM_Task(session.client, vm("ha-host_VM2"));
    const refused = await PowerOffVM_Task(session.client, vm("ha-host_VM2"));
    let error: unknown;
    try {
      await waitForTask(session, refused);
    } catch (e) {
      error = e;
    }
    assert.instance(error, TaskError);
    assert.is((error as TaskError).message, "TaskInProgress - Another task is already in progress.");
    assert.equal((error as TaskError).fault, { _typeName: "TaskInProgress", task: running });
    const final = await cancelled(running);
    assert.is(final.error?.fault._typeName, "RequestCanceled");
    assert.is(final.cancelled, true);
    assert.is(await power("ha-host_VM2"), "poweredOn");
  });

  test("a timeout ends the wait: CancelWaitForUpdates, collector destroyed, the task runs on", async () => {
    await sim.control.taskDuration(600_000);
    const task = await PowerOffVM_Task(session.client, vm("ha-host_VM3"));
    await sim.control.resetStats();
    const seen: number[] = [];
    let error: unknown;
    try {
      await waitForTask(session, task, { timeoutMs: 300, onProgress: (p) => seen.push(p) });
    } catch (e) {
      error = e;
    }
    assert.instance(error, AbortError);
    assert.is((error as AbortError).code, "OPERATION_TIMEOUT");
    assert.is((error as AbortError).message, `timed out after 300 ms waiting for ${task.value}`);
    assert.equal(seen, [], "progress 0 is not on the wire (see above)");
    const c = await calls();
    assert.is(c["CancelWaitForUpdates"], 1);
    assert.is(c["DestroyPropertyCollector"], 1);
    const info = await taskState(task);
    assert.is(info.state, "running");
    assert.is(info.cancelable, true);
    assert.is(await power("ha-host_VM3"), "poweredOn");
    assert.is((await cancelled(task)).state, "error");
    assert.is(await power("ha-host_VM3"), "poweredOn");
  });

  test("an AbortSignal ends the wait the same way, with OPERATION_ABORTED", async () => {
    await sim.control.taskDuration(600_000);
    const task = await PowerOffVM_Task(session.client, vm("ha-host_VM3"));
    await sim.control.resetStats();
    const controller = new AbortController();
    const client = session.client;
    const invoke = client.invoke;
    let waits = 0;
    // Abort while the second WaitForUpdatesEx (after the first update) is outstanding.
    client.invoke = (registry, method, args, options) => {
      const p = invoke.call(client, registry, method, args, options);
      if (method === "WaitForUpdatesEx" && ++waits === 2) controller.abort(new Error("user pressed ^C"));
      return p;
    };
    let error: unknown;
    try {
      await waitForTask(session, task, { signal: controller.signal });
    } catch (e) {
      error = e;
    } finally {
      client.invoke = invoke;
    }
    assert.instance(error, AbortError, String(error));
    assert.is((error as AbortError).code, "OPERATION_ABORTED");
    assert.is((error as AbortError).message, `stopped waiting for ${task.value}`);
    const c = await calls();
    assert.is(c["CancelWaitForUpdates"], 1);
    assert.is(c["DestroyPropertyCollector"], 1);
    assert.is((await taskState(task)).state, "running");
    // An already aborted signal: nothing is created on the server.
    await sim.control.resetStats();
    let early: unknown;
    try {
      await waitForTask(session, task, { signal: AbortSignal.abort() });
    } catch (e) {
      early = e;
    }
    assert.instance(early, AbortError);
    assert.equal(await calls(), {});
    assert.is((await cancelled(task)).cancelled, true);
  });

  test("the session survives every stopped wait: a new wait works", async () => {
    const task = await PowerOffVM_Task(session.client, vm("ha-host_VM3"));
    assert.is((await waitForTask(session, task)).state, "success");
    assert.is(await power("ha-host_VM3"), "poweredOff");
  });

  test.run();
}
