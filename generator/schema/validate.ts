/**
 * Semantic checks over parsed schema files, producing the resolved Model. Rejects unknown
 * member or base types (except on `i` members), duplicate names, enums used as lists,
 * `i` on method parameters or returns, inheritance cycles and bad `_this` bindings.
 */
import {
  isList,
  locText,
  type Decl,
  type EnumDecl,
  type MemberDecl,
  type MethodDecl,
  type ObjectDecl,
  type SchemaFile,
  type SourceLoc,
  type TypeRef,
} from "./ast.js";
import { unionName, type Model } from "./model.js";
import { METHOD_FAULT, MOREF, PREDEFINED } from "./predefined.js";
import { SchemaError, type SchemaProblem } from "./schema-error.js";

const RESERVED_MEMBERS = new Set(["_typeName", "_wireType"]);

export function validateSchema(files: readonly SchemaFile[]): Model {
  const problems: SchemaProblem[] = [];
  const report = (loc: SourceLoc, message: string): void => {
    problems.push({ loc, message });
  };

  const enums = new Map<string, EnumDecl>();
  const objects = new Map<string, ObjectDecl>();
  const managed = new Map<string, ObjectDecl>();
  const methods = new Map<string, MethodDecl>();
  const typeLoc = new Map<string, SourceLoc>();

  const declare = (d: Decl): void => {
    if (d.kind === "method") {
      const prev = methods.get(d.name);
      if (prev !== undefined) report(d.loc, `duplicate method '${d.name}' (first defined at ${locText(prev.loc)})`);
      else methods.set(d.name, d);
      return;
    }
    const prev = typeLoc.get(d.name);
    if (prev !== undefined) {
      report(d.loc, `duplicate type '${d.name}' (first defined at ${locText(prev)})`);
      return;
    }
    if (PREDEFINED.has(d.name) && !(d.name === METHOD_FAULT && d.kind === "object" && !d.managed)) {
      report(d.loc, `'${d.name}' is a predefined type and cannot be redefined`);
      return;
    }
    typeLoc.set(d.name, d.loc);
    if (d.kind === "enum") enums.set(d.name, d);
    else if (d.managed) managed.set(d.name, d);
    else objects.set(d.name, d);
  };
  for (const f of files) for (const d of f.decls) declare(d);

  if (!objects.has(METHOD_FAULT)) {
    objects.set(METHOD_FAULT, { kind: "object", managed: false, name: METHOD_FAULT, members: [], loc: { file: "<predefined>", line: 0 } });
  }

  // Enums.
  for (const e of enums.values()) {
    if (e.values.length === 0) report(e.loc, `enum ${e.name} has no values`);
    const seen = new Set<string>();
    for (const v of e.values) {
      if (seen.has(v)) report(e.loc, `enum ${e.name}: duplicate value '${v}'`);
      seen.add(v);
    }
  }

  // Inheritance: bases exist, are of the same kind, and form no cycle.
  const subtypes = new Map<string, string[]>();
  for (const table of [objects, managed]) {
    for (const o of table.values()) {
      if (o.base === undefined) continue;
      const what = o.managed ? "managed object" : "object";
      const base = table.get(o.base);
      if (base === undefined) {
        const other = (o.managed ? objects : managed).has(o.base) || enums.has(o.base) || PREDEFINED.has(o.base);
        report(
          o.loc,
          other
            ? `${what} ${o.name} cannot extend '${o.base}': it is not ${o.managed ? "a managed object" : "an object"}`
            : `${what} ${o.name} extends unknown type '${o.base}'`,
        );
        continue;
      }
      const list = subtypes.get(o.base) ?? [];
      list.push(o.name);
      subtypes.set(o.base, list);
    }
    for (const o of table.values()) {
      const chain = [o.name];
      let b = o.base;
      while (b !== undefined) {
        if (chain.includes(b)) {
          if (b === o.name) report(o.loc, `inheritance cycle: ${[...chain, b].join(" -> ")}`);
          break;
        }
        chain.push(b);
        b = table.get(b)?.base;
      }
    }
  }
  for (const list of subtypes.values()) list.sort();

  const model: Model = { files, enums, objects, managed, methods, subtypes };

  // Generated union names must not collide with declared types.
  for (const [name] of subtypes) {
    const u = unionName(name);
    if (typeLoc.has(u))
      report(typeLoc.get(u) ?? { file: "?", line: 0 }, `type name '${u}' collides with the union generated for the subtypes of '${name}'`);
  }

  const checkType = (t: TypeRef, m: MemberDecl, what: string): void => {
    if (t.moType !== undefined) {
      if (t.name !== MOREF) report(m.loc, `${what}: only ${MOREF} can name a managed object type ('${t.name}:${t.moType}')`);
      else if (!managed.has(t.moType)) report(m.loc, `${what}: '${t.moType}' in '${MOREF}:${t.moType}' is not a managed object`);
    }
    if (PREDEFINED.has(t.name) || objects.has(t.name)) return;
    if (enums.has(t.name)) {
      if (isList(m.occ)) report(m.loc, `${what}: enum '${t.name}' cannot be used as a list (occurrence '${m.occ}')`);
      return;
    }
    if (managed.has(t.name)) {
      report(m.loc, `${what}: managed object '${t.name}' cannot be a value; use ${MOREF}:${t.name}`);
      return;
    }
    report(m.loc, `${what}: unknown type '${t.name}'`);
  };

  // Object members.
  for (const table of [objects, managed]) {
    for (const o of table.values()) {
      const what = `${o.managed ? "managed object" : "object"} ${o.name}`;
      const inherited = new Map<string, string>();
      let b = o.base === undefined ? undefined : table.get(o.base);
      const seenBases = new Set<string>();
      while (b !== undefined && !seenBases.has(b.name)) {
        seenBases.add(b.name);
        for (const m of b.members) inherited.set(m.name, b.name);
        b = b.base === undefined ? undefined : table.get(b.base);
      }
      const own = new Set<string>();
      for (const m of o.members) {
        if (RESERVED_MEMBERS.has(m.name)) report(m.loc, `${what}: member name '${m.name}' is reserved`);
        if (m.name === "_this") report(m.loc, `${what}: '_this' is only allowed as a method parameter`);
        if (own.has(m.name)) report(m.loc, `${what}: duplicate member '${m.name}'`);
        const from = inherited.get(m.name);
        if (from !== undefined) report(m.loc, `${what}: member '${m.name}' is already defined by base '${from}'`);
        own.add(m.name);
        if (m.occ === "i") continue;
        checkType(m.type, m, `${what} member '${m.name}'`);
      }
    }
  }

  // Methods.
  const serviceContent = objects.get("ServiceContent");
  for (const meth of methods.values()) {
    const what = `method ${meth.name}`;
    const seen = new Set<string>();
    meth.params.forEach((p, i) => {
      if (seen.has(p.name)) report(p.loc, `${what}: duplicate parameter '${p.name}'`);
      seen.add(p.name);
      if (p.occ === "i") {
        report(p.loc, `${what}: parameter '${p.name}' cannot be ignored ('i')`);
        return;
      }
      checkType(p.type, p, `${what} parameter '${p.name}'`);
      if (p.name === "_this") {
        if (i !== 0) report(p.loc, `${what}: '_this' must be the first parameter`);
        if (p.type.name !== MOREF || p.occ !== "r") report(p.loc, `${what}: '_this' must be '${MOREF} _this r'`);
        if (p.bind !== undefined && serviceContent !== undefined) {
          const member = serviceContent.members.find((m) => m.name === p.bind);
          if (member === undefined) report(p.loc, `${what}: ServiceContent has no member '${p.bind}' to bind _this to`);
          else if (member.type.name !== MOREF) report(p.loc, `${what}: ServiceContent member '${p.bind}' is not a ${MOREF}`);
        }
      }
    });
    if (meth.params[0]?.name !== "_this") report(meth.loc, `${what}: the first parameter must be '_this'`);
    if (meth.returns !== undefined) {
      const r = meth.returns;
      const pseudo: MemberDecl = { type: r.type, name: "returnval", occ: r.occ, loc: meth.loc };
      checkType(r.type, pseudo, `${what} return`);
    }
    if (meth.taskResult !== undefined) {
      const t = meth.taskResult;
      if (meth.returns?.type.name !== MOREF || meth.returns.type.moType !== "Task" || meth.returns.occ !== "r")
        report(meth.loc, `${what}: a task result needs 'returns ${MOREF}:Task r'`);
      checkType(t.type, { type: t.type, name: "result", occ: t.occ, loc: meth.loc }, `${what} task result`);
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.loc.file === b.loc.file ? a.loc.line - b.loc.line : a.loc.file < b.loc.file ? -1 : 1));
    throw new SchemaError(problems);
  }
  return model;
}
