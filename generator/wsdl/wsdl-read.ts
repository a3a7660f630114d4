/**
 * Reads a WSDL and every document it pulls in (WSDL `import location`, XSD `include`/`import`
 * `schemaLocation`), from a folder, a file or an http(s) URL. A live ESXi or vCenter serves
 * /sdk/vimService.wsdl, which imports vim.wsdl, which includes the XSDs.
 */
import { readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { errorMessage } from "../../errors/esxvi-error.js";
import { WsdlImportError } from "./errors.js";
import { parseXml, WSDL_NS, XSD_NS, type XNode } from "./xml-tree.js";

export interface XmlDocument {
  /** An absolute file path or a URL. */
  readonly location: string;
  readonly root: XNode;
}

/** Reads the text at a location (absolute path or URL). Replaceable for tests. */
export type TextReader = (location: string) => Promise<string>;

/** File names tried, in order, when the WSDL source is a folder. */
const WSDL_ENTRY_NAMES = ["vim.wsdl", "vimService.wsdl"] as const;

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** The first document to read for a source given as folder, file or URL. */
function entryLocation(source: string): string {
  if (isUrl(source)) return new URL(source).href;
  const path = resolve(source);
  // A path that is not a folder is read as a file (a missing one fails when read, naming it).
  if (!(statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false)) return path;
  const names = readdirSync(path);
  for (const n of WSDL_ENTRY_NAMES) if (names.includes(n)) return resolve(path, n);
  const wsdls = names.filter((n) => n.endsWith(".wsdl")).sort();
  const only = wsdls[0];
  if (only === undefined || wsdls.length > 1) {
    throw new WsdlImportError(
      "INVALID_ARG",
      `WSDL folder '${source}' has ${wsdls.length === 0 ? "no" : "several"} .wsdl files and no ${WSDL_ENTRY_NAMES.join(" or ")}`,
    );
  }
  return resolve(path, only);
}

function resolveLocation(base: string, ref: string): string {
  if (isUrl(ref)) return new URL(ref).href;
  if (isUrl(base)) return new URL(ref, base).href;
  return isAbsolute(ref) ? ref : resolve(dirname(base), ref);
}

const defaultReader: TextReader = async (location) => {
  if (!isUrl(location)) return readFile(location, "utf8");
  const res = await fetch(location);
  if (!res.ok) throw new WsdlImportError("HTTP_ERROR", `GET ${location}: HTTP ${res.status} ${res.statusText}`);
  return res.text();
};

/** The locations a document refers to, in document order. */
function references(root: XNode): string[] {
  const out: string[] = [];
  const fromSchema = (schema: XNode): void => {
    for (const c of schema.children) {
      if (c.ns !== XSD_NS || !(c.local === "include" || c.local === "import" || c.local === "redefine")) continue;
      const loc = c.attrs.get("schemaLocation");
      if (loc !== undefined) out.push(loc);
    }
  };
  if (root.ns === XSD_NS && root.local === "schema") fromSchema(root);
  if (root.ns === WSDL_NS && root.local === "definitions") {
    for (const c of root.children) {
      if (c.ns === WSDL_NS && c.local === "import") {
        const loc = c.attrs.get("location");
        if (loc !== undefined) out.push(loc);
      } else if (c.ns === WSDL_NS && c.local === "types") {
        for (const s of c.children) if (s.ns === XSD_NS && s.local === "schema") fromSchema(s);
      }
    }
  }
  return out;
}

/**
 * Reads the entry document and, depth first in document order, everything it refers to;
 * each location once. The order of the result is deterministic.
 */
export async function readWsdlDocuments(source: string, read: TextReader = defaultReader): Promise<XmlDocument[]> {
  const docs: XmlDocument[] = [];
  const seen = new Set<string>();
  const visit = async (location: string, from: string | undefined): Promise<void> => {
    if (seen.has(location)) return;
    seen.add(location);
    let text: string;
    try {
      text = await read(location);
    } catch (e) {
      if (e instanceof WsdlImportError) throw e;
      throw new WsdlImportError(
        isUrl(location) ? "HTTP_ERROR" : "INVALID_ARG",
        `cannot read ${location}${from === undefined ? "" : ` (referenced by ${from})`}: ${errorMessage(e)}`,
        { cause: e },
      );
    }
    const root = parseXml(text, location);
    docs.push({ location, root });
    for (const ref of references(root)) await visit(resolveLocation(location, ref), location);
  };
  await visit(entryLocation(source), undefined);
  return docs;
}
