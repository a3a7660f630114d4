/**
 * Emits registry.ts (the bindings' TypeRegistry), metadata/index.ts (which area defines which
 * name and the loaders of the areas' metadata modules, loaded by the registry on first use),
 * index.ts (re-exports every bindings module) and managed.ts (the map from managed object
 * type to its property set).
 */
import { StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { Model } from "../schema/model.js";
import { propertiesName, type AreaPlan } from "./areas.js";

/** The folder of the metadata modules, relative to the bindings. */
export const METADATA_DIR = "metadata";

export function registryStatements(runtimeImport: string): (string | StatementStructures)[] {
  return [
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: runtimeImport, namedImports: ["TypeRegistry"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [
        "The registry of these bindings. It loads the index of the metadata on first use of any name,\n" +
          "then the metadata of an area on first use of one of its names: importing the bindings\n" +
          "registers nothing.",
      ],
      declarations: [
        {
          name: "registry",
          initializer: `/* @__PURE__ */ new TypeRegistry(
  { namespace: "urn:vim25", morefType: "ManagedObjectReference", faultType: "MethodFault", genericType: "DynamicData", anyType: "AnyType" },
  () => import(${JSON.stringify(`./${METADATA_DIR}/index.js`)}).then((m) => m.areas),
)`,
        },
      ],
    },
  ];
}

/** metadata/index.ts: the areas' names and the loaders of their metadata modules. */
export function areaIndexStatements(plan: AreaPlan, runtimeImport: string): (string | StatementStructures)[] {
  const names = plan.areas.map((a) => a.decls.map((d) => d.name).join(" "));
  return [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: runtimeImport, namedImports: ["AreaIndex"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["Which area defines which name, and the loader of each area's metadata module."],
      declarations: [
        {
          name: "areas",
          type: "AreaIndex",
          initializer: `{
  loaders: [${plan.areas.map((a) => `() => import(${JSON.stringify(`./${a.module}.js`)})`).join(", ")}],
  names: [${names.map((n) => JSON.stringify(n)).join(", ")}],
}`,
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
