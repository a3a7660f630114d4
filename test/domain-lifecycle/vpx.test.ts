/**
 * The lifecycle, tuning and autostart commands through a vCenter (simulator VPX model,
 * vpx://…/DC0/DC0_H0): the vCenter session is the primary one (destroy included), the
 * domains are the host's, the host has its own autostart manager, and a question raised by
 * a power-on is handled the same way.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import type { ResourceAllocationInfo } from "../../generated/index.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { prop, serverState, vmOf } from "./helpers.js";

const PATH = { path: "DC0/DC0_H0" };
const VM0 = "DC0_H0_VM0";
const VM1 = "DC0_H0_VM1";
const OTHER = "DC0_C0_RP0_VM0";

let sim: Simulator;
let conn: Connection;

function cli(args: readonly string[], query: Readonly<Record<string, string>> = {}) {
  return esxvi(sim, args, { uri: simulatorUri(sim, { ...PATH, ...query }) });
}

async function powerState(name: string): Promise<unknown> {
  return prop(await serverState(conn), name, "runtime.powerState");
}

if (requireSimulator("domain lifecycle (vCenter)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx" });
    conn = await connectTo(sim, PATH);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("the connection is the vCenter's: destroy and start go through it", async () => {
    assert.ok(conn.vcenter !== undefined && conn.vcenter === conn.primary);
    assert.is(conn.host, undefined);
    assert.is(await powerState(VM0), "poweredOn");
    await sim.control.resetStats();
    let r = await cli(["destroy", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' destroyed\n`, stderr: "" });
    assert.is((await sim.control.stats()).byMethod["PowerOffVM_Task"]?.calls, 1);
    assert.is(await powerState(VM0), "poweredOff");
    r = await cli(["start", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' started\n`, stderr: "" });
    assert.is(await powerState(VM0), "poweredOn");
  });

  test("suspend, resume, reset, reboot, shutdown on the vCenter; wrong power states refused, nothing changed", async () => {
    let r = await cli(["suspend", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' suspended\n`, stderr: "" });
    assert.is(await powerState(VM1), "suspended");
    const before = await serverState(conn);
    r = await cli(["start", VM1]);
    assert.equal(r, { status: 1, stdout: "", stderr: `error: Failed to start domain '${VM1}'\nerror: Domain is not powered off\n` });
    r = await cli(["reboot", VM1]);
    assert.equal(r, { status: 1, stdout: "", stderr: `error: Failed to reboot domain '${VM1}'\nerror: Domain is not powered on\n` });
    assert.equal(await serverState(conn), before);
    r = await cli(["resume", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' resumed\n`, stderr: "" });
    r = await cli(["reset", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' was reset\n`, stderr: "" });
    r = await cli(["reboot", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' is being rebooted\n`, stderr: "" });
    r = await cli(["shutdown", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' is being shutdown\n`, stderr: "" });
    assert.is(await powerState(VM1), "poweredOff");
  });

  test("a domain of another host of the vCenter is not this connection's", async () => {
    const before = await serverState(conn);
    const r = await cli(["destroy", OTHER]);
    assert.equal(r, {
      status: 1,
      stdout: "",
      stderr: `error: failed to get domain '${OTHER}'\nerror: Domain not found: no domain with name '${OTHER}'\n`,
    });
    assert.equal(await serverState(conn), before);
  });

  test("a question raised by the power-on: auto_answer=0 fails and leaves the VM off, auto_answer=1 answers and starts it", async () => {
    assert.is(await powerState(VM1), "poweredOff");
    await sim.control.question(VM1);
    let r = await cli(["start", VM1]);
    assert.is(r.status, 1);
    assert.ok(
      r.stderr.startsWith(
        `error: Failed to start domain '${VM1}'\nerror: Pending question blocks virtual machine execution, question is 'msg.uuid.altered:`,
      ),
      r.stderr,
    );
    assert.ok(r.stderr.endsWith("', possible answers are 'Cancel', 'I Moved It', 'I Copied It'\n"), r.stderr);
    assert.is(await powerState(VM1), "poweredOff");
    assert.is(prop(await serverState(conn), VM1, "runtime.question"), undefined);
    await sim.control.question(VM1);
    r = await cli(["start", VM1], { auto_answer: "1" });
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' started\n`, stderr: "" });
    assert.is(await powerState(VM1), "poweredOn");
  });

  test("setmem, memtune and schedinfo read back from the VM through the vCenter", async () => {
    let r = await cli(["setmem", VM0, "256M"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    r = await cli(["memtune", VM0, "--min-guarantee", "128M"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    r = await cli(["schedinfo", VM0, "reservation=250", "shares=-3"]);
    assert.equal(r, {
      status: 0,
      stdout: "Scheduler      : allocation\nreservation    : 250\nlimit          : -1\nshares         : -3\n",
      stderr: "",
    });
    const state = await serverState(conn);
    const memory = prop(state, VM0, "config.memoryAllocation") as ResourceAllocationInfo;
    const cpu = prop(state, VM0, "config.cpuAllocation") as ResourceAllocationInfo;
    assert.is(memory.limit, 256n);
    assert.is(memory.reservation, 128n);
    assert.is(cpu.reservation, 250n);
    assert.is(cpu.shares?.level, "high");
    r = await cli(["memtune", VM0]);
    assert.equal(r.stdout, "min_guarantee  : 131072\n");
  });

  test("autostart uses the host's own manager on the vCenter", async () => {
    const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
    assert.ok(mgr !== undefined);
    assert.is(mgr.value, `autoStartManager-${conn.inventory.hostSystem.ref.value}`);
    const r = await cli(["autostart", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' marked as autostarted\n`, stderr: "" });
    const state = await serverState(conn);
    assert.is(state.autostart?.defaults?.enabled, true);
    assert.equal(
      (state.autostart?.powerInfo ?? []).map((p) => [p.key.value, p.startAction]),
      [[vmOf(state, VM0).ref.value, "powerOn"]],
    );
    const info = await cli(["dominfo", VM0]);
    assert.match(info.stdout, /\nAutostart:      enable\n/);
  });

  test.run();
}
