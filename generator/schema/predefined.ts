/**
 * The types a schema may use without defining them. libvirt's generator predefines
 * Boolean, AnyType, Byte, Int, Long, String, DateTime, MethodFault and
 * ManagedObjectReference (and uses Short on an ignored member); esxvi adds Short,
 * Double, Float, Binary and AnyUri so that the whole vSphere API can be described.
 */

export type PredefinedKind = "primitive" | "any" | "moref" | "fault";

export interface PredefinedType {
  readonly kind: PredefinedKind;
  /** The xsi:type name on the wire. */
  readonly wire: string;
  /** The TypeScript type of a value. */
  readonly ts: string;
}

export const PREDEFINED: ReadonlyMap<string, PredefinedType> = new Map<string, PredefinedType>([
  ["Boolean", { kind: "primitive", wire: "xsd:boolean", ts: "boolean" }],
  ["Byte", { kind: "primitive", wire: "xsd:byte", ts: "number" }],
  ["Short", { kind: "primitive", wire: "xsd:short", ts: "number" }],
  ["Int", { kind: "primitive", wire: "xsd:int", ts: "number" }],
  ["Long", { kind: "primitive", wire: "xsd:long", ts: "bigint" }],
  ["Float", { kind: "primitive", wire: "xsd:float", ts: "number" }],
  ["Double", { kind: "primitive", wire: "xsd:double", ts: "number" }],
  ["String", { kind: "primitive", wire: "xsd:string", ts: "string" }],
  ["DateTime", { kind: "primitive", wire: "xsd:dateTime", ts: "Date" }],
  ["Binary", { kind: "primitive", wire: "xsd:base64Binary", ts: "Uint8Array" }],
  ["AnyUri", { kind: "primitive", wire: "xsd:anyURI", ts: "string" }],
  ["AnyType", { kind: "any", wire: "xsd:anyType", ts: "AnyValue" }],
  ["ManagedObjectReference", { kind: "moref", wire: "ManagedObjectReference", ts: "MoRef" }],
  // MethodFault is the root of all faults. It is predefined as a data object without
  // members unless the schema defines `object MethodFault` itself.
  ["MethodFault", { kind: "fault", wire: "MethodFault", ts: "MethodFault" }],
]);

export const MOREF = "ManagedObjectReference";
export const METHOD_FAULT = "MethodFault";
