/**
 * Every mapping rule of the importer on the synthetic fixture (fixtures/mini): enums,
 * DynamicData bases dropped, extends, occurrences, ArrayOf wrappers, enum lists, xsd
 * primitives, ManagedObjectReference, faults, methods; the closure; requested-name lookup.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseSchema } from "../../generator/schema/parse.js";
import { printDecl, printSchema } from "../../generator/schema/print.js";
import { validateSchema } from "../../generator/schema/validate.js";
import { importAll, importWsdl, loadWsdl } from "../../generator/wsdl/import.js";
import { MINI, squeeze, squeezed } from "./support.js";

const wsdl = await loadWsdl(MINI);

/** Hand-checked against fixtures/mini/*.{wsdl,xsd}; layout squeezed (see support.squeeze). */
const WANT: Record<string, string> = {
  Color: `enum Color
red
green
light-blue
end`,
  Primitives: `object Primitives
Boolean b r
Byte by r
Short s r
Int i r
Long l r
Float f r
Double d r
String str r
DateTime dt r
Binary bin r
AnyUri uri r
AnyType any r
AnyType untyped o
ManagedObjectReference ref r
end`,
  Shape: `object Shape
String name r
Color color o
String tags ol
Int corners rl
Int bounded ol
# Color list: written as String (enums cannot be lists)
String palette ol
ManagedObjectReference owners ol
String labels rl
# Color list: written as String (enums cannot be lists)
String shades ol
ManagedObjectReference parent o
end`,
  Circle: `object Circle extends Shape
Double radius r
Point center o
end`,
  Point: `object Point
Int x r
Int y r
end`,
  LocalizedMethodFault: `object LocalizedMethodFault
MethodFault fault r
String localizedMessage o
end`,
  MethodFault: `object MethodFault
LocalizedMethodFault faultCause o
end`,
  RuntimeFault: `object RuntimeFault extends MethodFault
end`,
  ShapeFault: `object ShapeFault extends RuntimeFault
Color color r
Shape shape o
end`,
  Unrelated: `object Unrelated
String note o
end`,
  Draw_Task: `method Draw_Task returns ManagedObjectReference r
ManagedObjectReference _this r
Shape shape r
# Color list: written as String (enums cannot be lists)
String colors ol
String names ol
end`,
  FindShapes: `method FindShapes returns Shape ol
ManagedObjectReference _this r
String name o
end`,
  ListColors: `# returnval: Color list: written as String (enums cannot be lists)
method ListColors returns String ol
ManagedObjectReference _this r
end`,
  Reset: `method Reset
ManagedObjectReference _this r
end`,
};

function want(...keys: string[]): string[] {
  return keys.map((k) => {
    const w = WANT[k];
    if (w === undefined) throw new Error(`no expectation for ${k}`);
    return w;
  });
}

interface Case {
  readonly given: { types?: string[]; methods?: string[]; subtypes?: boolean };
  /** The whole output, in output order (enums, objects, methods; each by name). */
  readonly want: string[];
  readonly referenced?: string[];
  readonly unresolved?: string[];
  readonly skipped?: string[];
}

