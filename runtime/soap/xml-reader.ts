/**
 * A small, fast, namespace-aware pull reader for the XML of SOAP responses.
 *
 * It reads a string in place (no tree is built), so the compiled decoders can turn the
 * document straight into typed objects. It never expands entities beyond the five
 * predefined ones and character references, refuses DOCTYPE declarations, and bounds
 * the depth and the size of a document.
 */
import { DecodeError } from "./codec-errors.js";

export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const XSD_NS = "http://www.w3.org/2001/XMLSchema";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

export interface XmlReaderLimits {
  /** Maximum element depth (default 256). */
  readonly maxDepth?: number;
  /** Maximum document length in characters (default 1 GiB). */
  readonly maxLength?: number;
}

interface NsBinding {
  readonly prefix: string;
  readonly uri: string;
  readonly depth: number;
  readonly next: NsBinding | undefined;
}

const GT = 62; // >
const SLASH = 47; // /
const EQ = 61; // =
const QUOT = 34; // "
const APOS = 39; // '
const BANG = 33; // !
const QUEST = 63; // ?
const COLON = 58; // :

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Replaces the predefined entities and character references; anything else is an error. */
export function decodeEntities(text: string): string {
  if (text.indexOf("&") < 0) return text;
  return text.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "", 10);
      if (!(code >= 0 && code <= 0x10ffff)) throw new DecodeError(`invalid character reference '${whole}'`);
      return String.fromCodePoint(code);
    }
    const v = name === undefined ? undefined : NAMED[name];
    if (v === undefined) throw new DecodeError(`undefined entity '${whole}' (entities are not expanded)`);
    return v;
  });
}

export class XmlReader {
  readonly src: string;
  /** Index of the next unread character. */
  pos = 0;
  /** Depth of the current element (1 for the root) after `next()`/`nextChild()` returned true. */
  depth = 0;
  /** The current element's qualified name, prefix and local name. */
  qname = "";
  prefix = "";
  local = "";
  /** True when the current start tag was `<x/>`. */
  selfClosing = false;
  private attrNames: string[] = [];
  private attrValues: string[] = [];
  private attrCount = 0;
  private ns: NsBinding | undefined;
  private readonly maxDepth: number;

  constructor(src: string, limits: XmlReaderLimits = {}) {
    const maxLength = limits.maxLength ?? 1 << 30;
    if (src.length > maxLength) throw new DecodeError(`document too large: ${src.length} characters (limit ${maxLength})`);
    this.src = src;
    this.maxDepth = limits.maxDepth ?? 256;
    this.ns = { prefix: "xml", uri: XML_NS, depth: 0, next: undefined };
  }

  /** Moves to the root element. Throws when there is none. */
  root(): void {
    if (!this.nextChild()) throw new DecodeError("the document has no root element");
  }

  /**
   * Moves to the next child start tag of the current element. Returns false (and consumes
   * the end tag) when the current element has no more children. Text between children is
   * skipped.
   */
  nextChild(): boolean {
    const src = this.src;
    if (this.selfClosing) {
      this.selfClosing = false;
      this.endElement();
      return false;
    }
    for (;;) {
      const lt = src.indexOf("<", this.pos);
      if (lt < 0) {
        if (this.depth > 0) throw new DecodeError(`unexpected end of document inside <${this.qname}>`);
        this.pos = src.length;
        return false;
      }
      const c = src.charCodeAt(lt + 1);
      if (c === SLASH) {
        const gt = src.indexOf(">", lt + 2);
        if (gt < 0) throw new DecodeError("unterminated end tag");
        this.pos = gt + 1;
        if (this.depth === 0) throw new DecodeError(`unexpected end tag at offset ${lt}`);
        this.endElement();
        return false;
      }
      if (c === BANG || c === QUEST) {
        this.skipMarkup(lt);
        continue;
      }
      this.readStartTag(lt);
      return true;
    }
  }

