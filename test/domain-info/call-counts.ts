/**
 * The efficiency suite for one inventory size, so that a command's cost does not grow with the
 * inventory as libvirt's (three calls per VM) does: `list --all` in
 * one retrieval — at most 3 SOAP calls after Login (the connection's inventory lookup, the
 * listing, Logout) whatever the number of VMs — and `dominfo` in at most 2 calls after
 * connecting; counted on the client (Connection.calls, client.stats) and on the simulator.
 * calls-1 / calls-50 / calls-500 run it with 1, 50 and 500 VMs.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainDevices } from "../../drivers/domain/devices.js";
import { DOMAIN_INFO_PATHS, domainInfo } from "../../drivers/domain/info.js";
import { listDomains } from "../../drivers/domain/list.js";
import { lookupDomain, retrieveDomains } from "../../drivers/domain/lookup.js";
import { DOMAIN_XML_PATHS } from "../../drivers/domain/xml-desc.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { methodCalls } from "./helpers.js";

export function callCountSuite(vms: number): void {
  let sim: Simulator;

  if (!requireSimulator(`call counts (${vms} VMs)`)) return;

  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms, startTimeoutMs: 300_000 });
  });

  test.after(async () => {
    await sim.stop();
  });

  test(`list --all with ${vms} VMs (library): connect, one retrieval, Logout — 3 calls after Login`, async () => {
    const conn = await connectTo(sim);
    assert.equal(Object.fromEntries(conn.primary.vim.stats.byMethod), { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 1 });
    const entries = await listDomains(conn, { active: true, inactive: true });
    assert.is(entries.length, vms);
    await conn.close();
    assert.equal(Object.fromEntries(conn.primary.vim.stats.byMethod), {
      RetrieveServiceContent: 1,
      Login: 1,
      RetrievePropertiesEx: 2,
      Logout: 1,
    });
    assert.is(conn.calls - 2, 3, "calls after RetrieveServiceContent and Login");
  });

  test(`list --all with ${vms} VMs (CLI): the simulator sees 3 calls after Login, filters included`, async () => {
    for (const args of [
      ["list", "--all"],
      ["list", "--all", "--autostart", "--with-snapshot"],
      ["list", "--all", "--uuid"],
    ]) {
      await sim.control.resetStats();
      const r = await esxvi(sim, args);
      assert.is(r.status, 0, r.stderr);
      assert.equal(await methodCalls(sim), { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 2, Logout: 1 }, args.join(" "));
    }
    const r = await esxvi(sim, ["list", "--all", "--name"]);
    assert.is(r.stdout.split("\n").length - 1, vms);
  });

  test(`dominfo with ${vms} VMs: 1 call after connect by name or id, 2 by UUID`, async () => {
    const conn = await connectTo(sim);
    try {
      const all = await retrieveDomains(conn, []);
      const last = all.domains[all.domains.length - 1];
      if (last === undefined) throw new Error("no VM");
      for (const [selector, calls] of [
        [last.identity.name, 1],
        [String(last.identity.moId), 1],
        [last.identity.uuid, 2],
      ] as const) {
        const before = conn.calls;
        const info = await domainInfo(conn, await lookupDomain(conn, selector, DOMAIN_INFO_PATHS, { autostart: true }));
        assert.is(info.identity.name, last.identity.name);
        assert.is(conn.calls - before, calls, selector);
      }
      await sim.control.resetStats();
      const r = await esxvi(sim, ["dominfo", last.identity.uuid]);
      assert.is(r.status, 0);
      assert.equal(await methodCalls(sim), { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 2, FindByUuid: 1, Logout: 1 });
    } finally {
      await conn.close();
    }
  });

  test(`domblklist with ${vms} VMs: one retrieval (the VM by name with its .vmx path), then the .vmx over HTTP`, async () => {
    const conn = await connectTo(sim);
    try {
      const all = await retrieveDomains(conn, []);
      const last = all.domains[all.domains.length - 1];
      if (last === undefined) throw new Error("no VM");
      const before = conn.calls;
      const d = await domainDevices(conn, await lookupDomain(conn, last.identity.name, DOMAIN_XML_PATHS));
      assert.is(conn.calls - before, 1);
      assert.ok(d.disks.length > 0);
    } finally {
      await conn.close();
    }
  });

  test.run();
}
