/**
 * `--all`: the whole vSphere 7.0 U2 API into a temporary folder through the CLI. The files
 * validate as one schema, the counts are in the expected ranges, no file is huge, a rerun
 * gives identical bytes, and a folder with foreign schema files is refused.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSchema } from "../../generator/schema/load.js";
import { SPLIT_LIMIT } from "../../generator/wsdl/write.js";
import { missingReference, runCli, WSDL_DIR } from "./support.js";

const skip = missingReference(WSDL_DIR);
if (skip !== undefined) {
  console.log(`wsdl/import-all: ${skip}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-wsdl-all-"));
  const out = join(dir, "api");

  test.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("--all writes the whole API in files that validate as one schema", () => {
    const r = runCli(["--wsdl", WSDL_DIR, "--all", "--out", out], dir);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote \d+ files to api: 382 enums, 2836 objects, 920 methods \(3218 types\) in [\d.]+ s\n$/);
    console.log(`wsdl/import-all: ${r.stdout.trim()}`);

    const model = loadSchema([out]);
    const enums = model.enums.size;
    const objects = model.objects.size;
    const methods = model.methods.size;
    assert.ok(enums >= 350 && enums <= 420, `enums: ${enums}`);
    assert.ok(objects >= 2700 && objects <= 3000, `objects: ${objects}`);
    assert.ok(enums + objects >= 3100 && enums + objects <= 3400, `types: ${enums + objects}`);
    assert.ok(methods >= 900 && methods <= 940, `methods: ${methods}`);
    assert.is(model.managed.size, 0);
    // The whole API has MethodFault with its members, not the predefined empty one.
    assert.equal(
      model.objects.get("MethodFault")?.members.map((m) => `${m.type.name} ${m.name} ${m.occ}`),
      ["LocalizedMethodFault faultCause o", "LocalizableMessage faultMessage ol"],
    );
    // Request wrappers and ArrayOf wrappers are no declarations.
    assert.ok(!model.objects.has("PowerOnVMRequestType") && !model.objects.has("ArrayOfString") && !model.objects.has("DynamicData"));

    const files = readdirSync(out).sort();
    for (const f of files) {
      assert.match(f, /^(enums|objects|methods)-[a-z0-9_]+(-[a-z0-9_]+)?\.vi$/);
      const size = statSync(join(out, f)).size;
      assert.ok(size < 150_000, `${f} is ${size} bytes`);
      const decls = model.files.find((s) => s.file.endsWith(f))?.decls.length ?? 0;
      assert.ok(decls > 0 && decls <= SPLIT_LIMIT, `${f} holds ${decls} declarations`);
    }
  });

  test("--all is deterministic and replaces its own files", () => {
    const before = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    writeFileSync(join(out, "objects-zz-stale.vi"), `# Imported by the esxvi WSDL importer (generator/wsdl) from elsewhere\n`);
    const r = runCli(["--wsdl", WSDL_DIR, "--all", "--out", out], dir);
    assert.is(r.status, 0, r.stderr);
    const after = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), "utf8")]));
    assert.equal([...after.keys()], [...before.keys()]);
    for (const [f, text] of before) assert.ok(after.get(f) === text, `${f} changed between runs`);
  });

  test("--all refuses a folder holding schema files it did not write", () => {
    writeFileSync(join(out, "mine.vi"), "enum Mine\n    a\nend\n");
    const r = runCli(["--wsdl", WSDL_DIR, "--all", "--out", out], dir);
    assert.is(r.status, 2);
    assert.match(r.stderr, "holds schema files that the importer did not write (mine.vi)");
    assert.is(readFileSync(join(out, "mine.vi"), "utf8"), "enum Mine\n    a\nend\n");
  });
}

test.run();
