/**
 * Emits the two modules of one area (schema file). The bindings module: open enums, data
 * object interfaces and unions, managed object property sets and method stubs, with no
 * effect at import. The metadata module (metadata/<area>.ts): the compact description of the
 * area's types and methods that the runtime codec compiles on first use; the registry loads
 * it when one of its names is first needed, so a program never imports it. Code is built
 * with ts-morph Structures.
 */
import {
  StructureKind,
  VariableDeclarationKind,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type ParameterDeclarationStructure,
  type PropertySignatureStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from "ts-morph";
import {
  isRequired,
  locText,
  type TypeRef,
  type Decl,
  type EnumDecl,
  type MemberDecl,
  type MethodDecl,
  type ObjectDecl,
} from "../schema/ast.js";
import { descendants, unionName, type Model } from "../schema/model.js";
import { MOREF } from "../schema/predefined.js";
import { propertiesName, typeNamesUsed, type Area, type AreaPlan } from "./areas.js";
import { memberType, propertyKey, valueType } from "./ts-names.js";
import { formatMethodEntry, formatTypeEntry, type MemberSpec } from "../../runtime/soap/metadata.js";

export interface EmitContext {
  readonly model: Model;
  readonly plan: AreaPlan;
  /** Module specifier of the codec core from the output folder, e.g. "../runtime/soap/index.js". */
  readonly runtimeImport: string;
}

export function areaStatements(ctx: EmitContext, area: Area): (string | StatementStructures)[] {
  const { model } = ctx;
  const out: (string | StatementStructures)[] = [];
  out.push(...imports(ctx, area));
  for (const d of area.decls) {
    switch (d.kind) {
      case "enum":
        out.push(...enumStatements(d));
        break;
      case "object":
        out.push(d.managed ? managedInterface(model, d) : objectInterface(model, d));
        if (!d.managed && descendants(model, d.name).length > 0) out.push(unionAlias(model, d));
        break;
      case "method":
        out.push(methodFunction(model, d));
        break;
    }
  }
  return out;
}

/** The metadata module of an area: `export const metadata: MetadataChunk = {...}`, no imports at run time. */
export function metadataStatements(ctx: EmitContext, area: Area): (string | StatementStructures)[] {
  return [
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: ctx.runtimeImport, namedImports: ["MetadataChunk"] },
    `export const metadata: MetadataChunk = ${metadataObject(area)};`,
  ];
}

function imports(ctx: EmitContext, area: Area): (string | StatementStructures)[] {
  const core = new Set<string>();
  const byModule = new Map<string, Set<string>>();
  let needsInput = false;
  let hasMethods = false;
  for (const d of area.decls) {
    for (const t of typeRefs(d)) {
      if (t.name === MOREF) core.add("MoRef");
      if (t.name === "AnyType") core.add("AnyValue");
    }
    if (d.kind === "method") {
      hasMethods = true;
      core.add("CallOptions");
      core.add("SoapCaller");
      if (d.params.some((p) => p.bind === undefined && isInput(ctx.model, p.type))) needsInput = true;
      if (d.taskResult !== undefined) core.add("ResultRef");
    }
    for (const name of typeNamesUsed(ctx.model, d)) {
      const mod = ctx.plan.exportedBy.get(name);
      if (mod === undefined || mod === area.module) continue;
      const set = byModule.get(mod) ?? new Set<string>();
      set.add(name);
      byModule.set(mod, set);
    }
  }
  const out: StatementStructures[] = [];
  if (core.size > 0) {
    out.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: ctx.runtimeImport,
      namedImports: [...core].sort(),
    });
  }
  if (hasMethods) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: "./registry.js", namedImports: ["registry"] });
  if (needsInput)
    out.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "./input.js", namedImports: ["Input"] });
  for (const mod of [...byModule.keys()].sort()) {
    out.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: `./${mod}.js`,
      namedImports: [...(byModule.get(mod) ?? [])].sort(),
    });
  }
  return out;
}

