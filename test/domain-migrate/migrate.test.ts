/**
 * Migration through vCenter on the simulator (VPX model: standalone host DC0_H0 with its VMs,
 * cluster DC0_C0 with hosts DC0_C0_H0..2): migrate DOMAIN DESTURI opens the destination,
 * Prepares its vpxmigr:// URI, Performs (ValidateMigration, then MigrateVM_Task) and
 * Finishes (the domain found there); the VM's host and resource pool on the server before
 * and after; a validation problem (first event's message, nothing moved); URI checks; a
 * pending question; SOAP calls.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EsxviError } from "../../errors/esxvi-error.js";
import { retrieveFromView } from "../../runtime/property-collector.js";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { MigrationValidationError, parseMigrationUri, performMigration, prepareMigration } from "../../drivers/domain/migrate.js";
import { esxvi, simulatorUri, type CliResult } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
let src: string;
let dst: string;
let source: Connection;
let dest: Connection;
/** Host name → moref value, and each compute resource's pool by host name. */
const hosts = new Map<string, string>();
const poolOfHost = new Map<string, string>();

async function placement(vmName: string): Promise<{ host: string; pool: string }> {
  const vms = await retrieveFromView(source.primary, source.primary.serviceContent.rootFolder, "VirtualMachine", [
    "name",
    "runtime.host",
    "resourcePool",
  ]);
  const vm = vms.find((v) => v.props.name === vmName);
  if (vm === undefined) throw new Error(`no VM ${vmName}`);
  const hostRef = vm.props["runtime.host"]?.value ?? "";
  const host = [...hosts].find(([, v]) => v === hostRef)?.[0] ?? hostRef;
  return { host, pool: vm.props.resourcePool?.value ?? "" };
}

function fails(r: CliResult, stderr: string): void {
  assert.is(r.stdout, "");
  assert.is(r.stderr, stderr);
  assert.is(r.status, 1);
}

