/**
 * esx://…?vcenter=… (libvirt's esxConnectToVCenter for a host): the vCenter is reached on the
 * URI's port at the named address, must be a vCenter, and its view of the host is found by
 * the host's IP address (FindByIp, then the host's compute resource and datacenter up the
 * parent chain). This suite needs two servers on one port, so it starts two simulators: an
 * ESX host on 127.0.0.1:P and a vCenter on 127.0.0.2:P (whose hosts answer FindByIp for
 * 127.0.0.1).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openConnection } from "../../drivers/connection/connection.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

const PASSWORD = "vcenter-suite-pw";
let host: Simulator;
let vcenter: Simulator;

function uri(query: string): string {
  return `esx://root@127.0.0.1:${host.port}/?transport=http&${query}`;
}

const options = { credentials: { env: { ESXVI_PASSWORD: PASSWORD } } };

if (requireSimulator("connection (esx + vcenter)")) {
  test.before(async () => {
    host = await startSimulator({ model: "esx", password: PASSWORD });
    vcenter = await startSimulator({ model: "vpx", password: PASSWORD, extraArgs: ["-listen", `127.0.0.2:${host.port}`] });
  });

  test.after(async () => {
    await Promise.all([host.stop(), vcenter.stop()]);
  });

  test("vcenter=<address>: both sessions, the host as the vCenter sees it (FindByIp, then up its parents)", async () => {
    const conn = await openConnection(uri("vcenter=127.0.0.2"), options);
    try {
      assert.is(conn.primary, conn.host);
      assert.is(conn.host?.productLine, "esx");
      assert.is(conn.vcenter?.productLine, "vpx");
      assert.is(conn.inventory.hostSystem.ref.value, "ha-host");
      const vc = conn.vcenter;
      const seen = conn.vcenterInventory;
      if (vc === undefined || seen === undefined) throw new Error("no vCenter side");
      // The vCenter session: service content, login, FindByIp, one retrieval up the parents.
      assert.equal(Object.fromEntries(vc.vim.stats.byMethod), {
        RetrieveServiceContent: 1,
        Login: 1,
        FindByIp: 1,
        RetrievePropertiesEx: 1,
      });
      assert.is(conn.calls, 3 + 4);
      // FindByIp answers with any of the vCenter's hosts on 127.0.0.1; check the chain above it.
      const h = await retrieveOne(vc, seen.hostSystem.ref, ["name", "parent"]);
      assert.equal([h.props.name, h.props.parent?.value], [seen.hostSystem.name, seen.computeResource.ref.value]);
      assert.equal([seen.datacenter.name, seen.datacenter.path], ["DC0", "DC0"]);
      assert.ok(seen.computeResource.ref.type === "ClusterComputeResource" || seen.computeResource.ref.type === "ComputeResource");
      assert.ok(seen.computeResource.resourcePool.value !== "");
    } finally {
      await conn.close();
    }
  });

  test("vcenter=<an ESX host>: refused, it is not a vCenter", async () => {
    try {
      const c = await openConnection(uri("vcenter=127.0.0.1"), options);
      await c.close();
      assert.unreachable("connected");
    } catch (e) {
      assert.instance(e, EsxviError);
      assert.equal(
        [(e as EsxviError).code, (e as EsxviError).message],
        ["INTERNAL_ERROR", "Expecting '127.0.0.1' to be a vCenter/VPX host but found a ESX(i) host"],
      );
    }
  });

  test("vcenter=* on a host no vCenter manages: refused", async () => {
    try {
      const c = await openConnection(uri("vcenter=*"), options);
      await c.close();
      assert.unreachable("connected");
    } catch (e) {
      assert.equal([(e as EsxviError).code, (e as EsxviError).message], ["INTERNAL_ERROR", "This host is not managed by a vCenter"]);
    }
  });

  test.run();
}
