/**
 * The property collector on an ESX-model simulator with 25 VMs: paging with maxObjects
 * (no object lost past the first page, the calls the server saw), an abort between pages
 * cancels the server's result set, each of libvirt's traversal specs that applies to a
 * standalone host, container views (destroyed afterwards), retrieveMany in one call, and
 * typed results (property path → typed value, at run time and at compile time).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AnyVirtualDevice, UserSession } from "../../generated/index.js";
import { AbortError } from "../../errors/esxvi-error.js";
import {
  lookupByType,
  ref,
  retrieveFromView,
  retrieveMany,
  retrieveOne,
  selectSetFor,
  SELECT_SETS,
} from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect, HA_HOST } from "./helpers.js";

const VMS = 25;
let sim: Simulator;
let session: Session;
const allNames = Array.from({ length: VMS }, (_, i) => `ha-host_VM${i}`).sort();

function names(found: readonly { readonly props: { readonly name?: string } }[]): string[] {
  return found.map((r) => r.props.name ?? "?").sort();
}

async function calls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([k, v]) => [k, v.calls]));
}

if (requireSimulator("runtime property collector (ESX)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: VMS });
    session = await connect(sim);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test("paging: maxObjects 4 over 25 VMs loses nothing (1 RetrievePropertiesEx + 6 ContinueRetrievePropertiesEx)", async () => {
    await sim.control.resetStats();
    const found = await lookupByType(session, HA_HOST, "VirtualMachine", ["name", "runtime.powerState"], { maxObjects: 4 });
    assert.equal(names(found), allNames);
    assert.is(new Set(found.map((r) => r.obj.value)).size, VMS);
    assert.ok(found.every((r) => r.props["runtime.powerState"] === "poweredOn" && r.missing.length === 0));
    assert.equal(await calls(), { RetrievePropertiesEx: 1, ContinueRetrievePropertiesEx: 6 });
    // Without maxObjects: one page.
    await sim.control.resetStats();
    assert.equal(names(await lookupByType(session, HA_HOST, "VirtualMachine", ["name"])), allNames);
    assert.equal(await calls(), { RetrievePropertiesEx: 1 });
    // A page size that divides the count exactly, and one larger than the count.
    for (const [maxObjects, continues] of [
      [5, 4],
      [25, 0],
      [100, 0],
      [1, 24],
    ] as const) {
      await sim.control.resetStats();
      assert.equal(names(await lookupByType(session, HA_HOST, "VirtualMachine", ["name"], { maxObjects })), allNames, String(maxObjects));
      const c = await calls();
      assert.is(c["ContinueRetrievePropertiesEx"] ?? 0, continues, String(maxObjects));
    }
  });

  test("an abort between pages cancels the server's result set and is a typed AbortError", async () => {
    await sim.control.resetStats();
    const controller = new AbortController();
    const client = session.client;
    const invoke = client.invoke;
    // Abort as soon as the first page has arrived.
    client.invoke = async (registry, method, args, options) => {
      const r = await invoke.call(client, registry, method, args, options);
      if (method === "RetrievePropertiesEx") controller.abort();
      return r;
    };
    let error: unknown;
    try {
      await lookupByType(session, HA_HOST, "VirtualMachine", ["name"], { maxObjects: 4, signal: controller.signal });
    } catch (e) {
      error = e;
    } finally {
      client.invoke = invoke;
    }
    assert.instance(error, AbortError);
    assert.is((error as AbortError).code, "OPERATION_ABORTED");
    assert.equal(await calls(), { RetrievePropertiesEx: 1, CancelRetrievePropertiesEx: 1 });
  });

  test("libvirt's traversals on a standalone host", async () => {
    const sc = session.serviceContent;
    const [dc] = await lookupByType(session, sc.rootFolder, "Datacenter", ["name", "hostFolder"]); // folderToChildEntity
    assert.equal(dc?.obj, ref("Datacenter", "ha-datacenter"));
    assert.is(dc?.props.name, "ha-datacenter");
    const hostFolder = dc?.props.hostFolder;
    if (hostFolder === undefined) throw new Error("no hostFolder");
    const crs = await lookupByType(session, hostFolder, "ComputeResource", ["name"]); // folderToChildEntity
    assert.equal(
      crs.map((r) => r.obj),
      [ref("ComputeResource", "ha-compute-res")],
    );
    const cr = ref("ComputeResource", "ha-compute-res");
    const hosts = await lookupByType(session, cr, "HostSystem", ["name"]); // computeResourceToHost
    assert.equal(
      hosts.map((r) => [r.obj.value, r.props.name]),
      [["ha-host", "localhost.localdomain"]],
    );
    const dcs = await lookupByType(session, cr, "Datacenter", ["name"]); // computeResourceToParent(ToParent)
    assert.equal(
      dcs.map((r) => r.obj.value),
      ["ha-datacenter"],
    );
    const parents = await lookupByType(session, HA_HOST, "ComputeResource", ["name"]); // hostSystemToParent
    assert.equal(
      parents.map((r) => r.obj),
      [cr],
    );
    const vms = await lookupByType(session, HA_HOST, "VirtualMachine", ["name"]); // hostSystemToVm
    assert.equal(names(vms), allNames);
    const ds = await lookupByType(session, HA_HOST, "Datastore", ["summary.name"]); // hostSystemToDatastore
    assert.equal(
      ds.map((r) => r.props["summary.name"]),
      ["LocalDS_0"],
    );
    const nets = await lookupByType(session, ref("Datacenter", "ha-datacenter"), "Network", ["name"]); // datacenterToNetwork
    assert.equal(
      nets.map((r) => [r.obj.value, r.props.name]),
      [["HaNetwork-VM Network", "VM Network"]],
    );
    const self = await lookupByType(session, HA_HOST, "HostSystem", ["name"]); // the object itself
    assert.equal(
      self.map((r) => r.obj),
      [HA_HOST],
    );
    // Folders from a folder: its direct children only (libvirt's sets do not recurse), never itself.
    const folders = await lookupByType(session, sc.rootFolder, "Folder", ["name"]);
    assert.equal(folders, []);
  });

  test("selectSetFor picks libvirt's set and refuses other lookups", () => {
    assert.equal(selectSetFor("Folder", "Datacenter"), SELECT_SETS.folderToChildEntity());
    assert.equal(selectSetFor("ClusterComputeResource", "HostSystem"), SELECT_SETS.computeResourceToHost());
    assert.equal(selectSetFor("ComputeResource", "Datacenter"), SELECT_SETS.computeResourceToParentToParent());
    assert.equal(selectSetFor("HostSystem", "ClusterComputeResource"), SELECT_SETS.hostSystemToParent());
    assert.equal(selectSetFor("HostSystem", "VirtualMachine"), SELECT_SETS.hostSystemToVm());
    assert.equal(selectSetFor("HostSystem", "Datastore"), SELECT_SETS.hostSystemToDatastore());
    assert.equal(selectSetFor("Datacenter", "Network"), SELECT_SETS.datacenterToNetwork());
    assert.is(selectSetFor("VirtualMachine", "VirtualMachine"), undefined);
    assert.equal(SELECT_SETS.computeResourceToParentToParent(), [
      { _typeName: "TraversalSpec", name: "managedEntityToParent", type: "ManagedEntity", path: "parent", skip: false },
      {
        _typeName: "TraversalSpec",
        name: "computeResourceToParent",
        type: "ComputeResource",
        path: "parent",
        skip: false,
        selectSet: [{ _typeName: "SelectionSpec", name: "managedEntityToParent" }],
      },
    ]);
    assert.throws(
      () => selectSetFor("VirtualMachine", "Datastore"),
      (e: unknown) => e instanceof Error && e.message === "Invalid lookup of 'Datastore' from 'VirtualMachine'",
    );
  });

  test("container views: recursive and not, paged, destroyed afterwards", async () => {
    await sim.control.resetStats();
    const viewManager = session.ref("viewManager");
    const all = await retrieveFromView(session, session.serviceContent.rootFolder, "VirtualMachine", ["name"], { maxObjects: 7 });
    assert.equal(names(all), allNames);
    const direct = await retrieveFromView(session, session.serviceContent.rootFolder, "VirtualMachine", ["name"], { recursive: false });
    assert.equal(direct, [], "no VM sits directly in the root folder");
    const inVmFolder = await retrieveFromView(session, ref("Folder", "ha-folder-vm"), "VirtualMachine", ["name"], { recursive: false });
    assert.equal(names(inVmFolder), allNames);
    const c = await calls();
    assert.is(c["CreateContainerView"], 3);
    assert.is(c["DestroyView"], 3);
    assert.is(c["ContinueRetrievePropertiesEx"], 3);
    assert.equal((await retrieveOne(session, viewManager, ["viewList"])).props.viewList ?? [], []);
  });

  test("retrieveMany reads several objects in one call", async () => {
    const vms = await lookupByType(session, HA_HOST, "VirtualMachine", ["name"]);
    const some = vms.slice(0, 5).map((r) => r.obj);
    await sim.control.resetStats();
    const got = await retrieveMany(session, "VirtualMachine", some, ["name", "config.hardware.numCPU"]);
    assert.equal(got.map((r) => r.obj.value).sort(), some.map((r) => r.value).sort());
    assert.ok(got.every((r) => r.props["config.hardware.numCPU"] === 1));
    assert.equal(await calls(), { RetrievePropertiesEx: 1 });
    assert.equal(await retrieveMany(session, "VirtualMachine", [], ["name"]), []);
  });

  test("typed results: each property path has its declared type, at run time and compile time", async () => {
    const [first] = await lookupByType(session, HA_HOST, "VirtualMachine", ["name"]);
    if (first === undefined) throw new Error("no VM");
    const r = await retrieveOne(session, first.obj, [
      "name",
      "config.hardware.numCPU",
      "config.template",
      "summary.storage.committed",
      "runtime.host",
      "datastore",
      "runtime.powerState",
      "config.hardware.device",
      "runtime.question",
      // @ts-expect-error a path the property set does not have does not compile (the server reports it missing)
      "bogus.property",
    ]);
    // Compile-time: these assignments type-check only when the paths are typed.
    const name: string | undefined = r.props.name;
    const cpus: number | undefined = r.props["config.hardware.numCPU"];
    const template: boolean | undefined = r.props["config.template"];
    const committed: bigint | undefined = r.props["summary.storage.committed"];
    const host: MoRef<"HostSystem"> | undefined = r.props["runtime.host"];
    const datastores: MoRef<"Datastore">[] | undefined = r.props.datastore;
    const devices: AnyVirtualDevice[] | undefined = r.props["config.hardware.device"];
    const power: string | undefined = r.props["runtime.powerState"];
    assert.is(typeof name, "string");
    assert.is(cpus, 1);
    assert.is(template, false);
    assert.is(typeof committed, "bigint");
    assert.equal(host, HA_HOST);
    assert.is(datastores?.length, 1);
    assert.is(datastores?.[0]?.type, "Datastore");
    assert.is(power, "poweredOn");
    assert.ok((devices?.length ?? 0) > 0);
    assert.ok(devices?.some((d) => d._typeName === "VirtualDisk"));
    assert.ok(devices?.every((d) => typeof d.key === "number"));
    assert.is(r.props["runtime.question"], undefined, "an unset property is absent");
    assert.equal(
      r.missing.map((m) => [m.path, m.fault.fault._typeName]),
      [["bogus.property", "InvalidProperty"]],
    );
    // A Date and a typed data object.
    const sm = await retrieveOne(session, session.ref("sessionManager"), ["currentSession"]);
    const current: UserSession | undefined = sm.props.currentSession;
    assert.is(current?._typeName, "UserSession");
    assert.instance(current?.loginTime, Date);
    assert.is(current?.key, session.userSession.key);
    const hostInfo = await retrieveOne(session, HA_HOST, ["summary.hardware.memorySize", "hardware.cpuInfo.hz"]);
    assert.is(typeof hostInfo.props["summary.hardware.memorySize"], "bigint");
    assert.is(typeof hostInfo.props["hardware.cpuInfo.hz"], "bigint");
  });

  test.run();
}
