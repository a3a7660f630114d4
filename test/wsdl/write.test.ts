/** Rendering imported declarations: header, sorted order, and the --all file split. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Decl } from "../../generator/schema/ast.js";
import { headerLines, renderSchema, splitSchema } from "../../generator/wsdl/write.js";

const loc = { file: "t", line: 0 };
const obj = (name: string): Decl => ({ kind: "object", managed: false, name, members: [], loc });
const en = (name: string): Decl => ({ kind: "enum", name, values: ["a"], loc });
const meth = (name: string): Decl => ({
  kind: "method",
  name,
  params: [{ type: { name: "ManagedObjectReference" }, name: "_this", occ: "r", loc }],
  loc,
});

test("split: by lower-cased name prefix until a group fits, then adjacent groups merged up to the limit", () => {
  const decls = ["Zeta", "hostess", "HostE", "HostD", "HostC", "HostB", "HostA", "Banana", "Avocado", "Apple", "Alpha"].map(obj);
  const chunks = splitSchema([...decls, en("Kind"), meth("Run")], 3);
  assert.equal(
    chunks.map((c) => `${c.file}: ${c.decls.map((d) => d.name).join(" ")}`),
    [
      "enums-k.vi: Kind",
      "objects-a.vi: Alpha Apple Avocado",
      "objects-b-hostb.vi: Banana HostA HostB",
      "objects-hostc-hostd.vi: HostC HostD",
      "objects-hoste-z.vi: HostE Zeta hostess",
      "methods-r.vi: Run",
    ],
  );
  // The input order does not matter.
  assert.equal(splitSchema([meth("Run"), en("Kind"), ...[...decls].reverse()], 3), chunks);
});

test("render: header naming the source, the API version and the command; enums, objects, methods each by name", () => {
  const text = renderSchema([meth("B"), obj("Zed"), meth("A"), en("Kind"), obj("Abc")], {
    source: "wsdl/",
    apiVersion: "7.0.2.0",
    command: "npm run schema:import -- --wsdl wsdl/ --type Abc --out x.vi",
  });
  const lines = text.split("\n");
  assert.equal(lines.slice(0, 5), [
    "# Imported by the esxvi WSDL importer (generator/wsdl) from wsdl/ (API 7.0.2.0):",
    "#   npm run schema:import -- --wsdl wsdl/ --type Abc --out x.vi",
    "# Rerun the command instead of editing by hand. ManagedObjectReference:<Type> members and",
    "# _this:<member> bindings written here are kept when the command rewrites this file.",
    "",
  ]);
  assert.equal(
    lines.filter((l) => /^(enum|object|method) /.test(l)),
    ["enum Kind", "object Abc", "object Zed", "method A", "method B"],
  );
  assert.equal(headerLines({ source: "s", command: "c", part: "Part x.vi of the whole API." }).slice(2), [
    "Part x.vi of the whole API.",
    "Rerun the command instead of editing by hand.",
  ]);
});

test.run();
