/** XML escaping for request bodies: every text and attribute value goes through here. */
import { EncodeError } from "./codec-errors.js";

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"'\r\n\t]/;
// Characters XML 1.0 cannot carry at all.
const INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

const TEXT_MAP: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
const ATTR_MAP: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;",
};

function checkChars(s: string, where: string): void {
  if (INVALID.test(s)) throw new EncodeError(`${where}: the value contains a character that XML cannot carry`);
}

export function escapeText(s: string, where = "text"): string {
  checkChars(s, where);
  return TEXT_SPECIAL.test(s) ? s.replace(/[&<>\r]/g, (c) => TEXT_MAP[c] ?? c) : s;
}

export function escapeAttr(s: string, where = "attribute"): string {
  checkChars(s, where);
  return ATTR_SPECIAL.test(s) ? s.replace(/[&<>"'\r\n\t]/g, (c) => ATTR_MAP[c] ?? c) : s;
}

/** Accumulates an XML fragment. */
export class XmlWriter {
  out = "";

  /** Writes `<name[ xsi:type="t"][ extra]>`. */
  open(name: string, xsiType?: string, extraAttrs?: string): void {
    this.out += `<${name}${xsiType === undefined ? "" : ` xsi:type="${escapeAttr(xsiType)}"`}${extraAttrs ?? ""}>`;
  }

  close(name: string): void {
    this.out += `</${name}>`;
  }

  /** Writes `<name …>text</name>` with the text escaped. */
  leaf(name: string, text: string, xsiType?: string, where?: string): void {
    this.open(name, xsiType);
    this.out += escapeText(text, where ?? name);
    this.out += `</${name}>`;
  }
}
