/**
 * vol-upload and vol-download on the simulator: create -> info -> upload 64 MiB of random
 * bytes -> download -> equal SHA-256 -> delete; a ranged download; an upload at an offset; an
 * upload cut off midway (its source fails, or it is aborted as Ctrl-C does) leaves the volume
 * and the datastore as they were; an interrupted download leaves no file behind.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupPool, lookupVolume } from "../../drivers/storage/storage.js";
import { downloadVolumeToFile, uploadVolume } from "../../drivers/storage/volume-transfer.js";
import { esxvi } from "../support/cli.js";
import { connectTo } from "../support/connect.js";
import { requireSimulator, type Simulator } from "../support/vcsim.js";
import { datastoreListing, startStorageSimulator } from "./storage-fixture.js";

let sim: Simulator;
let conn: Connection;
let dir: string;

const MIB = 1024 * 1024;
const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

async function volume(name: string) {
  return lookupVolume(conn, await lookupPool(conn, "LocalDS_0"), name);
}

async function volumeBytes(name: string): Promise<Buffer> {
  const file = join(dir, `check-${randomBytes(3).toString("hex")}`);
  await downloadVolumeToFile(conn, await volume(name), file);
  const b = readFileSync(file);
  rmSync(file);
  return b;
}

if (requireSimulator("storage transfers")) {
  test.before(async () => {
    sim = await startStorageSimulator();
    conn = await connectTo(sim);
    dir = mkdtempSync(join(tmpdir(), "esxvi-storage-"));
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("create -> info -> upload 64 MiB -> download -> same SHA-256 -> delete", async () => {
    const data = randomBytes(64 * MIB);
    const src = join(dir, "random.bin");
    writeFileSync(src, data);
    assert.equal(await esxvi(sim, ["vol-create-as", "LocalDS_0", "xfer/big.vmdk", "64M", "--format", "vmdk", "--allocation", "0"]), {
      status: 0,
      stderr: "",
      stdout: "Vol xfer/big.vmdk created\n",
    });
    const info = await esxvi(sim, ["vol-info", "xfer/big.vmdk", "--pool", "LocalDS_0", "--bytes"]);
    assert.equal(
      info.stdout.split("\n").slice(0, 3).join("\n"),
      "Name:           xfer/big.vmdk\nType:           file\nCapacity:       67108864 bytes",
    );
    assert.equal(await esxvi(sim, ["vol-upload", "xfer/big.vmdk", src, "--pool", "LocalDS_0"]), { status: 0, stderr: "", stdout: "" });
    const out = join(dir, "back.bin");
    assert.equal(await esxvi(sim, ["vol-download", "[LocalDS_0] xfer/big.vmdk", out]), { status: 0, stderr: "", stdout: "" });
    assert.equal(sha(readFileSync(out)), sha(data));
    // The thin disk now holds the data: its allocation counts it.
    const j = JSON.parse((await esxvi(sim, ["vol-info", "[LocalDS_0] xfer/big.vmdk", "--json"])).stdout) as { allocation: number };
    assert.ok(j.allocation >= 64 * MIB, String(j.allocation));

    // A byte range.
    const part = join(dir, "part.bin");
    const r = await esxvi(sim, ["vol-download", "[LocalDS_0] xfer/big.vmdk", part, "--offset", "1000000", "--length", "4096"]);
    assert.equal(r, { status: 0, stderr: "", stdout: "" });
    assert.equal(readFileSync(part), data.subarray(1_000_000, 1_000_000 + 4096));
    const tail = join(dir, "tail.bin");
    assert.equal((await esxvi(sim, ["vol-download", "[LocalDS_0] xfer/big.vmdk", tail, "--offset", String(64 * MIB - 10)])).status, 0);
    assert.equal(readFileSync(tail), data.subarray(64 * MIB - 10));

    assert.equal(await esxvi(sim, ["vol-delete", "[LocalDS_0] xfer/big.vmdk"]), {
      status: 0,
      stderr: "",
      stdout: "Vol [LocalDS_0] xfer/big.vmdk deleted\n",
    });
    assert.equal(
      await datastoreListing(conn, "LocalDS_0").then((l) => l.filter((f) => f.startsWith("xfer/") && !f.startsWith("xfer/ "))),
      [],
    );
  });

  test("upload at an offset keeps the bytes before and after", async () => {
    await esxvi(sim, ["vol-create-as", "LocalDS_0", "xfer/off.vmdk", "1M", "--format", "vmdk", "--allocation", "0"]);
    const base = randomBytes(MIB);
    const f = join(dir, "base.bin");
    writeFileSync(f, base);
    assert.equal((await esxvi(sim, ["vol-upload", "[LocalDS_0] xfer/off.vmdk", f])).status, 0);
    const patch = randomBytes(5000);
    const p = join(dir, "patch.bin");
    writeFileSync(p, patch);
    assert.equal((await esxvi(sim, ["vol-upload", "[LocalDS_0] xfer/off.vmdk", p, "--offset", "70000", "--length", "3000"])).status, 0);
    const expected = Buffer.concat([base.subarray(0, 70000), patch.subarray(0, 3000), base.subarray(73000)]);
    assert.equal(sha(await volumeBytes("xfer/off.vmdk")), sha(expected));
    const tooFar = await esxvi(sim, ["vol-upload", "[LocalDS_0] xfer/off.vmdk", p, "--offset", String(MIB - 10)]);
    assert.equal(tooFar, {
      status: 1,
      stdout: "",
      stderr: `error: cannot upload to volume [LocalDS_0] xfer/off.vmdk\nerror: cannot upload 5000 bytes at offset ${MIB - 10}: the volume's capacity is ${MIB} bytes\n`,
    });
  });

  test("an upload cut off midway leaves the volume and the datastore as they were", async () => {
    await esxvi(sim, ["vol-create-as", "LocalDS_0", "xfer/cut.vmdk", "16M", "--format", "vmdk", "--allocation", "0"]);
    const before = randomBytes(16 * MIB);
    await uploadVolume(conn, await volume("xfer/cut.vmdk"), Readable.from([before]), before.length);
    const listing = await datastoreListing(conn, "LocalDS_0");

    // The source fails after 4 MiB.
    async function* failing(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 4; i++) yield randomBytes(MIB);
      throw new Error("source read error");
    }
    let error: unknown;
    await uploadVolume(conn, await volume("xfer/cut.vmdk"), Readable.from(failing()), 16 * MIB).catch((e: unknown) => (error = e));
    assert.ok(error instanceof Error, "the upload failed");
    assert.equal(sha(await volumeBytes("xfer/cut.vmdk")), sha(before));
    assert.equal(await datastoreListing(conn, "LocalDS_0"), listing);

    // Aborted (as Ctrl-C does) once 6 MiB went out.
    const stop = new AbortController();
    error = undefined;
    await uploadVolume(conn, await volume("xfer/cut.vmdk"), Readable.from([randomBytes(16 * MIB)]), 16 * MIB, {
      signal: stop.signal,
      onProgress: (bytes) => {
        if (bytes >= 6 * MIB) stop.abort();
      },
    }).catch((e: unknown) => (error = e));
    assert.equal((error as { code?: string } | undefined)?.code, "OPERATION_ABORTED");
    assert.equal(sha(await volumeBytes("xfer/cut.vmdk")), sha(before));
    assert.equal(await datastoreListing(conn, "LocalDS_0"), listing);
  });

  test("an interrupted download leaves no file, neither the target nor a temporary one", async () => {
    const target = join(dir, "stopped.bin");
    const stop = new AbortController();
    let error: unknown;
    const before = readdirSync(dir).sort();
    await downloadVolumeToFile(conn, await volume("xfer/cut.vmdk"), target, {
      signal: stop.signal,
      onProgress: (bytes) => {
        if (bytes >= 2 * MIB) stop.abort();
      },
    }).catch((e: unknown) => (error = e));
    assert.equal((error as { code?: string } | undefined)?.code, "OPERATION_ABORTED");
    assert.equal(readdirSync(dir).sort(), before);
    // An existing file under the target name stays as it was.
    writeFileSync(target, "old");
    const again = new AbortController();
    await downloadVolumeToFile(conn, await volume("xfer/cut.vmdk"), target, {
      signal: again.signal,
      onProgress: () => again.abort(),
    }).catch(() => undefined);
    assert.equal(readFileSync(target, "utf8"), "old");
  });

  test("iSCSI volumes have no stream; options are checked", async () => {
    const f = join(dir, "x.bin");
    writeFileSync(f, "x");
    const r = await esxvi(sim, ["vol-upload", "/vmfs/devices/disks/naa.6000c2912f3b4e0d8c1a7e5f6b2d9c01", f]);
    assert.equal(r, {
      status: 1,
      stdout: "",
      stderr:
        "error: cannot upload to volume /vmfs/devices/disks/naa.6000c2912f3b4e0d8c1a7e5f6b2d9c01\nerror: this function is not supported by the connection driver: streams of iSCSI volumes\n",
    });
    const bad = await esxvi(sim, ["vol-download", "[LocalDS_0] xfer/cut.vmdk", f, "--offset", "-1"]);
    assert.equal(bad, { status: 1, stdout: "", stderr: "error: Numeric value '-1' for <offset> option is malformed or out of range\n" });
  });

  test.run();
}