/** The types a declaration's TypeScript mentions (a `_this` bound to ServiceContent is not a parameter). */
function typeRefs(d: Decl): TypeRef[] {
  if (d.kind === "enum") return [];
  if (d.kind === "object") return d.members.filter((m) => m.occ !== "i").map((m) => m.type);
  return [
    ...d.params.filter((p) => p.bind === undefined).map((p) => p.type),
    ...(d.returns === undefined ? [] : [d.returns.type]),
    ...(d.taskResult === undefined ? [] : [d.taskResult.type]),
  ];
}

/** True when a parameter of this type is written as `Input<…>` (a data object: `_typeName` may be left out). */
function isInput(model: Model, t: TypeRef): boolean {
  return model.objects.has(t.name);
}

/** A parameter's TypeScript type. */
function paramType(model: Model, p: Pick<MemberDecl, "type" | "occ">): string {
  const t = memberType(model, p);
  return isInput(model, p.type) ? `Input<${t}>` : t;
}

function enumStatements(d: EnumDecl): StatementStructures[] {
  const values: VariableStatementStructure = {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [`Enum ${d.name} (${locText(d.loc)}). Open: a value unknown to these bindings is kept as a string.`],
    declarations: [
      { name: d.name, initializer: `{ ${d.values.map((v) => `${propertyKey(v)}: ${JSON.stringify(v)}`).join(", ")} } as const` },
    ],
  };
  const type: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: d.name,
    type: `(typeof ${d.name})[keyof typeof ${d.name}] | (string & {})`,
  };
  return [values, type];
}

function memberProps(model: Model, members: readonly MemberDecl[]): OptionalKind<PropertySignatureStructure>[] {
  return members
    .filter((m) => m.occ !== "i")
    .map((m) => ({
      name: propertyKey(m.name),
      // An optional member also accepts undefined (exactOptionalPropertyTypes), for inputs written with a conditional value.
      type: isRequired(m.occ) ? memberType(model, m) : `${memberType(model, m)} | undefined`,
      hasQuestionToken: !isRequired(m.occ),
    }));
}

function ignoredNote(d: ObjectDecl): string {
  const ignored = d.members.filter((m) => m.occ === "i").map((m) => m.name);
  return ignored.length === 0 ? "" : `\nIgnored by these bindings (skipped when decoding): ${ignored.join(", ")}.`;
}

function objectInterface(model: Model, d: ObjectDecl): InterfaceDeclarationStructure {
  const root = d.base === undefined;
  const properties: OptionalKind<PropertySignatureStructure>[] = root
    ? [
        { name: "_typeName", type: "N" },
        {
          name: "_wireType",
          type: "string",
          hasQuestionToken: true,
          docs: ["Set when the server sent a subtype these bindings do not know."],
        },
      ]
    : [];
  properties.push(...memberProps(model, d.members));
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: d.name,
    typeParameters: [{ name: "N", constraint: "string", default: JSON.stringify(d.name) }],
    extends: root ? [] : [`${d.base}<N>`],
    docs: [`Data object ${d.name} (${locText(d.loc)}).${ignoredNote(d)}`],
    properties,
  };
}

function unionAlias(model: Model, d: ObjectDecl): TypeAliasDeclarationStructure {
  return {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name: unionName(d.name),
    docs: [`${d.name} or any of its subtypes: the type of a ${d.name} slot.`],
    type: [d.name, ...descendants(model, d.name)].join(" | "),
  };
}

function managedInterface(model: Model, d: ObjectDecl): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    isExported: true,
    name: propertiesName(d.name),
    extends: d.base === undefined ? [] : [propertiesName(d.base)],
    docs: [`Properties of the managed object ${d.name} (${locText(d.loc)}).${ignoredNote(d)}`],
    properties: memberProps(model, d.members),
  };
}

function returnType(model: Model, m: MethodDecl): string {
  const r = m.returns;
  if (r === undefined) return "void";
  const tr = m.taskResult;
  if (tr !== undefined) {
    const t = memberType(model, { type: tr.type, occ: tr.occ });
    return `ResultRef<"Task", ${isRequired(tr.occ) ? t : `${t} | undefined`}>`;
  }
  const t = memberType(model, { type: r.type, occ: r.occ });
  return r.occ === "o" ? `${t} | undefined` : t;
}

