/**
 * Applies a ManagedSource to a WSDL import: the managed object declarations (with their
 * properties), the managed object type of references (`_this`, parameters, returns, data
 * object members) and task results. Only facts the WSDL agrees with are applied: a type the
 * WSDL does not define is not used (the property is written `i`), a method the WSDL does not
 * define gets nothing (gaps.ts lists what the source does not describe).
 */
import type { ObjectDecl, Occurrence, ReturnDecl, SourceLoc, TypeRef } from "../schema/ast.js";
import { MOREF } from "../schema/predefined.js";
import type { Commented } from "../schema/print.js";
import type { WsdlModel } from "../wsdl/xsd-model.js";
import type { ManagedSource, SourceType } from "./source.js";

function occurrence(optional: boolean, list: boolean): Occurrence {
  return list ? (optional ? "ol" : "rl") : optional ? "o" : "r";
}

/** The schema type of a source type, or a reason it cannot be written. */
function schemaType(
  t: SourceType,
  wsdl: WsdlModel,
  isManaged: (n: string) => boolean,
  isDefined: (n: string) => boolean,
): TypeRef | string {
  switch (t.kind) {
    case "managed":
      return t.name !== undefined && isManaged(t.name) ? { name: MOREF, moType: t.name } : { name: MOREF };
    case "primitive":
      return { name: t.name };
    case "unknown":
      return `the source does not define ${t.name}`;
    case "data":
    case "enum":
      if (t.name === "DynamicData") return { name: "AnyType" };
      return wsdl.types.has(t.name) || isDefined(t.name) ? { name: t.name } : `the WSDL does not define ${t.name}`;
  }
}

export interface ManagedDeclsOptions {
  readonly source: ManagedSource;
  readonly wsdl: WsdlModel;
  /** Names the schema defines by hand (they win over the source: not emitted). */
  readonly isDefined: (name: string) => boolean;
  /** Whether a name is an enum (enum lists are written as String lists). */
  readonly isEnum: (name: string) => boolean;
}

/** The managed object declarations of the source that the schema does not define by hand. */
export function managedDecls(o: ManagedDeclsOptions): (ObjectDecl & Commented)[] {
  const { source, wsdl } = o;
  const loc: SourceLoc = { file: source.source, line: 0 };
  const isManaged = (n: string): boolean => source.managed.has(n);
  const out: (ObjectDecl & Commented)[] = [];
  for (const m of source.managed.values()) {
    if (o.isDefined(m.name)) continue;
    const members = m.properties.map((p) => {
      const t = schemaType(p.type, wsdl, isManaged, o.isDefined);
      if (typeof t === "string") return { type: { name: "AnyType" }, name: p.name, occ: "i" as const, loc, comment: [`ignored: ${t}`] };
      const occ = occurrence(p.optional, p.type.list);
      if (p.type.list && o.isEnum(t.name))
        return { type: { name: "String" }, name: p.name, occ, loc, comment: [`${t.name} list: written as String (enums cannot be lists)`] };
      return { type: t, name: p.name, occ, loc };
    });
    out.push({ kind: "object", managed: true, name: m.name, ...(m.base !== undefined ? { base: m.base } : {}), members, loc });
  }
  return out;
}

/** The managed object type the source gives a reference: `owner` is a data type or a method, `member` a member, parameter, `_this` or `returnval`. */
export function sourceMoType(source: ManagedSource, owner: string, member: string): string | undefined {
  const method = source.methods.get(owner);
  if (method !== undefined) {
    if (member === "_this") return method.owner;
    const t = member === "returnval" ? method.returns : method.params.find((p) => p.name === member)?.type;
    return t?.kind === "managed" ? t.name : undefined;
  }
  const t = source.dataRefs.get(`${owner}.${member}`);
  return t?.kind === "managed" ? t.name : undefined;
}

/** The task result the source gives a method returning a Task, when the WSDL defines its type. */
export function sourceTaskResult(
  source: ManagedSource,
  wsdl: WsdlModel,
  method: string,
  isDefined: (n: string) => boolean,
): ReturnDecl | undefined {
  const r = source.methods.get(method)?.taskResult;
  if (r === undefined || r.type.kind === "unknown") return undefined;
  const t = schemaType(r.type, wsdl, (n) => source.managed.has(n), isDefined);
  if (typeof t === "string") return undefined;
  // Enum lists have no grammar: their values are strings.
  return { type: r.type.list && r.type.kind === "enum" ? { name: "String" } : t, occ: occurrence(r.optional, r.type.list) };
}
