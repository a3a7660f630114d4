/**
 * start, shutdown, reboot, reset, destroy, suspend and resume on the simulator (ESX model):
 * virsh's messages, the power state before and after, libvirt's power-state preconditions
 * (refused with OPERATION_INVALID, nothing changed, one retrieval spent), unknown domains,
 * the SOAP calls each command makes, -q and --help.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainLifecycle, type LifecycleAction } from "../../drivers/domain/lifecycle.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { prop, serverState } from "./helpers.js";

const VM0 = "ha-host_VM0";
const VM1 = "ha-host_VM1";

let sim: Simulator;
let conn: Connection;

async function powerState(name: string): Promise<unknown> {
  return prop(await serverState(conn), name, "runtime.powerState");
}

/** Brings a VM to a power state with the commands under test (asserting they succeed). */
async function bring(name: string, state: "poweredOn" | "poweredOff" | "suspended"): Promise<void> {
  const now = await powerState(name);
  if (now === state) return;
  if (now === "suspended") await domainLifecycle(conn, "resume", await lookupDomain(conn, name));
  if (state === "poweredOff" && (await powerState(name)) === "poweredOn")
    await domainLifecycle(conn, "destroy", await lookupDomain(conn, name));
  if (state !== "poweredOff" && (await powerState(name)) === "poweredOff")
    await domainLifecycle(conn, "start", await lookupDomain(conn, name));
  if (state === "suspended") await domainLifecycle(conn, "suspend", await lookupDomain(conn, name));
  assert.is(await powerState(name), state);
}

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

/** A refused action: exit 1, virsh's two error lines, and the server unchanged. */
async function assertRefused(action: LifecycleAction, name: string, context: string, message: string): Promise<void> {
  const before = await serverState(conn);
  const r = await esxvi(sim, [action, name]);
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
  assert.is(r.stderr, `error: ${context}\nerror: ${message}\n`);
  assert.equal(await serverState(conn), before);
}

