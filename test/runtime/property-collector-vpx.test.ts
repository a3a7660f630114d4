/**
 * libvirt's traversal specs on a vCenter model (a datacenter with a standalone host and a
 * cluster of three hosts): subtypes come back for their base type (a cluster for
 * ComputeResource, distributed portgroups for Network), clusters reach their hosts and
 * their datacenter, hosts their cluster, VMs and datastores; paging and container views
 * across the whole inventory.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lookupByType, retrieveFromView } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect } from "./helpers.js";

let sim: Simulator;
let session: Session;

function byName<T extends { readonly props: { readonly name?: string } }>(found: readonly T[]): string[] {
  return found.map((r) => r.props.name ?? "?").sort();
}

async function one<T extends string>(
  found: readonly { readonly obj: MoRef<T>; readonly props: { readonly name?: string } }[],
  name: string,
): Promise<MoRef<T>> {
  const hit = found.find((r) => r.props.name === name);
  if (hit === undefined) throw new Error(`no ${name} among ${byName(found).join(", ")}`);
  return hit.obj;
}

if (requireSimulator("runtime property collector (VPX)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx", vms: 2 });
    session = await connect(sim);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test("folderToChildEntity: datacenters, then compute resources of both kinds", async () => {
    const dcs = await lookupByType(session, session.serviceContent.rootFolder, "Datacenter", ["name", "hostFolder"]);
    assert.equal(byName(dcs), ["DC0"]);
    const hostFolder = dcs[0]?.props.hostFolder;
    if (hostFolder === undefined) throw new Error("no hostFolder");
    const crs = await lookupByType(session, hostFolder, "ComputeResource", ["name"]);
    assert.equal(crs.map((r) => [r.obj.type, r.props.name]).sort(), [
      ["ClusterComputeResource", "DC0_C0"],
      ["ComputeResource", "DC0_H0"],
    ]);
    const clusters = await lookupByType(session, hostFolder, "ClusterComputeResource", ["name"]);
    assert.equal(byName(clusters), ["DC0_C0"]);
    const folders = await lookupByType(session, session.serviceContent.rootFolder, "Folder", ["name"]);
    assert.equal(folders, []);
  });

  test("computeResourceToHost and computeResourceToParent(ToParent) from a cluster and a standalone host", async () => {
    const dc = await one(await lookupByType(session, session.serviceContent.rootFolder, "Datacenter", ["name"]), "DC0");
    const [dcInfo] = await lookupByType(session, dc, "Datacenter", ["hostFolder"]);
    const hostFolder = dcInfo?.props.hostFolder;
    if (hostFolder === undefined) throw new Error("no hostFolder");
    const crs = await lookupByType(session, hostFolder, "ComputeResource", ["name"]);
    const cluster = await one(crs, "DC0_C0");
    const standalone = await one(crs, "DC0_H0");
    assert.equal(byName(await lookupByType(session, cluster, "HostSystem", ["name"])), ["DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"]);
    assert.equal(byName(await lookupByType(session, standalone, "HostSystem", ["name"])), ["DC0_H0"]);
    for (const cr of [cluster, standalone]) {
      const up = await lookupByType(session, cr, "Datacenter", ["name"]);
      assert.equal(
        up.map((r) => r.obj),
        [dc],
        cr.value,
      );
    }
  });

  test("hostSystemToParent, hostSystemToVm and hostSystemToDatastore from a cluster host and a standalone host", async () => {
    const hosts = await retrieveFromView(session, session.serviceContent.rootFolder, "HostSystem", ["name"]);
    const clustered = await one(hosts, "DC0_C0_H0");
    const standalone = await one(hosts, "DC0_H0");
    const parentOfClustered = await lookupByType(session, clustered, "ComputeResource", ["name"]);
    assert.equal(
      parentOfClustered.map((r) => [r.obj.type, r.props.name]),
      [["ClusterComputeResource", "DC0_C0"]],
    );
    const parentOfStandalone = await lookupByType(session, standalone, "ComputeResource", ["name"]);
    assert.equal(
      parentOfStandalone.map((r) => [r.obj.type, r.props.name]),
      [["ComputeResource", "DC0_H0"]],
    );
    assert.equal(byName(await lookupByType(session, standalone, "VirtualMachine", ["name"])), ["DC0_H0_VM0", "DC0_H0_VM1"]);
    // The cluster's VMs are spread over its hosts: together they are the cluster's VMs.
    const clusterHosts = hosts.filter((h) => h.props.name?.startsWith("DC0_C0_") === true).map((h) => h.obj);
    const perHost = await Promise.all(clusterHosts.map((h) => lookupByType(session, h, "VirtualMachine", ["name"])));
    assert.equal(perHost.flatMap((vms) => byName(vms)).sort(), ["DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1"]);
    for (const h of [clustered, standalone]) {
      const ds = await lookupByType(session, h, "Datastore", ["summary.name"]);
      assert.equal(
        ds.map((r) => r.props["summary.name"]),
        ["LocalDS_0"],
        h.value,
      );
    }
  });

  test("datacenterToNetwork: standard networks and distributed portgroups", async () => {
    const dc = await one(await lookupByType(session, session.serviceContent.rootFolder, "Datacenter", ["name"]), "DC0");
    const nets = await lookupByType(session, dc, "Network", ["name"]);
    assert.equal(nets.map((r) => [r.obj.type, r.props.name]).sort(), [
      ["DistributedVirtualPortgroup", "DC0_DVPG0"],
      ["DistributedVirtualPortgroup", "DVS0-DVUplinks-9"],
      ["Network", "VM Network"],
    ]);
  });

  test("a container view over the whole inventory, paged", async () => {
    await sim.control.resetStats();
    const vms = await retrieveFromView(session, session.serviceContent.rootFolder, "VirtualMachine", ["name", "runtime.host"], {
      maxObjects: 1,
    });
    assert.equal(byName(vms), ["DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1", "DC0_H0_VM0", "DC0_H0_VM1"]);
    assert.ok(vms.every((v) => v.props["runtime.host"]?.type === "HostSystem"));
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["ContinueRetrievePropertiesEx"]?.calls, 3);
    assert.is(stats.byMethod["DestroyView"]?.calls, 1);
  });

  test.run();
}
