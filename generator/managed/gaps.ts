/**
 * What a newer API has that the managed object source (pyVmomi's 6.7 tables) does not describe,
 * and where the schema stands on each: the managed objects and properties govmomi's 7.0 structs
 * have and the source lacks, and every reference of the schema that the source cannot type
 * (7.0 additions, typed by hand or left untyped) or that stays untyped for another reason (a
 * slot for any managed object, or a hand-written declaration that misses what the source says).
 * `schema:import --all --managed` writes the lines into the output folder; a test pins them.
 */
import type { ObjectDecl, TypeRef } from "../schema/ast.js";
import { allMembers, type Model } from "../schema/model.js";
import { MOREF } from "../schema/predefined.js";
import type { GoManagedType } from "./govmomi.js";
import type { ManagedSource, SourceType } from "./source.js";

export interface GapsOptions {
  /** The whole schema as validated (hand-written files and the import). */
  readonly model: Model;
  readonly source: ManagedSource;
  /** govmomi's managed object structs (a newer API than the source), when read. */
  readonly govmomi?: ReadonlyMap<string, GoManagedType>;
}

/** What the source says of a reference: absent (the owner or member is not in it), or its type. */
type SourceRef = { readonly absent: true } | { readonly absent: false; readonly type: SourceType | undefined };

const ABSENT: SourceRef = { absent: true };

function sourceRef(source: ManagedSource, owner: string, member: string, managed: boolean): SourceRef {
  const method = source.methods.get(owner);
  if (method !== undefined) {
    if (member === "_this") return { absent: false, type: { kind: "managed", name: method.owner, list: false } };
    if (member === "returnval") return { absent: false, type: method.returns };
    const p = method.params.find((x) => x.name === member);
    return p === undefined ? ABSENT : { absent: false, type: p.type };
  }
  if (managed) {
    // A property may be declared on a base type of the source.
    for (let t = source.managed.get(owner); t !== undefined; t = t.base === undefined ? undefined : source.managed.get(t.base)) {
      const p = t.properties.find((x) => x.name === member);
      if (p !== undefined) return { absent: false, type: p.type };
    }
    return ABSENT;
  }
  const t = source.dataRefs.get(`${owner}.${member}`);
  return t === undefined ? ABSENT : { absent: false, type: t };
}

interface Ref {
  readonly owner: string;
  readonly member: string;
  readonly type: TypeRef;
  readonly file: string;
  readonly managed: boolean;
}

/** Every reference of the schema: object and managed object members, method parameters (`_this` unless bound) and returns. */
function references(model: Model): Ref[] {
  const out: Ref[] = [];
  const fromObject = (d: ObjectDecl): void => {
    for (const m of d.members)
      if (m.type.name === MOREF) out.push({ owner: d.name, member: m.name, type: m.type, file: m.loc.file, managed: d.managed });
  };
  for (const d of model.objects.values()) fromObject(d);
  for (const d of model.managed.values()) fromObject(d);
  for (const d of model.methods.values()) {
    for (const p of d.params)
      if (p.type.name === MOREF && p.bind === undefined)
        out.push({ owner: d.name, member: p.name, type: p.type, file: p.loc.file, managed: false });
    if (d.returns?.type.name === MOREF)
      out.push({ owner: d.name, member: "returnval", type: d.returns.type, file: d.loc.file, managed: false });
  }
  return out;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The gap lines, sorted within each kind: managed objects, properties, references. */
export function managedGaps(o: GapsOptions): string[] {
  const { model, source } = o;
  const lines: string[] = [];
  if (o.govmomi !== undefined) {
    const objects: string[] = [];
    const properties: string[] = [];
    for (const g of o.govmomi.values()) {
      const decl = model.managed.get(g.name);
      if (!source.managed.has(g.name)) {
        objects.push(
          `managed object ${g.name}: not in the source; ${decl === undefined ? "not declared" : `declared in ${decl.loc.file}`}`,
        );
        continue;
      }
      for (const p of g.properties) {
        if (!sourceRef(source, g.name, p, true).absent) continue;
        const member = decl === undefined ? undefined : allMembers(model, decl).find((m) => m.name === p);
        properties.push(
          `property ${g.name}.${p}: not in the source; ${member === undefined ? "not declared" : `declared in ${member.loc.file}`}`,
        );
      }
    }
    lines.push(...objects.sort(byName), ...properties.sort(byName));
  }
  const refs: string[] = [];
  for (const r of references(model)) {
    const where = `${r.owner}.${r.member}`;
    const said = sourceRef(source, r.owner, r.member, r.managed);
    if (said.absent) {
      refs.push(
        `reference ${where}: not in the source; ${r.type.moType === undefined ? "untyped" : `typed ${r.type.moType}`} in ${r.file}`,
      );
    } else if (r.type.moType === undefined) {
      const t = said.type;
      if (t?.kind === "managed" && t.name === undefined)
        refs.push(`reference ${where}: any managed object in the source; untyped in ${r.file}`);
      else refs.push(`reference ${where}: the source says ${t === undefined ? "nothing" : (t.name ?? "?")}; untyped in ${r.file}`);
    } else if (said.type?.kind === "managed" && said.type.name !== undefined && said.type.name !== r.type.moType) {
      refs.push(`reference ${where}: the source says ${said.type.name}; typed ${r.type.moType} in ${r.file}`);
    }
  }
  lines.push(...refs.sort(byName));
  return lines;
}
