/**
 * What a machine-readable description of the VI API says that the WSDL does not: the managed
 * object types with their properties and methods, and the managed object type of every
 * reference (property, data object member, parameter, return value, task result). Readers
 * (pyvmomi.ts) produce it; the importer applies it (apply.ts).
 */

/** A type as the source names it, resolved to WSDL names. */
export type SourceType =
  | { readonly kind: "managed"; readonly name: string | undefined; readonly list: boolean }
  | { readonly kind: "data" | "enum"; readonly name: string; readonly list: boolean }
  | { readonly kind: "primitive"; readonly name: string; readonly list: boolean }
  /** A name the source uses but does not define (its vmodl name). */
  | { readonly kind: "unknown"; readonly name: string; readonly list: boolean };

export interface SourceMember {
  readonly name: string;
  readonly type: SourceType;
  readonly optional: boolean;
}

export interface SourceManagedType {
  /** WSDL name, e.g. "VirtualMachine". */
  readonly name: string;
  readonly base: string | undefined;
  readonly properties: readonly SourceMember[];
  /** WSDL names of the methods declared on this type (not inherited ones). */
  readonly methods: readonly string[];
}

export interface SourceMethod {
  readonly name: string;
  /** The managed type that declares the method: the type of `_this`. */
  readonly owner: string;
  readonly params: readonly SourceMember[];
  readonly returns: SourceType | undefined;
  /** For a method returning a Task: what the task's info.result holds (undefined: nothing). */
  readonly taskResult: { readonly type: SourceType; readonly optional: boolean } | undefined;
}

export interface ManagedSource {
  /** Where it was read, for headers and reports. */
  readonly source: string;
  /** The newest API version the source describes, e.g. "6.7.1". */
  readonly apiVersion: string | undefined;
  readonly managed: ReadonlyMap<string, SourceManagedType>;
  readonly methods: ReadonlyMap<string, SourceMethod>;
  /** Members of data objects whose type is a managed object reference: "Type.member" → its type. */
  readonly dataRefs: ReadonlyMap<string, SourceType>;
  /** Every data type the source knows (WSDL names), to tell what a newer WSDL adds. */
  readonly dataTypes: ReadonlySet<string>;
  /** Type names the source uses without defining them, with where. */
  readonly unknownTypes: readonly string[];
}
