/**
 * VMX converter throughput: the whole golden corpus converted both ways, repeatedly.
 * Reports cases per second (target >= 2,000/s). Run alone: node scripts/run.mjs bench/vmx.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { domainXmlToVmx, vmxToDomainXml } from "../drivers/vmx/index.js";
import { harnessContext, loadManifest } from "../test/vmx/corpus-runner.js";
import { LIBVIRT_DIR, missingReference } from "../test/support/paths.js";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

interface Case {
  run(): void;
}

function loadCases(dir: string): { vmx2xml: Case[]; xml2vmx: Case[] } {
  const manifest = loadManifest(dir);
  const vmx2xml = manifest.vmx2xml
    .filter((e) => !e.shouldFail)
    .map((e) => {
      const vmx = readFileSync(join(dir, "vmx2xml", `${e.name}.vmx`));
      const ctx = harnessContext(e.name);
      return { run: () => void vmxToDomainXml(vmx, ctx) };
    });
  const xml2vmx = manifest.xml2vmx.map((e) => {
    const xml = readFileSync(join(dir, "xml2vmx", `xml2vmx-${e.input}.xml`), "utf8");
    const ctx = harnessContext(e.input);
    return { run: () => void domainXmlToVmx(xml, ctx, e.virtualHWVersion) };
  });
  return { vmx2xml, xml2vmx };
}

/** Runs `cases` for at least `minMs` and returns cases per second. */
function measure(cases: readonly Case[], minMs: number): number {
  const warmUntil = Date.now() + 300; // let the JIT settle first
  while (Date.now() < warmUntil) for (const c of cases) c.run();
  let done = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    for (const c of cases) c.run();
    done += cases.length;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return Math.round((done * 1000) / elapsedMs);
}

export async function benchVmx(): Promise<BenchResult[]> {
  if (missingReference(LIBVIRT_DIR) !== undefined) return [];
  const dir = LIBVIRT_DIR;
  const { vmx2xml, xml2vmx } = loadCases(dir);
  const target = ">= 2000 cases/s";
  return [
    { name: "vmx: vmx -> domain XML (corpus)", value: measure(vmx2xml, 1500), unit: "cases/s", target },
    { name: "vmx: domain XML -> vmx (corpus)", value: measure(xml2vmx, 1500), unit: "cases/s", target },
    { name: "vmx: both directions (corpus)", value: measure([...vmx2xml, ...xml2vmx], 1500), unit: "cases/s", target },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await benchVmx();
  if (results.length === 0) {
    console.log(`vmx bench: skipped, ${LIBVIRT_DIR} is absent`);
  }
  for (const r of results) console.log(`${r.name}: ${r.value} ${r.unit}${r.target ? ` (target ${r.target})` : ""}`);
}
