/**
 * A small indented XML writer with libvirt's conventions: two-space indent, single-quoted
 * attributes escaped like virBufferEscapeString, and elements that vanish when they have
 * neither attributes nor children (virXMLFormatElement).
 */
import { escapeXml } from "../util/xml-escape.js";

export type AttrValue = string | number | undefined;

export class XmlWriter {
  private readonly parts: string[] = [];
  private depth = 0;

  private indent(): string {
    return "  ".repeat(this.depth);
  }

  private static attrs(attrs: readonly (readonly [string, AttrValue])[]): string {
    let out = "";
    for (const [name, value] of attrs) {
      if (value === undefined) continue;
      out += ` ${name}='${escapeXml(String(value))}'`;
    }
    return out;
  }

  /** `<name attrs/>`; skipped when `omitIfEmpty` and no attribute has a value. */
  empty(name: string, attrs: readonly (readonly [string, AttrValue])[] = [], omitIfEmpty = false): void {
    const a = XmlWriter.attrs(attrs);
    if (omitIfEmpty && a === "") return;
    this.parts.push(`${this.indent()}<${name}${a}/>\n`);
  }

  /** `<name attrs>text</name>`; skipped when text is undefined. */
  text(name: string, text: string | number | undefined, attrs: readonly (readonly [string, AttrValue])[] = []): void {
    if (text === undefined) return;
    this.parts.push(`${this.indent()}<${name}${XmlWriter.attrs(attrs)}>${escapeXml(String(text))}</${name}>\n`);
  }

  /** `<name attrs>` ... `</name>` around what `body` writes. */
  open(name: string, attrs: readonly (readonly [string, AttrValue])[], body: () => void): void {
    this.parts.push(`${this.indent()}<${name}${XmlWriter.attrs(attrs)}>\n`);
    this.depth++;
    body();
    this.depth--;
    this.parts.push(`${this.indent()}</${name}>\n`);
  }

  /** Like open(), but written as `<name attrs/>` when body writes nothing. */
  maybeOpen(name: string, attrs: readonly (readonly [string, AttrValue])[], body: () => void, omitIfEmpty = false): void {
    const start = this.parts.length;
    this.depth++;
    body();
    this.depth--;
    if (this.parts.length === start) {
      this.empty(name, attrs, omitIfEmpty);
      return;
    }
    this.parts.splice(start, 0, `${this.indent()}<${name}${XmlWriter.attrs(attrs)}>\n`);
    this.parts.push(`${this.indent()}</${name}>\n`);
  }

  toString(): string {
    return this.parts.join("");
  }
}
