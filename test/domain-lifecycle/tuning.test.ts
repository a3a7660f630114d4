/**
 * setmem, setmaxmem, setvcpus, memtune and schedinfo on the simulator (ESX model): the
 * values written read back from the VM, virsh's default flags working where vSphere can do
 * them, clear refusals (power state, flags, values) that leave the server unchanged, the
 * output layouts and the SOAP calls.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainLifecycle } from "../../drivers/domain/lifecycle.js";
import { getSchedulerInfo, SCHEDULER_PATHS } from "../../drivers/domain/scheduler.js";
import type { ResourceAllocationInfo } from "../../generated/index.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { prop, reconfigure, serverState, vmOf } from "./helpers.js";

const VM0 = "ha-host_VM0";
const VM1 = "ha-host_VM1";

let sim: Simulator;
let conn: Connection;

function allocation(v: unknown): ResourceAllocationInfo {
  assert.ok(typeof v === "object" && v !== null, "an allocation");
  return v as ResourceAllocationInfo;
}

async function memoryAllocation(name: string): Promise<ResourceAllocationInfo> {
  return allocation(prop(await serverState(conn), name, "config.memoryAllocation"));
}

async function cpuAllocation(name: string): Promise<ResourceAllocationInfo> {
  return allocation(prop(await serverState(conn), name, "config.cpuAllocation"));
}

async function bring(name: string, state: "poweredOn" | "poweredOff" | "suspended"): Promise<void> {
  let now = prop(await serverState(conn), name, "runtime.powerState");
  if (now === state) return;
  if (now === "suspended") await domainLifecycle(conn, "resume", await lookupDomain(conn, name));
  now = prop(await serverState(conn), name, "runtime.powerState");
  if (state === "poweredOff" && now === "poweredOn") await domainLifecycle(conn, "destroy", await lookupDomain(conn, name));
  if (state !== "poweredOff" && now === "poweredOff") await domainLifecycle(conn, "start", await lookupDomain(conn, name));
  if (state === "suspended") await domainLifecycle(conn, "suspend", await lookupDomain(conn, name));
}

/** A refused command: exit 1, the two error lines, and the server unchanged. */
async function assertRefused(args: readonly string[], stderr: string): Promise<void> {
  const before = await serverState(conn);
  const r = await esxvi(sim, args);
  assert.equal(r, { status: 1, stdout: "", stderr }, args.join(" "));
  assert.equal(await serverState(conn), before, args.join(" "));
}

