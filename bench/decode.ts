/**
 * Decode throughput and memory: a generated ~30 MiB RetrievePropertiesExResponse
 * of VirtualMachine ObjectContents decoded into typed objects (target >= 60 MiB/s, peak RSS
 * <= 4x the document). The document repeats and varies the 300 real VMs of
 * ../shared/reference/bench/vm-objectcontent-300.xml (skipped, or failed under
 * ESXVI_REQUIRE_REFERENCE=1, when it is absent).
 * Also measures the parser alternatives: fast-xml-parser to an untyped tree, our reader
 * tokenizing only. Run alone: node dist/bench/main.js decode
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registry } from "../generated/registry.js";
import { readBytes, readChunks, readText } from "../runtime/http/transport.js";
import { decodeResponse, XmlReader } from "../runtime/soap/index.js";
import { BENCH_DIR, missingReference } from "../test/support/paths.js";
import type { Figure } from "./report.js";

const MiB = 1 << 20;
/** The size of the generated response. */
export const TARGET_BYTES = 30 * MiB;
const REFERENCE_FILE = join(BENCH_DIR, "vm-objectcontent-300.xml");

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  "<soapenv:Body>\n" +
  '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>\n';
const TAIL = "</returnval></RetrievePropertiesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n";

/** One `<objects>` element per VM, from the reference records (`<ObjectContent>` roots). */
function referenceObjects(): string[] {
  const text = readFileSync(REFERENCE_FILE, "utf8");
  const out: string[] = [];
  for (const part of text.split("<ObjectContent>")) {
    const end = part.lastIndexOf("</ObjectContent>");
    if (end < 0) continue;
    out.push(`<objects>${part.slice(0, end)}</objects>\n`);
  }
  return out;
}

/**
 * Builds the response: the VMs in turn until TARGET_BYTES; copies after the first round get
 * their own managed object id, name and UUIDs so that no two VMs are identical.
 */
export function buildDocument(): { xml: Buffer; vms: number } {
  const objects = referenceObjects();
  const parts: string[] = [HEAD];
  let bytes = Buffer.byteLength(HEAD) + Buffer.byteLength(TAIL);
  let vms = 0;
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    for (const o of objects) {
      const vm = round === 0 ? o : vary(o, round);
      parts.push(vm);
      bytes += Buffer.byteLength(vm);
      vms++;
      if (bytes >= TARGET_BYTES) break;
    }
  }
  parts.push(TAIL);
  return { xml: Buffer.from(parts.join(""), "utf8"), vms };
}

function vary(o: string, round: number): string {
  return o
    .replace(/(<obj type="VirtualMachine">[^<]*)</, `$1-r${round}<`)
    .replace(
      /<(uuid|instanceUuid)>([0-9a-f]{6})/g,
      (_, tag: string, hex: string) => `<${tag}>${((parseInt(hex, 16) + round) & 0xffffff).toString(16).padStart(6, "0")}`,
    )
    .replace(/(<name>name<\/name>\s*<val[^>]*>)([^<]*)/, `$1$2 (${round})`);
}

// ---------------------------------------------------------------------------------------
// What the decoded result looks like

interface Obj {
  readonly [k: string]: unknown;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function at(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split(".")) v = isObj(v) ? v[k] : undefined;
  return v;
}

export interface Census {
  objects: number;
  vms: number;
  /** Objects decoded generically (`_wireType` on the generic type), by wire type. */
  generic: Map<string, number>;
  /** Objects of a known base decoded for an unknown subtype, by wire type. */
  unknownSubtypes: Map<string, number>;
}

/** Walks the result, counting objects and those the bindings did not type. */
function census(result: unknown): Census {
  const c: Census = { objects: 0, vms: 0, generic: new Map(), unknownSubtypes: new Map() };
  const generic = registry.options.genericType;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isObj(v) || v instanceof Date || v instanceof Uint8Array) return;
    c.objects++;
    const wire = v["_wireType"];
    if (typeof wire === "string") {
      const m = v["_typeName"] === generic ? c.generic : c.unknownSubtypes;
      m.set(wire, (m.get(wire) ?? 0) + 1);
    } else if (v["_typeName"] === generic) {
      c.generic.set("(untyped)", (c.generic.get("(untyped)") ?? 0) + 1);
    }
    for (const k in v) walk(v[k]);
  };
  walk(result);
  c.vms = isObj(result) && Array.isArray(result["objects"]) ? result["objects"].length : 0;
  return c;
}

