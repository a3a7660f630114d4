/**
 * The importer's library API: read a WSDL, and import named types and methods (with
 * everything they need) or the whole API as schema declarations. No output: the CLI prints.
 */
import type { Decl, EnumDecl, MethodDecl, ObjectDecl, ReturnDecl, SchemaFile } from "../schema/ast.js";
import { managedDecls, sourceMoType, sourceTaskResult } from "../managed/apply.js";
import type { ManagedSource } from "../managed/source.js";
import { METHOD_FAULT, MOREF, PREDEFINED } from "../schema/predefined.js";
import { closure, sortDecls } from "./closure.js";
import { unsupportedError } from "./errors.js";
import type { MethodContext } from "./map-methods.js";
import { arrayItem, DYNAMIC_DATA, isStructural } from "./map-types.js";
import { readWsdlDocuments, type TextReader } from "./wsdl-read.js";
import { buildWsdlModel } from "./xsd-build.js";
import type { WsdlModel } from "./xsd-model.js";

export type { WsdlModel } from "./xsd-model.js";

/** Reads a WSDL (folder, file or http(s) URL) with everything it includes or imports. */
export async function loadWsdl(source: string, read?: TextReader): Promise<WsdlModel> {
  return buildWsdlModel(source, await readWsdlDocuments(source, read));
}

/**
 * What an import needs to know of the schema it goes with: the names it declares. A validated
 * Model fits; so does indexSchema(files) of a folder that only validates together with the
 * output (when the output file, which other files use, is being rewritten).
 */
export interface ExistingSchema {
  readonly enums: ReadonlyMap<string, EnumDecl>;
  readonly objects: ReadonlyMap<string, ObjectDecl>;
  readonly managed: ReadonlyMap<string, ObjectDecl>;
  readonly methods: ReadonlyMap<string, MethodDecl>;
}

/** The declarations of parsed schema files by kind and name (first one wins), without validation. */
export function indexSchema(files: readonly SchemaFile[]): ExistingSchema {
  const enums = new Map<string, EnumDecl>();
  const objects = new Map<string, ObjectDecl>();
  const managed = new Map<string, ObjectDecl>();
  const methods = new Map<string, MethodDecl>();
  for (const d of files.flatMap((f) => f.decls)) {
    if (d.kind === "enum") {
      if (!enums.has(d.name)) enums.set(d.name, d);
    } else if (d.kind === "method") {
      if (!methods.has(d.name)) methods.set(d.name, d);
    } else {
      const table = d.managed ? managed : objects;
      if (!table.has(d.name)) table.set(d.name, d);
    }
  }
  return { enums, objects, managed, methods };
}

export interface ImportOptions {
  /** A folder, file or URL, or a model already loaded with loadWsdl. */
  readonly wsdl: string | WsdlModel;
  /** Names of data types, enums, faults, or methods (a name that is no type is looked up as a method). */
  readonly types?: readonly string[];
  /** Names of methods. */
  readonly methods?: readonly string[];
  /** The schema the output goes with: what it defines is referenced, never re-emitted. */
  readonly existing?: ExistingSchema;
  /**
   * Declarations of a previous import of the same output (which is not part of `existing`):
   * a member, parameter (`_this` included) or return typed `ManagedObjectReference:<T>` there
   * keeps that type when the import gives a plain ManagedObjectReference and T is a managed
   * object of `existing`, and a method keeps its `_this:<member>` binding.
   */
  readonly keep?: readonly Decl[];
  /** Also import every subtype of every imported object (can be large: a fault base pulls in its faults). */
  readonly subtypes?: boolean;
  /**
   * A description of the managed objects (e.g. pyVmomi's tables): the managed object type of
   * references and task results where `keep` gives none, and, for importAll, the managed
   * objects `existing` does not define.
   */
  readonly managed?: ManagedSource;
  readonly read?: TextReader;
}

