/**
 * vol-create's rules on the simulator: refused definitions (no directory, not .vmdk, a format
 * other than vmdk, an allocation neither 0 nor the capacity, an existing name, an iSCSI pool)
 * leave the datastore exactly as it was (every file listed before and after), and names are
 * escaped as libvirt escapes datastore items (the vectors of its esxutilstest, read from
 * ../shared/reference).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { esxvi } from "../support/cli.js";
import { missingReference, REFERENCE } from "../support/paths.js";
import { connectTo } from "../support/connect.js";
import { requireSimulator, type Simulator } from "../support/vcsim.js";
import { datastoreListing, ISCSI_TARGET, startStorageSimulator } from "./storage-fixture.js";

let sim: Simulator;
let conn: Connection;

const VECTORS = join(REFERENCE, "libvirt-11.3.0", "esxutils-vectors.json");

async function refused(args: readonly string[], stderr: string): Promise<void> {
  const before = await datastoreListing(conn, "LocalDS_0");
  const r = await esxvi(sim, args);
  assert.equal(r, { status: 1, stdout: "", stderr }, args.join(" "));
  assert.equal(await datastoreListing(conn, "LocalDS_0"), before, `datastore changed by ${args.join(" ")}`);
}

if (requireSimulator("storage create rules")) {
  test.before(async () => {
    sim = await startStorageSimulator();
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("refused creates change nothing on the datastore", async () => {
    assert.equal(
      (await esxvi(sim, ["vol-create-as", "LocalDS_0", "kept/disk.vmdk", "1M", "--format", "vmdk", "--allocation", "0"])).status,
      0,
    );
    await refused(
      ["vol-create-as", "LocalDS_0", "disk.vmdk", "1M", "--format", "vmdk"],
      "error: Failed to create vol disk.vmdk\nerror: Volume name 'disk.vmdk' doesn't have expected format '<directory>/<file>'\n",
    );
    await refused(
      ["vol-create-as", "LocalDS_0", "new/disk.img", "1M", "--format", "vmdk"],
      "error: Failed to create vol new/disk.img\nerror: Volume name 'new/disk.img' has unsupported suffix, expecting '.vmdk'\n",
    );
    await refused(
      ["vol-create-as", "LocalDS_0", "new/disk.vmdk", "1M"],
      "error: Failed to create vol new/disk.vmdk\nerror: Creation of raw volumes is not supported\n",
    );
    await refused(
      ["vol-create-as", "LocalDS_0", "new/disk.vmdk", "1M", "--format", "vmdk", "--allocation", "4096"],
      "error: Failed to create vol new/disk.vmdk\nerror: Unsupported capacity-to-allocation relation\n",
    );
    await refused(
      ["vol-create-as", "LocalDS_0", "kept/disk.vmdk", "2M", "--format", "vmdk"],
      "error: Failed to create vol kept/disk.vmdk\nerror: storage volume 'kept/disk.vmdk' already exists\n",
    );
    await refused(
      ["vol-create-as", ISCSI_TARGET, "new/disk.vmdk", "1M", "--format", "vmdk"],
      "error: Failed to create vol new/disk.vmdk\nerror: this function is not supported by the connection driver: virStorageVolCreateXML on an iSCSI pool\n",
    );
    await refused(["vol-create-as", "LocalDS_0", "new/disk.vmdk", "1Q", "--format", "vmdk"], "error: Malformed size 1Q\n");
    await refused(
      ["vol-clone", "[LocalDS_0] kept/disk.vmdk", "kept/disk.vmdk"],
      "error: Failed to clone vol from [LocalDS_0] kept/disk.vmdk\nerror: storage volume 'kept/disk.vmdk' already exists\n",
    );
  });

  test("names are escaped as libvirt's datastore items (esxutilstest vectors)", async () => {
    const missing = missingReference(VECTORS);
    if (missing !== undefined) {
      console.log(missing);
      return;
    }
    const vectors = (JSON.parse(readFileSync(VECTORS, "utf8")) as { escapeDatastoreItem: { input: string; escaped: string }[] })
      .escapeDatastoreItem;
    assert.ok(vectors.length >= 14);
    for (const [i, v] of vectors.entries()) {
      // As a directory (everything before the last "/"), and as a file name where it has no "/".
      const asDir = await esxvi(sim, [
        "vol-create-as",
        "LocalDS_0",
        `${v.input}/d${i}.vmdk`,
        "1K",
        "--format",
        "vmdk",
        "--allocation",
        "0",
      ]);
      assert.equal(asDir, { status: 0, stderr: "", stdout: `Vol ${v.escaped}/d${i}.vmdk created\n` }, v.input);
      if (!v.input.includes("/")) {
        const asFile = await esxvi(sim, [
          "vol-create-as",
          "LocalDS_0",
          `files/${v.input}.vmdk`,
          "1K",
          "--format",
          "vmdk",
          "--allocation",
          "0",
        ]);
        assert.equal(asFile, { status: 0, stderr: "", stdout: `Vol files/${v.escaped}.vmdk created\n` }, v.input);
      }
    }
    const listing = (await esxvi(sim, ["vol-list", "LocalDS_0", "--json"])).stdout;
    const names = (JSON.parse(listing) as { name: string }[]).map((v) => v.name);
    for (const [i, v] of vectors.entries()) {
      assert.ok(names.includes(`${v.escaped}/d${i}.vmdk`), v.escaped);
      // The escaped name finds the volume again.
      const path = (await esxvi(sim, ["vol-path", `${v.escaped}/d${i}.vmdk`, "--pool", "LocalDS_0"])).stdout;
      assert.equal(path, `[LocalDS_0] ${v.escaped}/d${i}.vmdk\n`);
    }
  });

  test.run();
}
