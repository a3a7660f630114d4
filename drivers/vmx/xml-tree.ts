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

export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith("#")) {
      const code = body.startsWith("#x") ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Beyond Unicode's last code point String.fromCodePoint throws a bare RangeError.
      if (!(code >= 0 && code <= 0x10ffff)) throw new DomainXmlError(`invalid character reference '${whole}'`);
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

function convert(node: RawNode): XmlElement | string | undefined {
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
        const c = convert(child);
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

/** Parses an XML document and returns its root element. */
export function parseXmlTree(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const e = valid.err;
    throw new DomainXmlError(`XML error at line ${e.line}, column ${e.col}: ${e.msg}`);
  }
  const nodes = parser.parse(xml) as unknown;
  if (Array.isArray(nodes)) {
    for (const node of nodes) {
      if (!isRecord(node)) continue;
      const el = convert(node);
      if (el !== undefined && typeof el !== "string") return el;
    }
  }
  throw new DomainXmlError("XML document has no root element");
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
