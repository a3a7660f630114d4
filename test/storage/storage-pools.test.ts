/**
 * Pool commands on the simulator (two datastores, local and NFS, and an iSCSI static
 * target): virsh's exact layouts of pool-list (plain, --details, --name, --uuid, filters),
 * pool-info, pool-uuid, pool-name, pool-dumpxml, pool-refresh, pool-autostart, their --json
 * and errors.
 */
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { listDatastorePools } from "../../drivers/storage/datastore-pools.js";
import { esxvi } from "../support/cli.js";
import { connectTo } from "../support/connect.js";
import { requireSimulator, type Simulator } from "../support/vcsim.js";
import { ISCSI_TARGET, startStorageSimulator } from "./storage-fixture.js";

let sim: Simulator;
let conn: Connection;

function md5Uuid(text: string): string {
  const h = createHash("md5").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pretty(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(2)} ${units[i]}`;
}

const LOCAL_UUID = md5Uuid("/vmfs/volumes/LocalDS_0");
const NFS_UUID = md5Uuid("/vmfs/volumes/NfsDS_0");
const ISCSI_UUID = md5Uuid(ISCSI_TARGET);

async function sizes(name: string): Promise<{ capacity: number; free: number }> {
  const p = (await listDatastorePools(conn)).find((x) => x.name === name);
  return { capacity: Number(p?.summary.capacity ?? 0), free: Number(p?.summary.freeSpace ?? 0) };
}

if (requireSimulator("storage pools")) {
  test.before(async () => {
    sim = await startStorageSimulator();
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("pool-list: every datastore and the iSCSI target, active and autostarted", async () => {
    const r = await esxvi(sim, ["pool-list"]);
    assert.equal(r, {
      status: 0,
      stderr: "",
      stdout:
        " Name                                    State    Autostart\n" +
        "-------------------------------------------------------------\n" +
        " LocalDS_0                               active   yes\n" +
        " NfsDS_0                                 active   yes\n" +
        ` ${ISCSI_TARGET}   active   yes\n`,
    });
    assert.equal((await esxvi(sim, ["pool-list", "--name"])).stdout, `LocalDS_0\nNfsDS_0\n${ISCSI_TARGET}\n`);
    assert.equal((await esxvi(sim, ["pool-list", "--uuid"])).stdout, `${LOCAL_UUID}\n${NFS_UUID}\n${ISCSI_UUID}\n`);
    assert.equal((await esxvi(sim, ["pool-list", "--type", "netfs,iscsi", "--name"])).stdout, `NfsDS_0\n${ISCSI_TARGET}\n`);
    assert.equal((await esxvi(sim, ["pool-list", "--inactive", "--name"])).stdout, "");
    assert.equal((await esxvi(sim, ["pool-list", "--transient", "--name"])).stdout, "");
    assert.equal(
      (await esxvi(sim, ["pool-list", "--all", "--persistent", "--autostart", "--name"])).stdout,
      `LocalDS_0\nNfsDS_0\n${ISCSI_TARGET}\n`,
    );
    const bad = await esxvi(sim, ["pool-list", "--type", "nope"]);
    assert.equal(bad, { status: 1, stdout: "", stderr: "error: Invalid pool type 'nope'\n" });
  });

  test("pool-list --details: sizes from the datastore summaries, zeros for the iSCSI target", async () => {
    const l = await sizes("LocalDS_0");
    const n = await sizes("NfsDS_0");
    const r = await esxvi(sim, ["pool-list", "--details"]);
    const rows = [
      ["Name", "State", "Autostart", "Persistent", "Capacity", "Allocation", "Available"],
      ["LocalDS_0", "running", "yes", "yes", pretty(l.capacity), pretty(l.capacity - l.free), pretty(l.free)],
      ["NfsDS_0", "running", "yes", "yes", pretty(n.capacity), pretty(n.capacity - n.free), pretty(n.free)],
      [ISCSI_TARGET, "running", "yes", "yes", "0.00 B", "0.00 B", "0.00 B"],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    const line = (row: string[]): string =>
      row.map((c, i) => (i < row.length - 1 ? ` ${c.padEnd(widths[i]! + 2)}` : ` ${c}`)).join("") + "\n";
    const expected = line(rows[0]!) + widths.map((w) => "-".repeat(w + 3)).join("") + "\n" + rows.slice(1).map(line).join("");
    assert.equal(r, { status: 0, stderr: "", stdout: expected });
    const j = JSON.parse((await esxvi(sim, ["pool-list", "--json"])).stdout) as { name: string; type: string; uuid: string }[];
    assert.equal(
      j.map((p) => [p.name, p.type, p.uuid]),
      [
        ["LocalDS_0", "dir", LOCAL_UUID],
        ["NfsDS_0", "netfs", NFS_UUID],
        [ISCSI_TARGET, "iscsi", ISCSI_UUID],
      ],
    );
  });

  test("pool-info by name and by UUID, --bytes, --json", async () => {
    const l = await sizes("LocalDS_0");
    const expected =
      "Name:           LocalDS_0\n" +
      `UUID:           ${LOCAL_UUID}\n` +
      "State:          running\n" +
      "Persistent:     yes\n" +
      "Autostart:      yes\n" +
      `Capacity:       ${pretty(l.capacity)}\n` +
      `Allocation:     ${pretty(l.capacity - l.free)}\n` +
      `Available:      ${pretty(l.free)}\n`;
    assert.equal(await esxvi(sim, ["pool-info", "LocalDS_0"]), { status: 0, stderr: "", stdout: expected });
    assert.equal((await esxvi(sim, ["pool-info", LOCAL_UUID])).stdout, expected);
    assert.ok((await esxvi(sim, ["pool-info", "LocalDS_0", "--bytes"])).stdout.includes(`Capacity:       ${l.capacity}\n`));
    const i = await esxvi(sim, ["pool-info", ISCSI_TARGET]);
    assert.equal(
      i.stdout,
      `Name:           ${ISCSI_TARGET}\nUUID:           ${ISCSI_UUID}\nState:          running\nPersistent:     yes\nAutostart:      yes\nCapacity:       0.00 B\nAllocation:     0.00 B\nAvailable:      0.00 B\n`,
    );
    const j = JSON.parse((await esxvi(sim, ["pool-info", "NfsDS_0", "--json"])).stdout) as Record<string, unknown>;
    assert.equal([j["name"], j["uuid"], j["type"], j["state"]], ["NfsDS_0", NFS_UUID, "netfs", "running"]);
  });

  test("pool-uuid, pool-name: both ways, and virsh's errors for an unknown pool", async () => {
    assert.equal(await esxvi(sim, ["pool-uuid", "NfsDS_0"]), { status: 0, stderr: "", stdout: `${NFS_UUID}\n` });
    assert.equal(await esxvi(sim, ["pool-name", ISCSI_UUID]), { status: 0, stderr: "", stdout: `${ISCSI_TARGET}\n` });
    assert.equal(await esxvi(sim, ["pool-info", "nope"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get pool 'nope'\nerror: Storage pool not found: no storage pool with matching name 'nope'\n",
    });
  });

  test("pool-dumpxml: dir, netfs with its remote host and path, iscsi with host and IQN", async () => {
    const l = await sizes("LocalDS_0");
    assert.equal(
      (await esxvi(sim, ["pool-dumpxml", "LocalDS_0"])).stdout,
      "<pool type='dir'>\n" +
        "  <name>LocalDS_0</name>\n" +
        `  <uuid>${LOCAL_UUID}</uuid>\n` +
        `  <capacity unit='bytes'>${l.capacity}</capacity>\n` +
        `  <allocation unit='bytes'>${l.capacity - l.free}</allocation>\n` +
        `  <available unit='bytes'>${l.free}</available>\n` +
        "  <source>\n  </source>\n" +
        "  <target>\n    <path>/vmfs/volumes/LocalDS_0</path>\n  </target>\n" +
        "</pool>\n",
    );
    const n = await sizes("NfsDS_0");
    assert.equal(
      (await esxvi(sim, ["pool-dumpxml", "NfsDS_0"])).stdout,
      "<pool type='netfs'>\n" +
        "  <name>NfsDS_0</name>\n" +
        `  <uuid>${NFS_UUID}</uuid>\n` +
        `  <capacity unit='bytes'>${n.capacity}</capacity>\n` +
        `  <allocation unit='bytes'>${n.capacity - n.free}</allocation>\n` +
        `  <available unit='bytes'>${n.free}</available>\n` +
        "  <source>\n    <host name='nfs.example.test'/>\n    <dir path='/export/vcsim'/>\n    <format type='nfs'/>\n  </source>\n" +
        "  <target>\n    <path>/vmfs/volumes/NfsDS_0</path>\n  </target>\n" +
        "</pool>\n",
    );
    assert.equal(
      (await esxvi(sim, ["pool-dumpxml", ISCSI_TARGET])).stdout,
      "<pool type='iscsi'>\n" +
        `  <name>${ISCSI_TARGET}</name>\n` +
        `  <uuid>${ISCSI_UUID}</uuid>\n` +
        "  <capacity unit='bytes'>0</capacity>\n  <allocation unit='bytes'>0</allocation>\n  <available unit='bytes'>0</available>\n" +
        "  <source>\n    <host name='192.0.2.10' port='3260'/>\n    <initiator>\n      <iqn name='iqn.2024-01.org.example.vcsim:target0'/>\n    </initiator>\n  </source>\n" +
        "</pool>\n",
    );
  });

  test("pool-refresh: RefreshDatastore for a datastore, RescanHba for the iSCSI target", async () => {
    await sim.control.resetStats();
    assert.equal(await esxvi(sim, ["pool-refresh", "LocalDS_0"]), { status: 0, stderr: "", stdout: "Pool LocalDS_0 refreshed\n" });
    assert.equal((await sim.control.stats()).byMethod["RefreshDatastore"]?.calls, 1);
    assert.equal(await esxvi(sim, ["pool-refresh", ISCSI_TARGET]), { status: 0, stderr: "", stdout: `Pool ${ISCSI_TARGET} refreshed\n` });
    assert.equal((await sim.control.stats()).byMethod["RescanHba"]?.calls, 1);
  });

  test("pool-autostart: always on; --disable is refused", async () => {
    assert.equal(await esxvi(sim, ["pool-autostart", "NfsDS_0"]), {
      status: 0,
      stderr: "",
      stdout: "Pool NfsDS_0 marked as autostarted\n",
    });
    assert.equal(await esxvi(sim, ["pool-autostart", "NfsDS_0", "--disable"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to unmark pool NfsDS_0 as autostarted\nerror: Cannot deactivate storage pool autostart\n",
    });
  });

  test.run();
}
