/**
 * The compact metadata that generated bindings hand to a TypeRegistry, and its parsed form.
 *
 * One string per type or method:
 * - data object or managed object: `Name[:Base] member member …`
 * - method: `Name[@bind] param param … [=>Type:occ]` (bind: the ServiceContent member
 *   that `_this` is bound to)
 * where a member is `name:Type:occ`, in wire order (own members only; the base's come
 * first on the wire). Type is a grammar name: a predefined one (String, Int, Long,
 * AnyType, ManagedObjectReference, …), an enum or a data object. `i` members are not
 * listed: the decoder skips unknown elements.
 */

/** r: required item, rl: required list, o: optional item, ol: optional list (the schema grammar's occurrences). */
export type Occ = "r" | "rl" | "o" | "ol";

/** A member, parameter or return as the metadata writes it. */
export interface MemberSpec {
  readonly name: string;
  readonly type: string;
  readonly occ: Occ;
}

/** `name:Type:occ name:Type:occ …` */
export function formatMembers(members: readonly MemberSpec[]): string {
  return members.map((m) => `${m.name}:${m.type}:${m.occ}`).join(" ");
}

/** The entry of a data object or managed object: `Name[:Base] member member …`. */
export function formatTypeEntry(name: string, base: string | undefined, members: readonly MemberSpec[]): string {
  return [base === undefined ? name : `${name}:${base}`, formatMembers(members)].filter((x) => x !== "").join(" ");
}

/** The entry of a method: `Name[@bind] param param … [=>Type:occ]`. */
export function formatMethodEntry(
  name: string,
  bind: string | undefined,
  params: readonly MemberSpec[],
  returns: { readonly type: string; readonly occ: Occ } | undefined,
): string {
  const head = bind === undefined ? name : `${name}@${bind}`;
  const ret = returns === undefined ? "" : `=>${returns.type}:${returns.occ}`;
  return [head, formatMembers(params), ret].filter((x) => x !== "").join(" ");
}

export interface MetadataChunk {
  /** Enum type names separated by spaces (enums are open: values are not checked). */
  readonly enums?: string;
  readonly objects?: readonly string[];
  readonly managed?: readonly string[];
  readonly methods?: readonly string[];
}

export interface TypeMeta {
  readonly name: string;
  readonly base: string | undefined;
  /** The member part of the entry, parsed on first use. */
  readonly members: string;
}

export interface MethodMeta {
  readonly name: string;
  readonly bind: string | undefined;
  readonly params: string;
  readonly returns: string | undefined;
}

export function parseTypeEntry(entry: string): TypeMeta {
  const sp = entry.indexOf(" ");
  const head = sp < 0 ? entry : entry.slice(0, sp);
  const colon = head.indexOf(":");
  return {
    name: colon < 0 ? head : head.slice(0, colon),
    base: colon < 0 ? undefined : head.slice(colon + 1),
    members: sp < 0 ? "" : entry.slice(sp + 1),
  };
}

export function parseMethodEntry(entry: string): MethodMeta {
  const tokens = entry.split(" ");
  const head = tokens.shift() ?? "";
  const at = head.indexOf("@");
  const last = tokens[tokens.length - 1];
  const returns = last !== undefined && last.startsWith("=>") ? (tokens.pop() as string).slice(2) : undefined;
  return {
    name: at < 0 ? head : head.slice(0, at),
    bind: at < 0 ? undefined : head.slice(at + 1),
    params: tokens.join(" "),
    returns,
  };
}

export interface MemberInfo {
  readonly name: string;
  readonly type: string;
  readonly occ: Occ;
  readonly list: boolean;
  readonly required: boolean;
}

export function parseMembers(spec: string): MemberInfo[] {
  if (spec === "") return [];
  return spec.split(" ").map((tok) => {
    const [name = "", type = "", occ = "o"] = tok.split(":");
    const o = occ as Occ;
    return { name, type, occ: o, list: o === "rl" || o === "ol", required: o === "r" || o === "rl" };
  });
}
