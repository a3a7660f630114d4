/**
 * The resolved schema: every declaration by name, inheritance resolved, ready for the
 * emitters. Built by `validateSchema`, which rejects anything inconsistent.
 */
import type { EnumDecl, MemberDecl, MethodDecl, ObjectDecl, SchemaFile } from "./ast.js";

export interface Model {
  readonly files: readonly SchemaFile[];
  readonly enums: ReadonlyMap<string, EnumDecl>;
  /** Data objects, including the predefined MethodFault when the schema does not define it. */
  readonly objects: ReadonlyMap<string, ObjectDecl>;
  readonly managed: ReadonlyMap<string, ObjectDecl>;
  readonly methods: ReadonlyMap<string, MethodDecl>;
  /** Direct subtypes of every object and managed object, sorted by name. */
  readonly subtypes: ReadonlyMap<string, readonly string[]>;
}

/** Members of an object and of all its bases, base members first (the wire order). */
export function allMembers(model: Model, decl: ObjectDecl): MemberDecl[] {
  const chain: ObjectDecl[] = [];
  const table = decl.managed ? model.managed : model.objects;
  let d: ObjectDecl | undefined = decl;
  while (d !== undefined && !chain.includes(d)) {
    chain.unshift(d);
    d = d.base === undefined ? undefined : table.get(d.base);
  }
  return chain.flatMap((c) => c.members);
}

/** All transitive subtypes of a type, sorted by name. */
export function descendants(model: Model, name: string): string[] {
  const out = new Set<string>();
  const walk = (n: string): void => {
    for (const s of model.subtypes.get(n) ?? []) {
      if (!out.has(s)) {
        out.add(s);
        walk(s);
      }
    }
  };
  walk(name);
  return [...out].sort();
}

/** The name of the union type that stands for a polymorphic data object slot. */
export function unionName(name: string): string {
  return `Any${name}`;
}
