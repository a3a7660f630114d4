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

/** The folder of the shards of the names index, relative to the metadata folder. */
export const NAMES_DIR = "names";

/**
 * A shard of the names index ends before a name whose hash is a multiple of this: shards of
 * about 128 names (about 4 KB) on average, cut where the names themselves say, so that adding
 * or removing a name changes its own shard and not the cuts after it.
 */
const SHARD_NAMES = 128;

/** No shard grows past this many bytes of names, whatever the hashes say. */
const SHARD_MAX_BYTES = 8192;

/** FNV-1a (32 bits) of a name's UTF-16 code units: the same cut on every machine. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** One shard of the names index: its first name, and per area the names of its range. */
export interface NameShardPlan {
  readonly start: string;
  readonly module: string;
  readonly areas: readonly (readonly [area: number, names: string])[];
}

/**
 * Cuts the names of every area, in name order (UTF-16 code units, as the registry's `<`
 * compares), into shards; the first starts at the empty string. A shard's module is named
 * after its first name, so that a new cut renames nothing else.
 */
export function planNameShards(plan: AreaPlan): NameShardPlan[] {
  const all = plan.areas.flatMap((a, i) => a.decls.map((d) => [d.name, i] as const));
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cuts: (readonly (readonly [string, number])[])[] = [];
  let current: (readonly [string, number])[] = [];
  let bytes = 0;
  for (const entry of all) {
    if (current.length > 0 && (nameHash(entry[0]) % SHARD_NAMES === 0 || bytes >= SHARD_MAX_BYTES)) {
      cuts.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry[0].length + 1;
  }
  cuts.push(current);
  const modules = new Map<string, string>();
  return cuts.map((entries, i) => {
    const first = entries[0]?.[0] ?? "";
    // Two modules whose names differ only in case would be one file on some file systems.
    const clash = modules.get(first.toLowerCase());
    if (clash !== undefined) throw new Error(`names index: shards ${clash} and ${first} differ only in case`);
    modules.set(first.toLowerCase(), first);
    const byArea = new Map<number, string[]>();
    for (const [name, area] of entries) byArea.set(area, [...(byArea.get(area) ?? []), name]);
    return {
      start: i === 0 ? "" : first,
      module: first,
      areas: [...byArea].sort(([a], [b]) => a - b).map(([area, names]) => [area, names.join(" ")] as const),
    };
  });
}

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

/** metadata/index.ts: the loaders of the areas' metadata modules and of the shards of the names index. */
export function areaIndexStatements(
  plan: AreaPlan,
  shards: readonly NameShardPlan[],
  runtimeImport: string,
): (string | StatementStructures)[] {
  return [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: runtimeImport, namedImports: ["AreaIndex"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ["The loader of each area's metadata module, and the shards of the index that tells which area defines which name."],
      declarations: [
        {
          name: "areas",
          type: "AreaIndex",
          initializer: `{
  loaders: [${plan.areas.map((a) => `() => import(${JSON.stringify(`./${a.module}.js`)})`).join(", ")}],
  shards: {
    starts: [${shards.map((s) => JSON.stringify(s.start)).join(", ")}],
    loaders: [${shards.map((s) => `() => import(${JSON.stringify(`./${NAMES_DIR}/${s.module}.js`)})`).join(", ")}],
  },
}`,
        },
      ],
    },
  ];
}

/** metadata/names/<n>.ts: one shard of the names index. */
export function nameShardStatements(shard: NameShardPlan, runtimeImport: string): (string | StatementStructures)[] {
  return [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: runtimeImport, namedImports: ["NameShard"] },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`${shard.start === "" ? "The first names" : `The names from ${shard.start} on`}, with the area that defines them.`],
      declarations: [
        {
          name: "names",
          type: "NameShard",
          initializer: `[${shard.areas.map(([area, names]) => `[${area}, ${JSON.stringify(names)}]`).join(", ")}]`,
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
