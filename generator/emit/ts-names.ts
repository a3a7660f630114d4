/**
 * How schema names become TypeScript: member types, identifiers, module names.
 */
import { basename } from "node:path";
import { isList, type MemberDecl, type TypeRef } from "../schema/ast.js";
import { descendants, unionName, type Model } from "../schema/model.js";
import { MOREF, PREDEFINED } from "../schema/predefined.js";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** The module (file name without extension) generated for a schema file. */
export function moduleName(schemaFile: string): string {
  const base = basename(schemaFile).replace(/\.[^.]*$/, "");
  return base.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** The TypeScript type of a single value of schema type `t` (polymorphic slots become unions). */
export function valueType(model: Model, t: TypeRef): string {
  if (t.name === MOREF) {
    if (t.moType === undefined) return "MoRef";
    // A reference to a managed type also accepts references to its subtypes.
    const names = [t.moType, ...descendants(model, t.moType)];
    return `MoRef<${names.map((n) => JSON.stringify(n)).join(" | ")}>`;
  }
  const pre = PREDEFINED.get(t.name);
  if (pre !== undefined && !model.objects.has(t.name)) return pre.ts;
  if (model.objects.has(t.name) && descendants(model, t.name).length > 0) return unionName(t.name);
  return t.name;
}

/** The TypeScript type of a member, list occurrences as arrays. */
export function memberType(model: Model, m: Pick<MemberDecl, "type" | "occ">): string {
  const v = valueType(model, m.type);
  return isList(m.occ) ? (/^[A-Za-z0-9_$]+$/.test(v) ? `${v}[]` : `Array<${v}>`) : v;
}

/** Names of generated (non-predefined) types a schema type refers to in TypeScript. */
export function referencedTypeNames(model: Model, t: TypeRef): string[] {
  if (t.name === MOREF) return [];
  // MethodFault is always among the objects (validateSchema adds it when the schema does not define it).
  if (PREDEFINED.has(t.name) && !model.objects.has(t.name)) return [];
  if (model.objects.has(t.name) && descendants(model, t.name).length > 0) return [unionName(t.name)];
  return [t.name];
}
