/**
 * Importing next to an existing schema folder (fixtures/existing): what it defines is
 * referenced, never written again; typed references and `_this` bindings of a previous
 * import are kept; and the CLI end to end (header, determinism, checks before writing).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSchema } from "../../generator/schema/load.js";
import { parseSchema } from "../../generator/schema/parse.js";
import { printSchema } from "../../generator/schema/print.js";
import { validateSchema } from "../../generator/schema/validate.js";
import { importWsdl, loadWsdl } from "../../generator/wsdl/import.js";
import { EXISTING, MINI, names, runCli, squeezed } from "./support.js";

const wsdl = await loadWsdl(MINI);
const existing = loadSchema([EXISTING]);

test("what the schema folder defines is referenced, not re-emitted", async () => {
  const r = await importWsdl({ wsdl, types: ["Circle"], methods: ["Draw_Task"], existing });
  assert.equal(names(r.decls), ["Circle", "RuntimeFault", "Shape", "ShapeFault", "Draw_Task"]);
  assert.equal(r.referenced, ["Color", "MethodFault", "Point"]);
  // The output validates together with the folder (Color, Point come from there).
  validateSchema([...existing.files, parseSchema(printSchema(r.decls), "imported.vi")]);
});

test("requested names that the folder defines are skipped", async () => {
  const r = await importWsdl({ wsdl, types: ["Point", "Color"], methods: ["Reset", "ListColors"], existing });
  assert.equal(r.skipped, ["Point", "Color", "Reset"]);
  assert.equal(names(r.decls), ["RuntimeFault", "ListColors"]);
});

test("a MethodFault defined by the schema is referenced; the predefined one too", async () => {
  const withFault = validateSchema([...existing.files, parseSchema("object MethodFault\n    String msg o\nend\n", "fault.vi")]);
  const a = await importWsdl({ wsdl, types: ["ShapeFault", "MethodFault"], existing: withFault });
  assert.equal(names(a.decls), ["RuntimeFault", "Shape", "ShapeFault"]);
  assert.equal(a.skipped, ["MethodFault"]);
  assert.ok(a.referenced.includes("MethodFault"));
  const b = await importWsdl({ wsdl, types: ["ShapeFault"], existing });
  assert.ok(!names(b.decls).includes("MethodFault") && b.referenced.includes("MethodFault"));
});

test("typed references and _this bindings of a previous import are kept when valid", async () => {
  // The folder without Reset: it is imported here, its typed _this comes from the previous output.
  const withoutReset = validateSchema(existing.files.map((f) => ({ ...f, decls: f.decls.filter((d) => d.name !== "Reset") })));
  const previous = parseSchema(
    [
      "object Shape",
      "    ManagedObjectReference:Canvas owners ol",
      "    ManagedObjectReference:Nowhere parent o",
      "end",
      "method Draw_Task returns ManagedObjectReference:Canvas r",
      "    ManagedObjectReference _this:canvasManager r",
      "end",
      "method Reset",
      "    ManagedObjectReference:Canvas _this r",
      "end",
    ].join("\n"),
    "previous.vi",
  );
  const r = await importWsdl({ wsdl, types: ["Shape"], methods: ["Draw_Task", "Reset"], existing: withoutReset, keep: previous.decls });
  const text = squeezed(r.decls).join("\n\n");
  assert.match(text, "ManagedObjectReference:Canvas owners ol");
  // Nowhere is no managed object of the folder: the plain type stays.
  assert.match(text, "ManagedObjectReference parent o");
  assert.match(text, "method Draw_Task returns ManagedObjectReference:Canvas r\nManagedObjectReference _this:canvasManager r");
  assert.match(text, "method Reset\nManagedObjectReference:Canvas _this r");
  validateSchema([...withoutReset.files, parseSchema(printSchema(r.decls), "imported.vi")]);
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "esxvi-wsdl-"));
}

test("CLI: writes a header and the closure, checks it, and is deterministic", () => {
  const dir = tempDir();
  try {
    const schema = join(dir, "schema");
    cpSync(EXISTING, schema, { recursive: true });
    const out = join(schema, "imported.vi");
    const args = ["--wsdl", MINI, "--type", "Circle", "--method", "Draw_Task", "--out", out, "--schema", schema];
    const r = runCli(args, dir);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, "wrote schema/imported.vi: 0 enums, 4 objects, 1 method; refers to Color, MethodFault, Point\n");
    const first = readFileSync(out, "utf8");
    const head = first.split("\n").slice(0, 2);
    assert.equal(head, [
      `# Imported by the esxvi WSDL importer (generator/wsdl) from ${MINI} (API 1.2.3):`,
      `#   npm run schema:import -- ${args.join(" ")}`,
    ]);
    assert.not.match(first, /^enum Color/m);
    loadSchema([schema]);

    // The output file is in the schema folder: a rerun replaces it (no duplicates) with identical bytes.
    assert.is(runCli(args, dir).status, 0);
    assert.is(readFileSync(out, "utf8"), first);

    // Typed references and bindings written by hand survive a rerun.
    const edited = first
      .replace(/ManagedObjectReference(\s+)parent/, "ManagedObjectReference:Canvas$1parent")
      .replace(/ManagedObjectReference(\s+)_this /, "ManagedObjectReference$1_this:canvasManager ");
    assert.ok(edited !== first);
    writeFileSync(out, edited);
    assert.is(runCli(args, dir).status, 0);
    const again = readFileSync(out, "utf8");
    assert.match(again, /ManagedObjectReference:Canvas\s+parent\s+o/);
    assert.match(again, /_this:canvasManager\s+r/);
    loadSchema([schema]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: output that does not validate with the folder is not written", () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, "odd.vi"), "enum Shape\n    round\nend\n");
    const out = join(dir, "out.vi");
    const r = runCli(["--wsdl", MINI, "--type", "Circle", "--out", out, "--schema", dir], dir);
    assert.is(r.status, 1);
    assert.match(r.stderr, "with the imported declarations does not validate; nothing written");
    assert.match(r.stderr, "out.vi:7: object Circle cannot extend 'Shape'");
    assert.ok(!existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: unknown names, usage errors", () => {
  const dir = tempDir();
  try {
    const out = join(dir, "out.vi");
    const unknown = runCli(["--wsdl", MINI, "--type", "circle", "--type", "Draw", "--out", out, "--schema", EXISTING], dir);
    assert.is(unknown.status, 1);
    assert.is(
      unknown.stderr,
      "error: circle is neither a type nor a method of the WSDL (did you mean Circle?)\nerror: Draw is neither a type nor a method of the WSDL (did you mean Draw_Task, DrawRequestType?)\n",
    );
    assert.ok(!existsSync(out));
    const usage = runCli(["--wsdl", MINI, "--out", out], dir);
    assert.is(usage.status, 2);
    assert.match(usage.stderr, "error: name at least one --type or --method (or use --all)");
    writeFileSync(out, "enum Mine\n    a\nend\n");
    const foreign = runCli(["--wsdl", MINI, "--type", "Point", "--out", out], dir);
    assert.is(foreign.status, 2);
    assert.match(foreign.stderr, `--out ${out} exists and was not written by the importer`);
    assert.is(readFileSync(out, "utf8"), "enum Mine\n    a\nend\n");
    const bad = runCli(["--wsdl", MINI, "--typo", "X"], dir);
    assert.is(bad.status, 2);
    assert.match(bad.stderr, "--typo");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