/** Throws unless the result is typed the way the bindings promise. */
function checkTyped(result: unknown, vms: number): void {
  const objects = isObj(result) ? result["objects"] : undefined;
  if (!Array.isArray(objects) || objects.length !== vms)
    throw new Error(`expected ${vms} ObjectContents, got ${Array.isArray(objects) ? objects.length : "none"}`);
  const props = (oc: unknown): Map<string, unknown> => {
    const m = new Map<string, unknown>();
    const set = isObj(oc) ? oc["propSet"] : undefined;
    if (Array.isArray(set)) for (const p of set) if (isObj(p) && typeof p["name"] === "string") m.set(p["name"], p["val"]);
    return m;
  };
  let disks = 0;
  for (const oc of objects) {
    const p = props(oc);
    const config = p.get("config");
    if (config === undefined) continue;
    const expect = (what: string, ok: boolean): void => {
      if (!ok) throw new Error(`not typed: ${what} of ${String(at(oc, "obj.value"))}`);
    };
    expect("config", at(config, "_typeName") === "VirtualMachineConfigInfo");
    expect("config.hardware.numCPU", typeof at(config, "hardware.numCPU") === "number");
    expect("config.changeVersion", typeof at(config, "changeVersion") === "string");
    const summary = p.get("summary");
    expect("summary.storage.committed", typeof at(summary, "storage.committed") === "bigint");
    const boot = at(p.get("runtime"), "bootTime");
    expect("runtime.bootTime", boot === undefined || boot instanceof Date);
    const devices = at(config, "hardware.device");
    expect("config.hardware.device", Array.isArray(devices));
    for (const d of devices as unknown[]) {
      expect("a device", typeof at(d, "_typeName") === "string" && typeof at(d, "key") === "number");
      if (at(d, "_typeName") === "VirtualDisk") {
        disks++;
        expect("VirtualDisk.capacityInBytes", typeof at(d, "capacityInBytes") === "bigint" || at(d, "capacityInBytes") === undefined);
        expect("VirtualDisk.backing", typeof at(d, "backing._typeName") === "string");
      }
    }
  }
  if (disks === 0) throw new Error("no VirtualDisk decoded");
}

// ---------------------------------------------------------------------------------------
// Throughput

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * Median MiB/s of `runs` runs of fn after `warm` warm-up runs: by the clock, and per
 * second of the process's CPU time (GC threads included), which other load on the
 * machine disturbs less.
 */
