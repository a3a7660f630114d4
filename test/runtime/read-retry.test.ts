/**
 * Reads are sent again after a transient failure (HTTP 503 with Retry-After, a reset
 * connection), a bounded number of times; a call that changes something is never sent twice.
 * The launcher fails requests on demand and counts every request that reached it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PowerOnVM_Task } from "../../generated/index.js";
import { HttpError, TransportError } from "../../runtime/http/http-errors.js";
import { isRetriable } from "../../runtime/read-retry.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect, vmsByName } from "./helpers.js";

let sim: Simulator;
let session: Session;
let vm0: MoRef<"VirtualMachine">;

async function callsOf(method: string): Promise<number> {
  return (await sim.control.stats()).byMethod[method]?.calls ?? 0;
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error("the call succeeded");
}

test("which methods are sent again: reads and Login, never a task or a change", () => {
  assert.equal(
    ["RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "FindByUuid", "QueryVirtualDiskUuid", "Login", "CurrentTime"].map(isRetriable),
    [true, true, true, true, true, true],
  );
  assert.equal(["PowerOnVM_Task", "SearchDatastore_Task", "CreateFilter", "RegisterVM_Task", "AnswerVM", "Logout"].map(isRetriable), [
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
});

if (requireSimulator("read retries")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1, powerOn: false });
    session = await connect(sim, { retry: { attempts: 3, baseDelayMs: 5 } });
    vm0 = [...(await vmsByName(session)).values()][0] as MoRef<"VirtualMachine">;
  });
  test.after(async () => {
    await session?.close();
    await sim?.stop();
  });

  test("a read answered 503 with Retry-After is sent again and succeeds", async () => {
    await sim.control.resetStats();
    await sim.control.fail("RetrievePropertiesEx", { status: 503, retryAfter: "0" });
    assert.is((await retrieveOne(session, vm0, ["runtime.powerState"])).props["runtime.powerState"], "poweredOff");
    assert.is(await callsOf("RetrievePropertiesEx"), 2);
  });

  test("a read whose connection is reset is sent again and succeeds", async () => {
    await sim.control.resetStats();
    await sim.control.fail("RetrievePropertiesEx", { reset: true });
    assert.is((await retrieveOne(session, vm0, ["runtime.powerState"])).props["runtime.powerState"], "poweredOff");
    assert.is(await callsOf("RetrievePropertiesEx"), 2);
  });

  test("a read that keeps failing is sent 3 times, then the HTTP error is the caller's", async () => {
    await sim.control.resetStats();
    await sim.control.fail("RetrievePropertiesEx", { count: 5, status: 503 });
    const e = await failure(() => retrieveOne(session, vm0, ["name"]));
    assert.instance(e, HttpError);
    assert.is((e as HttpError).status, 503);
    assert.is(await callsOf("RetrievePropertiesEx"), 3);
    await sim.control.fail("RetrievePropertiesEx", { count: 0 });
  });

  test("a task method is never sent twice: a reset or a 503 is the caller's at once, and the VM is unchanged", async () => {
    await sim.control.resetStats();
    await sim.control.fail("PowerOnVM_Task", { reset: true });
    assert.instance(await failure(() => PowerOnVM_Task(session.client, vm0, {})), TransportError);
    assert.is(await callsOf("PowerOnVM_Task"), 1);
    await sim.control.fail("PowerOnVM_Task", { status: 503, retryAfter: "0" });
    const e = await failure(() => PowerOnVM_Task(session.client, vm0, {}));
    assert.instance(e, HttpError);
    assert.is(await callsOf("PowerOnVM_Task"), 2);
    assert.is((await retrieveOne(session, vm0, ["runtime.powerState"])).props["runtime.powerState"], "poweredOff");
  });
}

test.run();
