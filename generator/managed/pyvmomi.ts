/**
 * Reads pyVmomi's type tables (Debian's python3-pyvmomi: pyVmomi/CoreTypes.py,
 * QueryTypes.py, ServerObjects.py) into a ManagedSource. Each table line is one call:
 *
 *   CreateDataType(vmodlName, wsdlName, base, version, [(name, type, version, flags), …] | None)
 *   CreateEnumType(vmodlName, wsdlName, version, [values])
 *   CreateManagedType(vmodlName, wsdlName, base, version,
 *       [(name, type, version, flags, privilege), …] | None,
 *       [(name, wsdlName, version, (params…), (flags, type, taskResultType), privilege, faults), …] | None)
 *
 * Types are named by their vmodl names ("vim.vm.ConfigInfo", "vim.Datastore[]"); the
 * tables map them to WSDL names. A method returning "vim.Task" names, as its third result
 * element, the type of the task's result ("void": none).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isFlags, parseCallArgs, type PyValue } from "./py-literal.js";
import type { ManagedSource, SourceManagedType, SourceMember, SourceMethod, SourceType } from "./source.js";

/** The vim25 tables of a pyVmomi folder (the other files describe other APIs: EAM, PBM, SMS). */
export const PYVMOMI_FILES = ["CoreTypes.py", "QueryTypes.py", "ServerObjects.py"];

/** vmodl primitive names → schema predefined names. */
const PRIMITIVES: ReadonlyMap<string, string> = new Map([
  ["string", "String"],
  ["vmodl.TypeName", "String"],
  ["vmodl.MethodName", "String"],
  ["vmodl.PropertyPath", "String"],
  ["vmodl.URI", "AnyUri"],
  ["boolean", "Boolean"],
  ["byte", "Byte"],
  ["short", "Short"],
  ["int", "Int"],
  ["long", "Long"],
  ["float", "Float"],
  ["double", "Double"],
  ["vmodl.DateTime", "DateTime"],
  ["vmodl.Binary", "Binary"],
  ["anyType", "AnyType"],
  ["vmodl.DataObject", "AnyType"],
]);

const MANAGED_ROOT = "vmodl.ManagedObject";

/** Data types pyVmomi defines in code (VmomiSupport.py), not in the tables. */
const BUILTIN_DATA: ReadonlyMap<string, string> = new Map([
  ["vmodl.MethodFault", "MethodFault"],
  ["vmodl.RuntimeFault", "RuntimeFault"],
  ["vmodl.DynamicData", "DynamicData"],
]);

export class PyVmomiError extends Error {}

interface Line {
  readonly file: string;
  readonly line: number;
  readonly callee: string;
  readonly args: readonly PyValue[];
}

