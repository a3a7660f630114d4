/**
 * vSphere's compatibility check before a migration (VPX model; -amd-hosts gives DC0_C0_H1 an
 * AMD processor, every other host has an Intel one): a running VM cannot move to a host of
 * another CPU vendor, reported with libvirt's line for a failed validation and nothing moved;
 * a compatible host and a powered-off VM migrate; the checker's faults are kept on the error.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isFault } from "../../runtime/faults.js";
import { retrieveFromView } from "../../runtime/property-collector.js";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { performMigration } from "../../drivers/domain/migrate.js";
import { MigrationCompatibilityError } from "../../drivers/domain/vmotion-compatibility.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
let src: string;
let source: Connection;
const hosts = new Map<string, string>();
const poolOfHost = new Map<string, string>();

function uriOf(host: string): string {
  return `vpxmigr://127.0.0.1/${poolOfHost.get(host) ?? ""}/${hosts.get(host) ?? ""}`;
}

async function hostOf(vmName: string): Promise<string> {
  const vms = await retrieveFromView(source.primary, source.primary.serviceContent.rootFolder, "VirtualMachine", ["name", "runtime.host"]);
  const ref = vms.find((v) => v.props.name === vmName)?.props["runtime.host"]?.value;
  return [...hosts].find(([, v]) => v === ref)?.[0] ?? `${ref}`;
}

async function calls(method: string): Promise<number> {
  return (await sim.control.stats()).byMethod[method]?.calls ?? 0;
}

const INCOMPATIBLE =
  "Could not migrate domain 'DC0_H0_VM0', validation reported a problem: The CPU vendor of host DC0_C0_H1 (amd) differs from that of host DC0_H0 (intel), where the virtual machine runs.";

if (requireSimulator("vMotion compatibility (vpx)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx", extraArgs: ["-amd-hosts", "DC0_C0_H1"] });
    src = simulatorUri(sim, { path: "DC0/DC0_H0" });
    source = await openConnection(src, { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
    for (const h of await retrieveFromView(source.primary, source.primary.serviceContent.rootFolder, "HostSystem", ["name"]))
      hosts.set(h.props.name ?? "", h.obj.value);
    for (const cr of await retrieveFromView(source.primary, source.primary.serviceContent.rootFolder, "ComputeResource", [
      "host",
      "resourcePool",
    ])) {
      for (const h of cr.props.host ?? []) {
        const name = [...hosts].find(([, v]) => v === h.value)?.[0];
        if (name !== undefined) poolOfHost.set(name, cr.props.resourcePool?.value ?? "");
      }
    }
  });

  test.after(async () => {
    await source.close();
    await sim.stop();
  });

  test("a running VM to a host of another CPU vendor: refused after ValidateMigration, nothing moves", async () => {
    await sim.control.resetStats();
    const r = await esxvi(sim, ["migrate", "DC0_H0_VM0", uriOf("DC0_C0_H1")], { uri: src });
    assert.equal(r, { status: 1, stdout: "", stderr: `error: ${INCOMPATIBLE}\n` });
    assert.is(await calls("ValidateMigration"), 1);
    assert.is(await calls("CheckCompatibility_Task"), 1);
    assert.is(await calls("MigrateVM_Task"), 0);
    assert.is(await hostOf("DC0_H0_VM0"), "DC0_H0");
  });

  test("the error keeps the checker's faults", async () => {
    try {
      await performMigration(source, await lookupDomain(source, "DC0_H0_VM0"), uriOf("DC0_C0_H1"));
      assert.unreachable("migrated");
    } catch (e) {
      assert.instance(e, MigrationCompatibilityError);
      const err = e as MigrationCompatibilityError;
      assert.is(err.code, "INTERNAL_ERROR");
      assert.is(err.message, INCOMPATIBLE);
      assert.is(err.faults.length, 1);
      assert.ok(isFault(err.faults[0], "CpuIncompatible"));
      assert.ok(isFault(err.faults[0], "VirtualHardwareCompatibilityIssue"));
    }
    assert.is(await hostOf("DC0_H0_VM0"), "DC0_H0");
  });

  test("a host of the same CPU vendor passes the check and the VM moves", async () => {
    await sim.control.resetStats();
    const r = await esxvi(sim, ["migrate", "--live", "DC0_H0_VM0", uriOf("DC0_C0_H2")], { uri: src });
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(await calls("CheckCompatibility_Task"), 1);
    assert.is(await calls("MigrateVM_Task"), 1);
    assert.is(await hostOf("DC0_H0_VM0"), "DC0_C0_H2");
  });

  test("a powered-off VM has no CPU to keep: it moves to the AMD host", async () => {
    assert.is((await esxvi(sim, ["destroy", "DC0_H0_VM1"], { uri: src })).status, 0);
    const r = await esxvi(sim, ["migrate", "DC0_H0_VM1", uriOf("DC0_C0_H1")], { uri: src });
    assert.equal(r, { status: 0, stdout: "", stderr: "" });
    assert.is(await hostOf("DC0_H0_VM1"), "DC0_C0_H1");
  });
}

test.run();
