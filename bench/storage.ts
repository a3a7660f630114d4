/**
 * Storage streams and listing on the simulator. vol-upload and vol-download of a 1 GiB
 * volume, each run as the esxvi executable runs it in a process of its own (its peak RSS,
 * VmHWM, target <= 100 MiB), timed against curl moving the same bytes over the same /folder
 * URL with the same session cookie, the downloads of both written to files in the same
 * directory. The runs alternate in several rounds (who goes first changes each round) and
 * the figures are medians: the machine is shared and one run says little. Throughput is the
 * ratio of curl's time to esxvi's in the same round (target >= 0.8); esxvi's time includes
 * its login and the volume's lookup. And vol-list of a datastore holding 2,000 files: the
 * SOAP calls after the pool lookup (target: the search task and its result, 2, nothing per file).
 * Run alone: npm run bench -- storage (ESXVI_BENCH_ROUNDS: rounds, default 3)
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { runCli } from "../cli/program.js";
import { openConnection } from "../drivers/connection/connection.js";
import { createVolume, lookupPool } from "../drivers/storage/storage.js";
import { folderPath, uploadFile } from "../runtime/datastore-files.js";
import { simulatorUri } from "../test/support/cli.js";
import { startSimulator, type Simulator } from "../test/support/vcsim.js";
import type { Figure } from "./report.js";

const MiB = 1 << 20;
const SIZE = 1024 * MiB;
const FILES = 2000;
const VOLUME = "bench/big.vmdk";
const ROUNDS = Math.max(1, Number(process.env["ESXVI_BENCH_ROUNDS"] ?? 3));

/** One transfer by the esxvi command in a process of its own: its time and peak RSS. */
function esxvi(sim: Simulator, command: string, file: string): { ms: number; rss: number } {
  const child = fileURLToPath(new URL("./storage-transfer-child.js", import.meta.url));
  const r = spawnSync(process.execPath, [child, simulatorUri(sim), command, `[LocalDS_0] ${VOLUME}`, file], {
    env: { ...process.env, ESXVI_PASSWORD: sim.password },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { ms: number; rss: number };
}

function curl(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync("curl", ["-s", "-f", ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`curl ${args.join(" ")} failed: ${r.stderr}`);
  return performance.now() - t0;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
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
    // curl goes to the volume's data file with the session cookie esxvi's own requests carry.
    const url = `http://127.0.0.1:${sim.port}${folderPath({ datastore: "LocalDS_0", path: "bench/big-flat.vmdk", datacenterPath: conn.inventory.datacenter.path })}`;
    const cookie = conn.primary.vim.transport.cookies.header() ?? "";
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
    const up: { ratio: number; ms: number; curlMs: number; rss: number }[] = [];
    const down: { ratio: number; ms: number; curlMs: number; rss: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const curlUp = (): number => curl(["-b", cookie, "-T", src, url]);
      const curlDown = (): number => {
        const ms = curl(["-b", cookie, "-o", join(dir, "curl.bin"), url]);
        rmSync(join(dir, "curl.bin"));
        return ms;
      };
      const ours = (command: string, file: string): { ms: number; rss: number } => {
        const r = esxvi(sim, command, file);
        if (command === "vol-download") rmSync(file);
        return r;
      };
      // Who goes first alternates: a machine getting busier or quieter favours neither.
      const pair = <T>(ourRun: () => T, theirRun: () => number): [T, number] => {
        if (round % 2 === 0) {
          const o = ourRun();
          return [o, theirRun()];
        }
        const t = theirRun();
        return [ourRun(), t];
      };
      const [u, cu] = pair(() => ours("vol-upload", src), curlUp);
      up.push({ ratio: cu / u.ms, ms: u.ms, curlMs: cu, rss: u.rss });
      const [d, cd] = pair(() => ours("vol-download", join(dir, "esxvi.bin")), curlDown);
      down.push({ ratio: cd / d.ms, ms: d.ms, curlMs: cd, rss: d.rss });
    }
    await conn.close();
    const rate = (ms: number): number => SIZE / MiB / (ms / 1000);
    const figures = (label: string, curlLabel: string, runs: typeof up): Figure[] => [
      { name: `${label} 1 GiB: throughput (median of ${ROUNDS})`, value: rate(median(runs.map((r) => r.ms))), unit: "MiB/s" },
      { name: `${curlLabel} (median of ${ROUNDS})`, value: rate(median(runs.map((r) => r.curlMs))), unit: "MiB/s" },
      {
        name: `${label}: ratio to curl, same round (median; ${runs.map((r) => r.ratio.toFixed(2)).join(" ")})`,
        value: median(runs.map((r) => r.ratio)),
        unit: "x",
        target: ">= 0.8",
      },
      {
        name: `${label}: peak RSS of the process (highest of ${ROUNDS})`,
        value: Math.max(...runs.map((r) => r.rss)) / MiB,
        unit: "MiB",
        target: "<= 100",
      },
    ];
    return [
      ...figures("vol-upload", "curl PUT 1 GiB, same URL and cookie", up),
      ...figures("vol-download", "curl GET 1 GiB, same URL and cookie, to a file", down),
      ...(await listing(sim)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.stop();
  }
}
