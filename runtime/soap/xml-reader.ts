/**
 * A small, fast, namespace-aware pull reader for the XML of SOAP responses.
 *
 * It reads the UTF-8 bytes of a document in place (a string is encoded first), builds no
 * tree and creates no string for element names, so the compiled decoders can turn the
 * document straight into typed objects: they match member names by hash and bytes, parse
 * numbers, booleans and dates from the bytes, and get the text of string values from a
 * per-document intern table (the strings are copies: none keeps the document alive).
 * It never expands entities beyond the five predefined ones and character references,
 * refuses DOCTYPE declarations, and bounds the depth and the size of a document.
 *
 * A document given as the pieces it arrived in (ByteChunks, an HTTP body) is never joined:
 * the reader copies it piece by piece into a window of about a mebibyte that moves along
 * the document, so that the pieces it has read can be released while the objects are built.
 */
import { Buffer } from "node:buffer";
import { DecodeError } from "./codec-errors.js";

export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const XSD_NS = "http://www.w3.org/2001/XMLSchema";
const XML_NS = "http://www.w3.org/XML/1998/namespace";

export interface XmlReaderLimits {
  /** Maximum element depth (default 256). */
  readonly maxDepth?: number;
  /** Maximum document length: characters of a string, bytes of a byte array (default 1 GiB). */
  readonly maxLength?: number;
  /** Maximum length of one text or attribute value, in bytes (default 16 MiB). */
  readonly maxTextLength?: number;
  /** Maximum number of elements in a document (default 4,000,000): bounds the objects decoded. */
  readonly maxElements?: number;
}

/** A document as the pieces it arrived in, in order. */
export interface ByteChunks {
  readonly chunks: Uint8Array[];
  /** Their total length in bytes. */
  readonly length: number;
  /**
   * When true the reader removes each piece from `chunks` once it has copied it, so that it
   * can be collected while the document is still being read (the caller keeps no other
   * reference). When false the array is left as it is, for the document to be read again.
   */
  readonly consume?: boolean;
  /** The window's usual size in bytes (default 1 MiB): tests make it small to move it often. */
  readonly window?: number;
}

/** What a reader reads: text, UTF-8 bytes, or UTF-8 bytes in pieces. */
export type XmlSource = string | Uint8Array | ByteChunks;

/** The usual size of the window over a document in pieces. */
const WINDOW = 1 << 20;
/**
 * The bytes after a token's start that the window holds whenever the document goes on: a
 * tag, an end tag or a short text never straddles the window's end. Longer ones are read
 * again from their start once the window has moved on and grown.
 */
const LOOKAHEAD = 64 << 10;

interface NsBinding {
  readonly prefix: string;
  readonly prefixHash: number;
  readonly uri: string;
  readonly depth: number;
  readonly next: NsBinding | undefined;
}

/** A prefixed namespace declaration as written (`xmlns:p="uri"`, closing quote included), and what it declares. */
interface WrittenDeclaration {
  readonly bytes: Uint8Array;
  readonly prefix: string;
  readonly prefixHash: number;
  readonly uri: string;
}

/** An xsi:type attribute as written (`p:type="V`, from its name to its value's end) and its canonical type in scope `ns`. */
interface WrittenXsiType {
  readonly bytes: Uint8Array;
  readonly ns: NsBinding | undefined;
  readonly type: string;
}

/** The longest declaration or xsi:type attribute kept to be recognised again (vcsim's xsi declaration is 71 bytes). */
const WRITTEN_KEPT_MAX = 256;
/** xsi:type attributes kept, by their length (a power of two). */
const XSI_TYPES_KEPT = 16;

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const EQ = 61; // =
const QUOT = 34; // "
const APOS = 39; // '
const BANG = 33; // !
const QUEST = 63; // ?
const COLON = 58; // :
const AMP = 38; // &
const MINUS = 45; // -
const PLUS = 43; // +
const DOT = 46; // .
const ZERO = 48;
const NINE = 57;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** A digit's value, or a negative number for any other byte. */
function digit(c: number): number {
  return c >= ZERO && c <= NINE ? c - ZERO : -1;
}

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * XML 1.0's Char production: what a character reference may name. NUL and the other C0
 * controls but tab, LF and CR, surrogates, U+FFFE/U+FFFF and anything beyond U+10FFFF are not.
 */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Replaces the predefined entities and character references; anything else is an error. */
export function decodeEntities(text: string): string {
  if (text.indexOf("&") < 0) return text;
  return text.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "", 10);
      if (!isXmlChar(code)) throw new DecodeError(`invalid character reference '${whole}'`);
      return String.fromCodePoint(code);
    }
    const v = name === undefined ? undefined : NAMED[name];
    if (v === undefined) throw new DecodeError(`undefined entity '${whole}' (entities are not expanded)`);
    return v;
  });
}

/** The hash the reader computes over a name's bytes (see XmlReader.localHash). */
export function nameHash(name: string): number {
  return hashBytes(Buffer.from(name, "utf8"), 0, Buffer.byteLength(name, "utf8"));
}

function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (b[i] as number)) | 0;
  return h;
}

const BEYOND_LATIN1 = /[^\x00-\xff]/;

const NOTHING = new Uint8Array(0);

/** The largest intern table (strings), for documents of 1 MiB and more. */
const INTERN_SLOTS_MAX = 1 << 14;

