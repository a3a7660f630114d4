/**
 * Maps a portType operation to a `method`: the request element's sequence gives the
 * parameters (the first must be `_this`, a ManagedObjectReference), the response element's
 * `returnval` gives `returns <Type> <occ>` (no `returns` when the response is empty), and the
 * declared faults are dependencies (their types are imported, the grammar has no fault list).
 */
import type { MethodDecl, ParamDecl, ReturnDecl, SourceLoc } from "../schema/ast.js";
import { MOREF, PREDEFINED } from "../schema/predefined.js";
import type { Commented } from "../schema/print.js";
import type { ImportProblem } from "./errors.js";
import { mapElement, type MapContext, type Mapped } from "./map-types.js";
import { qnameText, type QName } from "./xml-tree.js";
import type { ComplexTypeDef, OperationDef } from "./xsd-model.js";

export interface MethodContext extends MapContext {
  /** A `_this:<ServiceContent member>` binding to keep, see ImportOptions.keep. */
  readonly keptBind: (method: string) => string | undefined;
  /** What the task a method returns yields, from a previous import or a managed source. */
  readonly keptTaskResult: (method: string) => ReturnDecl | undefined;
}

export type MethodOut = MethodDecl & Commented;

/** The complex type of a top-level element (named or anonymous); problems when there is none. */
function elementType(q: QName, ctx: MapContext, where: string, problems: ImportProblem[]): ComplexTypeDef | undefined {
  const el = ctx.wsdl.elements.get(q.local);
  if (el === undefined || el.ns !== q.ns) {
    problems.push({ where, construct: `element ${qnameText(q)}`, detail: "not defined in the WSDL" });
    return undefined;
  }
  problems.push(...el.problems);
  if (el.inline !== undefined) return el.inline;
  const t = el.type === undefined ? undefined : ctx.wsdl.types.get(el.type.local);
  if (t === undefined || t.kind !== "complex" || t.moRef) {
    problems.push({
      where,
      construct: `element ${el.name}`,
      detail: el.type === undefined ? "has no type" : `its type ${qnameText(el.type)} is not a complex type of the WSDL`,
    });
    return undefined;
  }
  return t;
}

/** The names of the types of an operation's declared faults (e.g. InvalidPowerState). */
function faultTypes(op: OperationDef, ctx: MapContext, problems: ImportProblem[]): string[] {
  const out: string[] = [];
  for (const f of op.faults) {
    const t = elementType(f.element, ctx, `operation ${op.name} fault ${f.name}`, problems);
    if (t !== undefined) out.push(t.name);
  }
  return out;
}

export function mapOperation(op: OperationDef, ctx: MethodContext): Mapped<MethodOut> {
  const where = `operation ${op.name}`;
  const problems: ImportProblem[] = [...op.problems];
  const deps: string[] = [];
  const loc: SourceLoc = { file: ctx.wsdl.documents[0] ?? ctx.wsdl.source, line: 0 };
  const params: (ParamDecl & Commented)[] = [];

  const request = op.input === undefined ? undefined : elementType(op.input, ctx, where, problems);
  if (request !== undefined) {
    problems.push(...request.problems.map((p) => ({ ...p, where: `${where} (request ${p.where})` })));
    if (request.base !== undefined)
      problems.push({
        where,
        construct: `request type ${request.name} extends ${request.base.local}`,
        detail: "request types must be plain sequences",
      });
    const [first, ...rest] = request.elements;
    const firstType = first === undefined ? undefined : ctx.wsdl.types.get(first.type.local);
    if (
      first === undefined ||
      first.name !== "_this" ||
      firstType?.kind !== "complex" ||
      !firstType.moRef ||
      first.minOccurs !== 1 ||
      first.maxOccurs !== 1
    ) {
      problems.push({
        where,
        construct: first === undefined ? "an empty request" : `first request member '${first.name}'`,
        detail: "the first parameter must be a required ManagedObjectReference named _this",
      });
    } else {
      const bind = ctx.keptBind(op.name);
      const moType = ctx.keptMoType(op.name, "_this");
      params.push({
        type: moType === undefined ? { name: MOREF } : { name: MOREF, moType },
        name: "_this",
        occ: "r",
        loc,
        ...(bind !== undefined ? { bind } : {}),
      });
    }
    for (const e of rest) {
      const m = mapElement(e, op.name, ctx, where, loc, problems);
      if (m === undefined) continue;
      params.push(m.member);
      if (m.dep !== undefined) deps.push(m.dep);
    }
  }

  let returns: ReturnDecl | undefined;
  let comment: string[] | undefined;
  const response = op.output === undefined ? undefined : elementType(op.output, ctx, where, problems);
  if (op.output === undefined)
    problems.push({ where, construct: "operation without wsdl:output", detail: "one-way operations are not modelled" });
  if (response !== undefined) {
    problems.push(...response.problems.map((p) => ({ ...p, where: `${where} (response ${p.where})` })));
    const [rv, ...extra] = response.elements;
    if (response.base !== undefined || extra.length > 0 || (rv !== undefined && rv.name !== "returnval")) {
      problems.push({
        where,
        construct: `response ${response.name}`,
        detail: "a response must be empty or hold one element named returnval",
      });
    } else if (rv !== undefined) {
      const m = mapElement(rv, op.name, ctx, where, loc, problems);
      if (m !== undefined) {
        returns = { type: m.member.type, occ: m.member.occ };
        if (m.member.comment !== undefined) comment = m.member.comment.map((c) => `returnval: ${c}`);
        if (m.dep !== undefined) deps.push(m.dep);
      }
    }
  }
  deps.push(...faultTypes(op, ctx, problems));
  const taskResult =
    returns?.type.name === MOREF && returns.type.moType === "Task" && returns.occ === "r" ? ctx.keptTaskResult(op.name) : undefined;
  if (taskResult !== undefined && !PREDEFINED.has(taskResult.type.name)) deps.push(taskResult.type.name);
  const decl: MethodOut = {
    kind: "method",
    name: op.name,
    ...(returns !== undefined ? { returns } : {}),
    ...(taskResult !== undefined ? { taskResult } : {}),
    params,
    loc,
    ...(comment !== undefined ? { comment } : {}),
  };
  return { decl, deps, problems };
}
