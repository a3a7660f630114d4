/**
 * Compares the declarations of a schema with what the WSDL says about the same names:
 * enum values, bases, members (type, occurrence, order), method parameters and returns.
 * Typed references (`ManagedObjectReference:<T>`) count as ManagedObjectReference, `i`
 * members are not compared (they say so themselves), managed objects are not in the WSDL.
 */
import { typeRefText, type Decl, type MemberDecl, type TypeRef } from "../schema/ast.js";
import type { Model } from "../schema/model.js";
import { METHOD_FAULT } from "../schema/predefined.js";
import { importWsdl } from "./import.js";
import type { WsdlModel } from "./xsd-model.js";

export interface Difference {
  /** The type or method name. */
  readonly name: string;
  readonly difference: string;
}

function typeText(t: TypeRef): string {
  return t.name;
}

function memberText(m: MemberDecl): string {
  return `${typeRefText(m.type)} ${m.occ}`;
}

function compareMembers(name: string, what: string, schema: readonly MemberDecl[], wsdl: readonly MemberDecl[], out: Difference[]): void {
  const inWsdl = new Map(wsdl.map((m) => [m.name, m]));
  const inSchema = new Map(schema.map((m) => [m.name, m]));
  // One line for all the members schema/ leaves out (typically newer API members it does not use).
  const missing = wsdl.filter((w) => !inSchema.has(w.name)).map((w) => `${w.name} (${memberText(w)})`);
  if (missing.length > 0) out.push({ name, difference: `${what}s missing in schema/: ${missing.join(", ")}` });
  for (const s of schema) {
    const w = inWsdl.get(s.name);
    if (w === undefined) {
      out.push({ name, difference: `${what} ${s.name} is not in the WSDL` });
      continue;
    }
    if (s.occ === "i") continue;
    if (typeText(s.type) !== typeText(w.type))
      out.push({ name, difference: `${what} ${s.name}: type ${typeText(s.type)} in schema/, ${typeText(w.type)} in the WSDL` });
    if (s.occ !== w.occ) out.push({ name, difference: `${what} ${s.name}: occurrence ${s.occ} in schema/, ${w.occ} in the WSDL` });
  }
  const common = (list: readonly MemberDecl[], other: Map<string, MemberDecl>): string[] =>
    list.filter((m) => other.has(m.name)).map((m) => m.name);
  const so = common(schema, inWsdl);
  const wo = common(wsdl, inSchema);
  if (so.join(",") !== wo.join(","))
    out.push({ name, difference: `${what} order: ${so.join(" ")} in schema/, ${wo.join(" ")} in the WSDL` });
}

function compareDecl(s: Decl, w: Decl, out: Difference[]): void {
  const name = s.name;
  if (s.kind !== w.kind) {
    out.push({ name, difference: `a ${s.kind} in schema/, a ${w.kind} in the WSDL` });
    return;
  }
  if (s.kind === "enum" && w.kind === "enum") {
    for (const v of w.values) if (!s.values.includes(v)) out.push({ name, difference: `value ${v} is missing in schema/` });
    for (const v of s.values) if (!w.values.includes(v)) out.push({ name, difference: `value ${v} is not in the WSDL` });
  } else if (s.kind === "object" && w.kind === "object") {
    if (s.base !== w.base) out.push({ name, difference: `base ${s.base ?? "(none)"} in schema/, ${w.base ?? "(none)"} in the WSDL` });
    compareMembers(name, "member", s.members, w.members, out);
  } else if (s.kind === "method" && w.kind === "method") {
    const sr = s.returns === undefined ? "(nothing)" : `${typeText(s.returns.type)} ${s.returns.occ}`;
    const wr = w.returns === undefined ? "(nothing)" : `${typeText(w.returns.type)} ${w.returns.occ}`;
    if (sr !== wr) out.push({ name, difference: `returns ${sr} in schema/, ${wr} in the WSDL` });
    compareMembers(name, "parameter", s.params, w.params, out);
  }
}

/** Every difference between the schema's enums, objects and methods and the WSDL's definitions of the same names. */
export async function compareWithWsdl(wsdl: WsdlModel, schema: Model): Promise<Difference[]> {
  const decls = schema.files.flatMap((f) => f.decls).filter((d) => !(d.kind === "object" && d.managed));
  const types = decls.filter((d) => d.kind !== "method").map((d) => d.name);
  const methods = decls.filter((d) => d.kind === "method").map((d) => d.name);
  const imported = await importWsdl({ wsdl, types, methods });
  const byName = new Map<string, Decl>();
  for (const d of imported.decls) byName.set(`${d.kind === "method" ? "m" : "t"}:${d.name}`, d);
  const out: Difference[] = [];
  for (const s of decls) {
    const w = byName.get(`${s.kind === "method" ? "m" : "t"}:${s.name}`);
    if (w === undefined) {
      if (s.name !== METHOD_FAULT || s.kind !== "object") out.push({ name: s.name, difference: `not in the WSDL` });
      continue;
    }
    compareDecl(s, w, out);
  }
  return out.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.difference < b.difference ? -1 : a.difference > b.difference ? 1 : 0,
  );
}