/** Allocates a typed array bigger than `a`, with its content. */
function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Buffer's string makers without the argument checks of toString(encoding, start, end);
 * present in every Node version, not in @types/node.
 */
interface NodeBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export class XmlReader {
  /** The document's bytes, or the window over them (see refill()). */
  private buf: NodeBuffer;
  /** True when the bytes are Latin-1 (one per character), false for UTF-8. */
  private readonly latin1: boolean;
  private len: number;
  /** The pieces of the document; those from `chunk` (from its byte chunkOff) are not yet in the window. */
  private readonly source: Uint8Array[] | undefined;
  private chunk = 0;
  private chunkOff = 0;
  /** True while some of the document is not in the window yet. */
  private more = false;
  /** The caller's pieces when it keeps them (not consume): never changed. */
  private given: Uint8Array[] | undefined;
  /** The window's memory, reused as it moves when large enough. */
  private window: Buffer | undefined;
  private windowSize = WINDOW;
  /** See LOOKAHEAD. */
  private lookahead = LOOKAHEAD;
  /** Bytes of the document not yet copied into the window. */
  private remaining = 0;
  /** The document offset of buf[0] (for messages). */
  private base = 0;
  /**
   * Where the bytes the caller may still read begin: the current start tag (its name and
   * attributes) until the reader looks for the next token. The window keeps them.
   */
  private tagStart = 0;
  /** Byte offset of the next unread byte. */
  pos = 0;
  /** Depth of the current element (1 for the root) after `next()`/`nextChild()` returned true. */
  depth = 0;
  /** True when the current start tag was `<x/>`. */
  selfClosing = false;
  /** Hash of the current element's local name (`nameHash(local)`), to look members up without a string. */
  localHash = 0;
  private nameStart = 0;
  private localStart = 0;
  private nameEnd = 0;
  /** Attributes of the current start tag: [nameStart, colon or -1, nameEnd, valueStart, valueEnd] each. */
  private attrs = new Int32Array(40);
  private attrCount = 0;
  private ns: NsBinding | undefined;
  /** The last prefixed namespace declaration read byte by byte, to recognise it when it is repeated. */
  private lastDeclaration: WrittenDeclaration | undefined;
  /** The last binding declare() made, made again when the same declaration opens a sibling. */
  private lastBinding: NsBinding | undefined;
  /** Recent xsi:type attributes, by their length: a repeated one is resolved by one comparison. */
  private readonly xsiTypes: (WrittenXsiType | undefined)[] = new Array<WrittenXsiType | undefined>(XSI_TYPES_KEPT).fill(undefined);
  private readonly maxDepth: number;
  private readonly maxText: number;
  private readonly maxElements: number;
  private elements = 0;
  /** Name ranges of the open elements: [start, end] at 2 * (depth - 1), to check end tags. */
  private readonly open: Int32Array;
  /** The text read by readTextSpan(): a byte range when simple, else the decoded string. */
  private spanStart = 0;
  private spanEnd = 0;
  private spanText: string | undefined;
  private spanHash = 0;
  private spanPlain = true;
  private readonly internStrings: (string | undefined)[];
  private readonly internHashes: Int32Array;
  /**
   * The byte range of each interned string's first occurrence; -1 when the window has moved
   * past it and the string (one byte per character) is compared with the bytes instead.
   */
  private readonly internRanges: Int32Array;
  /** 1 where the interned string has one character per byte and no entity. */
  private readonly internPlain: Uint8Array;
  private readonly internMask: number;

