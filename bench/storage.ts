/**
 * Storage streams and listing on the simulator: vol-upload and vol-download of a 1 GiB
 * volume through esxvi's driver, each in a separate process (its peak RSS, VmHWM, target
 * <= 100 MiB), throughput as a ratio to curl moving the same bytes over the same /folder URL
 * in the same run (target >= 0.8); and vol-list of a datastore holding 2,000 files: the SOAP
 * calls after the pool lookup (target: the search task and its result, 2, nothing per file).
 * Run alone: npm run bench -- storage
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runCli } from "../cli/program.js";
import { openConnection } from "../drivers/connection/connection.js";
import { createVolume, lookupPool, lookupVolume } from "../drivers/storage/storage.js";
import { downloadVolumeToFile, uploadVolume } from "../drivers/storage/volume-transfer.js";
import { uploadFile } from "../runtime/datastore-files.js";
import { simulatorUri } from "../test/support/cli.js";
import { startSimulator, type Simulator } from "../test/support/vcsim.js";
import type { Figure } from "./report.js";

const MiB = 1 << 20;
const SIZE = 1024 * MiB;
const FILES = 2000;
const VOLUME = "bench/big.vmdk";

/** Peak resident memory of this process (VmHWM). */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? process.resourceUsage().maxRSS * 1024 : Number(m[1]) * 1024;
}

/** The child: one transfer through the driver; prints {ms, rss}. */
async function child(direction: string, uri: string, file: string): Promise<void> {
  const conn = await openConnection(uri, { credentials: { env: process.env } });
  const vol = await lookupVolume(conn, await lookupPool(conn, "LocalDS_0"), VOLUME);
  const t0 = performance.now();
  if (direction === "upload") await uploadVolume(conn, vol, createReadStream(file), statSync(file).size);
  else await downloadVolumeToFile(conn, vol, file);
  const ms = performance.now() - t0;
  await conn.close();
  process.stdout.write(`${JSON.stringify({ ms, rss: peakRss() })}\n`);
}

function runChild(sim: Simulator, direction: string, file: string): { ms: number; rss: number } {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--transfer-child", direction, simulatorUri(sim), file], {
    env: { ...process.env, ESXVI_PASSWORD: sim.password },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${direction} child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { ms: number; rss: number };
}

function curl(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync("curl", ["-s", "-f", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`curl ${args.join(" ")} failed: ${r.stderr}`);
  return performance.now() - t0;
}

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.text.length < 4096) this.text += chunk.toString();
    done();
  }
}

async function listing(sim: Simulator): Promise<Figure[]> {
  const conn = await openConnection(simulatorUri(sim), { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
  try {
    const tiny = Buffer.alloc(512, 7);
    for (let i = 0; i < FILES; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, FILES - i) }, (_, k) =>
          uploadFile(conn.primary, { datastore: "NfsDS_0", path: `many/d${Math.floor((i + k) / 500)}/f${i + k}.iso` }, tiny),
        ),
      );
    }
  } finally {
    await conn.close();
  }
  await sim.control.resetStats();
  const stdout = new Sink();
  const stderr = new Sink();
  const t0 = performance.now();
  const status = await runCli(["-c", simulatorUri(sim), "vol-list", "NfsDS_0"], {
    stdout,
    stderr,
    env: { ESXVI_PASSWORD: sim.password },
    separator: false,
  });
  const ms = performance.now() - t0;
  if (status !== 0) throw new Error(`vol-list failed: ${stderr.text}`);
  const by = (await sim.control.stats()).byMethod;
  const calls = (m: string): number => by[m]?.calls ?? 0;
  // Connecting retrieves the inventory and one retrieval finds the pool; the listing is the search and its result.
  const listingCalls = calls("SearchDatastoreSubFolders_Task") + calls("RetrievePropertiesEx") - 2;
  const other = Object.keys(by).filter(
    (m) => !["RetrieveServiceContent", "Login", "Logout", "RetrievePropertiesEx", "SearchDatastoreSubFolders_Task"].includes(m),
  );
  if (other.length > 0) throw new Error(`vol-list made other calls: ${other.join(", ")}`);
  return [
    { name: `vol-list of ${FILES} files: SOAP calls for the listing`, value: listingCalls, unit: "calls", target: "<= 2" },
    { name: `vol-list of ${FILES} files: whole command (connect included)`, value: Math.round(ms), unit: "ms" },
  ];
}

export async function benchStorage(): Promise<Figure[]> {
  const sim = await startSimulator({ model: "esx", vms: 0, extraArgs: ["-nfs", "-iscsi"] });
  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-storage-"));
  try {
    const conn = await openConnection(simulatorUri(sim), { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
    const pool = await lookupPool(conn, "LocalDS_0");
    await createVolume(
      conn,
      pool,
      `<volume><name>${VOLUME}</name><capacity>${SIZE}</capacity><allocation>0</allocation><target><format type='vmdk'/></target></volume>`,
    );
    await conn.close();
    const src = join(dir, "source.bin");
    // 1 GiB of random bytes, made in pieces (constant memory).
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < SIZE / MiB; i++) yield randomBytes(MiB);
        })(),
      ),
      createWriteStream(src),
    );
    const base = `http://127.0.0.1:${sim.port}/folder`;
    const curlUp = curl(["-T", src, `${base}/bench/curl-upload.bin?dsName=LocalDS_0`]);
    const up = runChild(sim, "upload", src);
    const curlDown = curl(["-o", join(dir, "curl.bin"), `${base}/bench/big-flat.vmdk?dsName=LocalDS_0`]);
    const down = runChild(sim, "download", join(dir, "esxvi.bin"));
    const rate = (ms: number): number => SIZE / MiB / (ms / 1000);
    return [
      { name: "vol-upload 1 GiB: throughput", value: rate(up.ms), unit: "MiB/s" },
      { name: "curl PUT 1 GiB, same /folder endpoint", value: rate(curlUp), unit: "MiB/s" },
      { name: "vol-upload: ratio to curl", value: curlUp / up.ms, unit: "x", target: ">= 0.8" },
      { name: "vol-upload: peak RSS of the process", value: up.rss / MiB, unit: "MiB", target: "<= 100" },
      { name: "vol-download 1 GiB: throughput", value: rate(down.ms), unit: "MiB/s" },
      { name: "curl GET 1 GiB, same URL", value: rate(curlDown), unit: "MiB/s" },
      { name: "vol-download: ratio to curl", value: curlDown / down.ms, unit: "x", target: ">= 0.8" },
      { name: "vol-download: peak RSS of the process", value: down.rss / MiB, unit: "MiB", target: "<= 100" },
      ...(await listing(sim)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}

if (process.argv[2] === "--transfer-child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await child(process.argv[3] ?? "", process.argv[4] ?? "", process.argv[5] ?? "");
}
