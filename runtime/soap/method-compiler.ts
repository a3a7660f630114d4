/**
 * Compiles a method's metadata into its request body encoder and response decoder, with
 * libvirt's checks: required parameters before sending, the return occurrence on the answer.
 */
import { DecodeError, EncodeError } from "./codec-errors.js";
import { parseMembers, type MemberInfo, type MethodMeta, type Occ } from "./metadata.js";
import type { TypeRegistry } from "./type-registry.js";
import { describe } from "./xsd.js";
import { XmlWriter } from "./xml-writer.js";
import type { XmlReader } from "./xml-reader.js";

export interface CompiledMethod {
  readonly name: string;
  /** The ServiceContent member `_this` is bound to, when the schema says `_this:<member>`. */
  readonly bind: string | undefined;
  readonly params: readonly MemberInfo[];
  readonly returns: { readonly type: string; readonly occ: Occ } | undefined;
  /** `<Name xmlns="…">params…</Name>` */
  encodeBody(args: Readonly<Record<string, unknown>>): string;
  /** Decodes the children of `<NameResponse>`; the reader is just after its start tag. */
  decodeResponse(r: XmlReader): unknown;
}

export function compileMethod(reg: TypeRegistry, meta: MethodMeta): CompiledMethod {
  const { name, bind } = meta;
  const params = parseMembers(meta.params);
  const known = new Set(params.map((p) => p.name));
  const returns = meta.returns === undefined ? undefined : parseMembers(`returnval:${meta.returns}`)[0];
  const optionalObjectReturn = returns !== undefined && !returns.required && reg.kindOf(returns.type) === "object";

  return {
    name,
    bind,
    params,
    returns: returns === undefined ? undefined : { type: returns.type, occ: returns.occ },
    encodeBody(args) {
      for (const k of Object.keys(args)) {
        if (!known.has(k) && args[k] !== undefined) throw new EncodeError(`unknown parameter '${k}' for call to ${name}`);
      }
      const w = new XmlWriter();
      w.out = `<${name} xmlns="${reg.options.namespace}">`;
      for (const p of params) {
        const v = args[p.name];
        if (v === undefined || (p.list && Array.isArray(v) && v.length === 0 && p.required)) {
          if (p.required) throw new EncodeError(`Required parameter '${p.name}' is missing for call to ${name}`);
          continue;
        }
        const enc = reg.encoder(p.type);
        if (p.list) {
          if (!Array.isArray(v)) throw new EncodeError(`${name}.${p.name}: expected a list, got ${describe(v)}`);
          for (let i = 0; i < v.length; i++) enc(w, p.name, v[i], `${name}.${p.name}[${i}]`);
        } else {
          enc(w, p.name, v, `${name}.${p.name}`);
        }
      }
      w.out += `</${name}>`;
      return w.out;
    },
    decodeResponse(r) {
      const values: unknown[] = [];
      const dec = returns === undefined ? undefined : reg.decoder(returns.type);
      while (r.nextChild()) {
        if (r.local !== "returnval") {
          r.skipElement();
          continue;
        }
        if (dec === undefined) throw new DecodeError(`${name} returns nothing, but the response has a returnval`);
        // vcsim answers an empty <returnval></returnval> where vSphere sends none.
        if (optionalObjectReturn && r.isEmpty()) {
          r.skipElement();
          continue;
        }
        values.push(dec(r));
      }
      if (returns === undefined) return undefined;
      switch (returns.occ) {
        case "r":
          if (values.length !== 1) throw new DecodeError(`${name} must return exactly one value, got ${values.length}`);
          return values[0];
        case "o":
          if (values.length > 1) throw new DecodeError(`${name} must return at most one value, got ${values.length}`);
          return values[0];
        case "rl":
          if (values.length === 0) throw new DecodeError(`${name} must return at least one value, got none`);
          return values;
        case "ol":
          return values;
      }
    },
  };
}