  constructor(src: XmlSource, limits: XmlReaderLimits = {}) {
    const maxLength = limits.maxLength ?? 1 << 30;
    if (src.length > maxLength)
      throw new DecodeError(`document too large: ${src.length} ${typeof src === "string" ? "characters" : "bytes"} (limit ${maxLength})`);
    const size = src.length;
    let source: Uint8Array[] | undefined;
    let bytes: Uint8Array | undefined;
    if (typeof src === "string") {
      // A string of characters up to U+00FF is read as Latin-1: a plain copy, no UTF-8 encoding.
      this.latin1 = !BEYOND_LATIN1.test(src);
      this.buf = Buffer.from(src, this.latin1 ? "latin1" : "utf8") as NodeBuffer;
    } else {
      this.latin1 = false;
      if (src instanceof Uint8Array) bytes = src;
      else {
        // One piece is read in place; more are read through the window.
        if (src.chunks.length === 1) bytes = src.chunks[0];
        else {
          source = src.chunks;
          if (src.consume !== true) this.given = source;
        }
        if (src.consume === true && bytes !== undefined) src.chunks.length = 0;
      }
      const b = bytes ?? Buffer.alloc(0);
      this.buf = (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)) as NodeBuffer;
    }
    this.len = this.buf.length;
    this.source = source;
    this.maxDepth = limits.maxDepth ?? 256;
    this.maxText = limits.maxTextLength ?? 16 << 20;
    this.maxElements = limits.maxElements ?? 4_000_000;
    this.open = new Int32Array(2 * this.maxDepth + 2);
    this.ns = { prefix: "xml", prefixHash: nameHash("xml"), uri: XML_NS, depth: 0, next: undefined };
    let slots = 64;
    while (slots < INTERN_SLOTS_MAX && slots * 64 < size) slots *= 2;
    this.internStrings = new Array<string | undefined>(slots).fill(undefined);
    this.internHashes = new Int32Array(slots);
    this.internRanges = new Int32Array(slots * 2);
    this.internPlain = new Uint8Array(slots);
    this.internMask = slots - 1;
    if (source !== undefined) {
      const window = typeof src === "object" && !(src instanceof Uint8Array) ? src.window : undefined;
      if (window !== undefined) {
        this.windowSize = Math.max(64, window);
        this.lookahead = Math.max(16, Math.min(LOOKAHEAD, this.windowSize >> 2));
      }
      this.remaining = size;
      this.more = true;
      this.refill(0);
    }
  }

  /** The current element's qualified name, prefix and local name. */
  get qname(): string {
    return this.string(this.nameStart, this.nameEnd);
  }

  get prefix(): string {
    return this.localStart === this.nameStart ? "" : this.string(this.nameStart, this.localStart - 1);
  }

  get local(): string {
    return this.string(this.localStart, this.nameEnd);
  }

  /** True when the current element's local name is `name` (given as its UTF-8 bytes). */
  localIs(name: Uint8Array): boolean {
    const start = this.localStart;
    const n = name.length;
    if (this.nameEnd - start !== n) return false;
    const buf = this.buf;
    for (let i = 0; i < n; i++) if (buf[start + i] !== name[i]) return false;
    return true;
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
    if (this.selfClosing) {
      this.selfClosing = false;
      this.endElement();
      return false;
    }
    for (;;) {
      const buf = this.buf;
      const len = this.len;
      let lt = this.pos;
      while (lt < len && buf[lt] !== LT) lt++;
      if (this.more && len - lt < this.lookahead) {
        // Near the window's end: move the window on, this token whole, the text before it skipped.
        this.pos = this.tagStart = lt;
        this.refill(lt);
        continue;
      }
      if (lt >= len) {
        if (this.depth > 0) throw new DecodeError(`unexpected end of document inside <${this.openName()}>`);
        this.pos = len;
        return false;
      }
      const c = buf[lt + 1];
      if (c === SLASH) {
        this.endTag(lt);
        return false;
      }
      if (c === BANG || c === QUEST) {
        this.skipMarkup(lt);
        continue;
      }
      if (this.readStartTag(lt)) return true;
      // A start tag longer than the lookahead: read again from its start in a larger window.
      this.pos = lt;
      this.refill(lt);
    }
  }

  /** Reads the text content of the current element and consumes its end tag. */
  readText(): string {
    return this.readTextSpan() ? this.spanString() : (this.spanText as string);
  }

  /**
   * Reads the text content of the current element and consumes its end tag, keeping it for
   * the span* accessors. True when the text is one run of bytes (no CDATA section, comment
   * or processing instruction inside).
   */
  readTextSpan(): boolean {
    this.spanText = undefined;
    if (this.selfClosing) {
      this.selfClosing = false;
      this.endElement();
      this.spanStart = this.spanEnd = this.pos;
      return true;
    }
    const high = this.latin1 ? 256 : 128;
    for (;;) {
      const buf = this.buf;
      const len = this.len;
      const start = this.pos;
      let i = start;
      // The hash and kind of the text for the intern table, in the same pass.
      let h = 0;
      let plain = true;
      for (; i < len; i++) {
        const c = buf[i] as number;
        if (c === LT) break;
        if (c === AMP || c >= high) plain = false;
        h = (Math.imul(h, 31) + c) | 0;
      }
      if (i + 1 >= len && this.more) {
        // The text goes on past the window: read it again from its start in the next one.
        if (i - start > this.maxText) this.textTooLong(i - start);
        this.refill(start);
        continue;
      }
      if (i >= len || buf[i + 1] !== SLASH) break;
      this.spanStart = start;
      this.spanEnd = i;
      this.spanHash = h;
      this.spanPlain = plain;
      this.endTag(i);
      return true;
    }
    this.spanText = this.readMixedText();
    return false;
  }

  /** The text of the last readTextSpan() as a string. */
  spanString(): string {
    if (this.spanText !== undefined) return this.spanText;
    const start = this.spanStart;
    const end = this.spanEnd;
    return start === end ? "" : this.intern(start, end, this.spanHash, this.spanPlain);
  }

  /**
   * The text of the last readTextSpan() as an integer of at most 15 digits (optional sign,
   * blanks around), else NaN: the caller then parses spanString() for the exact error.
   */
  spanInteger(): number {
    if (this.spanText !== undefined) return NaN;
    const buf = this.buf;
    let i = this.spanStart;
    let end = this.spanEnd;
    while (i < end && isSpace(buf[i] as number)) i++;
    while (end > i && isSpace(buf[end - 1] as number)) end--;
    let neg = false;
    const s = buf[i];
    if (s === MINUS || s === PLUS) {
      neg = s === MINUS;
      i++;
    }
    if (i >= end || end - i > 15) return NaN;
    let n = 0;
    for (; i < end; i++) {
      const d = digit(buf[i] as number);
      if (d < 0) return NaN;
      n = n * 10 + d;
    }
    return neg ? -n : n;
  }

  /** The text of the last readTextSpan() as xsd:boolean: 1, 0, or -1 when it is something else. */
  spanBoolean(): number {
    if (this.spanText !== undefined) return -1;
    const buf = this.buf;
    let i = this.spanStart;
    let end = this.spanEnd;
    while (i < end && isSpace(buf[i] as number)) i++;
    while (end > i && isSpace(buf[end - 1] as number)) end--;
    const n = end - i;
    const c = buf[i];
    if (n === 4 && c === 116 && buf[i + 1] === 114 && buf[i + 2] === 117 && buf[i + 3] === 101) return 1; // true
    if (n === 5 && c === 102 && buf[i + 1] === 97 && buf[i + 2] === 108 && buf[i + 3] === 115 && buf[i + 4] === 101) return 0; // false
    if (n === 1 && (c === 49 || c === 48)) return c === 49 ? 1 : 0;
    return -1;
  }

  /**
   * The text of the last readTextSpan() as the milliseconds of an xsd:dateTime with a
   * four-digit year (`YYYY-MM-DDThh:mm:ss[.f…][Z|±hh:mm]`, no zone = UTC), else NaN: the
   * caller then parses spanString() (other years, exact errors).
   */
  spanDateTime(): number {
    if (this.spanText !== undefined) return NaN;
    const b = this.buf;
    let i = this.spanStart;
    let end = this.spanEnd;
    while (i < end && isSpace(b[i] as number)) i++;
    while (end > i && isSpace(b[end - 1] as number)) end--;
    if (end - i < 19 || b[i + 4] !== MINUS || b[i + 7] !== MINUS || b[i + 10] !== 84 || b[i + 13] !== COLON || b[i + 16] !== COLON)
      return NaN;
    const num = (at: number, n: number): number => {
      let v = 0;
      for (let k = at; k < at + n; k++) {
        const d = digit(b[k] as number);
        if (d < 0) return -1;
        v = v * 10 + d;
      }
      return v;
    };
    const y = num(i, 4);
    const mo = num(i + 5, 2);
    const d = num(i + 8, 2);
    const h = num(i + 11, 2);
    const mi = num(i + 14, 2);
    const s = num(i + 17, 2);
    if (y < 1000 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return NaN;
    let p = i + 19;
    let ms = 0;
    if (p < end && b[p] === DOT) {
      p++;
      const fracStart = p;
      while (p < end && digit(b[p] as number) >= 0) p++;
      if (p === fracStart) return NaN;
      for (let k = 0; k < 3; k++) ms = ms * 10 + (fracStart + k < p ? digit(b[fracStart + k] as number) : 0);
    }
    let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    if (p < end) {
      const z = b[p];
      if (z === 90 && p + 1 === end) return t; // Z
      if ((z !== PLUS && z !== MINUS) || end - p !== 6 || b[p + 3] !== COLON) return NaN;
      const zh = num(p + 1, 2);
      const zm = num(p + 4, 2);
      if (zh < 0 || zm < 0) return NaN;
      t -= (z === MINUS ? -1 : 1) * (zh * 60 + zm) * 60000;
    }
    return t;
  }

  /**
   * Looks ahead without consuming: true when the current element (just opened) has a child
   * element before its end tag.
   */
  hasChildElements(): boolean {
    if (this.selfClosing) return false;
    for (;;) {
      const found = this.lookForChild();
      if (found >= 0) return found === 1;
      this.refill(this.pos);
    }
  }

  /** hasChildElements() in the window: 1 or 0, or -1 when the window ends before the answer. */
  private lookForChild(): number {
    const buf = this.buf;
    const more = this.more;
    let p = this.pos;
    for (;;) {
      const lt = buf.indexOf(LT, p);
      if (lt < 0 || (more && lt + 4 > this.len)) return more ? -1 : 0;
      const c = buf[lt + 1];
      if (c === SLASH) return 0;
      if (c === BANG && this.startsWith("<!--", lt)) {
        const end = buf.indexOf("-->", lt + 4);
        if (end < 0) return more ? -1 : 0;
        p = end + 3;
        continue;
      }
      if (c === QUEST) {
        const end = buf.indexOf("?>", lt + 2);
        if (end < 0) return more ? -1 : 0;
        p = end + 2;
        continue;
      }
      return c !== BANG ? 1 : 0;
    }
  }

  /** Looks ahead: true when the current element has neither children nor non-blank text. */
  isEmpty(): boolean {
    if (this.selfClosing) return true;
    for (;;) {
      const buf = this.buf;
      let i = this.pos;
      while (i < this.len && isSpace(buf[i] as number)) i++;
      if (i + 1 >= this.len && this.more) {
        this.refill(this.pos);
        continue;
      }
      return buf[i] === LT && buf[i + 1] === SLASH;
    }
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
    const a = this.attrs;
    const buf = this.buf;
    const n = name.length;
    for (let i = 0; i < this.attrCount; i++) {
      const o = i * 5;
      const start = a[o] as number;
      if (a[o + 1] !== -1 || (a[o + 2] as number) - start !== n) continue;
      let k = 0;
      while (k < n && buf[start + k] === name.charCodeAt(k)) k++;
      if (k === n) return this.attrValue(o);
    }
    return undefined;
  }

  /** The value of an attribute by namespace URI and local name. */
  attrNS(uri: string, local: string): string | undefined {
    const a = this.attrs;
    for (let i = 0; i < this.attrCount; i++) {
      const o = i * 5;
      const colon = a[o + 1] as number;
      if (colon < 0 || this.string(colon + 1, a[o + 2] as number) !== local) continue;
      if (this.lookupRange(a[o] as number, colon) === uri) return this.attrValue(o);
    }
    return undefined;
  }

  /**
   * The current element's xsi:type, canonicalised: XML Schema types as `xsd:<local>`,
   * other types by their local name. Undefined when the element has none.
   */
  xsiType(): string | undefined {
    const count = this.attrCount;
    if (count === 0) return undefined;
    const a = this.attrs;
    const buf = this.buf;
    for (let i = 0; i < count; i++) {
      const o = i * 5;
      const colon = a[o + 1] as number;
      // A prefixed attribute whose local name is "type".
      if (colon < 0 || (a[o + 2] as number) - colon !== 5) continue;
      if (buf[colon + 1] !== 116 || buf[colon + 2] !== 121 || buf[colon + 3] !== 112 || buf[colon + 4] !== 101) continue;
      // The same attribute in the same namespace scope as before means the same type.
      const start = a[o] as number;
      const end = a[o + 4] as number;
      const n = end - start;
      const slot = n & (XSI_TYPES_KEPT - 1);
      const kept = this.xsiTypes[slot];
      if (kept !== undefined && kept.ns === this.ns && kept.bytes.length === n && this.holds(kept.bytes, start)) return kept.type;
      if (this.lookupRange(start, colon) !== XSI_NS) continue;
      const type = this.qualifiedValue(a[o + 3] as number, end);
      if (n <= WRITTEN_KEPT_MAX) this.xsiTypes[slot] = { bytes: new Uint8Array(buf.subarray(start, end)), ns: this.ns, type };
      return type;
    }
    return undefined;
  }

  /** The namespace URI of the current element. */
  namespace(): string | undefined {
    return this.localStart === this.nameStart ? this.lookup("") : this.lookupRange(this.nameStart, this.localStart - 1);
  }

  /** Resolves a prefix ("" for the default namespace) in the current scope. */
  lookup(prefix: string): string | undefined {
    for (let b = this.ns; b !== undefined; b = b.next) if (b.prefix === prefix) return b.uri;
    return undefined;
  }

  /** Resolves the prefix written at bytes [start, end). */
  private lookupRange(start: number, end: number): string | undefined {
    const h = hashBytes(this.buf, start, end);
    const n = end - start;
    const buf = this.buf;
    for (let b = this.ns; b !== undefined; b = b.next) {
      if (b.prefixHash !== h || b.prefix.length !== n) continue;
      let k = 0;
      while (k < n && buf[start + k] === b.prefix.charCodeAt(k)) k++;
      if (k === n) return b.uri;
    }
    return undefined;
  }

  /** A QName-valued attribute (xsi:type): `xsd:<local>` for XML Schema types, else the local name. */
  private qualifiedValue(start: number, end: number): string {
    const buf = this.buf;
    let colon = -1;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c === AMP) return this.qualifiedString(this.string(start, end));
      if (c === COLON) {
        colon = i;
        break;
      }
    }
    if (colon < 0) return this.string(start, end);
    const uri = this.lookupRange(start, colon);
    if (uri === undefined) throw new DecodeError(`xsi:type '${this.string(start, end)}' uses an undeclared prefix`);
    if (uri !== XSD_NS) return this.string(colon + 1, end);
    // Already canonical when written with the prefix "xsd".
    if (colon - start === 3 && buf[start] === 120 && buf[start + 1] === 115 && buf[start + 2] === 100) return this.string(start, end);
    return `xsd:${this.string(colon + 1, end)}`;
  }

  private qualifiedString(v: string): string {
    const colon = v.indexOf(":");
    if (colon < 0) return v;
    const uri = this.lookup(v.slice(0, colon));
    if (uri === undefined) throw new DecodeError(`xsi:type '${v}' uses an undeclared prefix`);
    const local = v.slice(colon + 1);
    return uri === XSD_NS ? `xsd:${local}` : local;
  }

  private attrValue(o: number): string {
    return this.string(this.attrs[o + 3] as number, this.attrs[o + 4] as number);
  }

  /**
   * The text of bytes [start, end) with entities decoded. Strings come from the intern
   * table, keyed by their bytes, so that a value repeated through the document exists once
   * (and its entities and UTF-8 are decoded once).
   */
  private string(start: number, end: number): string {
    if (start === end) return "";
    const buf = this.buf;
    const high = this.latin1 ? 256 : 128;
    let h = 0;
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = buf[i] as number;
      if (c === AMP || c >= high) plain = false;
      h = (Math.imul(h, 31) + c) | 0;
    }
    return this.intern(start, end, h, plain);
  }

  /**
   * The string of bytes [start, end) (not empty) whose hash is `h` (see string()) and which
   * are `plain` (no entity, one byte per character).
   */
  private intern(start: number, end: number, h: number, plain: boolean): string {
    const n = end - start;
    if (n > this.maxText) this.textTooLong(n);
    const slot = (h ^ n) & this.internMask;
    const s = this.internStrings[slot];
    const o = slot * 2;
    if (s !== undefined && this.internHashes[slot] === h) {
      const at = this.internRanges[o] as number;
      if (at >= 0) {
        if ((this.internRanges[o + 1] as number) - at === n && this.sameBytes(at, start, n)) return s;
      } else if (plain && s.length === n && this.sameChars(s, start)) {
        // Met again after the window moved past its first occurrence: compare with this one from now on.
        this.internRanges[o] = start;
        this.internRanges[o + 1] = end;
        return s;
      }
    }
    const t = plain ? this.buf.latin1Slice(start, end) : decodeEntities(this.decode(start, end));
    this.internStrings[slot] = t;
    this.internHashes[slot] = h;
    this.internRanges[o] = start;
    this.internRanges[o + 1] = end;
    this.internPlain[slot] = plain ? 1 : 0;
    return t;
  }

  /** True when the bytes from `at` are the characters of `s` (one byte each). */
  private sameChars(s: string, at: number): boolean {
    const buf = this.buf;
    for (let k = 0; k < s.length; k++) if (buf[at + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  private textTooLong(n: number): never {
    throw new DecodeError(`a text value of ${n} bytes is longer than the limit of ${this.maxText}`);
  }

  /** Bytes [start, end) as characters, entities not decoded. */
  private decode(start: number, end: number): string {
    return this.latin1 ? this.buf.latin1Slice(start, end) : this.buf.utf8Slice(start, end);
  }

  private sameBytes(a: number, b: number, n: number): boolean {
    if (a === b) return true;
    const buf = this.buf;
    if (n > 32) return buf.compare(buf, a, a + n, b, b + n) === 0;
    for (let k = 0; k < n; k++) if (buf[a + k] !== buf[b + k]) return false;
    return true;
  }

  /** True when the bytes from `at` are `bytes` (short ones: a loop beats a call into Node's compare). */
  private holds(bytes: Uint8Array, at: number): boolean {
    const buf = this.buf;
    for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
    return true;
  }

  private startsWith(s: string, at: number): boolean {
    const buf = this.buf;
    for (let k = 0; k < s.length; k++) if (buf[at + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  /** Text with entities, CDATA sections, comments or non-ASCII characters, up to the end tag. */
  private readMixedText(): string {
    let out = "";
    for (;;) {
      const buf = this.buf;
      const lt = buf.indexOf(LT, this.pos);
      if (this.more && (lt < 0 || this.len - lt < this.lookahead)) {
        if (this.len - this.pos > this.maxText) this.textTooLong(this.len - this.pos);
        this.refill(this.pos);
        continue;
      }
      if (lt < 0) throw new DecodeError(`unexpected end of document inside <${this.openName()}>`);
      if (lt > this.pos) out += this.string(this.pos, lt);
      if (out.length > this.maxText || lt - this.pos > this.maxText) this.textTooLong(Math.max(out.length, lt - this.pos));
      const c = buf[lt + 1];
      if (c === SLASH) {
        this.endTag(lt);
        return out;
      }
      if (c === BANG && this.startsWith("<![CDATA[", lt)) {
        const end = buf.indexOf("]]>", lt + 9);
        if (end < 0 && this.more) {
          this.pos = lt;
          this.refill(lt);
          continue;
        }
        if (end < 0) throw new DecodeError("unterminated CDATA section");
        if (end - lt > this.maxText) this.textTooLong(end - lt);
        out += this.decode(lt + 9, end);
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

  /** Consumes the end tag at `lt` and leaves the current element. */
  private endTag(lt: number): void {
    let gt = lt + 2;
    while (gt < this.len && this.buf[gt] !== GT) gt++;
    while (gt >= this.len && this.more) {
      lt -= this.refill(lt);
      gt = lt + 2;
      while (gt < this.len && this.buf[gt] !== GT) gt++;
    }
    const buf = this.buf;
    if (gt >= this.len) throw new DecodeError("unterminated end tag");
    if (this.depth === 0) throw new DecodeError(`unexpected end tag at offset ${this.base + lt}`);
    // The end tag must close the innermost open element.
    const d = this.depth;
    const start = this.open[2 * d - 2] as number;
    const end = this.open[2 * d - 1] as number;
    let nameEnd = gt;
    while (nameEnd > lt + 2 && isSpace(buf[nameEnd - 1] as number)) nameEnd--;
    let same = nameEnd - (lt + 2) === end - start;
    for (let k = 0; same && k < end - start; k++) same = buf[lt + 2 + k] === buf[start + k];
    if (!same) throw new DecodeError(`end tag </${this.string(lt + 2, nameEnd)}> does not close <${this.string(start, end)}>`);
    this.pos = gt + 1;
    this.endElement();
  }

  /** The name of the innermost open element (for messages). */
  private openName(): string {
    const d = this.depth;
    return d === 0 ? "" : this.string(this.open[2 * d - 2] as number, this.open[2 * d - 1] as number);
  }

  private endElement(): void {
    const d = this.depth;
    while (this.ns !== undefined && this.ns.depth >= d && this.ns.depth > 0) this.ns = this.ns.next;
    this.depth = d - 1;
    this.attrCount = 0;
  }

  private skipMarkup(lt: number): void {
    for (;;) {
      if (this.more && this.len - lt < 9) {
        // Not enough of it in the window to tell which markup it is.
        lt -= this.refill(lt);
        continue;
      }
      const buf = this.buf;
      let end: number;
      let what: string;
      if (this.startsWith("<!--", lt)) {
        end = buf.indexOf("-->", lt + 4);
        what = "comment";
        if (end >= 0) this.pos = end + 3;
      } else if (buf[lt + 1] === QUEST) {
        end = buf.indexOf("?>", lt + 2);
        what = "processing instruction";
        if (end >= 0) this.pos = end + 2;
      } else if (this.startsWith("<![CDATA[", lt)) {
        end = buf.indexOf("]]>", lt + 9);
        what = "CDATA section";
        if (end >= 0) this.pos = end + 3;
      } else if (this.startsWith("<!DOCTYPE", lt)) {
        throw new DecodeError("DOCTYPE declarations are not accepted");
      } else {
        throw new DecodeError(`unexpected markup at offset ${this.base + lt}`);
      }
      if (end >= 0) return;
      if (!this.more) throw new DecodeError(`unterminated ${what}`);
      lt -= this.refill(lt);
    }
  }

  /**
   * Reads the start tag at `lt`. False when the window ends inside it while the document
   * goes on: nothing is changed then, for the caller to read it again from the next window.
   */
  private readStartTag(lt: number): boolean {
    const buf = this.buf;
    const len = this.len;
    const more = this.more;
    this.tagStart = lt;
    let i = lt + 1;
    const nameStart = i;
    let localStart = i;
    let h = 0;
    let c = buf[i] as number;
    while (i < len && c !== GT && c !== SLASH && (c > 32 || !isSpace(c))) {
      if (c === COLON && localStart === nameStart) {
        localStart = i + 1;
        h = 0;
      } else {
        h = (Math.imul(h, 31) + c) | 0;
      }
      c = buf[++i] as number;
    }
    if (i >= len && more) return false;
    if (i === nameStart) throw new DecodeError(`malformed start tag at offset ${this.base + lt}`);
    this.nameStart = nameStart;
    this.localStart = localStart;
    this.nameEnd = i;
    this.localHash = h;
    const depth = ++this.depth;
    if (depth > this.maxDepth) throw new DecodeError(`document nested deeper than ${this.maxDepth} elements`);
    if (++this.elements > this.maxElements) throw new DecodeError(`document has more than ${this.maxElements} elements`);
    this.open[2 * depth - 2] = nameStart;
    this.open[2 * depth - 1] = i;
    this.attrCount = 0;
    // Attributes.
    for (;;) {
      while (c <= 32 && isSpace(c)) c = buf[++i] as number;
      if (c === GT) {
        this.selfClosing = false;
        this.pos = i + 1;
        return true;
      }
      if (c === SLASH) {
        if (buf[i + 1] !== GT) {
          if (i + 1 >= len && more) return this.unread(depth);
          throw new DecodeError(`malformed start tag <${this.qname}>`);
        }
        this.selfClosing = true;
        this.pos = i + 2;
        return true;
      }
      if (i >= len) {
        if (more) return this.unread(depth);
        throw new DecodeError(`unterminated start tag <${this.qname}>`);
      }
      const an = i;
      // A declaration repeated word for word (vcsim declares the xsi prefix again on every
      // value) is recognised by one comparison of its bytes, not read byte by byte again.
      const known = this.lastDeclaration;
      if (known !== undefined && c === 120 && buf[an + 5] === COLON && an + known.bytes.length <= len) {
        if (this.holds(known.bytes, an)) {
          this.declare(known.prefix, known.prefixHash, known.uri, depth);
          i = an + known.bytes.length;
          c = buf[i] as number;
          continue;
        }
      }
      let acolon = -1;
      while (i < len && c !== EQ && c !== GT && c !== SLASH && (c > 32 || !isSpace(c))) {
        if (c === COLON && acolon < 0) acolon = i;
        c = buf[++i] as number;
      }
      const anEnd = i;
      while (c <= 32 && isSpace(c)) c = buf[++i] as number;
      if (c !== EQ) {
        if (i >= len && more) return this.unread(depth);
        throw new DecodeError(`attribute '${this.string(an, anEnd)}' of <${this.qname}> has no value`);
      }
      c = buf[++i] as number;
      while (c <= 32 && isSpace(c)) c = buf[++i] as number;
      if (c !== QUOT && c !== APOS) {
        if (i >= len && more) return this.unread(depth);
        throw new DecodeError(`attribute '${this.string(an, anEnd)}' of <${this.qname}> is not quoted`);
      }
      const vs = i + 1;
      let end = vs;
      while (end < len && buf[end] !== c) end++;
      if (end >= len) {
        if (more) return this.unread(depth);
        throw new DecodeError(`unterminated attribute '${this.string(an, anEnd)}' of <${this.qname}>`);
      }
      i = end + 1;
      c = buf[i] as number;
      // xmlns and xmlns:<prefix> declare namespaces; they are not attributes.
      if (anEnd - an >= 5 && buf[an] === 120 && buf[an + 1] === 109 && buf[an + 2] === 108 && buf[an + 3] === 110 && buf[an + 4] === 115) {
        if (anEnd - an === 5) {
          this.declare("", 0, this.string(vs, end), depth);
          continue;
        }
        if (acolon === an + 5) {
          const prefix = this.string(an + 6, anEnd);
          const prefixHash = hashBytes(buf, an + 6, anEnd);
          const uri = this.string(vs, end);
          this.declare(prefix, prefixHash, uri, depth);
          if (i - an <= WRITTEN_KEPT_MAX) this.lastDeclaration = { bytes: new Uint8Array(buf.subarray(an, i)), prefix, prefixHash, uri };
          continue;
        }
      }
      const o = this.attrCount * 5;
      if (o + 5 > this.attrs.length) this.attrs = grow(this.attrs);
      const a = this.attrs;
      a[o] = an;
      a[o + 1] = acolon;
      a[o + 2] = anEnd;
      a[o + 3] = vs;
      a[o + 4] = end;
      this.attrCount++;
    }
  }

  /** Undoes what readStartTag() did to a start tag at `depth` that the window cut. */
  private unread(depth: number): false {
    this.depth = depth - 1;
    this.elements--;
    while (this.ns !== undefined && this.ns.depth === depth) this.ns = this.ns.next;
    this.attrCount = 0;
    return false;
  }

  /**
   * Moves the window over a document in pieces on, keeping the bytes from `keep` (and the
   * current start tag, from tagStart): they move to the window's front after the names of
   * the open elements that are before them (to check their end tags), and the next pieces
   * follow, up to the window's size. The window doubles when what it keeps fills half of
   * it. Returns the distance every kept offset moved back by.
   */
  private refill(keep: number): number {
    const source = this.source as Uint8Array[];
    const old = this.buf;
    const len = this.len;
    const drop = Math.min(keep, this.tagStart);
    if (len - drop > this.maxText + this.lookahead)
      throw new DecodeError(`more than ${this.maxText} bytes of text or markup in one piece at offset ${this.base + drop}`);
    const open = this.open;
    const depth = this.depth;
    let prefix = 0;
    for (let d = 0; d < depth; d++) if ((open[2 * d] as number) < drop) prefix += (open[2 * d + 1] as number) - (open[2 * d] as number);
    if (prefix > this.maxText) throw new DecodeError(`the names of the open elements are longer than ${this.maxText} bytes`);
    const shift = drop - prefix;
    const names = prefix > 0 ? Buffer.allocUnsafe(prefix) : undefined;
    for (let d = 0, at = 0; d < depth; d++) {
      const s = open[2 * d] as number;
      const e = open[2 * d + 1] as number;
      if (s >= drop) {
        open[2 * d] = s - shift;
        open[2 * d + 1] = e - shift;
      } else if (names !== undefined) {
        old.copy(names, at, s, e);
        open[2 * d] = at;
        open[2 * d + 1] = at + e - s;
        at += e - s;
      }
    }
    const kept = len - drop;
    const cap = Math.min(Math.max(this.windowSize, 2 * (prefix + kept)), prefix + kept + this.remaining);
    let win = this.window;
    if (win === undefined || win.length < cap) {
      win = Buffer.allocUnsafe(cap);
      old.copy(win, prefix, drop, len);
      this.window = win;
    } else {
      // The same memory, moved back (Buffer.copy handles the overlap).
      old.copy(win, prefix, drop, len);
    }
    names?.copy(win, 0);
    let at = prefix + kept;
    while (at < cap && this.chunk < source.length) {
      const c = source[this.chunk] as Uint8Array;
      const from = this.chunkOff;
      const n = Math.min(c.length - from, cap - at);
      win.set(from === 0 && n === c.length ? c : c.subarray(from, from + n), at);
      at += n;
      this.remaining -= n;
      if (from + n === c.length) {
        // Copied: released when the caller gave the pieces away (consume), else left for it.
        if (source !== this.given) source[this.chunk] = NOTHING;
        this.chunk++;
        this.chunkOff = 0;
      } else {
        this.chunkOff = from + n;
      }
    }
    this.buf = win.subarray(0, at) as NodeBuffer;
    this.len = at;
    this.more = this.chunk < source.length;
    if (!this.more && source !== this.given) source.length = 0;
    this.base += shift;
    this.pos -= shift;
    this.tagStart -= shift;
    if (this.nameStart >= drop) {
      this.nameStart -= shift;
      this.localStart -= shift;
      this.nameEnd -= shift;
    } else {
      this.nameStart = this.localStart = this.nameEnd = 0;
    }
    const a = this.attrs;
    if (this.attrCount > 0 && (a[0] as number) < drop) this.attrCount = 0;
    for (let k = 0; k < this.attrCount * 5; k++) if (k % 5 !== 1 || (a[k] as number) >= 0) a[k] = (a[k] as number) - shift;
    if (this.spanStart >= drop) {
      this.spanStart -= shift;
      this.spanEnd -= shift;
    } else {
      this.spanStart = this.spanEnd = this.pos;
    }
    // Interned strings whose bytes are gone: compared by their characters, or forgotten.
    const ranges = this.internRanges;
    const strings = this.internStrings;
    for (let slot = 0; slot < strings.length; slot++) {
      if (strings[slot] === undefined) continue;
      const r = ranges[2 * slot] as number;
      if (r >= drop) {
        ranges[2 * slot] = r - shift;
        ranges[2 * slot + 1] = (ranges[2 * slot + 1] as number) - shift;
      } else if (this.internPlain[slot] === 1) {
        ranges[2 * slot] = -1;
      } else {
        strings[slot] = undefined;
      }
    }
    return shift;
  }

  private declare(prefix: string, prefixHash: number, uri: string, depth: number): void {
    // The same binding again (vcsim repeats xmlns:XMLSchema-instance on every value): nothing changes.
    if (this.lookup(prefix) === uri) return;
    // The binding a sibling made is made again, so that what was resolved in its scope holds in this one.
    const last = this.lastBinding;
    if (last !== undefined && last.depth === depth && last.next === this.ns && last.prefix === prefix && last.uri === uri) {
      this.ns = last;
      return;
    }
    this.ns = this.lastBinding = { prefix, prefixHash, uri, depth, next: this.ns };
  }
}