  /** Reads the text content of the current element and consumes its end tag. */
  readText(): string {
    if (this.selfClosing) {
      this.selfClosing = false;
      this.endElement();
      return "";
    }
    const src = this.src;
    let out = "";
    for (;;) {
      const lt = src.indexOf("<", this.pos);
      if (lt < 0) throw new DecodeError(`unexpected end of document inside <${this.qname}>`);
      if (lt > this.pos) out += decodeEntities(src.slice(this.pos, lt));
      const c = src.charCodeAt(lt + 1);
      if (c === SLASH) {
        const gt = src.indexOf(">", lt + 2);
        if (gt < 0) throw new DecodeError("unterminated end tag");
        this.pos = gt + 1;
        this.endElement();
        return out;
      }
      if (c === BANG && src.startsWith("<![CDATA[", lt)) {
        const end = src.indexOf("]]>", lt + 9);
        if (end < 0) throw new DecodeError("unterminated CDATA section");
        out += src.slice(lt + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (c === BANG || c === QUEST) {
        this.skipMarkup(lt);
        continue;
      }
      const name = this.qname;
      this.readStartTag(lt);
      throw new DecodeError(`element <${name}> should hold text, found child element <${this.qname}>`);
    }
  }

  /**
   * Looks ahead without consuming: true when the current element (just opened) has a child
   * element before its end tag.
   */
  hasChildElements(): boolean {
    if (this.selfClosing) return false;
    const src = this.src;
    let p = this.pos;
    for (;;) {
      const lt = src.indexOf("<", p);
      if (lt < 0) return false;
      const c = src.charCodeAt(lt + 1);
      if (c === SLASH) return false;
      if (c === BANG && src.startsWith("<!--", lt)) {
        const end = src.indexOf("-->", lt + 4);
        if (end < 0) return false;
        p = end + 3;
        continue;
      }
      if (c === QUEST) {
        const end = src.indexOf("?>", lt + 2);
        if (end < 0) return false;
        p = end + 2;
        continue;
      }
      return c !== BANG;
    }
  }

  /** Looks ahead: true when the current element has neither children nor non-blank text. */
  isEmpty(): boolean {
    if (this.selfClosing) return true;
    const src = this.src;
    const lt = src.indexOf("<", this.pos);
    if (lt < 0 || src.charCodeAt(lt + 1) !== SLASH) return false;
    for (let i = this.pos; i < lt; i++) if (!isSpace(src.charCodeAt(i))) return false;
    return true;
  }

  /** Skips the rest of the current element (children included) and consumes its end tag. */
  skipElement(): void {
    const target = this.depth - 1;
    while (this.depth > target) {
      if (!this.nextChild()) continue;
    }
  }

  /** The value of an attribute without a namespace prefix, e.g. a MoRef's `type`. */
  attr(name: string): string | undefined {
    for (let i = 0; i < this.attrCount; i++) {
      if (this.attrNames[i] === name) return this.attrValues[i];
    }
    return undefined;
  }

  /** The value of an attribute by namespace URI and local name. */
  attrNS(uri: string, local: string): string | undefined {
    for (let i = 0; i < this.attrCount; i++) {
      const n = this.attrNames[i] ?? "";
      const colon = n.indexOf(":");
      if (colon < 0 || n.slice(colon + 1) !== local) continue;
      if (this.lookup(n.slice(0, colon)) === uri) return this.attrValues[i];
    }
    return undefined;
  }

  /**
   * The current element's xsi:type, canonicalised: XML Schema types as `xsd:<local>`,
   * other types by their local name. Undefined when the element has none.
   */
  xsiType(): string | undefined {
    if (this.attrCount === 0) return undefined;
    const v = this.attrNS(XSI_NS, "type");
    if (v === undefined) return undefined;
    const colon = v.indexOf(":");
    if (colon < 0) return v;
    const uri = this.lookup(v.slice(0, colon));
    if (uri === undefined) throw new DecodeError(`xsi:type '${v}' uses an undeclared prefix`);
    const local = v.slice(colon + 1);
    return uri === XSD_NS ? `xsd:${local}` : local;
  }

  /** The namespace URI of the current element. */
  namespace(): string | undefined {
    return this.lookup(this.prefix);
  }

  /** Resolves a prefix ("" for the default namespace) in the current scope. */
  lookup(prefix: string): string | undefined {
    for (let b = this.ns; b !== undefined; b = b.next) if (b.prefix === prefix) return b.uri;
    return undefined;
  }

  private endElement(): void {
    while (this.ns !== undefined && this.ns.depth >= this.depth && this.ns.depth > 0) this.ns = this.ns.next;
    this.depth--;
    this.attrCount = 0;
  }

  private skipMarkup(lt: number): void {
    const src = this.src;
    if (src.startsWith("<!--", lt)) {
      const end = src.indexOf("-->", lt + 4);
      if (end < 0) throw new DecodeError("unterminated comment");
      this.pos = end + 3;
    } else if (src.charCodeAt(lt + 1) === QUEST) {
      const end = src.indexOf("?>", lt + 2);
      if (end < 0) throw new DecodeError("unterminated processing instruction");
      this.pos = end + 2;
    } else if (src.startsWith("<![CDATA[", lt)) {
      const end = src.indexOf("]]>", lt + 9);
      if (end < 0) throw new DecodeError("unterminated CDATA section");
      this.pos = end + 3;
    } else if (src.startsWith("<!DOCTYPE", lt)) {
      throw new DecodeError("DOCTYPE declarations are not accepted");
    } else {
      throw new DecodeError(`unexpected markup at offset ${lt}`);
    }
  }

  private readStartTag(lt: number): void {
    const src = this.src;
    let i = lt + 1;
    const nameStart = i;
    let colon = -1;
    let c = src.charCodeAt(i);
    while (i < src.length && c !== GT && c !== SLASH && !isSpace(c)) {
      if (c === COLON && colon < 0) colon = i;
      c = src.charCodeAt(++i);
    }
    if (i === nameStart) throw new DecodeError(`malformed start tag at offset ${lt}`);
    const qname = src.slice(nameStart, i);
    this.depth++;
    if (this.depth > this.maxDepth) throw new DecodeError(`document nested deeper than ${this.maxDepth} elements`);
    this.qname = qname;
    if (colon < 0) {
      this.prefix = "";
      this.local = qname;
    } else {
      this.prefix = qname.slice(0, colon - nameStart);
      this.local = qname.slice(colon - nameStart + 1);
    }
    this.attrCount = 0;
    // Attributes.
    for (;;) {
      while (isSpace(c)) c = src.charCodeAt(++i);
      if (c === GT) {
        this.selfClosing = false;
        this.pos = i + 1;
        return;
      }
      if (c === SLASH) {
        if (src.charCodeAt(i + 1) !== GT) throw new DecodeError(`malformed start tag <${qname}>`);
        this.selfClosing = true;
        this.pos = i + 2;
        return;
      }
      if (i >= src.length) throw new DecodeError(`unterminated start tag <${qname}>`);
      const an = i;
      while (i < src.length && c !== EQ && !isSpace(c) && c !== GT && c !== SLASH) c = src.charCodeAt(++i);
      const aname = src.slice(an, i);
      while (isSpace(c)) c = src.charCodeAt(++i);
      if (c !== EQ) throw new DecodeError(`attribute '${aname}' of <${qname}> has no value`);
      c = src.charCodeAt(++i);
      while (isSpace(c)) c = src.charCodeAt(++i);
      if (c !== QUOT && c !== APOS) throw new DecodeError(`attribute '${aname}' of <${qname}> is not quoted`);
      const end = src.indexOf(c === QUOT ? '"' : "'", i + 1);
      if (end < 0) throw new DecodeError(`unterminated attribute '${aname}' of <${qname}>`);
      const raw = src.slice(i + 1, end);
      const value = raw.indexOf("&") < 0 ? raw : decodeEntities(raw);
      i = end + 1;
      c = src.charCodeAt(i);
      if (aname.startsWith("xmlns")) {
        if (aname.length === 5) this.ns = { prefix: "", uri: value, depth: this.depth, next: this.ns };
        else if (aname.charCodeAt(5) === COLON) this.ns = { prefix: aname.slice(6), uri: value, depth: this.depth, next: this.ns };
        else this.pushAttr(aname, value);
      } else {
        this.pushAttr(aname, value);
      }
    }
  }

  private pushAttr(name: string, value: string): void {
    this.attrNames[this.attrCount] = name;
    this.attrValues[this.attrCount] = value;
    this.attrCount++;
  }
}
