/**
 * Areas: one generated module per schema file. Computes which module defines each name,
 * which modules a module refers to for TypeScript types, and which it needs at run time
 * (member, base, parameter and return types), transitively.
 */
import type { Decl, ObjectDecl, TypeRef } from "../schema/ast.js";
import { descendants, unionName, type Model } from "../schema/model.js";
import { MOREF, PREDEFINED } from "../schema/predefined.js";
import { moduleName, referencedTypeNames } from "./ts-names.js";

export const PREDEFINED_MODULE = "predefined";

export interface Area {
  readonly module: string;
  readonly source: string;
  readonly decls: readonly Decl[];
}

export interface AreaPlan {
  readonly areas: readonly Area[];
  /** TypeScript name → module that exports it (types, unions, enums, methods, property interfaces). */
  readonly exportedBy: ReadonlyMap<string, string>;
  /** For each area (by index), the indexes of the areas it needs at run time, transitively. */
  readonly runtimeDeps: readonly number[][];
}

export function planAreas(model: Model): AreaPlan {
  const areas: Area[] = model.files.map((f) => ({ module: moduleName(f.file), source: f.file, decls: f.decls }));
  const seen = new Set<string>();
  for (const a of areas) {
    if (seen.has(a.module)) throw new Error(`two schema files map to the module name '${a.module}'`);
    seen.add(a.module);
  }
  const stub = model.objects.get("MethodFault");
  if (stub !== undefined && stub.loc.file === "<predefined>") {
    areas.push({ module: PREDEFINED_MODULE, source: "<predefined types>", decls: [stub] });
  }

  const exportedBy = new Map<string, string>();
  const areaOfType = new Map<string, number>();
  areas.forEach((a, i) => {
    for (const d of a.decls) {
      exportedBy.set(d.kind === "object" && d.managed ? propertiesName(d.name) : d.name, a.module);
      if (d.kind === "object" && !d.managed && descendants(model, d.name).length > 0) exportedBy.set(unionName(d.name), a.module);
      if (d.kind !== "method") areaOfType.set(d.name, i);
    }
  });

  const direct = areas.map((a) => {
    const deps = new Set<number>();
    const add = (t: TypeRef | undefined): void => {
      if (t === undefined || t.name === MOREF || (PREDEFINED.has(t.name) && !model.objects.has(t.name))) return;
      const i = areaOfType.get(t.name);
      if (i !== undefined) deps.add(i);
    };
    for (const d of a.decls) {
      if (d.kind === "enum") continue;
      if (d.kind === "object") {
        if (d.base !== undefined) add({ name: d.base });
        for (const m of d.members) if (m.occ !== "i") add(m.type);
      } else {
        for (const p of d.params) add(p.type);
        add(d.returns?.type);
      }
    }
    return deps;
  });
  const runtimeDeps = direct.map((_, i) => {
    const out = new Set<number>();
    const stack = [i];
    while (stack.length > 0) {
      const j = stack.pop() as number;
      for (const k of direct[j] ?? []) {
        if (k !== i && !out.has(k)) {
          out.add(k);
          stack.push(k);
        }
      }
    }
    return [...out].sort((x, y) => x - y);
  });
  return { areas, exportedBy, runtimeDeps };
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
  }
  return out;
}

function addObject(model: Model, d: ObjectDecl, out: string[], add: (t: TypeRef | undefined) => void): void {
  if (d.base !== undefined) out.push(d.managed ? propertiesName(d.base) : d.base);
  for (const m of d.members) if (m.occ !== "i") add(m.type);
  if (!d.managed) out.push(...descendants(model, d.name));
}