export interface ImportResult {
  /** Sorted: enums, objects, managed objects (never produced from a WSDL), methods; each by name. */
  readonly decls: readonly Decl[];
  /** Requested names that the WSDL defines neither as a type nor as an operation. */
  readonly unresolved: readonly string[];
  /** Requested names that are not imported because `existing` defines them or they are predefined. */
  readonly skipped: readonly string[];
  /** Names of `existing` (or predefined MethodFault) that the imported declarations refer to. */
  readonly referenced: readonly string[];
  readonly wsdl: WsdlModel;
}

function defines(existing: ExistingSchema | undefined, name: string): boolean {
  if (existing === undefined) return false;
  // validateSchema adds a placeholder MethodFault to a Model when the schema does not define it.
  if (name === METHOD_FAULT) return existing.objects.has(name) && existing.objects.get(name)?.loc.file !== "<predefined>";
  return existing.enums.has(name) || existing.objects.has(name) || existing.managed.has(name);
}

function context(
  wsdl: WsdlModel,
  existing: ExistingSchema | undefined,
  keep: readonly Decl[],
  source: ManagedSource | undefined,
): MethodContext {
  const moTypes = new Map<string, string>();
  const binds = new Map<string, string>();
  const taskResults = new Map<string, ReturnDecl>();
  const isManaged = (name: string): boolean => existing?.managed.has(name) === true || source?.managed.has(name) === true;
  const isDefined = (name: string): boolean => defines(existing, name);
  for (const d of keep) {
    if (d.kind === "object") {
      for (const m of d.members) {
        if (m.type.name === MOREF && m.type.moType !== undefined && isManaged(m.type.moType))
          moTypes.set(`${d.name}.${m.name}`, m.type.moType);
      }
    } else if (d.kind === "method") {
      for (const p of d.params) {
        if (p.name === "_this" && p.bind !== undefined) {
          const sc = existing?.objects.get("ServiceContent");
          if (sc === undefined || sc.members.some((m) => m.name === p.bind)) binds.set(d.name, p.bind);
        }
        if (p.type.name === MOREF && p.type.moType !== undefined && isManaged(p.type.moType)) {
          moTypes.set(`${d.name}.${p.name}`, p.type.moType);
        }
      }
      // The return value is the response's `returnval` element.
      const rt = d.returns?.type;
      if (rt?.name === MOREF && rt.moType !== undefined && isManaged(rt.moType)) moTypes.set(`${d.name}.returnval`, rt.moType);
      if (d.taskResult !== undefined) taskResults.set(d.name, d.taskResult);
    }
  }
  // What was written before wins over the source.
  return {
    wsdl,
    keptMoType: (owner, member) => {
      const kept = moTypes.get(`${owner}.${member}`);
      if (kept !== undefined || source === undefined) return kept;
      const t = sourceMoType(source, owner, member);
      return t !== undefined && isManaged(t) ? t : undefined;
    },
    keptBind: (method) => binds.get(method),
    keptTaskResult: (method) =>
      taskResults.get(method) ?? (source === undefined ? undefined : sourceTaskResult(source, wsdl, method, isDefined)),
  };
}

interface Resolved {
  types: string[];
  methods: string[];
  unresolved: string[];
  skipped: string[];
}

/** Resolves requested names: a type (an ArrayOf wrapper stands for its item), a method, or a fault element. */
function resolveNames(
  wsdl: WsdlModel,
  types: readonly string[],
  methods: readonly string[],
  existing: ExistingSchema | undefined,
): Resolved {
  const r: Resolved = { types: [], methods: [], unresolved: [], skipped: [] };
  const addType = (name: string): void => {
    if (defines(existing, name) || (PREDEFINED.has(name) && name !== METHOD_FAULT) || name === DYNAMIC_DATA) r.skipped.push(name);
    else r.types.push(name);
  };
  const addMethod = (name: string): void => {
    if (existing?.methods.has(name) === true) r.skipped.push(name);
    else r.methods.push(name);
  };
  for (const name of types) {
    const t = wsdl.types.get(name);
    if (t !== undefined) {
      const item = arrayItem(t);
      if (item !== undefined) addType(item.type.local);
      else if (isStructural(t)) r.skipped.push(name);
      else addType(name);
      continue;
    }
    if (wsdl.operations.has(name)) {
      addMethod(name);
      continue;
    }
    const el = wsdl.elements.get(name);
    const elType = el?.type === undefined ? undefined : wsdl.types.get(el.type.local);
    if (elType !== undefined && !isStructural(elType)) addType(elType.name);
    else r.unresolved.push(name);
  }
  for (const name of methods) {
    if (wsdl.operations.has(name)) addMethod(name);
    else r.unresolved.push(name);
  }
  return r;
}