if (requireSimulator("domain migrate (vpx)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx" });
    src = simulatorUri(sim, { path: "DC0/DC0_H0" });
    dst = simulatorUri(sim, { path: "DC0/DC0_C0/DC0_C0_H2" });
    const credentials = { env: { ESXVI_PASSWORD: sim.password } };
    source = await openConnection(src, { credentials });
    dest = await openConnection(dst, { credentials });
    for (const h of await retrieveFromView(source.primary, source.primary.serviceContent.rootFolder, "HostSystem", ["name", "parent"]))
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
    await dest.close();
    await sim.stop();
  });

  test("Prepare: the destination's vpxmigr:// URI names its vCenter, resource pool and host", async () => {
    assert.is(await prepareMigration(dest), `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_C0_H2")}/${hosts.get("DC0_C0_H2")}`);
    assert.is(await prepareMigration(source), `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_H0")}/${hosts.get("DC0_H0")}`);
    assert.equal(parseMigrationUri("vpxmigr://10.0.0.1/resgroup-1/host-2"), {
      server: "10.0.0.1",
      resourcePool: { _typeName: "ManagedObjectReference", type: "ResourcePool", value: "resgroup-1" },
      hostSystem: { _typeName: "ManagedObjectReference", type: "HostSystem", value: "host-2" },
    });
  });

  test("migrate --live DOMAIN DESTURI moves the VM to the destination's host and pool; it is listed there", async () => {
    assert.equal(await placement("DC0_H0_VM0"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
    const r = await esxvi(sim, ["migrate", "--live", "DC0_H0_VM0", dst], { uri: src });
    assert.is(r.stderr, "");
    assert.is(r.stdout, "");
    assert.is(r.status, 0);
    assert.equal(await placement("DC0_H0_VM0"), { host: "DC0_C0_H2", pool: poolOfHost.get("DC0_C0_H2") });
    assert.is((await esxvi(sim, ["list", "--all", "--name"], { uri: src })).stdout, "DC0_H0_VM1\n");
    assert.is((await esxvi(sim, ["list", "--all", "--name"], { uri: dst })).stdout, "DC0_H0_VM0\n");
  });

  test("migrate back with --json: the URI used, the target and the domain as the destination sees it", async () => {
    const r = await esxvi(sim, ["migrate", "DC0_H0_VM0", src, "--json"], { uri: dst });
    assert.is(r.status, 0, r.stderr);
    const uuid = JSON.parse((await esxvi(sim, ["dominfo", "DC0_H0_VM0", "--json"], { uri: src })).stdout).uuid as string;
    assert.equal(JSON.parse(r.stdout), {
      domain: "DC0_H0_VM0",
      uuid,
      uri: `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_H0")}/${hosts.get("DC0_H0")}`,
      resourcePool: poolOfHost.get("DC0_H0"),
      hostSystem: hosts.get("DC0_H0"),
      destination: { name: "DC0_H0_VM0", uuid },
    });
    assert.equal(await placement("DC0_H0_VM0"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
  });

  test("a vpxmigr:// URI as DESTURI migrates without a destination connection", async () => {
    const uri = `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_C0_H1")}/${hosts.get("DC0_C0_H1")}`;
    const r = await esxvi(sim, ["migrate", "DC0_H0_VM1", uri], { uri: src });
    assert.is(r.status, 0, r.stderr);
    assert.equal(await placement("DC0_H0_VM1"), { host: "DC0_C0_H1", pool: poolOfHost.get("DC0_C0_H1") });
    const back = await esxvi(sim, ["migrate", "DC0_H0_VM1", `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_H0")}/${hosts.get("DC0_H0")}`], {
      uri: dst.replace("DC0_C0_H2", "DC0_C0_H1"),
    });
    assert.is(back.status, 0, back.stderr);
    assert.equal(await placement("DC0_H0_VM1"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
  });

  test("a validation problem is an error with the first event's message; nothing moves", async () => {
    const mixed = `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_H0")}/${hosts.get("DC0_C0_H2")}`;
    await sim.control.resetStats();
    fails(
      await esxvi(sim, ["migrate", "DC0_H0_VM1", dst, mixed], { uri: src }),
      "error: Could not migrate domain 'DC0_H0_VM1', validation reported a problem: Resource pool Resources does not belong to the compute resource of host DC0_C0_H2.\n",
    );
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["ValidateMigration"]?.calls, 1);
    assert.is(stats.byMethod["MigrateVM_Task"], undefined);
    assert.equal(await placement("DC0_H0_VM1"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
    try {
      await performMigration(source, "DC0_H0_VM1", mixed);
      assert.unreachable("migrated");
    } catch (e) {
      assert.instance(e, MigrationValidationError);
      assert.is((e as MigrationValidationError).code, "INTERNAL_ERROR");
      assert.is((e as MigrationValidationError).events.length, 1);
      assert.is(
        (e as MigrationValidationError).events[0]?.fullFormattedMessage,
        "Resource pool Resources does not belong to the compute resource of host DC0_C0_H2.",
      );
    }
  });

  test("libvirt's URI checks, rename and offline refused, unknown domain; nothing moves", async () => {
    const pool = poolOfHost.get("DC0_C0_H2") ?? "";
    const host = hosts.get("DC0_C0_H2") ?? "";
    for (const [args, stderr] of [
      [["DC0_H0_VM1", dst, `http://127.0.0.1/${pool}/${host}`], "error: Only vpxmigr:// migration URIs are supported\n"],
      [
        ["DC0_H0_VM1", dst, `vpxmigr://10.0.0.1/${pool}/${host}`],
        "error: Migration source and destination have to refer to the same vCenter\n",
      ],
      [["DC0_H0_VM1", dst, `vpxmigr://127.0.0.1/${pool}`], "error: Migration URI has to specify resource pool and host system\n"],
      [["DC0_H0_VM1", dst, "--dname", "other"], "error: Renaming domains on migration not supported\n"],
      [["DC0_H0_VM1", dst, "--offline"], "error: offline migration is not supported by the ESX driver\n"],
      [["nodom", dst], "error: failed to get domain 'nodom'\nerror: Domain not found: no domain with name 'nodom'\n"],
    ] as const) {
      fails(await esxvi(sim, ["migrate", ...args], { uri: src }), stderr);
    }
    assert.equal(await placement("DC0_H0_VM1"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
  });

  test("a pending question blocks the migration (auto_answer=0); nothing moves", async () => {
    await sim.control.question("DC0_H0_VM1", { now: true, text: "Proceed?", choices: ["Yes", "No"], defaultIndex: 1 });
    fails(
      await esxvi(sim, ["migrate", "DC0_H0_VM1", dst], { uri: src }),
      "error: Pending question blocks virtual machine execution, question is 'Proceed?', possible answers are 'Yes', 'No'\n",
    );
    assert.equal(await placement("DC0_H0_VM1"), { host: "DC0_H0", pool: poolOfHost.get("DC0_H0") });
  });

  test("SOAP calls: lookup, pre-task check, ValidateMigration, CheckCompatibility_Task and its wait, MigrateVM_Task and the wait; 3 when validation fails", async () => {
    const count = async (conn: Connection, f: () => Promise<unknown>): Promise<number> => {
      const before = conn.calls;
      await f().catch((e: unknown) => {
        if (!(e instanceof EsxviError)) throw e;
      });
      return conn.calls - before;
    };
    const target = await prepareMigration(dest);
    assert.is(await count(source, () => performMigration(source, "DC0_H0_VM0", target)), 1 + 1 + 1 + 1 + 4 + 1 + 4);
    assert.equal(await placement("DC0_H0_VM0"), { host: "DC0_C0_H2", pool: poolOfHost.get("DC0_C0_H2") });
    const mixed = `vpxmigr://127.0.0.1/${poolOfHost.get("DC0_H0")}/${hosts.get("DC0_C0_H2")}`;
    assert.is(await count(dest, () => performMigration(dest, "DC0_H0_VM0", mixed)), 3);
  });

  test("migrate --help", async () => {
    const r = await esxvi(undefined, ["migrate", "--help"]);
    assert.is(r.status, 0);
    assert.ok(r.stdout.startsWith("Usage: esxvi migrate [options] <domain> <desturi> [migrateuri]"), r.stdout);
  });
}

test.run();
