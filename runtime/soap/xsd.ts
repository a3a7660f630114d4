/**
 * XML Schema primitive types: how their text is parsed into JavaScript values and how
 * values are written back. Keyed by the schema grammar's predefined names (String, Int, …)
 * and by wire names (xsd:string, xsd:int, …).
 */
import { Buffer } from "node:buffer";
import { DecodeError, EncodeError } from "./codec-errors.js";
import type { XsdTypeName } from "./values.js";
import type { XmlReader } from "./xml-reader.js";

export interface PrimitiveCodec {
  /** The grammar's predefined name, e.g. "Int". */
  readonly name: string;
  readonly wire: XsdTypeName;
  /** The VI wrapper name for a list of this type in an anyType slot, e.g. "ArrayOfInt". */
  readonly arrayName: string;
  /** Human-readable JavaScript type for error messages. */
  readonly jsType: string;
  parse(text: string): unknown;
  /**
   * Reads the current element's text as this type and consumes its end tag: the same value
   * (or error) as `parse(r.readText())`, read from the document's bytes where it can.
   */
  read(r: XmlReader): unknown;
  /** Returns the text, or undefined when the value has the wrong JavaScript type or range. */
  format(value: unknown): string | undefined;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

function stringCodec(name: string, wire: XsdTypeName, arrayName: string): PrimitiveCodec {
  return {
    name,
    wire,
    arrayName,
    jsType: "string",
    parse: (t) => t,
    read: (r) => r.readText(),
    format: (v) => (typeof v === "string" ? v : undefined),
  };
}

function intCodec(name: string, wire: XsdTypeName, min: number, max: number): PrimitiveCodec {
  const parse = (text: string): number => {
    if (!INTEGER.test(text)) throw new DecodeError(`'${text}' is not a valid ${wire}`);
    const n = Number(text);
    if (n < min || n > max) throw new DecodeError(`${text} is out of range for ${wire}`);
    return n;
  };
  return {
    name,
    wire,
    arrayName: `ArrayOf${name}`,
    jsType: `integer in [${min}, ${max}]`,
    parse,
    read(r) {
      r.readTextSpan();
      const n = r.spanInteger();
      return n >= min && n <= max ? n : parse(r.spanString());
    },
    format(v) {
      return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? String(v) : undefined;
    },
  };
}

function floatCodec(name: string, wire: XsdTypeName): PrimitiveCodec {
  return {
    name,
    wire,
    arrayName: `ArrayOf${name}`,
    jsType: "number",
    read(r) {
      return this.parse(r.readText());
    },
    parse(text) {
      const t = text.trim();
      if (t === "INF") return Infinity;
      if (t === "-INF") return -Infinity;
      if (t === "NaN") return NaN;
      const n = Number(t);
      if (t === "" || Number.isNaN(n)) throw new DecodeError(`'${text}' is not a valid ${wire}`);
      return n;
    },
    format(v) {
      if (typeof v !== "number") return undefined;
      if (v === Infinity) return "INF";
      if (v === -Infinity) return "-INF";
      return String(v);
    },
  };
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const DATE_TIME = /^\s*(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?\s*$/;

/** Parses xsd:dateTime; a value without a zone is UTC; digits beyond milliseconds are dropped. */
export function parseDateTime(text: string): Date {
  const m = DATE_TIME.exec(text);
  if (m === null) throw new DecodeError(`'${text}' is not a valid xsd:dateTime`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const year = Number(y);
  if (year >= 0 && year < 100) t = new Date(t).setUTCFullYear(year);
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000;
  }
  if (Number.isNaN(t)) throw new DecodeError(`'${text}' is not a valid xsd:dateTime`);
  return new Date(t);
}

const CODECS: readonly PrimitiveCodec[] = [
  stringCodec("String", "xsd:string", "ArrayOfString"),
  {
    name: "Boolean",
    wire: "xsd:boolean",
    arrayName: "ArrayOfBoolean",
    jsType: "boolean",
    read(r) {
      r.readTextSpan();
      const b = r.spanBoolean();
      return b < 0 ? this.parse(r.spanString()) : b === 1;
    },
    parse(text) {
      const t = text.trim();
      if (t === "true" || t === "1") return true;
      if (t === "false" || t === "0") return false;
      throw new DecodeError(`'${text}' is not a valid xsd:boolean`);
    },
    format: (v) => (typeof v === "boolean" ? String(v) : undefined),
  },
  intCodec("Byte", "xsd:byte", -128, 127),
  intCodec("Short", "xsd:short", -32768, 32767),
  intCodec("Int", "xsd:int", -2147483648, 2147483647),
  {
    name: "Long",
    wire: "xsd:long",
    arrayName: "ArrayOfLong",
    jsType: "bigint",
    read(r) {
      r.readTextSpan();
      const n = r.spanInteger();
      return n === n ? BigInt(n) : this.parse(r.spanString());
    },
    parse(text) {
      if (!INTEGER.test(text)) throw new DecodeError(`'${text}' is not a valid xsd:long`);
      const n = BigInt(text.trim());
      if (n < LONG_MIN || n > LONG_MAX) throw new DecodeError(`${text} is out of range for xsd:long`);
      return n;
    },
    format(v) {
      if (typeof v === "bigint") return v >= LONG_MIN && v <= LONG_MAX ? v.toString() : undefined;
      return typeof v === "number" && Number.isSafeInteger(v) ? String(v) : undefined;
    },
  },
  floatCodec("Float", "xsd:float"),
  floatCodec("Double", "xsd:double"),
  {
    name: "DateTime",
    wire: "xsd:dateTime",
    arrayName: "ArrayOfDateTime",
    jsType: "Date",
    parse: parseDateTime,
    read(r) {
      r.readTextSpan();
      const t = r.spanDateTime();
      return t === t ? new Date(t) : parseDateTime(r.spanString());
    },
    format: (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : undefined),
  },
  {
    name: "Binary",
    wire: "xsd:base64Binary",
    arrayName: "ArrayOfBase64Binary",
    jsType: "Uint8Array",
    parse: (t) => new Uint8Array(Buffer.from(t.replace(/\s+/g, ""), "base64")),
    read(r) {
      return this.parse(r.readText());
    },
    format: (v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : undefined),
  },
  stringCodec("AnyUri", "xsd:anyURI", "ArrayOfAnyURI"),
];

/** By grammar name ("Int"), wire name ("xsd:int") and array name ("ArrayOfInt" → the item codec). */
export const PRIMITIVES_BY_NAME: ReadonlyMap<string, PrimitiveCodec> = new Map(CODECS.map((c) => [c.name, c]));
export const PRIMITIVES_BY_WIRE: ReadonlyMap<string, PrimitiveCodec> = new Map(CODECS.map((c) => [c.wire, c]));
export const PRIMITIVES_BY_ARRAY: ReadonlyMap<string, PrimitiveCodec> = new Map(CODECS.map((c) => [c.arrayName, c]));

/** The codec that an AnyType slot uses for a JavaScript value without an explicit wire type. */
export function primitiveForValue(v: unknown): PrimitiveCodec | undefined {
  switch (typeof v) {
    case "string":
      return PRIMITIVES_BY_NAME.get("String");
    case "boolean":
      return PRIMITIVES_BY_NAME.get("Boolean");
    case "bigint":
      return PRIMITIVES_BY_NAME.get("Long");
    case "number":
      return PRIMITIVES_BY_NAME.get(Number.isInteger(v) && Math.abs(v) <= 2147483647 ? "Int" : "Double");
    default:
      if (v instanceof Date) return PRIMITIVES_BY_NAME.get("DateTime");
      if (v instanceof Uint8Array) return PRIMITIVES_BY_NAME.get("Binary");
      return undefined;
  }
}

export function mustFormat(codec: PrimitiveCodec, v: unknown, path: string): string {
  const s = codec.format(v);
  if (s === undefined) throw new EncodeError(`${path}: expected ${codec.jsType} for ${codec.wire}, got ${describe(v)}`);
  return s;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a Date";
  if (typeof v === "object")
    return `an object${typeof (v as { _typeName?: unknown })._typeName === "string" ? ` (${String((v as { _typeName: string })._typeName)})` : ""}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return `${typeof v} ${String(v)}`;
}
