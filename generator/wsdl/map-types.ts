/**
 * Maps XSD types to schema declarations: enumerations to `enum`, complex types to `object`
 * (DynamicData as a base is dropped), member elements to `<Type> <name> <occ>` lines with
 * ArrayOf wrappers as lists, xsd primitives as the predefined types and enum lists as
 * String lists (the grammar has no enum lists).
 */
import type { EnumDecl, MemberDecl, ObjectDecl, Occurrence, SourceLoc, TypeRef } from "../schema/ast.js";
import { METHOD_FAULT, MOREF, PREDEFINED } from "../schema/predefined.js";
import type { Commented } from "../schema/print.js";
import type { ImportProblem } from "./errors.js";
import { qnameText, XSD_NS, type QName } from "./xml-tree.js";
import type { ComplexTypeDef, ElementDef, EnumTypeDef, TypeDef, WsdlModel } from "./xsd-model.js";

/** The base type that VI data objects extend; it has no members and is dropped. */
export const DYNAMIC_DATA = "DynamicData";

/** xsd built-in types (local names) and the predefined schema types they become, from the predefined types' wire names. */
const XSD_PRIMITIVES: ReadonlyMap<string, string> = new Map(
  [...PREDEFINED].filter(([, p]) => p.wire.startsWith("xsd:")).map(([name, p]) => [p.wire.slice("xsd:".length), name]),
);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_MEMBERS = new Set(["_typeName", "_wireType"]);

/** The comment written above a member whose enum list type is written as String. */
function enumListComment(enumName: string): string {
  return `${enumName} list: written as String (enums cannot be lists)`;
}

export interface MapContext {
  readonly wsdl: WsdlModel;
  /** A typed reference to keep for a member (`ManagedObjectReference:<T>`), see ImportOptions.keep. */
  readonly keptMoType: (owner: string, member: string) => string | undefined;
}

export type MemberOut = MemberDecl & Commented;

export interface Mapped<D> {
  readonly decl: D;
  /** The types this declaration needs, by name (predefined types excluded). */
  readonly deps: readonly string[];
  readonly problems: readonly ImportProblem[];
}

/** `ArrayOfX`: no base, one element with maxOccurs > 1. Its element's type is the item type. */
export function arrayItem(t: TypeDef): ElementDef | undefined {
  if (t.kind !== "complex" || !t.name.startsWith("ArrayOf") || t.base !== undefined || t.moRef) return undefined;
  const [only, ...rest] = t.elements;
  return only !== undefined && rest.length === 0 && only.maxOccurs > 1 ? only : undefined;
}

/** Whether the type is not written as a declaration (ArrayOf wrappers, ManagedObjectReference, DynamicData). */
export function isStructural(t: TypeDef): boolean {
  return arrayItem(t) !== undefined || (t.kind === "complex" && (t.moRef || t.name === DYNAMIC_DATA));
}

interface TypeUse {
  readonly type: TypeRef;
  readonly list: boolean;
  readonly enumName?: string;
  readonly dep?: string;
}

/** Resolves a member's type QName; `list` is set for ArrayOf wrappers. */
function resolveType(q: QName, ctx: MapContext, where: string, problems: ImportProblem[]): TypeUse | undefined {
  if (q.ns === XSD_NS) {
    const p = XSD_PRIMITIVES.get(q.local);
    if (p !== undefined) return { type: { name: p }, list: false };
    problems.push({ where, construct: `xsd:${q.local}`, detail: "this xsd built-in type has no schema type" });
    return undefined;
  }
  const t = ctx.wsdl.types.get(q.local);
  if (t === undefined || t.ns !== q.ns) {
    problems.push({ where, construct: `type ${qnameText(q)}`, detail: "not defined in the WSDL" });
    return undefined;
  }
  if (t.kind === "enum") return { type: { name: t.name }, list: false, enumName: t.name, dep: t.name };
  if (t.moRef) return { type: { name: MOREF }, list: false };
  if (t.name === DYNAMIC_DATA) {
    problems.push({
      where,
      construct: `member type ${DYNAMIC_DATA}`,
      detail: `the grammar has no root data object (${DYNAMIC_DATA} is only dropped as a base)`,
    });
    return undefined;
  }
  const item = arrayItem(t);
  if (item !== undefined) {
    const inner = resolveType(item.type, ctx, where, problems);
    if (inner === undefined) return undefined;
    if (inner.list) {
      problems.push({ where, construct: `type ${t.name}`, detail: "an ArrayOf of ArrayOf wrappers is a list of lists" });
      return undefined;
    }
    return { ...inner, list: true };
  }
  return { type: { name: t.name }, list: false, dep: t.name };
}

function occurrence(required: boolean, list: boolean): Occurrence {
  return list ? (required ? "rl" : "ol") : required ? "r" : "o";
}