function rates(bytes: number, fn: () => unknown, warm = 2, runs = 7): { wall: number; cpu: number } {
  for (let i = 0; i < warm; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(bytes / MiB / (ms / 1000));
    cpu.push(bytes / MiB / ((c.user + c.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function throughput(bytes: number, fn: () => unknown, warm = 2, runs = 7): number {
  return rates(bytes, fn, warm, runs).wall;
}

/** Our reader over the whole document, every element and text visited, nothing decoded. */
function tokenizeOnly(xml: Uint8Array): number {
  const r = new XmlReader(xml);
  r.root();
  let elements = 1;
  const walk = (): void => {
    while (r.nextChild()) {
      elements++;
      if (r.hasChildElements()) walk();
      else r.readText();
    }
  };
  walk();
  return elements;
}

// ---------------------------------------------------------------------------------------
// Peak RSS in a fresh process, from the bytes as undici delivers a body (64 KiB Buffer
// chunks): through a string (readText), as one Buffer (readBytes), or as the pieces never
// joined and released as they are read (readChunks, what the client does).

type Pipeline = "string" | "bytes" | "chunks";

const LABELS: Record<Pipeline, string> = {
  string: "chunks -> string (readText) -> typed",
  bytes: "chunks -> Buffer (readBytes) -> typed",
  chunks: "chunks kept, released as read (readChunks) -> typed",
};

interface RssReport {
  /** Node with the bindings and the HTTP transport (undici) loaded: where the measurement starts. */
  baseline: number;
  peak: number;
  heapUsed: number;
  vms: number;
}

/**
 * Peak resident memory of this process since `resetPeak()`: VmHWM of /proc/self/status
 * (getrusage's maxRSS would include the parent's peak, which a spawned child inherits).
 */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? process.resourceUsage().maxRSS * 1024 : Number(m[1]) * 1024;
}

/** Resets VmHWM to the current RSS (Linux); false where that is not possible. */
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

async function rssChild(file: string, pipeline: Pipeline): Promise<void> {
  await registry.loadAll();
  const method = registry.method("RetrievePropertiesEx");
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  resetPeak();
  const body = createReadStream(file, { highWaterMark: 64 * 1024 });
  const result =
    pipeline === "chunks"
      ? decodeResponse(registry, method, { ...(await readChunks(body, 1 << 30, "bench")), consume: true })
      : decodeResponse(
          registry,
          method,
          pipeline === "string" ? await readText(body, 1 << 30, "bench") : await readBytes(body, 1 << 30, "bench"),
        );
  const report: RssReport = {
    baseline,
    peak: peakRss(),
    heapUsed: process.memoryUsage().heapUsed,
    vms: isObj(result) && Array.isArray(result["objects"]) ? result["objects"].length : 0,
  };
  process.stdout.write(JSON.stringify(report));
}

function measureRss(file: string, pipeline: Pipeline): RssReport {
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--rss-child", file, pipeline], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`RSS child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RssReport;
}

/** Median over `runs` fresh processes: baseline, peak and ratios as figures. */
function rssFigures(file: string, pipeline: Pipeline, size: number, vms: number, runs: number): Figure[] {
  const reports = Array.from({ length: runs }, () => measureRss(file, pipeline));
  for (const r of reports) if (r.vms !== vms) throw new Error(`RSS child decoded ${r.vms} VMs, expected ${vms}`);
  const peak = median(reports.map((r) => r.peak));
  const baseline = median(reports.map((r) => r.baseline));
  const heap = median(reports.map((r) => r.heapUsed));
  const label = LABELS[pipeline];
  return [
    { name: `decode: RSS ${label}: baseline (bindings, transport)`, value: Math.round(baseline / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: peak`, value: Math.round(peak / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: heap used after`, value: Math.round(heap / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: peak / document`, value: Number((peak / size).toFixed(2)), unit: "x", target: "<= 4" },
    {
      name: `decode: RSS ${label}: (peak - baseline) / document`,
      value: Number(((peak - baseline) / size).toFixed(2)),
      unit: "x",
      target: "<= 4",
    },
  ];
}

// ---------------------------------------------------------------------------------------

/** Median MiB/s of turning the body's 64 KiB chunks into a string or one Buffer. */
async function bodyThroughput(bytes: Buffer, read: (body: Readable) => Promise<unknown>): Promise<number> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(Buffer.from(bytes.subarray(i, i + 64 * 1024)));
  const rates: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await read(Readable.from(chunks, { objectMode: true }));
    rates.push(bytes.length / MiB / ((performance.now() - t0) / 1000));
  }
  return median(rates.slice(2));
}

/** Decodes once, checks the result is typed and counts what was decoded generically. */
function typingFigures(bytes: Buffer, vms: number): Figure[] {
  const result = decodeResponse(registry, registry.method("RetrievePropertiesEx"), bytes);
  checkTyped(result, vms);
  const c = census(result);
  const generic = [...c.generic.values()].reduce((a, b) => a + b, 0);
  const out: Figure[] = [
    { name: "decode: objects decoded (typed checks passed)", value: c.objects, unit: "objects" },
    { name: "decode: objects decoded generically (target 0)", value: generic, unit: "objects" },
  ];
  const unknown = [...c.generic.entries(), ...c.unknownSubtypes.entries()].sort((a, b) => b[1] - a[1]);
  for (const [t, n] of unknown.slice(0, 10)) out.push({ name: `decode:   not in schema/: ${t}`, value: n, unit: "objects" });
  return out;
}

export async function benchDecode(): Promise<Figure[]> {
  const skip = missingReference(REFERENCE_FILE);
  if (skip !== undefined) {
    console.log(`decode bench: ${skip}`);
    return [];
  }
  await registry.loadAll();
  const method = registry.method("RetrievePropertiesEx");
  const { xml: bytes, vms } = buildDocument();
  const size = bytes.length;
  const out: Figure[] = [{ name: `decode: document (${vms} reference VMs)`, value: Number((size / MiB).toFixed(1)), unit: "MiB" }];
  out.push(...typingFigures(bytes, vms));
  const typed = rates(size, () => decodeResponse(registry, method, bytes), 2, 9);
  out.push({ name: "decode: typed, from the body's bytes", value: typed.wall, unit: "MiB/s", target: ">= 60" });
  out.push({ name: "decode: typed, from the body's bytes, per CPU second", value: typed.cpu, unit: "MiB/s" });
  out.push({ name: "decode: alternative: own reader, tokenizing only", value: throughput(size, () => tokenizeOnly(bytes)), unit: "MiB/s" });
  out.push({
    name: "decode: body chunks -> Buffer (readBytes)",
    value: await bodyThroughput(bytes, (b) => readBytes(b, 1 << 30, "bench")),
    unit: "MiB/s",
  });
  out.push({
    name: "decode: body chunks -> string (readText)",
    value: await bodyThroughput(bytes, (b) => readText(b, 1 << 30, "bench")),
    unit: "MiB/s",
  });
  {
    const xml = bytes.toString("utf8");
    out.push({
      name: "decode: typed, from a string",
      value: throughput(size, () => decodeResponse(registry, method, xml)),
      unit: "MiB/s",
      target: ">= 60",
    });
    const { XMLParser } = await import("fast-xml-parser");
    // What a SOAP decoder would need from it: attributes (xsi:type, MoRef type), text kept as text.
    const fxp = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });
    out.push({
      name: "decode: alternative: fast-xml-parser, untyped tree",
      value: throughput(size, () => fxp.parse(xml), 1, 3),
      unit: "MiB/s",
    });
  }

  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-decode-"));
  try {
    const file = join(dir, "response.xml");
    writeFileSync(file, bytes);
    out.push(...rssFigures(file, "chunks", size, vms, 7));
    out.push(...rssFigures(file, "bytes", size, vms, 7));
    out.push(...rssFigures(file, "string", size, vms, 7));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[2] === "--rss-child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const pipeline = process.argv[4];
  await rssChild(process.argv[3] ?? "", pipeline === "string" || pipeline === "chunks" ? pipeline : "bytes");
}