if (requireSimulator("domain tuning")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("setmem sets the memory limit (ceil KiB/1024 MiB) with virsh's default flags; dominfo shows it as used memory", async () => {
    await bring(VM0, "poweredOn");
    const before = await memoryAllocation(VM0);
    assert.is(before.limit, -1n);
    let r = await esxvi(sim, ["setmem", VM0, "48M"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.equal(await memoryAllocation(VM0), { ...before, limit: 48n });
    r = await esxvi(sim, ["setmem", VM0, "20000", "--live"]);
    assert.is(r.status, 0);
    assert.is((await memoryAllocation(VM0)).limit, 20n);
    r = await esxvi(sim, ["setmem", VM0, "--current", "1000"]);
    assert.is(r.status, 0);
    assert.is((await memoryAllocation(VM0)).limit, 1n);
    r = await esxvi(sim, ["setmem", VM0, "--live", "--config", "49152"]);
    assert.is(r.status, 0);
    assert.is((await memoryAllocation(VM0)).limit, 48n);
    r = await esxvi(sim, ["dominfo", VM0]);
    assert.match(r.stdout, /\nUsed memory:    49152 KiB\n/);
  });

  test("setmem on an inactive domain (its configuration), and its refusals", async () => {
    await bring(VM1, "poweredOff");
    const r = await esxvi(sim, ["setmem", VM1, "--config", "1G"]);
    assert.is(r.status, 0);
    assert.is((await memoryAllocation(VM1)).limit, 1024n);
    const context = `error: Unable to change MemorySize of domain '${VM1}'\n`;
    await assertRefused(["setmem", VM1, "--live", "1G"], `${context}error: domain is not running\n`);
    await bring(VM0, "poweredOn");
    await assertRefused(
      ["setmem", VM0, "--config", "1G"],
      `error: Unable to change MemorySize of domain '${VM0}'\nerror: vSphere applies this setting to the running domain too: use --live (with or without --config), or power the domain off to change its configuration only\n`,
    );
    await assertRefused(["setmem", VM0, "--current", "--live", "1G"], "error: Options --current and --live are mutually exclusive\n");
    await assertRefused(["setmem", VM0, "1X"], "error: Scaled numeric value '1X' for <size> option is malformed or out of range\n");
    await assertRefused(["setmem", VM0, "-5"], "error: Scaled numeric value '-5' for <size> option is malformed or out of range\n");
    await assertRefused(
      ["setmem", "no-such-vm", "1G"],
      "error: failed to get domain 'no-such-vm'\nerror: Domain not found: no domain with name 'no-such-vm'\n",
    );
  });

  test("setmaxmem sets memoryMB (ceil KiB/4096 × 4) on a powered-off domain; refused when active", async () => {
    await bring(VM1, "poweredOff");
    let r = await esxvi(sim, ["setmaxmem", VM1, "1000000"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(prop(await serverState(conn), VM1, "config.hardware.memoryMB"), 980);
    r = await esxvi(sim, ["setmaxmem", VM1, "--config", "2G"]);
    assert.is(r.status, 0);
    assert.is(prop(await serverState(conn), VM1, "config.hardware.memoryMB"), 2048);
    r = await esxvi(sim, ["dominfo", VM1]);
    assert.match(r.stdout, /\nMax memory:     2097152 KiB\n/);
    await assertRefused(
      ["setmaxmem", VM1, "--live", "1G"],
      `error: Unable to change MaxMemorySize of domain '${VM1}'\nerror: domain is not running\n`,
    );
    await bring(VM0, "poweredOn");
    for (const flags of [[], ["--config"], ["--live"], ["--current"]]) {
      await assertRefused(
        ["setmaxmem", VM0, ...flags, "1G"],
        `error: Unable to change MaxMemorySize of domain '${VM0}'\nerror: Domain is not powered off\n`,
      );
    }
    await bring(VM0, "suspended");
    await assertRefused(
      ["setmaxmem", VM0, "1G"],
      `error: Unable to change MaxMemorySize of domain '${VM0}'\nerror: Domain is not powered off\n`,
    );
    await bring(VM0, "poweredOn");
  });

  test("setvcpus on a powered-off domain: numCPUs with no flag, --config, --maximum --config; libvirt's bounds", async () => {
    await bring(VM1, "poweredOff");
    let r = await esxvi(sim, ["setvcpus", VM1, "2"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(prop(await serverState(conn), VM1, "config.hardware.numCPU"), 2);
    r = await esxvi(sim, ["setvcpus", VM1, "4", "--maximum", "--config"]);
    assert.is(r.status, 0);
    assert.is(prop(await serverState(conn), VM1, "config.hardware.numCPU"), 4);
    r = await esxvi(sim, ["setvcpus", VM1, "3", "--config"]);
    assert.is(r.status, 0);
    assert.is(prop(await serverState(conn), VM1, "config.hardware.numCPU"), 3);
    const context = `error: Unable to change the number of virtual CPUs of domain '${VM1}'\n`;
    await assertRefused(["setvcpus", VM1, "0"], `${context}error: Requested number of virtual CPUs must at least be 1\n`);
    await assertRefused(
      ["setvcpus", VM1, "129"],
      `${context}error: Requested number of virtual CPUs is greater than max allowable number of virtual CPUs for the domain: 129 > 128\n`,
    );
    await assertRefused(["setvcpus", VM1, "2", "--live"], `${context}error: domain is not running\n`);
    await assertRefused(["setvcpus", VM1, "two"], "error: Numeric value 'two' for <count> option is malformed or out of range\n");
  });

  test("setvcpus on a running domain: live with CPU hot add / hot remove only; --config or --maximum refused", async () => {
    await bring(VM0, "poweredOn");
    const vm = vmOf(await serverState(conn), VM0).ref;
    const context = `error: Unable to change the number of virtual CPUs of domain '${VM0}'\n`;
    await assertRefused(["setvcpus", VM0, "2"], `${context}error: CPU hot add is not enabled for this domain: power it off to add vCPUs\n`);
    const refusal =
      "error: Domain is not powered off: vSphere keeps one vCPU count, which is also the maximum and the next boot's; change a running domain's count with --live (CPU hot add/remove), or power it off\n";
    await assertRefused(["setvcpus", VM0, "2", "--config"], `${context}${refusal}`);
    await assertRefused(["setvcpus", VM0, "2", "--maximum", "--config"], `${context}${refusal}`);
    await reconfigure(conn, vm, { cpuHotAddEnabled: true });
    let r = await esxvi(sim, ["setvcpus", VM0, "2", "--live"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(prop(await serverState(conn), VM0, "config.hardware.numCPU"), 2);
    r = await esxvi(sim, ["setvcpus", VM0, "3", "--live", "--config"]);
    assert.is(r.status, 0);
    assert.is(prop(await serverState(conn), VM0, "config.hardware.numCPU"), 3);
    await assertRefused(
      ["setvcpus", VM0, "1"],
      `${context}error: CPU hot remove is not enabled for this domain: power it off to remove vCPUs\n`,
    );
    await reconfigure(conn, vm, { cpuHotRemoveEnabled: true });
    r = await esxvi(sim, ["setvcpus", VM0, "1"]);
    assert.is(r.status, 0);
    assert.is(prop(await serverState(conn), VM0, "config.hardware.numCPU"), 1);
    await bring(VM0, "suspended");
    await assertRefused(
      ["setvcpus", VM0, "2", "--live"],
      `${context}error: Domain is suspended: vSphere cannot change the vCPU count of a suspended domain\n`,
    );
    await bring(VM0, "poweredOn");
  });

  test("memtune: min_guarantee is the reservation (get, set in KiB rounded up to MiB, --json); the memory limit is kept", async () => {
    await bring(VM0, "poweredOn");
    const before = await memoryAllocation(VM0);
    assert.is(before.reservation, 0n);
    let r = await esxvi(sim, ["memtune", VM0]);
    assert.equal(r, { status: 0, stdout: "min_guarantee  : 0\n", stderr: "" });
    r = await esxvi(sim, ["memtune", VM0, "--min-guarantee", "1000"]);
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.equal(await memoryAllocation(VM0), { ...before, reservation: 1n });
    r = await esxvi(sim, ["memtune", VM0, "--min-guarantee", "16M", "--live"]);
    assert.is(r.status, 0);
    assert.equal(await memoryAllocation(VM0), { ...before, reservation: 16n });
    r = await esxvi(sim, ["memtune", VM0]);
    assert.equal(r, { status: 0, stdout: "min_guarantee  : 16384\n", stderr: "" });
    r = await esxvi(sim, ["memtune", VM0, "--json"]);
    assert.equal(JSON.parse(r.stdout), { domain: VM0, min_guarantee: 16384 });
  });

  test("memtune refusals: unsupported parameters, bad sizes, --config alone on a running domain, --live on an inactive one", async () => {
    await bring(VM0, "poweredOn");
    await bring(VM1, "poweredOff");
    const change = `error: Unable to change memory parameters of domain '${VM0}'\n`;
    await assertRefused(["memtune", VM0, "--hard-limit", "1G"], `${change}error: parameter 'hard_limit' not supported\n`);
    await assertRefused(
      ["memtune", VM0, "--soft-limit", "1G", "--min-guarantee", "1G"],
      `${change}error: parameter 'soft_limit' not supported\n`,
    );
    await assertRefused(["memtune", VM0, "--min-guarantee", "abc"], "error: Unable to parse integer parameter min-guarantee\n");
    await assertRefused(
      ["memtune", VM0, "--min-guarantee", "-1"],
      `${change}error: min_guarantee cannot be unlimited: the reservation is a size\n`,
    );
    await assertRefused(
      ["memtune", VM0, "--min-guarantee", "1G", "--config"],
      `${change}error: vSphere applies this setting to the running domain too: use --live (with or without --config), or power the domain off to change its configuration only\n`,
    );
    await assertRefused(
      ["memtune", VM1, "--live"],
      `error: Unable to get memory parameters of domain '${VM1}'\nerror: domain is not running\n`,
    );
    const r = await esxvi(sim, ["memtune", VM1, "--min-guarantee", "2G", "--config"]);
    assert.is(r.status, 0);
    assert.is((await memoryAllocation(VM1)).reservation, 2048n);
  });

  test("schedinfo shows the CPU allocation in virsh's layout; one retrieval after connect", async () => {
    await bring(VM0, "poweredOn");
    const r = await esxvi(sim, ["schedinfo", VM0]);
    assert.equal(r, {
      status: 0,
      stdout: "Scheduler      : allocation\nreservation    : 0\nlimit          : -1\nshares         : -2\n",
      stderr: "",
    });
    const calls = conn.calls;
    const info = await getSchedulerInfo(conn, await lookupDomain(conn, VM0, SCHEDULER_PATHS));
    assert.is(conn.calls - calls, 1);
    assert.equal(info.params, { reservation: 0, limit: -1, shares: -2 });
    const json = await esxvi(sim, ["schedinfo", VM0, "--json"]);
    assert.equal(JSON.parse(json.stdout), { domain: VM0, scheduler: "allocation", reservation: 0, limit: -1, shares: -2 });
  });

  test("schedinfo --set / name=value: reservation, limit, shares (custom, -1/-2/-3 ↔ low/normal/high) read back from the VM", async () => {
    await bring(VM0, "poweredOn");
    const before = await cpuAllocation(VM0);
    let r = await esxvi(sim, ["schedinfo", VM0, "--set", "reservation=100", "--set", "limit=2000", "shares=-1"]);
    assert.equal(r, {
      status: 0,
      stdout: "Scheduler      : allocation\nreservation    : 100\nlimit          : 2000\nshares         : -1\n",
      stderr: "",
    });
    let a = await cpuAllocation(VM0);
    assert.is(a.reservation, 100n);
    assert.is(a.limit, 2000n);
    assert.is(a.shares?.level, "low");
    assert.is(a.expandableReservation, before.expandableReservation);
    r = await esxvi(sim, ["schedinfo", VM0, "shares=500"]);
    assert.equal(r.stdout, "Scheduler      : allocation\nreservation    : 100\nlimit          : 2000\nshares         : 500\n");
    a = await cpuAllocation(VM0);
    assert.equal(a.shares, { _typeName: "SharesInfo", level: "custom", shares: 500 });
    for (const [value, level] of [
      ["-3", "high"],
      ["-2", "normal"],
    ] as const) {
      r = await esxvi(sim, ["schedinfo", VM0, `shares=${value}`, "--live"]);
      assert.is(r.status, 0);
      assert.is((await cpuAllocation(VM0)).shares?.level, level);
    }
    r = await esxvi(sim, ["schedinfo", VM0, "limit=-1"]);
    assert.is((await cpuAllocation(VM0)).limit, -1n);
    r = await esxvi(sim, ["schedinfo", VM0]);
    assert.equal(r.stdout, "Scheduler      : allocation\nreservation    : 100\nlimit          : -1\nshares         : -2\n");
    // The memory allocation is another object: untouched.
    assert.is((await memoryAllocation(VM0)).reservation, 16n);
  });

  test("schedinfo refusals: libvirt's value checks, unknown fields, syntax, flags — nothing changed", async () => {
    await bring(VM0, "poweredOn");
    const change = `error: Unable to change scheduler parameters of domain '${VM0}'\n`;
    await assertRefused(
      ["schedinfo", VM0, "reservation=-5"],
      `${change}error: Could not set reservation to -5 MHz, expecting positive value\n`,
    );
    await assertRefused(
      ["schedinfo", VM0, "limit=-2"],
      `${change}error: Could not set limit to -2 MHz, expecting positive value or -1 (unlimited)\n`,
    );
    await assertRefused(
      ["schedinfo", VM0, "shares=-4"],
      `${change}error: Could not set shares to -4, expecting positive value or -1 (low), -2 (normal) or -3 (high)\n`,
    );
    // A malformed command line is reported alone, as virsh does.
    await assertRefused(["schedinfo", VM0, "--set", "weight=5"], "error: invalid scheduler option: weight\n");
    await assertRefused(["schedinfo", VM0, "--set", "limit"], "error: Invalid syntax for --set, expecting name=value\n");
    await assertRefused(["schedinfo", VM0, "limit=abc"], "error: Invalid value for field 'limit': expecting a long long\n");
    await assertRefused(["schedinfo", VM0, "shares=3000000000"], "error: Invalid value for field 'shares': expecting an int\n");
    await assertRefused(
      ["schedinfo", VM0, "limit=10", "--config"],
      `${change}error: vSphere applies this setting to the running domain too: use --live (with or without --config), or power the domain off to change its configuration only\n`,
    );
    await assertRefused(["schedinfo", VM0, "--live", "--config"], "error: cannot query both live and config at once\n");
    await assertRefused(["schedinfo", VM0, "--current", "--config"], "error: Options --current and --config are mutually exclusive\n");
    await assertRefused(
      ["schedinfo", "no-such-vm", "limit=10"],
      "error: failed to get domain 'no-such-vm'\nerror: Domain not found: no domain with name 'no-such-vm'\n",
    );
  });

  test("a reconfiguration is lookup + pre-task check + ReconfigVM_Task + the waiter's calls", async () => {
    await bring(VM0, "poweredOn");
    await sim.control.resetStats();
    const r = await esxvi(sim, ["setmem", VM0, "64M"]);
    assert.is(r.status, 0);
    const byMethod = (await sim.control.stats()).byMethod;
    const calls = Object.fromEntries(Object.entries(byMethod).map(([m, v]) => [m, v.calls]));
    const waits = calls["WaitForUpdatesEx"] ?? 0;
    assert.ok(waits >= 1);
    const { WaitForUpdatesEx: _w, ...rest } = calls;
    // The CLI also connects (RetrieveServiceContent, Login, the inventory retrieval) and logs out.
    assert.equal(rest, {
      RetrieveServiceContent: 1,
      Login: 1,
      RetrievePropertiesEx: 3,
      ReconfigVM_Task: 1,
      CreatePropertyCollector: 1,
      CreateFilter: 1,
      DestroyPropertyCollector: 1,
      Logout: 1,
    });
  });

  test("--help for every command", async () => {
    for (const [cmd, usage] of [
      ["setmem", "<domain> <size>"],
      ["setmaxmem", "<domain> <size>"],
      ["setvcpus", "<domain> <count>"],
      ["memtune", "<domain>"],
      ["schedinfo", "<domain> [set...]"],
    ] as const) {
      const r = await esxvi(undefined, [cmd, "--help"]);
      assert.is(r.status, 0, cmd);
      assert.ok(r.stdout.startsWith(`Usage: esxvi ${cmd} [options] ${usage}\n`), r.stdout);
    }
  });

  test.run();
}
