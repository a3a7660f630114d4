/**
 * The subset of XSD and WSDL 1.1 that the importer models, as typed data. Everything else
 * found in a definition is kept as an ImportProblem on that definition, so that the
 * importer stops when (and only when) it needs that definition.
 */
import type { ImportProblem } from "./errors.js";
import type { QName } from "./xml-tree.js";

/** An `xsd:element` inside a sequence: one member of a data object or request. */
export interface ElementDef {
  readonly name: string;
  readonly type: QName;
  readonly minOccurs: number;
  /** `Infinity` for maxOccurs="unbounded". */
  readonly maxOccurs: number;
}

export interface ComplexTypeDef {
  readonly kind: "complex";
  /** The local name; an anonymous type inside a top-level element gets the element's name. */
  readonly name: string;
  readonly ns: string;
  /** `complexContent/extension base`. */
  readonly base?: QName;
  readonly elements: readonly ElementDef[];
  /** The ManagedObjectReference shape: simpleContent extending xsd:string with attribute `type`. */
  readonly moRef: boolean;
  readonly problems: readonly ImportProblem[];
  /** The document that defines it. */
  readonly document: string;
}

/** A simpleType restricting xsd:string to an enumeration. */
export interface EnumTypeDef {
  readonly kind: "enum";
  readonly name: string;
  readonly ns: string;
  readonly values: readonly string[];
  readonly problems: readonly ImportProblem[];
  readonly document: string;
}

export type TypeDef = ComplexTypeDef | EnumTypeDef;

/** A top-level `xsd:element` (the request, response and fault elements of the WSDL messages). */
export interface TopElementDef {
  readonly name: string;
  readonly ns: string;
  readonly type?: QName;
  readonly inline?: ComplexTypeDef;
  readonly problems: readonly ImportProblem[];
}

export interface FaultRef {
  readonly name: string;
  /** The element of the fault message's part (e.g. `InvalidPowerStateFault`). */
  readonly element: QName;
}

/** A portType operation with its messages resolved to their (document/literal) part elements. */
export interface OperationDef {
  readonly name: string;
  readonly input?: QName;
  readonly output?: QName;
  readonly faults: readonly FaultRef[];
  readonly problems: readonly ImportProblem[];
}

export interface WsdlModel {
  /** The source as the caller gave it (folder, file or URL). */
  readonly source: string;
  /** Every document read, in reading order. */
  readonly documents: readonly string[];
  /** From the binding's soapAction (`urn:vim25/7.0.2.0` gives `7.0.2.0`), when present. */
  readonly apiVersion?: string;
  /** Named types by local name (the grammar has one namespace). */
  readonly types: ReadonlyMap<string, TypeDef>;
  readonly elements: ReadonlyMap<string, TopElementDef>;
  readonly operations: ReadonlyMap<string, OperationDef>;
  /** Problems of the documents as a whole (e.g. xsd:redefine): any import stops on them. */
  readonly problems: readonly ImportProblem[];
}