const CASES: Record<string, Case> = {
  "xsd primitives, an untyped element (anyType) and ManagedObjectReference": { given: { types: ["Primitives"] }, want: want("Primitives") },
  "an enum": { given: { types: ["Color"] }, want: want("Color") },
  "occurrences, ArrayOf wrappers and enum lists; DynamicData base dropped; member closure": {
    given: { types: ["Shape"] },
    want: want("Color", "Shape"),
  },
  "extends keeps the base and imports it; closure over base and members, nothing unrelated": {
    given: { types: ["Circle"] },
    want: want("Color", "Circle", "Point", "Shape"),
  },
  "subtypes are not in the closure unless asked for (--subtypes), then transitively with their needs": {
    given: { types: ["Shape"], subtypes: true },
    want: want("Color", "Circle", "Point", "Shape"),
  },
  "a fault: its base chain ends at the predefined MethodFault": {
    given: { types: ["ShapeFault"] },
    want: want("Color", "RuntimeFault", "Shape", "ShapeFault"),
    referenced: ["MethodFault"],
  },
  "a fault named by its fault element": {
    given: { types: ["ShapeFaultFault"] },
    want: want("Color", "RuntimeFault", "Shape", "ShapeFault"),
    referenced: ["MethodFault"],
  },
  "MethodFault asked for by name is imported with its members": {
    given: { types: ["MethodFault"] },
    want: want("LocalizedMethodFault", "MethodFault"),
  },
  "an ArrayOf wrapper stands for its item type": { given: { types: ["ArrayOfShape"] }, want: want("Color", "Shape") },
  "a method: _this, parameters (enum list, ArrayOf), return, declared faults": {
    given: { methods: ["Draw_Task"] },
    want: want("Color", "RuntimeFault", "Shape", "ShapeFault", "Draw_Task"),
    referenced: ["MethodFault"],
  },
  "a method named with --type": {
    given: { types: ["Draw_Task"] },
    want: want("Color", "RuntimeFault", "Shape", "ShapeFault", "Draw_Task"),
    referenced: ["MethodFault"],
  },
  "an enum list return is a String list with a comment above the method": {
    given: { methods: ["ListColors"] },
    want: want("Color", "RuntimeFault", "ListColors"),
    referenced: ["MethodFault"],
  },
  "an ArrayOf return is a list; an empty response has no returns": {
    given: { methods: ["Reset", "FindShapes"] },
    want: want("Color", "Shape", "FindShapes", "Reset"),
  },
  "unknown names are unresolved; a type is not a method; structural types are skipped": {
    given: { types: ["Nope", "ManagedObjectReference", "DynamicData", "Point"], methods: ["Shape"] },
    want: want("Point"),
    unresolved: ["Nope", "Shape"],
    skipped: ["ManagedObjectReference", "DynamicData"],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  test(name, async () => {
    const r = await importWsdl({ wsdl, ...c.given });
    assert.equal(squeezed(r.decls), c.want.map(squeeze));
    assert.equal(r.referenced, c.referenced ?? []);
    assert.equal(r.unresolved, c.unresolved ?? []);
    assert.equal(r.skipped, c.skipped ?? []);
  });
}

test("the printer writes libvirt's column layout, comments indented with the members", async () => {
  const r = await importWsdl({ wsdl, types: ["Circle"] });
  const circle = r.decls.find((d) => d.name === "Circle");
  assert.ok(circle !== undefined);
  assert.fixture(
    printDecl(circle),
    [
      "object Circle                        extends Shape",
      "    Double                                   radius                         r",
      "    Point                                    center                         o",
      "end",
    ].join("\n"),
  );
  const shape = r.decls.find((d) => d.name === "Shape");
  assert.ok(shape !== undefined);
  assert.ok(
    printDecl(shape).includes(
      "\n    # Color list: written as String (enums cannot be lists)\n    String                                   palette                        ol\n",
    ),
  );
});

test("the whole fixture: every type and method, output parses back and validates", async () => {
  const r = await importAll({ wsdl });
  assert.equal(
    squeezed(r.decls),
    want(
      "Color",
      "Circle",
      "LocalizedMethodFault",
      "MethodFault",
      "Point",
      "Primitives",
      "RuntimeFault",
      "Shape",
      "ShapeFault",
      "Unrelated",
      "Draw_Task",
      "FindShapes",
      "ListColors",
      "Reset",
    ).map(squeeze),
  );
  const text = printSchema(r.decls, ["header"]);
  const parsed = parseSchema(text, "mini.vi");
  validateSchema([parsed]);
  // parse(print(x)) == x (locations and comments aside).
  const strip = (ds: readonly object[]): unknown =>
    JSON.parse(JSON.stringify(ds, (k: string, v: unknown) => (k === "loc" || k === "comment" ? undefined : v)));
  assert.equal(strip(parsed.decls), strip(r.decls));
});

test("the model: API version from the binding, documents in reading order", () => {
  assert.is(wsdl.apiVersion, "1.2.3");
  assert.equal(
    wsdl.documents.map((d) => d.slice(MINI.length + 1)),
    ["mini.wsdl", "mini-types.xsd"],
  );
  assert.equal([...wsdl.operations.keys()].sort(), ["Draw_Task", "FindShapes", "ListColors", "Reset"]);
});

test("deterministic: the order of the requested names does not matter", async () => {
  const a = await importWsdl({ wsdl, types: ["Circle", "ShapeFault"], methods: ["ListColors", "Draw_Task"] });
  const b = await importWsdl({ wsdl, types: ["ShapeFault", "Draw_Task", "Circle"], methods: ["ListColors"] });
  assert.equal(squeezed(a.decls), squeezed(b.decls));
});

test.run();
