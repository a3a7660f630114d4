/**
 * The VMX text format (libvirt's virConf with VIR_CONF_FLAG_VMX_FORMAT):
 * one `name = "value"` per line, `#` comments, case-insensitive keys (first occurrence
 * wins) and the `.encoding` entry that names the character set of the whole file.
 */
import { decodeWindows1252 } from "../util/windows-1252.js";
import { VmxError } from "./errors.js";

export interface VmxEntry {
  /** The key as written in the file. */
  readonly key: string;
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface VmxDocument {
  /** Every entry in file order, duplicates included. */
  readonly entries: readonly VmxEntry[];
  /** The `.encoding` value, if the file has one. */
  readonly encoding: string | undefined;
  /** Looks a key up case-insensitively; the first occurrence wins. */
  get(key: string): VmxEntry | undefined;
}

class Document implements VmxDocument {
  readonly entries: readonly VmxEntry[];
  readonly encoding: string | undefined;
  private readonly index = new Map<string, VmxEntry>();

  constructor(entries: readonly VmxEntry[]) {
    this.entries = entries;
    for (const e of entries) {
      const k = e.key.toLowerCase();
      if (!this.index.has(k)) this.index.set(k, e);
    }
    this.encoding = this.index.get(".encoding")?.value;
  }

  get(key: string): VmxEntry | undefined {
    return this.index.get(key.toLowerCase());
  }
}

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  DoubleQuote = 34,
  Hash = 35,
  SingleQuote = 39,
  Dot = 46,
  Equals = 61,
  Semicolon = 59,
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  // letters, digits, '_', ':', '.', '-', '*'
  return isAlpha(c) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 46 || c === 45 || c === 42;
}

/** A hand-written scanner: one pass, no regular expressions, line numbers for errors. */
class Scanner {
  private pos = 0;
  private line = 1;
  readonly entries: VmxEntry[] = [];

  constructor(private readonly text: string) {}

  private fail(message: string): never {
    throw new VmxError(`VMX syntax error at line ${this.line}: ${message}`);
  }

  private code(): number {
    return this.text.charCodeAt(this.pos);
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private skipBlanks(): void {
    while (!this.atEnd() && (this.code() === Ch.Space || this.code() === Ch.Tab)) this.pos++;
  }

  private skipEols(): void {
    while (!this.atEnd() && (this.code() === Ch.Lf || this.code() === Ch.Cr)) {
      if (this.code() === Ch.Lf) this.line++;
      this.pos++;
    }
  }

  private skipComment(): void {
    while (!this.atEnd() && this.code() !== Ch.Lf && this.code() !== Ch.Cr) this.pos++;
  }

  run(): VmxEntry[] {
    while (!this.atEnd()) this.statement();
    return this.entries;
  }

  private statement(): void {
    this.skipBlanks();
    if (this.atEnd()) return;
    const c = this.code();
    if (c === Ch.Hash) {
      this.skipComment();
      this.separator();
      return;
    }
    if (c === Ch.Lf || c === Ch.Cr) {
      this.skipEols();
      return;
    }
    const line = this.line;
    const key = this.name();
    this.skipBlanks();
    if (this.code() !== Ch.Equals) this.fail(`expecting an assignment after '${key}'`);
    this.pos++;
    this.skipBlanks();
    const value = this.value(key);
    this.skipBlanks();
    if (!this.atEnd() && this.code() === Ch.Hash) this.skipComment();
    this.separator();
    this.entries.push({ key, value, line });
  }

  private separator(): void {
    this.skipBlanks();
    if (this.atEnd()) return;
    const c = this.code();
    if (c === Ch.Lf || c === Ch.Cr) {
      this.skipEols();
    } else if (c === Ch.Semicolon) {
      this.pos++;
      this.skipBlanks();
      this.skipEols();
    } else {
      this.fail(`expecting a separator, found '${this.text[this.pos] ?? ""}'`);
    }
  }

  private name(): string {
    const start = this.pos;
    const first = this.code();
    if (!isAlpha(first) && first !== Ch.Dot) {
      this.fail(`expecting a name, found '${this.text[this.pos] ?? ""}'`);
    }
    this.pos++;
    while (!this.atEnd() && isNameChar(this.code())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private value(key: string): string {
    const c = this.code();
    if (c === Ch.DoubleQuote && this.text.startsWith('"""', this.pos)) {
      const end = this.text.indexOf('"""', this.pos + 3);
      if (end < 0) this.fail(`unterminated string for '${key}'`);
      const value = this.text.slice(this.pos + 3, end);
      for (const ch of value) if (ch === "\n") this.line++;
      this.pos = end + 3;
      return value;
    }
    if (c === Ch.DoubleQuote || c === Ch.SingleQuote) {
      const start = this.pos + 1;
      let i = start;
      while (i < this.text.length) {
        const d = this.text.charCodeAt(i);
        if (d === c) break;
        if (d === Ch.Lf || d === Ch.Cr) this.fail(`unterminated string for '${key}'`);
        i++;
      }
      if (i >= this.text.length) this.fail(`unterminated string for '${key}'`);
      this.pos = i + 1;
      return this.text.slice(start, i);
    }
    this.fail(`expecting a quoted string value for '${key}'`);
  }
}

/** Parses already-decoded VMX text. */
export function parseVmxText(text: string): VmxDocument {
  return new Document(new Scanner(text).run());
}

/** Decodes bytes in the named character set; UTF-8, Windows-1252 and what TextDecoder knows. */
export function decodeVmxBytes(bytes: Uint8Array, encoding: string): string {
  const name = encoding.toLowerCase();
  if (name === "utf-8" || name === "utf8") return new TextDecoder("utf-8").decode(bytes);
  if (name === "windows-1252" || name === "cp1252") return decodeWindows1252(bytes);
  if (name === "iso-8859-1" || name === "latin1" || name === "iso8859-1") {
    // Real ISO-8859-1 (0x80..0x9f are C1 controls), unlike TextDecoder's windows-1252 alias.
    return latin1(bytes);
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(name, { fatal: true });
  } catch (cause) {
    throw new VmxError(`VMX entry '.encoding' names an unknown encoding '${encoding}'`, { cause });
  }
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new VmxError(`Could not convert from ${encoding} to UTF-8 encoding`, { cause });
  }
}

/**
 * Parses a .vmx file. Text is taken as already decoded; bytes are read in the character
 * set that their `.encoding` entry names (UTF-8 when there is none).
 */
export function parseVmx(input: string | Uint8Array): VmxDocument {
  if (typeof input === "string") return parseVmxText(input);
  // All syntax is ASCII, so a UTF-8 reading finds `.encoding` even in other charsets.
  const first = parseVmxText(decodeVmxBytes(input, "utf-8"));
  const encoding = first.encoding;
  if (encoding === undefined || encoding.toLowerCase() === "utf-8") return first;
  return parseVmxText(decodeVmxBytes(input, encoding));
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}
