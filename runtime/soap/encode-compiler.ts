/**
 * Compiles registry metadata into encoders: per slot type, a function that writes a value
 * as an element, checking JavaScript types and required members, writing members in
 * schema order (base first) and xsi:type where the value's type differs from the slot's.
 */
import { EncodeError } from "./codec-errors.js";
import type { MemberInfo } from "./metadata.js";
import type { TypeRegistry } from "./type-registry.js";
import { isMoRef, WIRE_ARRAY_TYPE, type XsdTypeName } from "./values.js";
import { escapeAttr, escapeText, type XmlWriter } from "./xml-writer.js";
import {
  describe,
  mustFormat,
  primitiveForValue,
  PRIMITIVES_BY_ARRAY,
  PRIMITIVES_BY_NAME,
  PRIMITIVES_BY_WIRE,
  type PrimitiveCodec,
} from "./xsd.js";

/** Writes `value` as element `name`; `path` names the value in error messages. */
export type Encoder = (w: XmlWriter, name: string, value: unknown, path: string) => void;
type ExactEncoder = (w: XmlWriter, name: string, value: Record<string, unknown>, path: string, xsiType: string | undefined) => void;

export class EncoderCompiler {
  private readonly reg: TypeRegistry;
  private readonly slots = new Map<string, Encoder>();
  private readonly exacts = new Map<string, ExactEncoder>();

  constructor(reg: TypeRegistry) {
    this.reg = reg;
  }

  slot(type: string): Encoder {
    let e = this.slots.get(type);
    if (e === undefined) {
      e = this.compileSlot(type);
      this.slots.set(type, e);
    }
    return e;
  }

  private compileSlot(type: string): Encoder {
    switch (this.reg.kindOf(type)) {
      case "primitive": {
        const codec = PRIMITIVES_BY_NAME.get(type) as PrimitiveCodec;
        return (w, name, v, path) => w.leaf(name, mustFormat(codec, v, path), undefined, path);
      }
      case "any":
        return this.any;
      case "moref":
        return (w, name, v, path) => this.moref(w, name, v, path, undefined);
      case "enum":
        return (w, name, v, path) => {
          if (typeof v !== "string") throw new EncodeError(`${path}: expected a ${type} value (string), got ${describe(v)}`);
          w.leaf(name, v, undefined, path);
        };
      case "object":
        return (w, name, v, path) => {
          // Without _typeName the value is of the slot's own type.
          const actual = this.objectType(v, path, type);
          if (actual !== type && !this.reg.isSubtype(actual, type)) {
            throw new EncodeError(`${path}: a ${actual} cannot stand where a ${type} is expected`);
          }
          this.exact(actual)(w, name, v as Record<string, unknown>, path, actual === type ? undefined : actual);
        };
      case undefined:
        throw new EncodeError(`no encoder for unknown type '${type}'`);
    }
  }

  private objectType(v: unknown, path: string, slotType?: string): string {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new EncodeError(`${path}: expected a data object, got ${describe(v)}`);
    const t = (v as { _typeName?: unknown })._typeName ?? slotType;
    if (typeof t !== "string") throw new EncodeError(`${path}: the object has no _typeName`);
    if (this.reg.object(t) === undefined) throw new EncodeError(`${path}: unknown data object type '${t}'`);
    return t;
  }

  private exact(name: string): ExactEncoder {
    let e = this.exacts.get(name);
    if (e !== undefined) return e;
    let members: { info: MemberInfo; enc: Encoder | undefined }[] | undefined;
    e = (w, elem, v, path, xsiType) => {
      members ??= this.reg.membersOf(name).map((info) => ({ info, enc: undefined }));
      w.open(elem, xsiType);
      for (const m of members) {
        const { info } = m;
        const val = v[info.name];
        if (val === undefined) {
          if (info.required) throw new EncodeError(`${name} is missing the required property '${info.name}' (at ${path})`);
          continue;
        }
        const enc = m.enc ?? (m.enc = this.slot(info.type));
        if (info.list) {
          if (!Array.isArray(val)) throw new EncodeError(`${path}.${info.name}: expected a list, got ${describe(val)}`);
          if (info.required && val.length === 0) throw new EncodeError(`${name} requires at least one '${info.name}' (at ${path})`);
          for (let i = 0; i < val.length; i++) enc(w, info.name, val[i], `${path}.${info.name}[${i}]`);
        } else {
          enc(w, info.name, val, `${path}.${info.name}`);
        }
      }
      w.close(elem);
    };
    this.exacts.set(name, e);
    return e;
  }

  private moref(w: XmlWriter, name: string, v: unknown, path: string, xsiType: string | undefined): void {
    if (!isMoRef(v)) throw new EncodeError(`${path}: expected a managed object reference, got ${describe(v)}`);
    w.open(name, xsiType, ` type="${escapeAttr(v.type, path)}"`);
    w.out += escapeText(v.value, path);
    w.close(name);
  }

  /** Writes an xsd:anyType value, always with xsi:type. */
  readonly any: Encoder = (w, name, v, path) => {
    const prim = primitiveForValue(v);
    if (prim !== undefined) {
      w.leaf(name, mustFormat(prim, v, path), prim.wire, path);
      return;
    }
    if (Array.isArray(v)) {
      this.anyArray(w, name, v, path);
      return;
    }
    if (isMoRef(v)) {
      this.moref(w, name, v, path, this.reg.options.morefType);
      return;
    }
    if (typeof v === "object" && v !== null) {
      const t = (v as { _typeName?: unknown })._typeName;
      if (typeof t === "string" && t.startsWith("xsd:")) {
        const codec = PRIMITIVES_BY_WIRE.get(t as XsdTypeName);
        if (codec === undefined) throw new EncodeError(`${path}: unknown primitive type '${t}'`);
        w.leaf(name, mustFormat(codec, (v as { value?: unknown }).value, path), codec.wire, path);
        return;
      }
      const actual = this.objectType(v, path);
      this.exact(actual)(w, name, v as Record<string, unknown>, path, actual);
      return;
    }
    throw new EncodeError(`${path}: cannot encode ${describe(v)} as an anyType value`);
  };

  private anyArray(w: XmlWriter, name: string, v: readonly unknown[], path: string): void {
    const wire = (v as { [WIRE_ARRAY_TYPE]?: string })[WIRE_ARRAY_TYPE] ?? this.inferArrayType(v, path);
    const prim = PRIMITIVES_BY_ARRAY.get(wire);
    const item = wire.slice("ArrayOf".length);
    w.open(name, wire);
    for (let i = 0; i < v.length; i++) {
      const p = `${path}[${i}]`;
      if (prim !== undefined) w.leaf(prim.wire.slice(4), mustFormat(prim, v[i], p), undefined, p);
      else if (item === "AnyType") this.any(w, "anyType", v[i], p);
      else this.slot(item)(w, item, v[i], p);
    }
    w.close(name);
  }

  private inferArrayType(v: readonly unknown[], path: string): string {
    const first = v[0];
    if (first === undefined) return "ArrayOfAnyType";
    const prim = primitiveForValue(first);
    if (prim !== undefined) return prim.arrayName;
    if (isMoRef(first)) return `ArrayOf${this.reg.options.morefType}`;
    return `ArrayOf${this.objectType(first, `${path}[0]`)}`;
  }
}
