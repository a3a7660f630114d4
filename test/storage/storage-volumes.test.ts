/**
 * Volume commands on the simulator, virsh's exact layouts: vol-list [--details], vol-info,
 * vol-dumpxml, vol-path, vol-key, vol-name, vol-pool, vol-create, vol-create-as,
 * vol-create-from, vol-clone, vol-resize, vol-wipe, vol-delete, on a datastore and on an
 * iSCSI target (LUNs: read only); vol-list's SOAP calls; and screenshot.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { QueryVirtualDiskUuid } from "../../generated/index.js";
import { esxvi } from "../support/cli.js";
import { connectTo } from "../support/connect.js";
import { requireSimulator, type Simulator } from "../support/vcsim.js";
import { datastoreListing, ISCSI_TARGET, startStorageSimulator } from "./storage-fixture.js";

let sim: Simulator;
let conn: Connection;
let dir: string;

const LUN0 = "/vmfs/devices/disks/naa.6000c29a6d0ab1c5a28f5c0d987f15be";
const LUN1 = "/vmfs/devices/disks/naa.6000c2912f3b4e0d8c1a7e5f6b2d9c01";

function md5Uuid(text: string): string {
  const h = createHash("md5").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The disk's UUID as ESX reports it ("60 00 c2 …-…"), as a plain UUID. */
