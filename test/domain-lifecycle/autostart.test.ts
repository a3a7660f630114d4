/**
 * autostart and autostart --disable on the simulator (ESX model, HostAutoStartManager of
 * the launcher): the power-info entry libvirt writes, the host's general option switched on
 * only when no other VM is in the list (else OPERATION_INVALID, nothing changed), the state
 * as dominfo shows it, unknown domains, and the SOAP calls.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { setDomainAutostart } from "../../drivers/domain/autostart.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { ReconfigureAutostart, type AutoStartPowerInfo } from "../../generated/index.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { serverState, vmOf } from "./helpers.js";

const VM0 = "ha-host_VM0";
const VM1 = "ha-host_VM1";

let sim: Simulator;
let conn: Connection;

function entry(vm: string, startAction: "powerOn" | "none"): AutoStartPowerInfo {
  return {
    _typeName: "AutoStartPowerInfo",
    key: { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: vm },
    startOrder: -1,
    startDelay: -1,
    waitForHeartbeat: "systemDefault",
    startAction,
    stopDelay: -1,
    stopAction: "none",
  };
}

async function autostart() {
  const a = (await serverState(conn)).autostart;
  assert.ok(a !== undefined, "the host has an autostart configuration");
  return a;
}

async function refOf(name: string): Promise<string> {
  return vmOf(await serverState(conn), name).ref.value;
}

/** Test set-up: the host's general option, set directly. */
async function setDefaults(enabled: boolean): Promise<void> {
  const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
  assert.ok(mgr !== undefined);
  await ReconfigureAutostart(conn.primary.client, mgr, {
    spec: { _typeName: "HostAutoStartManagerConfig", defaults: { _typeName: "AutoStartDefaults", enabled } },
  });
}

async function dominfoAutostart(name: string): Promise<string | undefined> {
  const r = await esxvi(sim, ["dominfo", name]);
  return /\nAutostart:\s+(\S+)\n/.exec(r.stdout)?.[1];
}

if (requireSimulator("domain autostart")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("the host starts with general autostart off and no power-info entry", async () => {
    const a = await autostart();
    assert.is(a.defaults?.enabled, false);
    assert.equal(a.powerInfo ?? [], []);
    assert.is(await dominfoAutostart(VM0), "disable");
  });

  test("autostart: libvirt's power-info entry, and the general option switched on (no other VM listed); two SOAP calls", async () => {
    await sim.control.resetStats();
    const r = await esxvi(sim, ["autostart", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' marked as autostarted\n`, stderr: "" });
    const byMethod = (await sim.control.stats()).byMethod;
    assert.is(byMethod["RetrievePropertiesEx"]?.calls, 2, "inventory at connect, then the lookup with the manager's config");
    assert.is(byMethod["ReconfigureAutostart"]?.calls, 1);
    const a = await autostart();
    assert.is(a.defaults?.enabled, true);
    assert.equal(a.powerInfo, [entry(await refOf(VM0), "powerOn")]);
    assert.is(await dominfoAutostart(VM0), "enable");
    assert.is(await dominfoAutostart(VM1), "disable");
  });

  test("autostart --disable: start action none; the general option is left alone", async () => {
    const r = await esxvi(sim, ["autostart", "--disable", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' unmarked as autostarted\n`, stderr: "" });
    const a = await autostart();
    assert.is(a.defaults?.enabled, true);
    assert.equal(a.powerInfo, [entry(await refOf(VM0), "none")]);
    assert.is(await dominfoAutostart(VM0), "disable");
  });

  test("general option off and another VM listed: enabling is refused (OPERATION_INVALID), nothing changed", async () => {
    await setDefaults(false);
    const before = await serverState(conn);
    const r = await esxvi(sim, ["autostart", VM1]);
    assert.equal(r, {
      status: 1,
      stdout: "",
      stderr: `error: Failed to mark domain '${VM1}' as autostarted\nerror: Cannot enable general autostart option without affecting other domains\n`,
    });
    assert.equal(await serverState(conn), before);
    try {
      await setDomainAutostart(conn, await lookupDomain(conn, VM1, [], { autostart: true }), true);
      assert.unreachable("enabled the general option over another VM's entry");
    } catch (e) {
      assert.instance(e, EsxviError);
      assert.is((e as EsxviError).code, "OPERATION_INVALID");
    }
  });

  test("general option off: disabling needs no rule; enabling the only listed VM switches the option on", async () => {
    const vm0 = await refOf(VM0);
    // VM0 is the only entry: enabling it is safe.
    let r = await esxvi(sim, ["autostart", VM0]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' marked as autostarted\n`, stderr: "" });
    let a = await autostart();
    assert.is(a.defaults?.enabled, true);
    assert.equal(a.powerInfo, [entry(vm0, "powerOn")]);
    // Off again, then disabling VM1 adds its entry without touching the option.
    await setDefaults(false);
    r = await esxvi(sim, ["autostart", "--disable", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' unmarked as autostarted\n`, stderr: "" });
    a = await autostart();
    assert.is(a.defaults?.enabled, false);
    assert.equal(a.powerInfo, [entry(vm0, "powerOn"), entry(await refOf(VM1), "none")]);
    // The general option is off: nobody autostarts, whatever the entries say.
    assert.is(await dominfoAutostart(VM0), "disable");
  });

  test("general option on: any VM can be marked, entries are replaced per VM", async () => {
    await setDefaults(true);
    const r = await esxvi(sim, ["autostart", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' marked as autostarted\n`, stderr: "" });
    const a = await autostart();
    assert.equal(a.powerInfo, [entry(await refOf(VM0), "powerOn"), entry(await refOf(VM1), "powerOn")]);
    assert.is(await dominfoAutostart(VM0), "enable");
    assert.is(await dominfoAutostart(VM1), "enable");
  });

  test("an unknown domain: virsh's 'failed to get domain', nothing changed; -q and --help", async () => {
    const before = await serverState(conn);
    for (const args of [
      ["autostart", "no-such-vm"],
      ["autostart", "--disable", "no-such-vm"],
    ]) {
      const r = await esxvi(sim, args);
      assert.equal(r, {
        status: 1,
        stdout: "",
        stderr: "error: failed to get domain 'no-such-vm'\nerror: Domain not found: no domain with name 'no-such-vm'\n",
      });
    }
    assert.equal(await serverState(conn), before);
    const quiet = await esxvi(sim, ["-q", "autostart", VM1]);
    assert.equal(quiet, { status: 0, stdout: "", stderr: "" });
    const help = await esxvi(undefined, ["autostart", "--help"]);
    assert.is(help.status, 0);
    assert.ok(help.stdout.startsWith("Usage: esxvi autostart [options] <domain>\n"), help.stdout);
    assert.match(help.stdout, /--disable\s+disable autostarting/);
  });

  test.run();
}
