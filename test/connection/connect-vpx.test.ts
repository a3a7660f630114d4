/**
 * vpx:// paths on the simulator (VPX model: two standalone hosts, a cluster of two): the
 * objects libvirt's esxVI_Context_LookupManagedObjectsByPath finds for a standalone host and
 * for a cluster member; libvirt's errors (INVALID_ARG for a path that stops short or runs
 * on, INTERNAL_ERROR for what cannot be found) with the session logged out each time; the
 * product line against esx://; and paths through folders (a datacenter and a compute
 * resource moved into folders with raw SOAP), where the connection and `list` work.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { moRef } from "../../runtime/soap/index.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { call, login, moref } from "../testbed/raw-soap.js";

let sim: Simulator;

function uri(path: string, scheme = "vpx"): string {
  return `${scheme}://root@127.0.0.1:${sim.port}${path}?transport=http`;
}

function open(path: string, scheme = "vpx"): Promise<Connection> {
  return openConnection(uri(path, scheme), { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
}

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

function summary(conn: Connection): unknown {
  const i = conn.inventory;
  return {
    datacenter: [i.datacenter.name, i.datacenter.path],
    computeResource: [i.computeResource.ref.type, i.computeResource.name, i.computeResource.path],
    host: i.hostSystem.name,
  };
}

async function refused(path: string, code: string, message: string, scheme = "vpx"): Promise<void> {
  await sim.control.resetStats();
  try {
    const c = await open(path, scheme);
    await c.close();
    assert.unreachable(`${path} connected`);
  } catch (e) {
    assert.instance(e, EsxviError, path);
    assert.equal([(e as EsxviError).code, (e as EsxviError).message], [code, message], path);
  }
  const calls = await methodCalls();
  assert.equal([calls["Login"], calls["Logout"]], [1, 1], `${path}: logged in and out`);
}

/** Raw SOAP: a folder named `name` in `parent`, and `child` moved into it. */
async function moveIntoNewFolder(
  conn: Connection,
  cookie: string,
  parent: string,
  name: string,
  child: { type: string; value: string },
): Promise<void> {
  const created = await call(sim, "CreateFolder", "Folder", parent, `<name>${name}</name>`, cookie);
  const folder = /<returnval type="Folder">([^<]+)<\/returnval>/.exec(created.text)?.[1];
  if (folder === undefined) throw new Error(`CreateFolder: HTTP ${created.status}: ${created.text}`);
  const moved = await call(sim, "MoveIntoFolder_Task", "Folder", folder, moref("list", child.type, child.value), cookie);
  const task = /<returnval type="Task">([^<]+)<\/returnval>/.exec(moved.text)?.[1];
  if (task === undefined) throw new Error(`MoveIntoFolder_Task: HTTP ${moved.status}: ${moved.text}`);
  await waitForTask(conn.primary, moRef("Task", task));
}

