/**
 * The shapes of decoded values that the codec core itself creates: managed object
 * references, data objects, AnyType values. Generated bindings refine them per type.
 */

/** A reference to a server-side managed object, typed by the managed object type it names. */
export interface MoRef<T extends string = string> {
  readonly _typeName: "ManagedObjectReference";
  readonly type: T;
  readonly value: string;
}

/** Any data object: the generated interfaces all have this shape. */
export interface DataObject {
  readonly _typeName: string;
  /**
   * Set when the server sent a subtype that these bindings do not know (a newer API):
   * the object was decoded as its nearest known type, `_typeName`, and this keeps the
   * wire name.
   */
  readonly _wireType?: string;
}

/** Wire types of XML Schema primitives, as written in xsi:type. */
export type XsdTypeName =
  | "xsd:string"
  | "xsd:boolean"
  | "xsd:byte"
  | "xsd:short"
  | "xsd:int"
  | "xsd:long"
  | "xsd:float"
  | "xsd:double"
  | "xsd:dateTime"
  | "xsd:base64Binary"
  | "xsd:anyURI";

/**
 * A primitive with an explicit wire type, for AnyType slots where the JavaScript type does
 * not say it (e.g. an xsd:short). Decoding produces plain values; encoding accepts both.
 */
export interface TypedPrimitive {
  readonly _typeName: XsdTypeName;
  readonly value: string | number | bigint | boolean | Date | Uint8Array;
}

export type AnyPrimitive = string | number | bigint | boolean | Date | Uint8Array;

/** A value in an xsd:anyType slot. */
export type AnyValue = AnyPrimitive | DataObject | MoRef | TypedPrimitive | readonly AnyValue[];

/** Symbol under which decoded AnyType arrays keep their wire type (e.g. "ArrayOfShort"). */
export const WIRE_ARRAY_TYPE: unique symbol = Symbol("esxvi.wireArrayType");

/** True when `v` is an object whose `_typeName` is `typeName` (exactly: subtypes are not resolved here). */
export function hasTypeName<T extends { readonly _typeName: string }>(v: unknown, typeName: T["_typeName"]): v is T {
  return typeof v === "object" && v !== null && (v as { _typeName?: unknown })._typeName === typeName;
}

export function isMoRef(v: unknown): v is MoRef {
  return hasTypeName<MoRef>(v, "ManagedObjectReference");
}

export function moRef<T extends string>(type: T, value: string): MoRef<T> {
  return { _typeName: "ManagedObjectReference", type, value };
}

declare const RESULT: unique symbol;

/**
 * A reference to a managed object that will produce a value of type R, such as a Task and the
 * value its `info.result` holds when it succeeds. R exists for the type checker only: at run
 * time this is a plain MoRef.
 */
export type ResultRef<T extends string, R> = MoRef<T> & { readonly [RESULT]?: R };

/** The R of a ResultRef (unknown for a plain MoRef). */
export type ResultOf<M> = M extends { readonly [RESULT]?: infer R } ? R : unknown;
