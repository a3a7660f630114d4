/**
 * The module graph check (scripts/check-imports.mjs) on small compiled trees of its own: a
 * layer importing upwards, I/O in a pure layer, the product importing a test, and a cycle are
 * each one line and exit 1; a tree that keeps the rules passes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "../support/paths.js";

function check(tree: Readonly<Record<string, string>>): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-graph-"));
  try {
    for (const [file, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "check-imports.mjs"), "--dist", dir], { encoding: "utf8" });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = {
  "errors/esxvi-error.js": "export class EsxviError extends Error {}\n",
  "runtime/soap/codec.js": 'import { EsxviError } from "../../errors/esxvi-error.js";\n',
  "runtime/session.js": 'import "./soap/codec.js";\nexport const x = await import("../cli/main.js");\n',
  "drivers/domain/lookup.js": 'import "../../runtime/session.js";\nimport "../vmx/convert.js";\n',
  "drivers/vmx/convert.js": 'import { XMLParser } from "fast-xml-parser";\n',
  "cli/main.js": 'import "../drivers/domain/lookup.js";\nimport { readFileSync } from "node:fs";\n',
  "test/a.test.js": 'import "../cli/main.js";\n',
};

test("a tree that keeps the layering passes (a dynamic import is no edge)", () => {
  assert.equal(check(GOOD), { status: 0, stderr: "" });
});

test("each breach is one line, and the run fails", () => {
  const r = check({
    ...GOOD,
    "runtime/soap/codec.js": 'import "../session.js";\n',
    "drivers/vmx/convert.js": 'import { readFileSync } from "node:fs";\n',
    "drivers/domain/lookup.js": 'import "../../test/a.test.js";\nimport "./other.js";\n',
    "drivers/domain/other.js": 'import "./lookup.js";\n',
  });
  assert.is(r.status, 1);
  assert.equal(r.stderr.trim().split("\n"), [
    "drivers/domain/lookup.js imports test/a.test.js: nothing of the product imports test/, bench/ or scripts/",
    "drivers/vmx/convert.js (pure) imports node:fs: pure does no I/O",
    "runtime/soap/codec.js (soap) imports runtime/session.js (runtime): soap may import errors",
    "import cycle: drivers/domain/lookup.js -> drivers/domain/other.js",
    "import cycle: runtime/session.js -> runtime/soap/codec.js",
    "5 breach(es) of the module graph (see DEVELOPERS.md)",
  ]);
});

test.run();
