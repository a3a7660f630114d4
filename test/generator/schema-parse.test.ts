/** The schema language: given/want tables for the parser and the validator, every error included. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseSchema } from "../../generator/schema/parse.js";
import { printSchema } from "../../generator/schema/print.js";
import { SchemaError } from "../../generator/schema/schema-error.js";
import { validateSchema } from "../../generator/schema/validate.js";
import type { Decl } from "../../generator/schema/ast.js";

/** A compact, location-free rendering of declarations for comparisons. */
function summary(decls: readonly Decl[]): string[] {
  return decls.map((d) => {
    switch (d.kind) {
      case "enum":
        return `enum ${d.name} = ${d.values.join("|")}`;
      case "object":
        return `${d.managed ? "managed " : ""}object ${d.name}${d.base === undefined ? "" : `<${d.base}`} {${d.members.map((m) => `${m.type.name}${m.type.moType === undefined ? "" : `:${m.type.moType}`} ${m.name} ${m.occ}`).join("; ")}}`;
      case "method":
        return `method ${d.name}${d.returns === undefined ? "" : ` -> ${d.returns.type.name} ${d.returns.occ}`} (${d.params.map((p) => `${p.type.name}${p.type.moType === undefined ? "" : `:${p.type.moType}`} ${p.name}${p.bind === undefined ? "" : `@${p.bind}`} ${p.occ}`).join("; ")})`;
    }
  });
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SchemaError) return e.message.split("\n");
    throw e;
  }
  return [];
}

const SERVICE_CONTENT = `
object ServiceContent
    ManagedObjectReference rootFolder r
    ManagedObjectReference sessionManager o
    String notARef o
end
`;

const parseCases: { given: string; want: string[] }[] = [
  { given: "# only a comment\n\n", want: [] },
  { given: "enum E\n  a   # trailing comment\n  b\nend", want: ["enum E = a|b"] },
  { given: "object A\n  String s r\n  Int n ol\nend", want: ["object A {String s r; Int n ol}"] },
  { given: "object B extends A\nend", want: ["object B<A {}"] },
  {
    given: "managed object M extends N\n  ManagedObjectReference:VirtualMachine vm rl\nend",
    want: ["managed object M<N {ManagedObjectReference:VirtualMachine vm rl}"],
  },
  {
    given: "method Login returns UserSession r\n  ManagedObjectReference _this:sessionManager r\n  String userName r\nend",
    want: ["method Login -> UserSession r (ManagedObjectReference _this@sessionManager r; String userName r)"],
  },
  { given: "method M\n  ManagedObjectReference _this r\nend", want: ["method M (ManagedObjectReference _this r)"] },
  { given: "object Tabs\r\n\tString\tx\to\r\nend\r\n", want: ["object Tabs {String x o}"] },
];

for (const c of parseCases) {
  test(`parse: ${JSON.stringify(c.given.slice(0, 40))}`, () => {
    assert.equal(summary(parseSchema(c.given, "t.vi").decls), c.want);
  });
}

const parseErrors: { given: string; want: string[] }[] = [
  { given: "end", want: ["t.vi:1: 'end' without an open block"] },
  { given: "String x r", want: ["t.vi:1: expected 'enum', 'object', 'managed object' or 'method', found 'String'"] },
  { given: "enum E\n a\nend now", want: ["t.vi:3: 'end' takes no arguments"] },
  {
    given: "object A\n String s r\nobject B\nend",
    want: ["t.vi:3: nested block: 'object B' inside object A opened at line 1 (missing 'end'?)"],
  },
  { given: "enum E\n a", want: ["t.vi:1: enum E is not closed by 'end'"] },
  { given: "enum\nend", want: ["t.vi:1: enum has no name"] },
  { given: "enum 9E\nend", want: ["t.vi:1: enum name '9E' is not an identifier"] },
  { given: "enum E x\n a\nend", want: ["t.vi:1: enum E: unexpected 'x' after the name"] },
  { given: "enum E\n a b\nend", want: ["t.vi:2: enum E: expected one value per line, found 2 tokens"] },
  { given: "object A inherits B\nend", want: ["t.vi:1: object A: expected 'object A [extends <Base>]'"] },
  { given: "object A extends B-C\nend", want: ["t.vi:1: object A: base type 'B-C' is not an identifier"] },
  { given: "object A\n String s\nend", want: ["t.vi:2: object A: expected '<Type> <name> <occurrence>', found 2 tokens"] },
  { given: "object A\n String s x\nend", want: ["t.vi:2: object A member 's': bad occurrence 'x' (expected one of r, rl, o, ol, i)"] },
  { given: "object A\n Str-ing s r\nend", want: ["t.vi:2: object A: bad type 'Str-ing'"] },
  { given: "object A\n String 1s r\nend", want: ["t.vi:2: object A: member name '1s' is not an identifier"] },
  {
    given: "method M gives T r\n ManagedObjectReference _this r\nend",
    want: ["t.vi:1: method M: expected 'method M [returns <Type> <occurrence> [result <Type> <occurrence>]]'"],
  },
  {
    given: "method M returns T i\n ManagedObjectReference _this r\nend",
    want: ["t.vi:1: method M: a return value cannot be ignored ('i')"],
  },
  {
    given: "method M\n ManagedObjectReference _this:bad-member r\nend",
    want: ["t.vi:2: method M: bad ServiceContent member in '_this:bad-member'"],
  },
  {
    given: "end\nenum E\n a b\nend\nobject O\n T x q\nend",
    want: [
      "t.vi:1: 'end' without an open block",
      "t.vi:3: enum E: expected one value per line, found 2 tokens",
      "t.vi:6: object O member 'x': bad occurrence 'q' (expected one of r, rl, o, ol, i)",
    ],
  },
];

