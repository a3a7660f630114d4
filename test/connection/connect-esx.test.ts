/**
 * Connecting to an ESX host (simulator, ESX model): the inventory libvirt works on (first
 * datacenter, compute resource, host) found in one retrieval, three calls up to a usable
 * connection and Logout on close; the product line checked against the scheme (gsx://,
 * vpx:// refused with libvirt's message, the session logged out); vcenter=* on an unmanaged
 * host; libvirt's warnings; and the CLI's "failed to connect to the hypervisor".
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openConnection } from "../../drivers/connection/connection.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { captureLogger } from "../runtime/helpers.js";

let sim: Simulator;

function uri(scheme: string, query = "", path = "/"): string {
  return `${scheme}://root@127.0.0.1:${sim.port}${path}?transport=http${query}`;
}

function options(extra: { logger?: ReturnType<typeof captureLogger>["logger"] } = {}): Parameters<typeof openConnection>[1] {
  return { credentials: { env: { ESXVI_PASSWORD: sim.password } }, ...extra };
}

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

async function refused(text: string, message: string): Promise<void> {
  await sim.control.resetStats();
  try {
    const c = await openConnection(text, options());
    await c.close();
    assert.unreachable(`${text} connected`);
  } catch (e) {
    assert.instance(e, EsxviError);
    assert.is((e as EsxviError).code, "INTERNAL_ERROR");
    assert.is((e as EsxviError).message, message);
  }
  const calls = await methodCalls();
  assert.is(calls["Login"], 1, "logged in once");
  assert.is(calls["Logout"], 1, "and logged out again");
}

if (requireSimulator("connection (ESX)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("esx://: the first datacenter, compute resource and host, in 3 calls; Logout on close", async () => {
    const conn = await openConnection(uri("esx"), options());
    try {
      assert.is(conn.primary.productLine, "esx");
      assert.is(conn.host, conn.primary);
      assert.is(conn.vcenter, undefined);
      const inv = conn.inventory;
      assert.equal(
        [
          inv.datacenter.ref.value,
          inv.datacenter.name,
          inv.datacenter.path,
          inv.datacenter.vmFolder.value,
          inv.datacenter.hostFolder.value,
        ],
        ["ha-datacenter", "ha-datacenter", "ha-datacenter", "ha-folder-vm", "ha-folder-host"],
      );
      assert.equal([inv.computeResource.ref.value, inv.computeResource.resourcePool.value], ["ha-compute-res", "ha-root-pool"]);
      assert.equal(
        [inv.hostSystem.ref.value, inv.hostSystem.name, inv.hostSystem.inMaintenanceMode, inv.hostSystem.managementServerIp],
        ["ha-host", "localhost.localdomain", false, undefined],
      );
      assert.is(inv.hostSystem.configManager?.autoStartManager?.value, "ha-autostart-mgr");
      assert.equal(Object.fromEntries(conn.primary.vim.stats.byMethod), {
        RetrieveServiceContent: 1,
        Login: 1,
        RetrievePropertiesEx: 1,
      });
      assert.is(conn.calls, 3);
    } finally {
      await conn.close();
    }
    assert.equal(Object.fromEntries(conn.primary.vim.stats.byMethod), {
      RetrieveServiceContent: 1,
      Login: 1,
      RetrievePropertiesEx: 1,
      Logout: 1,
    });
    await conn.close();
    assert.is(conn.calls, 4, "a second close sends nothing");
  });

  test("the product line must match the scheme: gsx:// and vpx:// to an ESX host are refused, logged out", async () => {
    await refused(uri("gsx"), "Expecting '127.0.0.1' to be a Server/GSX host but found a ESX(i) host");
    await refused(
      uri("vpx", "", "/ha-datacenter/localhost.localdomain"),
      "Expecting '127.0.0.1' to be a vCenter/VPX host but found a ESX(i) host",
    );
  });

  test("vcenter=* on a host no vCenter manages: libvirt's error, logged out", async () => {
    await refused(uri("esx", "&vcenter=*"), "This host is not managed by a vCenter");
  });

  test("what libvirt ignores is logged as a warning: unknown parameters, a path on esx://", async () => {
    const log = captureLogger();
    const conn = await openConnection(uri("esx", "&color=blue", "/some/where"), options({ logger: log.logger }));
    await conn.close();
    assert.equal(
      log.lines.filter((l) => l.level === "warn").map((l) => l.message),
      ["Ignoring unexpected query parameter 'color'", "Ignoring unexpected path '/some/where' for non-vpx scheme 'esx'"],
    );
  });

  test("the user comes from the URI, else ESXVI_USER, else libvirt's default (root)", async () => {
    for (const [text, env, user] of [
      [`esx://127.0.0.1:${sim.port}/?transport=http`, {}, "root"],
      [`esx://127.0.0.1:${sim.port}/?transport=http`, { ESXVI_USER: "root" }, "root"],
      [`esx://nobody@127.0.0.1:${sim.port}/?transport=http`, { ESXVI_USER: "root" }, "nobody"],
    ] as const) {
      try {
        const conn = await openConnection(text, { credentials: { env: { ESXVI_PASSWORD: sim.password, ...env } } });
        assert.is(conn.primary.userSession.userName, user);
        await conn.close();
      } catch (e) {
        // The simulator accepts root only: "nobody" is refused by the server, as a real host would.
        assert.is(user, "nobody");
        assert.match(String(e instanceof Error ? e.message : e), /Login failure|InvalidLogin/);
      }
    }
  });

  test("CLI: a refused connection reports virsh's 'failed to connect to the hypervisor' and the reason, exit 1", async () => {
    const r = await esxvi(sim, ["hostname"], { uri: uri("gsx") });
    assert.equal(r, {
      status: 1,
      stdout: "",
      stderr: "error: failed to connect to the hypervisor\nerror: Expecting '127.0.0.1' to be a Server/GSX host but found a ESX(i) host\n",
    });
    const bad = await esxvi(sim, ["hostname"], { uri: "esx+ssh://127.0.0.1/" });
    assert.equal(bad, {
      status: 1,
      stdout: "",
      stderr:
        "error: failed to connect to the hypervisor\nerror: Transport 'ssh' in URI scheme is not supported, try again without the transport part\n",
    });
  });

  test("CLI uri prints the canonical URI with the port libvirt fills in", async () => {
    const r = await esxvi(sim, ["uri"], { uri: `esx://root@127.0.0.1:${sim.port}/?transport=http&no_verify=1` });
    assert.equal(r, { status: 0, stdout: `esx://root@127.0.0.1:${sim.port}/?transport=http&no_verify=1\n`, stderr: "" });
    const j = await esxvi(sim, ["uri", "--json"]);
    assert.equal(JSON.parse(j.stdout), { uri: simulatorUri(sim).replace(`127.0.0.1:${sim.port}/`, `127.0.0.1:${sim.port}/`) });
  });

  test.run();
}
