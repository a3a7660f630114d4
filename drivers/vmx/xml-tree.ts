/**
 * A minimal element tree over fast-xml-parser (well-formedness checked by its validator),
 * with entity decoding done here so numeric character references work too.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { DomainXmlError } from "./errors.js";

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text of this element and its descendants (XPath string()). */
  readonly text: string;
}

const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Largest domain XML accepted (virsh reads at most 10 MiB of a file). */
export const MAX_DOMAIN_XML_LENGTH = 10 << 20;
/** Deepest element nesting accepted; libvirt's domain XML needs fewer than 10 levels. */
export const MAX_DOMAIN_XML_DEPTH = 256;

/** XML 1.0's Char production, what a character reference may name. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Decodes the five predefined entities and character references. Every other `&` is an
 * error: an entity name of any spelling (digits included) is never left as literal text.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&<\s]{0,40});?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new DomainXmlError(`XML error: '&' not followed by an entity or character reference`);
    if (/^#x[0-9a-fA-F]+$/.test(body) || /^#[0-9]+$/.test(body)) {
      const code = body.startsWith("#x") ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isXmlChar(code)) throw new DomainXmlError(`XML error: invalid character reference '${whole}'`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    if (named === undefined) throw new DomainXmlError(`Unknown XML entity '${whole}'`);
    return named;
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: "#comment",
});

type RawNode = Record<string, unknown>;

function isRecord(v: unknown): v is RawNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function convert(node: RawNode, depth: number): XmlElement | string | undefined {
  if (depth > MAX_DOMAIN_XML_DEPTH) throw new DomainXmlError(`XML error: elements nested deeper than ${MAX_DOMAIN_XML_DEPTH}`);
  for (const [key, value] of Object.entries(node)) {
    if (key === ":@") continue;
    if (key === "#text") return decodeEntities(String(value));
    if (key === "#comment" || key.startsWith("?")) return undefined;
    const attrs: Record<string, string> = {};
    const rawAttrs = node[":@"];
    if (isRecord(rawAttrs)) {
      for (const [a, v] of Object.entries(rawAttrs)) attrs[a] = decodeEntities(String(v));
    }
    const children: XmlElement[] = [];
    let text = "";
    if (Array.isArray(value)) {
      for (const child of value) {
        if (!isRecord(child)) continue;
        const c = convert(child, depth + 1);
        if (typeof c === "string") text += c;
        else if (c !== undefined) {
          children.push(c);
          text += c.text;
        }
      }
    }
    return { name: key, attrs, children, text };
  }
  return undefined;
}

/**
 * Parses an XML document and returns its root element. A DOCTYPE is refused (no entity
 * definition can ever become a VM's name), and every failure is a DomainXmlError: the
 * parser's own exceptions, stack overflows and range errors on hostile input included.
 */
export function parseXmlTree(xml: string): XmlElement {
  if (xml.length > MAX_DOMAIN_XML_LENGTH) throw new DomainXmlError(`XML error: document larger than ${MAX_DOMAIN_XML_LENGTH} characters`);
  if (xml.trim() === "") throw new DomainXmlError("XML error: the document is empty");
  if (/<!DOCTYPE/i.test(xml)) throw new DomainXmlError("XML error: DOCTYPE declarations are not accepted in domain XML");
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const e = valid.err;
      throw new DomainXmlError(`XML error at line ${e.line}${e.col === undefined ? "" : `, column ${e.col}`}: ${e.msg}`);
    }
    const nodes = parser.parse(xml) as unknown;
    if (Array.isArray(nodes)) {
      for (const node of nodes) {
        if (!isRecord(node)) continue;
        const el = convert(node, 1);
        if (el !== undefined && typeof el !== "string") return el;
      }
    }
  } catch (e) {
    if (e instanceof DomainXmlError) throw e;
    throw new DomainXmlError(`XML error: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  throw new DomainXmlError("XML document has no root element");
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
