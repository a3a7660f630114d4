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

export function closure(
  ctx: MethodContext,
  types: readonly string[],
  methods: readonly string[],
  isExternal: (name: string) => boolean,
): ClosureResult {
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
  const need = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    queue.push(name);
  };

  for (const m of [...new Set(methods)]) {
    const op = ctx.wsdl.operations.get(m);
    if (op === undefined) continue;
    const mapped = mapOperation(op, ctx);
    outMethods.push(mapped.decl);
    addProblems(mapped.problems);
    mapped.deps.forEach(need);
  }
  types.forEach(need);

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
      addProblems(mapped.problems);
    } else if (isStructural(t)) {
      const item = arrayItem(t);
      if (item !== undefined && item.type.ns !== XSD_NS) need(item.type.local);
    } else {
      const mapped = mapComplex(t, ctx);
      objects.push(mapped.decl);
      addProblems(mapped.problems);
      mapped.deps.forEach(need);
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
