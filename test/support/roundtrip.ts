/**
 * Round-trip checks for a set of generated bindings: synthesizes values for every data
 * object type from the schema (every occurrence, nested lists, polymorphic slots, AnyType
 * primitives, empty and one-element lists), encodes them with the bindings' registry and
 * decodes them back.
 */
import { isList, isRequired, type MemberDecl, type ObjectDecl } from "../../generator/schema/ast.js";
import { allMembers, descendants, type Model } from "../../generator/schema/model.js";
import { MOREF, PREDEFINED } from "../../generator/schema/predefined.js";
import { XmlReader, XmlWriter, type TypeRegistry } from "../../runtime/soap/index.js";

export type Variant = "full" | "sparse";

const PRIMITIVE_VALUES: Record<string, readonly unknown[]> = {
  Boolean: [true, false],
  Byte: [-128, 127],
  Short: [32767, -32768],
  Int: [-2147483648, 42],
  Long: [9007199254740993n, -1n],
  Float: [1.5, -0.25],
  Double: [-2.25e10, 3.125],
  String: ["text <&> \"quoted\" 'single' é ✓ ]]>", ""],
  DateTime: [new Date(Date.UTC(2024, 1, 29, 12, 30, 45, 123)), new Date(0)],
  Binary: [new Uint8Array([0, 1, 254, 255]), new Uint8Array([])],
  AnyUri: ["https://example.com/a?b=1&c=2", "urn:x"],
};

/** Values for AnyType slots: one of each kind the codec must carry. */
export function anyValues(model: Model): unknown[] {
  const someObject = [...model.objects.values()].find((o) => o.members.length === 0 && o.base === undefined && o.name !== "MethodFault");
  const values: unknown[] = [
    "any string",
    true,
    7,
    123456789012345n,
    2.5,
    new Date(Date.UTC(2020, 0, 1)),
    new Uint8Array([9, 8, 7]),
    { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-42" },
    ["a", "b"],
    [1, 2, 3],
    [{ _typeName: "ManagedObjectReference", type: "Datastore", value: "ds-1" }],
  ];
  if (someObject !== undefined) values.push({ _typeName: someObject.name });
  return values;
}

export class Synthesizer {
  private anyIndex = 0;
  private readonly anys: unknown[];

  constructor(private readonly model: Model) {
    this.anys = anyValues(model);
  }

  /** A value for a slot of schema type `type`. `pick` chooses among subtypes / list sizes. */
  value(type: string, variant: Variant, depth: number, moType?: string): unknown {
    const { model } = this;
    if (type === MOREF)
      return { _typeName: "ManagedObjectReference", type: moType ?? "HostSystem", value: variant === "full" ? "host-1 & <co>" : "x" };
    if (type === "AnyType") return this.anys[this.anyIndex++ % this.anys.length];
    const prim = PRIMITIVE_VALUES[type];
    if (prim !== undefined && PREDEFINED.has(type)) return prim[variant === "full" ? 0 : 1];
    const en = model.enums.get(type);
    if (en !== undefined) return variant === "full" ? en.values[0] : "aValueFromANewerServer";
    const obj = model.objects.get(type);
    if (obj === undefined) throw new Error(`cannot synthesize ${type}`);
    const subs = descendants(model, type);
    // Past a depth, the declared type itself: a subtype's required members can lead back to it.
    const concrete = variant === "full" && depth <= 2 && subs.length > 0 ? (model.objects.get(subs[0] as string) as ObjectDecl) : obj;
    return this.object(concrete, variant, depth);
  }

  object(decl: ObjectDecl, variant: Variant, depth: number): Record<string, unknown> {
    const o: Record<string, unknown> = { _typeName: decl.name };
    for (const m of allMembers(this.model, decl)) {
      if (m.occ === "i") continue;
      const v = this.member(m, variant, depth);
      if (v !== undefined) o[m.name] = v;
    }
    return o;
  }

  private member(m: MemberDecl, variant: Variant, depth: number): unknown {
    const required = isRequired(m.occ);
    // Optional members are present in "full" values (down to a depth), absent in "sparse" ones.
    if (!required && (variant === "sparse" || depth > 2)) return undefined;
    const next = depth + 1;
    if (isList(m.occ)) {
      const n = variant === "full" ? 2 : 1;
      return Array.from({ length: n }, (_, i) => this.value(m.type.name, i === 0 ? variant : "sparse", next, m.type.moType));
    }
    return this.value(m.type.name, variant, next, m.type.moType);
  }
}

const WRAP_OPEN =
  '<root xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">';

/** Encodes `value` in a `type` slot and decodes it back; returns the decoded value and the XML. */
export function roundTrip(registry: TypeRegistry, type: string, value: unknown): { decoded: unknown; xml: string } {
  const w = new XmlWriter();
  registry.encoder(type)(w, "value", value, "value");
  const xml = `${WRAP_OPEN}${w.out}</root>`;
  const r = new XmlReader(xml);
  r.root();
  if (!r.nextChild()) throw new Error("no value element");
  const decoded = registry.decoder(type)(r);
  return { decoded, xml };
}

/** Every data object type that can be synthesized (all of them, abstract bases included). */
export function dataTypes(model: Model): ObjectDecl[] {
  return [...model.objects.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