async function diskKey(path: string): Promise<string> {
  const raw = await QueryVirtualDiskUuid(conn.primary.client, { name: path, datacenter: conn.inventory.datacenter.ref });
  const hex = raw.replace(/[\s-]/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function ok(args: readonly string[], stdout: string): Promise<void> {
  assert.equal(await esxvi(sim, args), { status: 0, stderr: "", stdout }, args.join(" "));
}

if (requireSimulator("storage volumes")) {
  test.before(async () => {
    sim = await startStorageSimulator();
    conn = await connectTo(sim);
    dir = mkdtempSync(join(tmpdir(), "esxvi-volumes-"));
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("vol-create-as, vol-list (one search task and its result), vol-list --details", async () => {
    await ok(
      ["vol-create-as", "NfsDS_0", "disks/thin.vmdk", "1M", "--format", "vmdk", "--allocation", "0"],
      "Vol disks/thin.vmdk created\n",
    );
    await ok(["vol-create-as", "NfsDS_0", "disks/thick.vmdk", "2M", "--format", "vmdk"], "Vol disks/thick.vmdk created\n");
    writeFileSync(join(dir, "x.iso"), Buffer.alloc(3000, 1));
    await sim.control.resetStats();
    const r = await esxvi(sim, ["vol-list", "NfsDS_0"]);
    const calls = Object.fromEntries(Object.entries((await sim.control.stats()).byMethod).map(([m, v]) => [m, v.calls]));
    // Connect (3), the pool lookup (one retrieval), the search task and its result, Logout.
    assert.equal(calls, { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 3, SearchDatastoreSubFolders_Task: 1, Logout: 1 });
    assert.equal(r, {
      status: 0,
      stderr: "",
      stdout:
        " Name               Path\n" +
        "------------------------------------------------\n" +
        " disks/thick.vmdk   [NfsDS_0] disks/thick.vmdk\n" +
        " disks/thin.vmdk    [NfsDS_0] disks/thin.vmdk\n",
    });
    const d = await esxvi(sim, ["vol-list", "NfsDS_0", "--details"]);
    const [thick, thin] = JSON.parse((await esxvi(sim, ["vol-list", "NfsDS_0", "--json"])).stdout) as { allocation: number }[];
    const b = (n: number): string =>
      n < 1024 ? `${n.toFixed(2)} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(2)} KiB` : `${(n / 1048576).toFixed(2)} MiB`;
    const a1 = b(thick!.allocation).padEnd(10);
    assert.equal(
      d.stdout,
      ` Name               ${"Path".padEnd(28)} Type   Capacity   Allocation\n` +
        `${"-".repeat(19 + 29 + 7 + 11 + 13)}\n` +
        ` disks/thick.vmdk   [NfsDS_0] disks/thick.vmdk   file   2.00 MiB   ${b(thick!.allocation)}\n` +
        ` disks/thin.vmdk    [NfsDS_0] disks/thin.vmdk    file   1.00 MiB   ${b(thin!.allocation)}\n`,
      a1,
    );
    assert.ok(thick!.allocation >= 2 * 1024 * 1024 && thin!.allocation < 4096, JSON.stringify([thick, thin]));
  });

  test("vol-info, vol-path, vol-key, vol-name, vol-pool, vol-dumpxml of a disk; by name, path and key", async () => {
    const key = await diskKey("[NfsDS_0] disks/thick.vmdk");
    const info = "Name:           disks/thick.vmdk\nType:           file\nCapacity:       2.00 MiB\n";
    assert.ok((await esxvi(sim, ["vol-info", "disks/thick.vmdk", "--pool", "NfsDS_0"])).stdout.startsWith(info));
    assert.ok((await esxvi(sim, ["vol-info", "[NfsDS_0] disks/thick.vmdk"])).stdout.startsWith(info));
    assert.ok((await esxvi(sim, ["vol-info", key])).stdout.startsWith(info));
    await ok(["vol-path", "disks/thick.vmdk", "--pool", "NfsDS_0"], "[NfsDS_0] disks/thick.vmdk\n");
    await ok(["vol-key", "[NfsDS_0] disks/thick.vmdk"], `${key}\n`);
    await ok(["vol-name", key], "disks/thick.vmdk\n");
    await ok(["vol-pool", "[NfsDS_0] disks/thick.vmdk"], "NfsDS_0\n");
    await ok(["vol-pool", "--uuid", key], `${md5Uuid("/vmfs/volumes/NfsDS_0")}\n`);
    const j = JSON.parse((await esxvi(sim, ["vol-info", "[NfsDS_0] disks/thick.vmdk", "--json"])).stdout) as Record<string, unknown>;
    const alloc = j["allocation"] as number;
    assert.equal(j, {
      name: "disks/thick.vmdk",
      path: "[NfsDS_0] disks/thick.vmdk",
      type: "file",
      format: "vmdk",
      capacity: 2097152,
      allocation: alloc,
      key,
      pool: "NfsDS_0",
    });
    await ok(
      ["vol-dumpxml", "[NfsDS_0] disks/thick.vmdk"],
      "<volume type='file'>\n" +
        "  <name>disks/thick.vmdk</name>\n" +
        `  <key>${key}</key>\n` +
        "  <source>\n  </source>\n" +
        "  <capacity unit='bytes'>2097152</capacity>\n" +
        `  <allocation unit='bytes'>${alloc}</allocation>\n` +
        "  <target>\n    <path>[NfsDS_0] disks/thick.vmdk</path>\n    <format type='vmdk'/>\n  </target>\n" +
        "</volume>\n",
    );
    assert.equal(await esxvi(sim, ["vol-info", "disks/none.vmdk", "--pool", "NfsDS_0"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get vol 'disks/none.vmdk'\nerror: Unexpected volume path format: disks/none.vmdk\n",
    });
    assert.equal(await esxvi(sim, ["vol-info", "[NfsDS_0] disks/none.vmdk"]), {
      status: 1,
      stdout: "",
      stderr:
        "error: failed to get vol '[NfsDS_0] disks/none.vmdk', specifying --pool might help\nerror: Storage volume not found: no storage vol with matching path '[NfsDS_0] disks/none.vmdk'\n",
    });
  });

  test("vol-create (XML), vol-create-from, vol-clone, vol-resize, vol-wipe, vol-delete", async () => {
    const xml = join(dir, "vol.xml");
    writeFileSync(
      xml,
      "<volume>\n  <name>made/fromxml.vmdk</name>\n  <capacity unit='KiB'>512</capacity>\n  <allocation>0</allocation>\n  <target><format type='vmdk'/></target>\n</volume>\n",
    );
    await ok(["vol-create", "LocalDS_0", xml], `Vol made/fromxml.vmdk created from ${xml}\n`);
    const copyXml = join(dir, "copy.xml");
    writeFileSync(copyXml, "<volume><name>made/copy.vmdk</name><capacity>0</capacity><target><format type='vmdk'/></target></volume>");
    await ok(
      ["vol-create-from", "LocalDS_0", copyXml, "disks/thick.vmdk", "--inputpool", "NfsDS_0"],
      "Vol made/copy.vmdk created from input vol disks/thick.vmdk\n",
    );
    await ok(["vol-clone", "made/copy.vmdk", "made/clone.vmdk", "--pool", "LocalDS_0"], "Vol made/clone.vmdk cloned from made/copy.vmdk\n");
    // A copy is a disk of its own: its own key.
    const keys = await Promise.all(
      ["[LocalDS_0] made/copy.vmdk", "[LocalDS_0] made/clone.vmdk", "[NfsDS_0] disks/thick.vmdk"].map(diskKey),
    );
    assert.equal(new Set(keys).size, 3);
    await ok(["vol-resize", "[LocalDS_0] made/clone.vmdk", "3M"], "Size of volume 'made/clone.vmdk' successfully changed to 3M\n");
    await ok(
      ["vol-resize", "[LocalDS_0] made/clone.vmdk", "1M", "--delta"],
      "Size of volume 'made/clone.vmdk' successfully changed to 1M\n",
    );
    assert.ok((await esxvi(sim, ["vol-info", "[LocalDS_0] made/clone.vmdk"])).stdout.includes("Capacity:       4.00 MiB\n"));
    assert.equal(await esxvi(sim, ["vol-resize", "[LocalDS_0] made/clone.vmdk", "1M"]), {
      status: 1,
      stdout: "",
      stderr:
        "error: Failed to change size of volume '[LocalDS_0] made/clone.vmdk' to 1M\nerror: Can't shrink capacity below current capacity unless shrink flag explicitly specified\n",
    });
    await ok(["vol-wipe", "made/clone.vmdk", "--pool", "LocalDS_0"], "Vol made/clone.vmdk wiped\n");
    assert.equal(await esxvi(sim, ["vol-wipe", "made/clone.vmdk", "--pool", "LocalDS_0", "--algorithm", "dod"]), {
      status: 1,
      stdout: "",
      stderr:
        "error: Failed to wipe vol made/clone.vmdk\nerror: this function is not supported by the connection driver: virStorageVolWipePattern\n",
    });
    for (const v of ["made/fromxml.vmdk", "made/copy.vmdk", "made/clone.vmdk"])
      await ok(["vol-delete", v, "--pool", "LocalDS_0"], `Vol ${v} deleted\n`);
    assert.equal(
      (await datastoreListing(conn, "LocalDS_0")).filter((f) => f.startsWith("made/")),
      [],
    );
  });

  test("iSCSI LUNs: listed, looked up by name, path and key; no changes", async () => {
    await ok(
      ["vol-list", ISCSI_TARGET],
      ` Name                                                       Path\n` +
        `${"-".repeat(118)}\n` +
        ` ${LUN1}   ${LUN1}\n` +
        ` ${LUN0}   ${LUN0}\n`,
    );
    const key = md5Uuid("02000100006000c2912f3b4e0d8c1a7e5f6b2d9c01566972747561");
    await ok(["vol-info", LUN1], `Name:           ${LUN1}\nType:           block\nCapacity:       2.00 GiB\nAllocation:     2.00 GiB\n`);
    await ok(["vol-key", LUN1, "--pool", ISCSI_TARGET], `${key}\n`);
    await ok(["vol-name", key], `${LUN1}\n`);
    await ok(["vol-pool", LUN1], `${ISCSI_TARGET}\n`);
    assert.equal(await esxvi(sim, ["vol-delete", LUN0]), {
      status: 1,
      stdout: "",
      stderr: `error: Failed to delete vol ${LUN0}\nerror: this function is not supported by the connection driver: virStorageVolDelete on an iSCSI pool\n`,
    });
  });

  test("screenshot: a PNG from the host's screen endpoint, to the file named or a default name", async () => {
    const vm = JSON.parse((await esxvi(sim, ["list", "--all", "--json"])).stdout) as { name: string }[];
    const name = vm[0]!.name;
    const file = join(dir, "shot.png");
    await ok(["screenshot", name, file], `Screenshot saved to ${file}, with type of image/png\n`);
    assert.equal(readFileSync(file).subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await esxvi(sim, ["screenshot", name]);
      const m = /^Screenshot saved to (.*\.png), with type of image\/png\n$/.exec(r.stdout);
      assert.ok(m !== null, r.stdout + r.stderr);
      assert.match(m![1]!, new RegExp(`^${name}_\\d{4}-\\d\\d-\\d\\d-\\d\\d:\\d\\d:\\d\\d\\.png$`));
      assert.ok(existsSync(join(dir, m![1]!)));
      assert.equal(
        readdirSync(dir).filter((f) => f.includes("esxvi-part")),
        [],
      );
    } finally {
      process.chdir(cwd);
    }
    assert.equal(await esxvi(sim, ["screenshot", name, file, "--screen", "1"]), {
      status: 1,
      stdout: "",
      stderr: `error: could not take a screenshot of ${name}\nerror: Screen cannot be selected\n`,
    });
    assert.equal((await esxvi(sim, ["destroy", name])).status, 0);
    assert.equal(await esxvi(sim, ["screenshot", name, file]), {
      status: 1,
      stdout: "",
      stderr: `error: could not take a screenshot of ${name}\nerror: Domain is not powered on\n`,
    });
  });

  test.run();
}