for (const c of parseErrors) {
  test(`parse error: ${c.want[0] ?? ""}`, () => {
    assert.equal(
      problems(() => parseSchema(c.given, "t.vi")),
      c.want,
    );
  });
}

const validateErrors: { given: string; want: string[] }[] = [
  { given: "enum E\n a\nend\nobject E\nend", want: ["t.vi:4: duplicate type 'E' (first defined at t.vi:1)"] },
  {
    given: "method M\n ManagedObjectReference _this r\nend\nmethod M\n ManagedObjectReference _this r\nend",
    want: ["t.vi:4: duplicate method 'M' (first defined at t.vi:1)"],
  },
  { given: "object String\nend", want: ["t.vi:1: 'String' is a predefined type and cannot be redefined"] },
  { given: "enum E\nend", want: ["t.vi:1: enum E has no values"] },
  { given: "enum E\n a\n a\nend", want: ["t.vi:1: enum E: duplicate value 'a'"] },
  { given: "object A extends Nope\nend", want: ["t.vi:1: object A extends unknown type 'Nope'"] },
  { given: "managed object M\nend\nobject A extends M\nend", want: ["t.vi:3: object A cannot extend 'M': it is not an object"] },
  {
    given: "object A extends B\nend\nobject B extends A\nend",
    want: ["t.vi:1: inheritance cycle: A -> B -> A", "t.vi:3: inheritance cycle: B -> A -> B"],
  },
  {
    given: "object A\n String s r\nend\nobject B extends A\n Int s o\nend",
    want: ["t.vi:5: object B: member 's' is already defined by base 'A'"],
  },
  { given: "object A\n String s r\n Int s o\nend", want: ["t.vi:3: object A: duplicate member 's'"] },
  { given: "object A\n Nope x r\nend", want: ["t.vi:2: object A member 'x': unknown type 'Nope'"] },
  { given: "object A\n Nope x i\nend", want: [] },
  {
    given: "enum E\n a\nend\nobject A\n E xs ol\nend",
    want: ["t.vi:5: object A member 'xs': enum 'E' cannot be used as a list (occurrence 'ol')"],
  },
  {
    given: "managed object M\nend\nobject A\n M m r\nend",
    want: ["t.vi:4: object A member 'm': managed object 'M' cannot be a value; use ManagedObjectReference:M"],
  },
  {
    given: "object A\n String:M x r\nend",
    want: ["t.vi:2: object A member 'x': only ManagedObjectReference can name a managed object type ('String:M')"],
  },
  {
    given: "object A\n ManagedObjectReference:Nope x r\nend",
    want: ["t.vi:2: object A member 'x': 'Nope' in 'ManagedObjectReference:Nope' is not a managed object"],
  },
  { given: "object A\n String _typeName r\nend", want: ["t.vi:2: object A: member name '_typeName' is reserved"] },
  { given: "object A\n ManagedObjectReference _this r\nend", want: ["t.vi:2: object A: '_this' is only allowed as a method parameter"] },
  {
    given: "object B\nend\nobject C extends B\nend\nobject AnyB\nend",
    want: ["t.vi:5: type name 'AnyB' collides with the union generated for the subtypes of 'B'"],
  },
  {
    given: "method M\n ManagedObjectReference _this r\n String a r\n String a o\nend",
    want: ["t.vi:4: method M: duplicate parameter 'a'"],
  },
  {
    given: "method M\n ManagedObjectReference _this r\n String a i\nend",
    want: ["t.vi:3: method M: parameter 'a' cannot be ignored ('i')"],
  },
  {
    given: "method M\n String a r\n ManagedObjectReference _this r\nend",
    want: ["t.vi:1: method M: the first parameter must be '_this'", "t.vi:3: method M: '_this' must be the first parameter"],
  },
  { given: "method M\n String _this r\nend", want: ["t.vi:2: method M: '_this' must be 'ManagedObjectReference _this r'"] },
  {
    given: SERVICE_CONTENT + "method M\n ManagedObjectReference _this:nothing r\nend",
    want: ["t.vi:8: method M: ServiceContent has no member 'nothing' to bind _this to"],
  },
  {
    given: SERVICE_CONTENT + "method M\n ManagedObjectReference _this:notARef r\nend",
    want: ["t.vi:8: method M: ServiceContent member 'notARef' is not a ManagedObjectReference"],
  },
  { given: "method M returns Nope r\n ManagedObjectReference _this r\nend", want: ["t.vi:1: method M return: unknown type 'Nope'"] },
  { given: "object MethodFault\n String extra o\nend\nobject F extends MethodFault\nend", want: [] },
];

for (const c of validateErrors) {
  test(`validate: ${c.want[0] ?? c.given.split("\n")[0] ?? ""}`, () => {
    assert.equal(
      problems(() => validateSchema([parseSchema(c.given, "t.vi")])),
      c.want,
    );
  });
}

test("print then parse gives the same declarations", () => {
  const text =
    "enum E\n a\nend\nobject A\n ManagedObjectReference:M m ol\nend\nmanaged object M\nend\nmethod VeryLongMethodNameThatOverflowsTheHeaderColumn returns A o\n ManagedObjectReference _this:sessionManager r\nend";
  const first = parseSchema(text, "a.vi");
  const again = parseSchema(printSchema(first.decls), "b.vi");
  assert.equal(summary(again.decls), summary(first.decls));
});

test.run();
