/**
 * Areas: one generated module per schema file. Computes which module defines each name
 * (for the imports of TypeScript types between modules). What a module needs at run time is
 * not planned here: the registry follows the metadata of the one name it is asked for.
 */
import type { Decl, ObjectDecl, TypeRef } from "../schema/ast.js";
import { descendants, unionName, type Model } from "../schema/model.js";
import { SchemaError } from "../schema/schema-error.js";
import { moduleName, referencedTypeNames } from "./ts-names.js";

const PREDEFINED_MODULE = "predefined";
/** Modules the generator writes besides the areas' (metadata/index.ts shares the name "index"). */
const RESERVED_MODULES = new Set(["index", "registry", "managed", "input"]);

export interface Area {
  readonly module: string;
  readonly source: string;
  readonly decls: readonly Decl[];
}

export interface AreaPlan {
  readonly areas: readonly Area[];
  /** TypeScript name → module that exports it (types, unions, enums, methods, property interfaces). */
  readonly exportedBy: ReadonlyMap<string, string>;
}

export function planAreas(model: Model): AreaPlan {
  const areas: Area[] = model.files.map((f) => ({ module: moduleName(f.file), source: f.file, decls: f.decls }));
  const seen = new Map<string, string>();
  for (const a of areas) {
    if (RESERVED_MODULES.has(a.module))
      throw new SchemaError([{ loc: { file: a.source, line: 0 }, message: `the module name '${a.module}' is the generator's own` }]);
    const other = seen.get(a.module);
    if (other !== undefined)
      throw new SchemaError([{ loc: { file: a.source, line: 0 }, message: `${other} and this file map to the module name '${a.module}'` }]);
    seen.set(a.module, a.source);
  }
  const stub = model.objects.get("MethodFault");
  if (stub !== undefined && stub.loc.file === "<predefined>") {
    areas.push({ module: PREDEFINED_MODULE, source: "<predefined types>", decls: [stub] });
  }

  const exportedBy = new Map<string, string>();
  for (const a of areas) {
    for (const d of a.decls) {
      exportedBy.set(d.kind === "object" && d.managed ? propertiesName(d.name) : d.name, a.module);
      if (d.kind === "object" && !d.managed && descendants(model, d.name).length > 0) exportedBy.set(unionName(d.name), a.module);
    }
  }
  return { areas, exportedBy };
}

/** The TypeScript name of a managed object's property set. */
export function propertiesName(managed: string): string {
  return `${managed}Properties`;
}

/** Every generated TypeScript type name a declaration mentions (for imports). */
export function typeNamesUsed(model: Model, d: Decl): string[] {
  const out: string[] = [];
  const add = (t: TypeRef | undefined): void => {
    if (t !== undefined) out.push(...referencedTypeNames(model, t));
  };
  if (d.kind === "object") {
    addObject(model, d, out, add);
  } else if (d.kind === "method") {
    for (const p of d.params) add(p.type);
    add(d.returns?.type);
    add(d.taskResult?.type);
  }
  return out;
}

function addObject(model: Model, d: ObjectDecl, out: string[], add: (t: TypeRef | undefined) => void): void {
  if (d.base !== undefined) out.push(d.managed ? propertiesName(d.base) : d.base);
  for (const m of d.members) if (m.occ !== "i") add(m.type);
  if (!d.managed) out.push(...descendants(model, d.name));
}