function methodFunction(model: Model, m: MethodDecl): FunctionDeclarationStructure {
  const [first, ...rest] = m.params;
  const explicitThis = first !== undefined && first.name === "_this" && first.bind === undefined;
  const params: OptionalKind<ParameterDeclarationStructure>[] = [{ name: "client", type: "SoapCaller" }];
  if (explicitThis) params.push({ name: "_this", type: valueType(model, first.type) });
  // Optional parameters also accept undefined (exactOptionalPropertyTypes).
  let argsExpr = "";
  if (rest.length > 0) {
    const fields = rest
      .map(
        (p) =>
          `readonly ${propertyKey(p.name)}${isRequired(p.occ) ? "" : "?"}: ${paramType(model, p)}${isRequired(p.occ) ? "" : " | undefined"}`,
      )
      .join("; ");
    const allOptional = rest.every((p) => !isRequired(p.occ));
    params.push({ name: "args", type: `{ ${fields} }`, ...(allOptional ? { initializer: "{}" } : {}) });
    argsExpr = "...args, ";
  }
  params.push({ name: "options", type: "CallOptions", hasQuestionToken: true });
  const thisExpr = explicitThis ? "_this" : first?.bind !== undefined ? `client.bound(${JSON.stringify(first.bind)})` : "undefined";
  const ret = returnType(model, m);
  const on =
    explicitThis && first.type.moType !== undefined
      ? ` on a ${first.type.moType}`
      : first?.bind !== undefined
        ? ` on ServiceContent.${first.bind}`
        : "";
  return {
    kind: StructureKind.Function,
    isExported: true,
    name: m.name,
    docs: [`Calls the VI method ${m.name}${on} (${locText(m.loc)}).`],
    parameters: params,
    returnType: `Promise<${ret}>`,
    statements: [
      `return client.invoke(registry, ${JSON.stringify(m.name)}, { ${argsExpr}${thisExpr === "_this" ? "_this" : `_this: ${thisExpr}`} }, options) as Promise<${ret}>;`,
    ],
  };
}

/** The members the metadata lists: `i` members are skipped by the decoder and not listed. */
function specs(members: readonly MemberDecl[]): MemberSpec[] {
  return members.flatMap((m) => (m.occ === "i" ? [] : [{ name: m.name, type: m.type.name, occ: m.occ }]));
}

/** The object that describes the area's types and methods to the runtime codec. */
function metadataObject(area: Area): string {
  const enums = area.decls.filter((d): d is EnumDecl => d.kind === "enum").map((d) => d.name);
  const objects = area.decls.filter((d): d is ObjectDecl => d.kind === "object" && !d.managed);
  const managed = area.decls.filter((d): d is ObjectDecl => d.kind === "object" && d.managed);
  const methods = area.decls.filter((d): d is MethodDecl => d.kind === "method");
  const typeEntry = (d: ObjectDecl): string => formatTypeEntry(d.name, d.base, specs(d.members));
  const methodEntry = (m: MethodDecl): string => {
    const r = m.returns;
    // The validator rejects an ignored return.
    const returns = r === undefined || r.occ === "i" ? undefined : { type: r.type.name, occ: r.occ };
    return formatMethodEntry(m.name, m.params[0]?.bind, specs(m.params), returns);
  };
  const list = (entries: string[]): string => `[\n${entries.map((e) => JSON.stringify(e)).join(",\n")},\n]`;
  const parts: string[] = [];
  if (enums.length > 0) parts.push(`enums: ${JSON.stringify(enums.join(" "))}`);
  if (objects.length > 0) parts.push(`objects: ${list(objects.map(typeEntry))}`);
  if (managed.length > 0) parts.push(`managed: ${list(managed.map(typeEntry))}`);
  if (methods.length > 0) parts.push(`methods: ${list(methods.map(methodEntry))}`);
  return `{\n${parts.join(",\n")}\n}`;
}
