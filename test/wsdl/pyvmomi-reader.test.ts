/**
 * pyVmomi's type tables read into managed object declarations (generator/managed: the reader,
 * then managedDecls against a WSDL): given table lines, want schema text. The WSDL is the mini
 * fixture (it defines Shape and the enum Color).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { managedDecls, sourceMoType, sourceTaskResult } from "../../generator/managed/apply.js";
import { readPyVmomi } from "../../generator/managed/pyvmomi.js";
import { loadWsdl } from "../../generator/wsdl/import.js";
import { MINI, squeezed } from "./support.js";

const F = "vim.version.version1";

const CASES: readonly { readonly name: string; readonly given: readonly string[]; readonly want: readonly string[] }[] = [
  {
    name: "a root managed object with typed, list, optional and any-object properties",
    given: [
      `CreateManagedType("vim.Box", "Box", "vmodl.ManagedObject", "${F}", [("parent", "vim.Box", "${F}", F_OPTIONAL, None), ("children", "vim.Box[]", "${F}", F_OPTIONAL, None), ("anything", "vmodl.ManagedObject", "${F}", 0, None), ("label", "string", "${F}", 0, None)], None)`,
    ],
    want: [
      "managed object Box\nManagedObjectReference:Box parent o\nManagedObjectReference:Box children ol\nManagedObjectReference anything r\nString label r\nend",
    ],
  },
  {
    name: "a base type, a data type the WSDL defines, an enum list, a type it does not define",
    given: [
      `CreateManagedType("vim.Base", "Base", "vmodl.ManagedObject", "${F}", None, None)`,
      `CreateEnumType("vim.Color", "Color", "${F}", ["red", "green"])`,
      `CreateDataType("vim.Shape", "Shape", "vmodl.DynamicData", "${F}", None)`,
      `CreateDataType("vim.Missing", "Missing", "vmodl.DynamicData", "${F}", None)`,
      `CreateManagedType("vim.Sub", "Sub", "vim.Base", "${F}", [("shape", "vim.Shape", "${F}", F_OPTIONAL, None), ("colors", "vim.Color[]", "${F}", F_OPTIONAL, None), ("gone", "vim.Missing", "${F}", F_OPTIONAL, None)], None)`,
    ],
    want: [
      "managed object Base\nend",
      "managed object Sub extends Base\nShape shape o\n# Color list: written as String (enums cannot be lists)\nString colors ol\n# ignored: the WSDL does not define Missing\nAnyType gone i\nend",
    ],
  },
];

function withTables<T>(lines: readonly string[], f: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-pyvmomi-"));
  try {
    const file = join(dir, "ServerObjects.py");
    writeFileSync(file, `${lines.join("\n")}\n`);
    return f(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const c of CASES) {
  test(`CreateManagedType -> schema: ${c.name}`, async () => {
    const wsdl = await loadWsdl(MINI);
    const decls = withTables(c.given, (file) =>
      managedDecls({ source: readPyVmomi(file), wsdl, isDefined: () => false, isEnum: (n) => n === "Color" }),
    );
    assert.equal(squeezed(decls), c.want);
  });
}

test("methods: the owner is _this's type, references and task results typed, the hand-written schema wins", async () => {
  const wsdl = await loadWsdl(MINI);
  const given = [
    `CreateManagedType("vim.Task", "Task", "vmodl.ManagedObject", "${F}", None, None)`,
    `CreateManagedType("vim.Box", "Box", "vmodl.ManagedObject", "${F}", None, [("open", "OpenBox_Task", "${F}", (("into", "vim.Box", "${F}", F_OPTIONAL, None),), (0, "vim.Task", "vim.Box"), None, None), ("list", "ListBoxes", "${F}", (), (F_OPTIONAL, "vim.Box[]", "vim.Box[]"), None, None)])`,
  ];
  withTables(given, (file) => {
    const source = readPyVmomi(file);
    assert.is(sourceMoType(source, "OpenBox_Task", "_this"), "Box");
    assert.is(sourceMoType(source, "OpenBox_Task", "into"), "Box");
    assert.is(sourceMoType(source, "OpenBox_Task", "returnval"), "Task");
    assert.is(sourceMoType(source, "ListBoxes", "returnval"), "Box");
    assert.is(sourceMoType(source, "NoSuchMethod", "_this"), undefined);
    assert.equal(
      sourceTaskResult(source, wsdl, "OpenBox_Task", () => false),
      { type: { name: "ManagedObjectReference", moType: "Box" }, occ: "r" },
    );
    assert.is(
      sourceTaskResult(source, wsdl, "ListBoxes", () => false),
      undefined,
    );
    // A managed object the schema defines by hand is not emitted again.
    assert.equal(
      managedDecls({ source, wsdl, isDefined: (n) => n === "Box", isEnum: () => false }).map((d) => d.name),
      ["Task"],
    );
  });
});

test.run();
