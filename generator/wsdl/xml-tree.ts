/**
 * Parses one XML document with fast-xml-parser into a small typed, namespace-resolved tree.
 * fast-xml-parser returns untyped data; this file is the only place that narrows it.
 */
import { XMLParser } from "fast-xml-parser";
import { errorMessage } from "../../errors/esxvi-error.js";
import { WsdlImportError } from "./errors.js";

export const XSD_NS = "http://www.w3.org/2001/XMLSchema";
export const WSDL_NS = "http://schemas.xmlsoap.org/wsdl/";

/** An element: its namespace URI and local name, plain attributes, child elements. */
export interface XNode {
  readonly ns: string;
  readonly local: string;
  /** Attributes by their name as written (`name`, `type`, `minOccurs`, ...); xmlns declarations excluded. */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XNode[];
  /** The namespace prefixes in scope ("" is the default namespace), to resolve QName attribute values. */
  readonly scope: ReadonlyMap<string, string>;
}

/** A qualified name: a namespace URI and a local name. */
export interface QName {
  readonly ns: string;
  readonly local: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  trimValues: true,
});

type Raw = Record<string, unknown>;

function isRecord(x: unknown): x is Raw {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function stringAttrs(x: unknown): [string, string][] {
  if (!isRecord(x)) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === "string") out.push([k, v]);
    else if (typeof v === "number" || typeof v === "boolean") out.push([k, String(v)]);
  }
  return out;
}

function splitName(name: string): [prefix: string, local: string] {
  const i = name.indexOf(":");
  return i < 0 ? ["", name] : [name.slice(0, i), name.slice(i + 1)];
}

function convert(entry: Raw, parentScope: ReadonlyMap<string, string>, location: string): XNode | undefined {
  const tag = Object.keys(entry).find((k) => k !== ":@");
  if (tag === undefined || tag === "#text" || tag.startsWith("?")) return undefined;
  const body = entry[tag];
  const rawAttrs = stringAttrs(entry[":@"]);
  let declared: Map<string, string> | undefined;
  const attrs = new Map<string, string>();
  for (const [k, v] of rawAttrs) {
    if (k === "xmlns" || k.startsWith("xmlns:")) {
      declared ??= new Map(parentScope);
      declared.set(k === "xmlns" ? "" : k.slice(6), v);
    } else {
      attrs.set(k, v);
    }
  }
  const scope: ReadonlyMap<string, string> = declared ?? parentScope;
  const [prefix, local] = splitName(tag);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== "") {
    throw new WsdlImportError("XML_ERROR", `${location}: element <${tag}> uses the undeclared namespace prefix '${prefix}'`);
  }
  const children: XNode[] = [];
  if (Array.isArray(body)) {
    for (const c of body) {
      if (!isRecord(c)) continue;
      const node = convert(c, scope, location);
      if (node !== undefined) children.push(node);
    }
  }
  return { ns: ns ?? "", local, attrs, children, scope };
}

/** Parses a document; throws a WsdlImportError (XML_ERROR) naming the location when it is not XML. */
export function parseXml(text: string, location: string): XNode {
  let raw: unknown;
  try {
    raw = parser.parse(text, true);
  } catch (e) {
    throw new WsdlImportError("XML_ERROR", `${location}: not well-formed XML: ${errorMessage(e)}`, { cause: e });
  }
  const roots: XNode[] = [];
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      if (!isRecord(entry)) continue;
      const node = convert(entry, new Map([["xml", "http://www.w3.org/XML/1998/namespace"]]), location);
      if (node !== undefined) roots.push(node);
    }
  }
  const root = roots[0];
  if (root === undefined || roots.length > 1)
    throw new WsdlImportError("XML_ERROR", `${location}: expected one root element, found ${roots.length}`);
  return root;
}

/** Resolves a QName attribute value (`vim25:TaskInfo`, `xsd:string`) against the node's namespace scope. */
export function resolveQName(node: XNode, value: string, location: string): QName {
  const [prefix, local] = splitName(value.trim());
  const ns = node.scope.get(prefix);
  if (ns === undefined) {
    if (prefix === "") return { ns: "", local };
    throw new WsdlImportError("XML_ERROR", `${location}: '${value}' uses the undeclared namespace prefix '${prefix}'`);
  }
  return { ns, local };
}

export function qnameText(q: QName): string {
  return q.ns === "" ? q.local : `{${q.ns}}${q.local}`;
}