if (requireSimulator("domain lifecycle")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("destroy powers a running domain off: virsh's line, poweredOn → poweredOff", async () => {
    await bring(VM0, "poweredOn");
    const r = await esxvi(sim, ["destroy", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' destroyed\n`, stderr: "" });
    assert.is(await powerState(VM0), "poweredOff");
  });

  test("start powers an inactive domain on; the line names the domain when it was given by UUID", async () => {
    await bring(VM0, "poweredOff");
    const uuid = prop(await serverState(conn), VM0, "config.uuid");
    assert.type(uuid, "string");
    const r = await esxvi(sim, ["start", String(uuid)]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' started\n`, stderr: "" });
    assert.is(await powerState(VM0), "poweredOn");
  });

  test("start on a running domain: OPERATION_INVALID 'Domain is not powered off', one retrieval, nothing changed", async () => {
    await bring(VM0, "poweredOn");
    await assertRefused("start", VM0, `Failed to start domain '${VM0}'`, "Domain is not powered off");
    const calls = conn.calls;
    try {
      await domainLifecycle(conn, "start", await lookupDomain(conn, VM0));
      assert.unreachable("started a running domain");
    } catch (e) {
      assert.instance(e, EsxviError);
      assert.is((e as EsxviError).code, "OPERATION_INVALID");
      assert.is((e as EsxviError).message, "Domain is not powered off");
    }
    assert.is(conn.calls - calls, 1);
  });

  test("suspend and resume: poweredOn → suspended → poweredOn, with libvirt's preconditions", async () => {
    await bring(VM1, "poweredOn");
    let r = await esxvi(sim, ["suspend", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' suspended\n`, stderr: "" });
    assert.is(await powerState(VM1), "suspended");
    await assertRefused("suspend", VM1, `Failed to suspend domain '${VM1}'`, "Domain is not powered on");
    await assertRefused("start", VM1, `Failed to start domain '${VM1}'`, "Domain is not powered off");
    await assertRefused("destroy", VM1, `Failed to destroy domain '${VM1}'`, "Domain is not powered on");
    r = await esxvi(sim, ["resume", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' resumed\n`, stderr: "" });
    assert.is(await powerState(VM1), "poweredOn");
    await assertRefused("resume", VM1, `Failed to resume domain '${VM1}'`, "Domain is not suspended");
  });

  test("reset (ResetVM_Task): a running domain stays running; an inactive one is refused", async () => {
    await bring(VM1, "poweredOn");
    await sim.control.resetStats();
    const r = await esxvi(sim, ["reset", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' was reset\n`, stderr: "" });
    assert.is((await methodCalls())["ResetVM_Task"], 1);
    assert.is(await powerState(VM1), "poweredOn");
    await bring(VM1, "poweredOff");
    await assertRefused("reset", VM1, `Failed to reset domain '${VM1}'`, "Domain is not powered on");
  });

  test("shutdown (ShutdownGuest, not a task): the domain powers off; refused when it is off", async () => {
    await bring(VM1, "poweredOn");
    await sim.control.resetStats();
    const r = await esxvi(sim, ["shutdown", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' is being shutdown\n`, stderr: "" });
    const calls = await methodCalls();
    assert.is(calls["ShutdownGuest"], 1);
    assert.is(calls["CreateFilter"], undefined, "no task to wait for");
    assert.is(await powerState(VM1), "poweredOff");
    await assertRefused("shutdown", VM1, `Failed to shutdown domain '${VM1}'`, "Domain is not powered on");
  });

  test("reboot (RebootGuest, not a task): the domain stays running; refused when it is off", async () => {
    await bring(VM1, "poweredOn");
    await sim.control.resetStats();
    const r = await esxvi(sim, ["reboot", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' is being rebooted\n`, stderr: "" });
    assert.is((await methodCalls())["RebootGuest"], 1);
    assert.is(await powerState(VM1), "poweredOn");
    await bring(VM1, "poweredOff");
    await assertRefused("reboot", VM1, `Failed to reboot domain '${VM1}'`, "Domain is not powered on");
  });

  test("SOAP calls: a guest operation is lookup + call; a task is lookup + pre-task check + task + the waiter's calls", async () => {
    await bring(VM0, "poweredOn");
    let before = conn.calls;
    await domainLifecycle(conn, "reboot", await lookupDomain(conn, VM0));
    assert.is(conn.calls - before, 2);
    await sim.control.resetStats();
    before = conn.calls;
    await domainLifecycle(conn, "suspend", await lookupDomain(conn, VM0));
    const calls = await methodCalls();
    assert.is(calls["RetrievePropertiesEx"], 2, "one lookup, one pre-task check");
    assert.is(calls["SuspendVM_Task"], 1);
    assert.is(calls["CreatePropertyCollector"], 1);
    assert.is(calls["CreateFilter"], 1);
    assert.is(calls["DestroyPropertyCollector"], 1);
    const waits = calls["WaitForUpdatesEx"] ?? 0;
    assert.ok(waits >= 1);
    assert.is(conn.calls - before, 6 + waits);
    await domainLifecycle(conn, "resume", await lookupDomain(conn, VM0));
  });

  test("an unknown domain: virsh's 'failed to get domain', exit 1, nothing changed, for every command", async () => {
    const before = await serverState(conn);
    for (const action of ["start", "shutdown", "reboot", "reset", "destroy", "suspend", "resume"]) {
      const r = await esxvi(sim, [action, "no-such-vm"]);
      assert.equal(
        r,
        {
          status: 1,
          stdout: "",
          stderr: "error: failed to get domain 'no-such-vm'\nerror: Domain not found: no domain with name 'no-such-vm'\n",
        },
        action,
      );
    }
    assert.equal(await serverState(conn), before);
  });

  test("a domain given by id; -q drops the success line", async () => {
    await bring(VM0, "poweredOn");
    const id = String(Number(/\d+$/.exec((await serverState(conn)).vms[VM0]?.ref.value ?? "")?.[0]));
    let r = await esxvi(sim, ["suspend", id]);
    assert.equal(r, { status: 0, stdout: `Domain '${id}' suspended\n`, stderr: "" });
    r = await esxvi(sim, ["-q", "resume", VM0]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(await powerState(VM0), "poweredOn");
  });

  test("--help for every command", async () => {
    for (const action of ["start", "shutdown", "reboot", "reset", "destroy", "suspend", "resume"]) {
      const r = await esxvi(undefined, [action, "--help"]);
      assert.is(r.status, 0, action);
      assert.ok(r.stdout.startsWith(`Usage: esxvi ${action} [options] <domain>\n`), r.stdout);
    }
  });

  test.run();
}
