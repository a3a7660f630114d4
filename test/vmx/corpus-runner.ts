/**
 * Runs a folder laid out like ../shared/reference/libvirt-11.3.0 (manifest.json, vmx2xml/,
 * xml2vmx/) through the converter with the harness conventions of libvirt's
 * vmx2xmltest/xml2vmxtest, and reports each case with a readable diff.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDatastorePath } from "../../drivers/util/datastore-path.js";
import type { VmxContext } from "../../drivers/vmx/context.js";
import { domainXmlToVmx, vmxToDomainXml } from "../../drivers/vmx/index.js";
import { VmxError } from "../../drivers/vmx/errors.js";

export interface Vmx2XmlEntry {
  readonly name: string;
  readonly shouldFail: boolean;
}

export interface Xml2VmxEntry {
  readonly input: string;
  readonly output: string;
  readonly virtualHWVersion: number;
}

export interface CorpusManifest {
  readonly vmx2xml: readonly Vmx2XmlEntry[];
  readonly xml2vmx: readonly Xml2VmxEntry[];
}

export type Direction = "vmx2xml" | "xml2vmx";

export interface CaseResult {
  readonly direction: Direction;
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed: an unexpected error, a missing error, or a diff of the output. */
  readonly detail?: string;
}

export function loadManifest(dir: string): CorpusManifest {
  const raw = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Partial<CorpusManifest>;
  return { vmx2xml: raw.vmx2xml ?? [], xml2vmx: raw.xml2vmx ?? [] };
}

/** The datacenter path libvirt's vmx2xmltest sets for its "datacenterpath" case. */
const DATACENTER_PATH_CASE = "datacenterpath";
const DATACENTER_PATH = "folder1/folder2/datacenter1";

/** vmx2xml file-name mapping: /vmfs/volumes/<ds>/<path> -> "[<ds>] <path>", "missing" files, bare names. */
export function harnessParseFileName(fileName: string, allowMissing: boolean): string | undefined {
  const prefix = "/vmfs/volumes/";
  if (fileName.startsWith(prefix)) {
    const rest = fileName.slice(prefix.length).replace(/^\/+/, "");
    const slash = rest.indexOf("/");
    const datastore = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? "" : rest.slice(slash + 1);
    if (datastore === "" || path === "") throw new VmxError(`Could not parse file name '${fileName}'`);
    if (datastore === "missing" || path.startsWith("missing")) {
      if (allowMissing) return undefined;
      throw new VmxError(`Referenced missing file '${fileName}'`);
    }
    return `[${datastore}] ${path}`;
  }
  if (fileName.startsWith("/")) return fileName;
  if (fileName.includes("/")) throw new VmxError(`Relative file name '${fileName}' is not supported`);
  return `[datastore] directory/${fileName}`;
}

/** xml2vmx file-name mapping: "[<ds>] <path>" -> /vmfs/volumes/<ds>/<path>; absolute paths stay. */
export function harnessFormatFileName(source: string): string {
  if (source.startsWith("[")) {
    const p = parseDatastorePath(source);
    return `/vmfs/volumes/${p.datastore}/${p.directoryAndFile}`;
  }
  if (source.startsWith("/")) return source;
  throw new VmxError(`Relative file name '${source}' is not supported`);
}

/** The context of libvirt's test harness for one case. */
export function harnessContext(caseName: string): VmxContext {
  const ctx: VmxContext = {
    parseFileName: harnessParseFileName,
    formatFileName: harnessFormatFileName,
    autodetectScsiControllerModel: () => "lsilogic",
  };
  if (caseName === DATACENTER_PATH_CASE) ctx.datacenterPath = DATACENTER_PATH;
  return ctx;
}

/** A line diff (longest common subsequence) with "-" for expected and "+" for actual lines. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = lcs[i] ?? [];
      row[j] = a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`- ${JSON.stringify(a[i])} (expected line ${i + 1})`);
      i++;
    } else {
      out.push(`+ ${JSON.stringify(b[j])} (actual line ${j + 1})`);
      j++;
    }
  }
  return out.join("\n");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function compare(direction: Direction, name: string, expected: string, actual: string): CaseResult {
  if (expected === actual) return { direction, name, ok: true };
  return { direction, name, ok: false, detail: lineDiff(expected, actual) };
}

export function runVmx2XmlCase(dir: string, entry: Vmx2XmlEntry): CaseResult {
  const vmx = readFileSync(join(dir, "vmx2xml", `${entry.name}.vmx`));
  let xml: string;
  try {
    xml = vmxToDomainXml(vmx, harnessContext(entry.name));
  } catch (error) {
    if (entry.shouldFail) return { direction: "vmx2xml", name: entry.name, ok: true, detail: describe(error) };
    return { direction: "vmx2xml", name: entry.name, ok: false, detail: `unexpected error: ${describe(error)}` };
  }
  if (entry.shouldFail) {
    return { direction: "vmx2xml", name: entry.name, ok: false, detail: "expected an error, got XML" };
  }
  const expected = readFileSync(join(dir, "vmx2xml", `${entry.name}.xml`), "utf8");
  return compare("vmx2xml", entry.name, expected, xml);
}

export function runXml2VmxCase(dir: string, entry: Xml2VmxEntry): CaseResult {
  const name = entry.input === entry.output ? entry.input : `${entry.input} -> ${entry.output}`;
  const xml = readFileSync(join(dir, "xml2vmx", `xml2vmx-${entry.input}.xml`), "utf8");
  let vmx: string;
  try {
    vmx = domainXmlToVmx(xml, harnessContext(entry.input), entry.virtualHWVersion);
  } catch (error) {
    return { direction: "xml2vmx", name, ok: false, detail: `unexpected error: ${describe(error)}` };
  }
  const expected = readFileSync(join(dir, "xml2vmx", `xml2vmx-${entry.output}.vmx`), "utf8");
  return compare("xml2vmx", name, expected, vmx);
}

export interface CorpusReport {
  readonly vmx2xml: readonly CaseResult[];
  readonly xml2vmx: readonly CaseResult[];
}

export function runCorpus(dir: string): CorpusReport {
  const manifest = loadManifest(dir);
  return {
    vmx2xml: manifest.vmx2xml.map((e) => runVmx2XmlCase(dir, e)),
    xml2vmx: manifest.xml2vmx.map((e) => runXml2VmxCase(dir, e)),
  };
}

/** "N passed, M failed" for one direction. */
export function summary(results: readonly CaseResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  return `${passed} passed, ${results.length - passed} failed`;
}
