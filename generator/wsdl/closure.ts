/**
 * The transitive closure of what the requested types and methods need: base types and member
 * types of objects; parameter, return and declared fault types of methods. Names for which
 * `isExternal` answers true (predefined types, types the existing schema already defines) are
 * referenced, not imported, and not followed.
 */
import type { Decl, EnumDecl, ObjectDecl } from "../schema/ast.js";
import { formatImportProblem, type ImportProblem } from "./errors.js";
import { mapOperation, type MethodContext, type MethodOut } from "./map-methods.js";
import { arrayItem, isStructural, mapComplex, mapEnum } from "./map-types.js";
import { XSD_NS } from "./xml-tree.js";

export interface ClosureResult {
  readonly enums: readonly EnumDecl[];
  readonly objects: readonly ObjectDecl[];
  readonly methods: readonly MethodOut[];
  /** External names that the imported declarations refer to, sorted. */
  readonly referenced: readonly string[];
  /** Unmodelled constructs met in the closure, each once, in the order met. */
  readonly problems: readonly ImportProblem[];
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Sorted output order: enums, objects, managed objects, methods; each by name (code-unit order). */
export function sortDecls(decls: readonly Decl[]): Decl[] {
  const rank = (d: Decl): number => (d.kind === "enum" ? 0 : d.kind === "object" ? (d.managed ? 2 : 1) : 3);
  return [...decls].sort((a, b) => rank(a) - rank(b) || byName(a, b));
}

/** Direct subtypes of every complex type of the WSDL, by base name. */
function subtypeIndex(ctx: MethodContext): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of ctx.wsdl.types.values()) {
    if (t.kind !== "complex" || t.base === undefined) continue;
    const list = out.get(t.base.local) ?? [];
    list.push(t.name);
    out.set(t.base.local, list);
  }
  return out;
}

/**
 * `withSubtypes`: also every subtype of every imported object (transitively), for polymorphic
 * members such as VirtualDeviceConfigSpec.device; subtypes of external types are not followed.
 */
export function closure(
  ctx: MethodContext,
  types: readonly string[],
  methods: readonly string[],
  isExternal: (name: string) => boolean,
  withSubtypes = false,
): ClosureResult {
  const subtypes = withSubtypes ? subtypeIndex(ctx) : new Map<string, string[]>();
  const enums: EnumDecl[] = [];
  const objects: ObjectDecl[] = [];
  const outMethods: MethodOut[] = [];
  const referenced = new Set<string>();
  const problems: ImportProblem[] = [];
  const problemKeys = new Set<string>();
  const addProblems = (ps: readonly ImportProblem[]): void => {
    for (const p of ps) {
      const k = formatImportProblem(p);
      if (problemKeys.has(k)) continue;
      problemKeys.add(k);
      problems.push(p);
    }
  };

  const queue: string[] = [];
  const seen = new Set<string>();
  /** Who first needed a type (for messages); requested names have no entry. */
  const neededBy = new Map<string, string>();
  const need = (name: string, by?: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    queue.push(name);
    if (by !== undefined) neededBy.set(name, by);
  };
  const chain = (name: string): string => {
    const path: string[] = [];
    for (let n = neededBy.get(name); n !== undefined && !path.includes(n) && path.length < 8; n = neededBy.get(n)) path.push(n);
    return path.length === 0 ? "" : ` (needed by ${path.join(" <- ")})`;
  };
  const addTypeProblems = (name: string, ps: readonly ImportProblem[]): void => {
    const via = chain(name);
    addProblems(via === "" ? ps : ps.map((p) => ({ ...p, where: `${p.where}${via}` })));
  };

  for (const m of [...new Set(methods)]) {
    const op = ctx.wsdl.operations.get(m);
    if (op === undefined) continue;
    const mapped = mapOperation(op, ctx);
    outMethods.push(mapped.decl);
    addProblems(mapped.problems);
    for (const d of mapped.deps) need(d, m);
  }
  for (const t of types) need(t);

  while (queue.length > 0) {
    const name = queue.shift() ?? "";
    if (isExternal(name)) {
      referenced.add(name);
      continue;
    }
    const t = ctx.wsdl.types.get(name);
    if (t === undefined) continue; // unknown names are reported by the caller or by the mapping that met them
    if (t.kind === "enum") {
      const mapped = mapEnum(t);
      enums.push(mapped.decl);
      addTypeProblems(name, mapped.problems);
    } else if (isStructural(t)) {
      const item = arrayItem(t);
      if (item !== undefined && item.type.ns !== XSD_NS) need(item.type.local, neededBy.get(name));
    } else {
      const mapped = mapComplex(t, ctx);
      objects.push(mapped.decl);
      addTypeProblems(name, mapped.problems);
      for (const d of mapped.deps) need(d, name);
      for (const sub of [...(subtypes.get(name) ?? [])].sort()) need(sub, name);
    }
  }

  return {
    enums: enums.sort(byName),
    objects: objects.sort(byName),
    methods: outMethods.sort(byName),
    referenced: [...referenced].sort(),
    problems,
  };
}