/**
 * Imports the named types and methods and every type they need, except what `existing`
 * defines. Throws a WsdlImportError (NO_SUPPORT) listing every unmodelled construct met.
 */
export async function importWsdl(opts: ImportOptions): Promise<ImportResult> {
  const wsdl = typeof opts.wsdl === "string" ? await loadWsdl(opts.wsdl, opts.read) : opts.wsdl;
  if (wsdl.problems.length > 0) throw unsupportedError(wsdl.problems);
  const existing = opts.existing;
  const r = resolveNames(wsdl, opts.types ?? [], opts.methods ?? [], existing);
  // MethodFault is predefined; it is imported only when asked for by name (and not defined by `existing`).
  const emitMethodFault = r.types.includes(METHOD_FAULT);
  const isExternal = (name: string): boolean =>
    defines(existing, name) || (PREDEFINED.has(name) && !(name === METHOD_FAULT && emitMethodFault));
  const c = closure(context(wsdl, existing, opts.keep ?? [], opts.managed), r.types, r.methods, isExternal, opts.subtypes === true);
  if (c.problems.length > 0) throw unsupportedError(c.problems);
  return {
    decls: sortDecls([...c.enums, ...c.objects, ...c.methods]),
    unresolved: r.unresolved,
    skipped: [...new Set(r.skipped)],
    referenced: c.referenced,
    wsdl,
  };
}

/** The names of the types used only as request or response wrappers of operations. */
function messageTypes(wsdl: WsdlModel): Set<string> {
  const out = new Set<string>();
  for (const op of wsdl.operations.values()) {
    for (const q of [op.input, op.output]) {
      const t = q === undefined ? undefined : wsdl.elements.get(q.local)?.type;
      if (t !== undefined) out.add(t.local);
    }
  }
  return out;
}

export interface ImportAllOptions {
  readonly wsdl: string | WsdlModel;
  /** Hand-written schema: what it defines is not imported (it overrides the WSDL and the source). */
  readonly existing?: ExistingSchema;
  /** The previous output: typed references, bindings and task results written there are kept. */
  readonly keep?: readonly Decl[];
  readonly managed?: ManagedSource;
  readonly read?: TextReader;
}

/**
 * Imports the whole API: every enum, every data object (MethodFault included, with its
 * members), every method. ArrayOf wrappers, ManagedObjectReference, DynamicData and the
 * request types of operations are not declarations of their own.
 */
export async function importAll(opts: ImportAllOptions): Promise<ImportResult> {
  const wsdl = typeof opts.wsdl === "string" ? await loadWsdl(opts.wsdl, opts.read) : opts.wsdl;
  const requests = messageTypes(wsdl);
  const types = [...wsdl.types.values()].filter((t) => !isStructural(t) && !requests.has(t.name)).map((t) => t.name);
  const r = await importWsdl({
    wsdl,
    types,
    methods: [...wsdl.operations.keys()],
    ...(opts.existing !== undefined ? { existing: opts.existing } : {}),
    ...(opts.keep !== undefined ? { keep: opts.keep } : {}),
    ...(opts.managed !== undefined ? { managed: opts.managed } : {}),
  });
  if (opts.managed === undefined) return r;
  const enums = new Set(r.decls.filter((d) => d.kind === "enum").map((d) => d.name));
  const managed = managedDecls({
    source: opts.managed,
    wsdl,
    isDefined: (n) => defines(opts.existing, n) || existing(opts.existing, n),
    isEnum: (n) => enums.has(n) || opts.existing?.enums.has(n) === true,
  });
  return { ...r, decls: sortDecls([...r.decls, ...managed]) };
}

function existing(e: ExistingSchema | undefined, name: string): boolean {
  return e?.managed.has(name) === true;
}