/**
 * Maps one sequence element to a member or parameter line. `owner` is the object or method
 * name (used for kept typed references); `where` names it in problems.
 */
export function mapElement(
  e: ElementDef,
  owner: string,
  ctx: MapContext,
  where: string,
  loc: SourceLoc,
  problems: ImportProblem[],
): { member: MemberOut; dep?: string } | undefined {
  const mwhere = `${where} member ${e.name}`;
  if (!IDENT.test(e.name)) {
    problems.push({ where: mwhere, construct: `member name '${e.name}'`, detail: "not an identifier" });
    return undefined;
  }
  if (RESERVED_MEMBERS.has(e.name)) {
    problems.push({ where: mwhere, construct: `member name '${e.name}'`, detail: "reserved by the generator" });
    return undefined;
  }
  const use = resolveType(e.type, ctx, mwhere, problems);
  if (use === undefined) return undefined;
  const elementList = e.maxOccurs > 1;
  if (use.list && elementList) {
    problems.push({
      where: mwhere,
      construct: `maxOccurs="${e.maxOccurs === Infinity ? "unbounded" : e.maxOccurs}" of ${e.type.local}`,
      detail: "a list of ArrayOf wrappers is a list of lists",
    });
    return undefined;
  }
  const occ = occurrence(e.minOccurs >= 1, use.list || elementList);
  let type = use.type;
  let comment: string[] | undefined;
  if (use.enumName !== undefined && (occ === "rl" || occ === "ol")) {
    type = { name: "String" };
    comment = [enumListComment(use.enumName)];
  } else if (type.name === MOREF && type.moType === undefined) {
    const kept = ctx.keptMoType(owner, e.name);
    if (kept !== undefined) type = { name: MOREF, moType: kept };
  }
  const member: MemberOut = { type, name: e.name, occ, loc, ...(comment !== undefined ? { comment } : {}) };
  return use.dep === undefined ? { member } : { member, dep: use.dep };
}

function locOf(t: TypeDef): SourceLoc {
  return { file: t.document, line: 0 };
}

export function mapEnum(t: EnumTypeDef): Mapped<EnumDecl> {
  const problems = [...t.problems];
  if (!IDENT.test(t.name)) problems.push({ where: `type ${t.name}`, construct: `type name '${t.name}'`, detail: "not an identifier" });
  if (PREDEFINED.has(t.name))
    problems.push({ where: `type ${t.name}`, construct: `enum ${t.name}`, detail: "collides with a predefined type" });
  return { decl: { kind: "enum", name: t.name, values: t.values, loc: locOf(t) }, deps: [], problems };
}

/** Maps a complex type to an object; DynamicData as the base is dropped. */
export function mapComplex(t: ComplexTypeDef, ctx: MapContext): Mapped<ObjectDecl> {
  const where = `type ${t.name}`;
  const problems = [...t.problems];
  const deps: string[] = [];
  if (!IDENT.test(t.name)) problems.push({ where, construct: `type name '${t.name}'`, detail: "not an identifier" });
  if (PREDEFINED.has(t.name) && t.name !== METHOD_FAULT)
    problems.push({ where, construct: `object ${t.name}`, detail: "collides with a predefined type" });
  let base: string | undefined;
  if (t.base !== undefined) {
    const b = t.base.ns === XSD_NS ? undefined : ctx.wsdl.types.get(t.base.local);
    if (b === undefined || b.ns !== t.base.ns) {
      problems.push({
        where,
        construct: `extension of ${qnameText(t.base)}`,
        detail: t.base.ns === XSD_NS ? "only data objects can be extended" : "the base is not defined in the WSDL",
      });
    } else if (b.kind !== "complex" || (isStructural(b) && b.name !== DYNAMIC_DATA)) {
      problems.push({ where, construct: `extension of ${b.name}`, detail: "only data objects can be extended" });
    } else if (b.name === DYNAMIC_DATA) {
      if (b.elements.length > 0 || b.base !== undefined)
        problems.push({
          where,
          construct: `base ${DYNAMIC_DATA}`,
          detail: `${DYNAMIC_DATA} has members or a base, so it cannot be dropped`,
        });
    } else {
      base = b.name;
      deps.push(b.name);
    }
  }
  const loc = locOf(t);
  const members: MemberOut[] = [];
  for (const e of t.elements) {
    const m = mapElement(e, t.name, ctx, where, loc, problems);
    if (m === undefined) continue;
    members.push(m.member);
    if (m.dep !== undefined) deps.push(m.dep);
  }
  const decl: ObjectDecl = { kind: "object", managed: false, name: t.name, ...(base !== undefined ? { base } : {}), members, loc };
  return { decl, deps, problems };
}