function str(v: PyValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function list(v: PyValue | undefined): readonly PyValue[] {
  return Array.isArray(v) ? (v as readonly PyValue[]) : [];
}

function optional(flags: PyValue | undefined): boolean {
  return flags !== undefined && flags !== null && isFlags(flags) && flags.flags.includes("F_OPTIONAL");
}

/** The table lines of the given files (a folder stands for PYVMOMI_FILES in it). */
function readLines(input: string): Line[] {
  const files = statSync(input).isDirectory() ? PYVMOMI_FILES.map((f) => join(input, f)).filter((p) => existsSync(p)) : [input];
  if (files.length === 0) throw new PyVmomiError(`${input}: none of ${PYVMOMI_FILES.join(", ")} found`);
  const out: Line[] = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((text, i) => {
        if (!/^Create(Data|Enum|Managed)Type\(/.test(text)) return;
        try {
          const { callee, args } = parseCallArgs(text);
          out.push({ file, line: i + 1, callee, args });
        } catch (e) {
          throw new PyVmomiError(`${file}:${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
  }
  return out;
}

function apiVersionOf(input: string): string | undefined {
  const files = statSync(input).isDirectory() ? PYVMOMI_FILES.map((f) => join(input, f)).filter((p) => existsSync(p)) : [input];
  const versions: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(f, "utf8").matchAll(/^AddVersion\("vim\.version\.version\d+", "vim25", "(\d[\d.]*)"/gm)) {
      if (m[1] !== undefined) versions.push(m[1]);
    }
  }
  const cmp = (a: string, b: string): number => {
    const pa = a.split(".").map(Number);
    const pb = b.split(".").map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  };
  return versions.sort(cmp).pop();
}

/** Reads a pyVmomi folder (or one table file). */
export function readPyVmomi(input: string): ManagedSource {
  const lines = readLines(input);
  // vmodl name → kind and WSDL name.
  const names = new Map<string, { kind: "data" | "enum" | "managed"; wsdl: string }>(
    [...BUILTIN_DATA].map(([vmodl, wsdl]) => [vmodl, { kind: "data", wsdl }]),
  );
  for (const l of lines) {
    const vmodl = str(l.args[0]);
    const wsdl = str(l.args[1]);
    if (vmodl === undefined || wsdl === undefined) throw new PyVmomiError(`${l.file}:${l.line}: ${l.callee} without names`);
    const kind = l.callee === "CreateDataType" ? "data" : l.callee === "CreateEnumType" ? "enum" : "managed";
    names.set(vmodl, { kind, wsdl });
  }
  const unknownTypes: string[] = [];
  const typeOf = (t: string, where: string): SourceType => {
    const isList = t.endsWith("[]");
    const base = isList ? t.slice(0, -2) : t;
    if (base === MANAGED_ROOT) return { kind: "managed", name: undefined, list: isList };
    const prim = PRIMITIVES.get(base);
    if (prim !== undefined) return { kind: "primitive", name: prim, list: isList };
    const n = names.get(base);
    if (n === undefined) {
      unknownTypes.push(`${where}: ${t}`);
      return { kind: "unknown", name: base, list: isList };
    }
    return n.kind === "managed" ? { kind: "managed", name: n.wsdl, list: isList } : { kind: n.kind, name: n.wsdl, list: isList };
  };
  const member = (v: PyValue, where: string): SourceMember => {
    const t = list(v);
    const name = str(t[0]);
    const type = str(t[1]);
    if (name === undefined || type === undefined) throw new PyVmomiError(`${where}: malformed member`);
    return { name, type: typeOf(type, `${where} member ${name}`), optional: optional(t[3]) };
  };

  const managed = new Map<string, SourceManagedType>();
  const methods = new Map<string, SourceMethod>();
  const dataRefs = new Map<string, SourceType>();
  const dataTypes = new Set<string>();
  for (const l of lines) {
    const where = `${l.file}:${l.line}`;
    const wsdl = str(l.args[1]) ?? "";
    if (l.callee === "CreateDataType") {
      dataTypes.add(wsdl);
      for (const m of list(l.args[4])) {
        const mm = member(m, `${where} ${wsdl}`);
        if (mm.type.kind === "managed") dataRefs.set(`${wsdl}.${mm.name}`, mm.type);
      }
    } else if (l.callee === "CreateManagedType") {
      const baseVmodl = str(l.args[2]);
      const base = baseVmodl === undefined || baseVmodl === MANAGED_ROOT ? undefined : names.get(baseVmodl)?.wsdl;
      const properties = list(l.args[4]).map((p) => member(p, `${where} ${wsdl}`));
      const own: string[] = [];
      for (const mv of list(l.args[5])) {
        const m = list(mv);
        const mname = str(m[1]);
        if (mname === undefined) throw new PyVmomiError(`${where} ${wsdl}: malformed method`);
        const params = list(m[3]).map((p) => member(p, `${where} ${mname}`));
        const result = list(m[4]);
        const rtype = str(result[1]) ?? "void";
        const returns = rtype === "void" ? undefined : typeOf(rtype, `${where} ${mname} result`);
        const third = str(result[2]) ?? "void";
        const taskResult =
          rtype === "vim.Task" && third !== "void"
            ? { type: typeOf(third, `${where} ${mname} task result`), optional: optional(result[0]) }
            : undefined;
        methods.set(mname, { name: mname, owner: wsdl, params, returns, taskResult });
        own.push(mname);
      }
      managed.set(wsdl, { name: wsdl, base, properties, methods: own });
    }
  }
  return { source: input, apiVersion: apiVersionOf(input), managed, methods, dataRefs, dataTypes, unknownTypes };
}