if (requireSimulator("connection (VPX paths)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx", hosts: 2, clusters: 1, clusterHosts: 2, vms: 1 });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("a standalone host: <datacenter>/<compute resource>, the host of the same name", async () => {
    const conn = await open("/DC0/DC0_H1");
    try {
      assert.is(conn.primary.productLine, "vpx");
      assert.is(conn.vcenter, conn.primary);
      assert.equal(summary(conn), { datacenter: ["DC0", "DC0"], computeResource: ["ComputeResource", "DC0_H1", "DC0_H1"], host: "DC0_H1" });
      // Login, then one retrieval per path level and one for the hosts.
      assert.equal(Object.fromEntries(conn.primary.vim.stats.byMethod), {
        RetrieveServiceContent: 1,
        Login: 1,
        RetrievePropertiesEx: 3,
      });
    } finally {
      await conn.close();
    }
  });

  test("a cluster member: <datacenter>/<cluster>/<host>", async () => {
    const conn = await open("/DC0/DC0_C0/DC0_C0_H1");
    try {
      assert.equal(summary(conn), {
        datacenter: ["DC0", "DC0"],
        computeResource: ["ClusterComputeResource", "DC0_C0", "DC0_C0"],
        host: "DC0_C0_H1",
      });
    } finally {
      await conn.close();
    }
  });

  test("wrong paths: libvirt's errors, the session logged out", async () => {
    const cases: readonly [string, string, string][] = [
      ["/DC0", "INVALID_ARG", "Path '/DC0' does not specify a compute resource"],
      ["/DC0/DC0_C0", "INVALID_ARG", "Path '/DC0/DC0_C0' does not specify a host system"],
      ["/DC0/DC0_H0/DC0_H0", "INVALID_ARG", "Path '/DC0/DC0_H0/DC0_H0' ends with an excess item"],
      ["/DC0/DC0_C0/DC0_C0_H0/extra", "INVALID_ARG", "Path '/DC0/DC0_C0/DC0_C0_H0/extra' ends with an excess item"],
      ["/DCX/DC0_H0", "INTERNAL_ERROR", "Could not find datacenter specified in '/DCX/DC0_H0'"],
      ["/DC0/nowhere", "INTERNAL_ERROR", "Could not find compute resource specified in '/DC0/nowhere'"],
      ["/DC0/DC0_C0/nohost", "INTERNAL_ERROR", "Could not find host system specified in '/DC0/DC0_C0/nohost'"],
      ["/DC0/DC0_C0/DC0_H0", "INTERNAL_ERROR", "Could not find host system specified in '/DC0/DC0_C0/DC0_H0'"],
    ];
    for (const [path, code, message] of cases) await refused(path, code, message);
  });

  test("the product line must match: esx:// and gsx:// to a vCenter are refused", async () => {
    await refused("/", "INTERNAL_ERROR", "Expecting '127.0.0.1' to be a ESX(i) host but found a vCenter/VPX host", "esx");
    await refused("/", "INTERNAL_ERROR", "Expecting '127.0.0.1' to be a Server/GSX host but found a vCenter/VPX host", "gsx");
  });

  test("CLI: the host's own VMs, and virsh's connect failure for a wrong path", async () => {
    const ok = await esxvi(sim, ["list", "--all", "--name"], { uri: uri("/DC0/DC0_H0") });
    assert.equal(ok, { status: 0, stdout: "DC0_H0_VM0\n", stderr: "" });
    const bad = await esxvi(sim, ["list"], { uri: uri("/DC0") });
    assert.equal(bad, {
      status: 1,
      stdout: "",
      stderr: "error: failed to connect to the hypervisor\nerror: Path '/DC0' does not specify a compute resource\n",
    });
  });

  test("folders: [<folder>/]<datacenter>/[<folder>/]<compute resource>, as libvirt walks them", async () => {
    const before = await open("/DC0/DC0_H1");
    try {
      const cookie = await login(sim);
      await moveIntoNewFolder(before, cookie, before.primary.serviceContent.rootFolder.value, "F1", before.inventory.datacenter.ref);
      await moveIntoNewFolder(before, cookie, before.inventory.datacenter.hostFolder.value, "HF", before.inventory.computeResource.ref);
    } finally {
      await before.close();
    }
    const inFolders = await open("/F1/DC0/HF/DC0_H1");
    try {
      assert.equal(summary(inFolders), {
        datacenter: ["DC0", "F1/DC0"],
        computeResource: ["ComputeResource", "DC0_H1", "HF/DC0_H1"],
        host: "DC0_H1",
      });
    } finally {
      await inFolders.close();
    }
    const cluster = await open("/F1/DC0/DC0_C0/DC0_C0_H0");
    assert.equal(summary(cluster), {
      datacenter: ["DC0", "F1/DC0"],
      computeResource: ["ClusterComputeResource", "DC0_C0", "DC0_C0"],
      host: "DC0_C0_H0",
    });
    await cluster.close();
    await refused("/DC0/DC0_H0", "INTERNAL_ERROR", "Could not find datacenter specified in '/DC0/DC0_H0'");
    await refused("/F1/DC0/DC0_H1", "INTERNAL_ERROR", "Could not find compute resource specified in '/F1/DC0/DC0_H1'");
    const r = await esxvi(sim, ["list", "--all", "--name"], { uri: uri("/F1/DC0/HF/DC0_H1") });
    assert.equal(r, { status: 0, stdout: "DC0_H1_VM0\n", stderr: "" });
    const u = await esxvi(sim, ["uri"], { uri: uri("/F1/DC0/HF/DC0_H1") });
    assert.is(u.stdout, `vpx://root@127.0.0.1:${sim.port}/F1/DC0/HF/DC0_H1?transport=http\n`);
  });

  test.run();
}
