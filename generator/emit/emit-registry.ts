/**
 * Emits registry.ts (the bindings' TypeRegistry, with the index of which module defines
 * which name, for loading modules on first use), index.ts (re-exports every module) and
 * managed.ts (the map from managed object type to its property set).
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { Model } from "../schema/model.js";
import { propertiesName, type AreaPlan } from "./areas.js";

export function registryStatements(plan: AreaPlan, runtimeImport: string): (string | StatementStructures)[] {
  const names = plan.areas.map((a) => a.decls.map((d) => d.name).join(" "));
  return [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtimeImport, namedImports: ["TypeRegistry"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [
        "The registry of these bindings. Each module adds its metadata when it is loaded; a module\n" +
          "that is not loaded yet is loaded on first use of one of its names.",
      ],
      declarations: [
        {
          name: "registry",
          initializer: `new TypeRegistry(
  { namespace: "urn:vim25", morefType: "ManagedObjectReference", faultType: "MethodFault", genericType: "DynamicData", anyType: "AnyType" },
  {
    loaders: [${plan.areas.map((a) => `() => import(${JSON.stringify(`./${a.module}.js`)})`).join(", ")}],
    names: [${names.map((n) => JSON.stringify(n)).join(", ")}],
  },
)`,
        },
      ],
    },
  ];
}

/**
 * input.ts: `Input<T>`, what a call accepts where the bindings declare T. A data object needs
 * `_typeName` only in a slot that admits several types (the union of a base and its subtypes:
 * the encoder must be told which); elsewhere the encoder takes the slot's type. Optional
 * members accept `undefined` (the interfaces declare it). Which slots are unions is told by the names of the bases
 * that have subtypes (a slot of such a base is always written as its union).
 */
export function inputStatements(model: Model, runtimeImport: string): (string | StatementStructures)[] {
  const bases = [...model.subtypes]
    .filter(([n, subs]) => subs.length > 0 && model.objects.has(n))
    .map(([n]) => n)
    .sort();
  return [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: runtimeImport,
      namedImports: ["AnyPrimitive", "MoRef", "TypedPrimitive"],
    },
    {
      kind: StructureKind.Interface,
      name: "Polymorphic",
      docs: ["The data object types that have subtypes."],
      properties: bases.map((b) => ({ name: b, type: "0" })),
    },
    `type Members<T> = { readonly [K in keyof T as K extends "_typeName" | "_wireType" ? never : K]: Input<Exclude<T[K], undefined>> | Extract<T[K], undefined> };`,
    `type Tagged<T> = T extends { readonly _typeName: infer N } ? { readonly _typeName: N } & Members<T> : never;`,
    `type Untagged<T> = T extends { readonly _typeName: infer N } ? { readonly _typeName?: N } & Members<T> : never;`,
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "Input",
      typeParameters: ["T"],
      docs: ["What a call accepts where the bindings declare T (see the top of this file)."],
      type: `[T] extends [AnyPrimitive | MoRef | TypedPrimitive]
  ? T
  : [T] extends [readonly (infer E)[]]
    ? readonly Input<E>[]
    : [T] extends [{ readonly _typeName: infer N }]
      ? [Extract<N, keyof Polymorphic>] extends [never]
        ? Untagged<T>
        : Tagged<T>
      : T`,
    },
  ];
}

export function indexStatements(plan: AreaPlan): (string | StatementStructures)[] {
  return [
    ...plan.areas.map((a): StatementStructures => ({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `./${a.module}.js` })),
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./managed.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./input.js" },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: "./registry.js", namedExports: ["registry"] },
  ];
}

export function managedStatements(model: Model, plan: AreaPlan): (string | StatementStructures)[] {
  const managed = [...model.managed.keys()].sort();
  const byModule = new Map<string, string[]>();
  for (const m of managed) {
    const mod = plan.exportedBy.get(propertiesName(m));
    if (mod === undefined) continue;
    byModule.set(mod, [...(byModule.get(mod) ?? []), propertiesName(m)]);
  }
  const imports: StatementStructures[] = [...byModule.keys()].sort().map((mod) => ({
    kind: StructureKind.ImportDeclaration,
    isTypeOnly: true,
    moduleSpecifier: `./${mod}.js`,
    namedImports: byModule.get(mod) ?? [],
  }));
  return [
    ...imports,
    {
      kind: StructureKind.Interface,
      isExported: true,
      name: "ManagedObjectTypes",
      docs: ["Every managed object type of these bindings and its property set (for typed property retrieval)."],
      properties: managed.map((m) => ({ name: m, type: propertiesName(m) })),
    },
    {
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: "ManagedObjectType",
      type: managed.length === 0 ? "never" : "keyof ManagedObjectTypes",
    },
  ];
}
