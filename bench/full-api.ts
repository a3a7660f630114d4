/**
 * The whole vSphere 7.0 U2 API at scale: import from the WSDL (`npm run schema:import --
 * --all`), generation into a temporary folder (`npm run generate -- --schema … --out …`), each
 * in a fresh process as a user runs them, then `tsc --noEmit` over the output with the
 * project's strict settings, and the size of the output. Targets: import + generate <= 30 s,
 * type-check <= 90 s, no file over 300 KB. Nothing is reported when ../shared/reference is absent.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { missingReference, ROOT, WSDL_DIR } from "../test/support/paths.js";
import { typecheck } from "../test/support/typecheck.js";
import type { Figure } from "./report.js";

function timedProcess(script: string, args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "dist", ...script.split("/")), ...args], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${script} ${args.join(" ")}: ${r.stderr.trim() || `exit ${String(r.status)}`}`);
  return ms;
}

export async function benchFullApi(): Promise<Figure[]> {
  if (missingReference(WSDL_DIR) !== undefined) return [];
  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-full-api-"));
  try {
    const schema = join(dir, "schema");
    const out = join(dir, "out");
    const importMs = timedProcess("generator/wsdl/cli.js", ["--wsdl", WSDL_DIR, "--all", "--out", schema]);
    const generateMs = timedProcess("generator/cli.js", ["--schema", schema, "--out", out]);
    const sizes = readdirSync(out)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => statSync(join(out, f)).size);
    const check = typecheck(out);
    if (!check.ok) throw new Error(`tsc --noEmit over the whole API failed:\n${check.output.split("\n").slice(0, 10).join("\n")}`);
    const kb = (bytes: number): number => Math.round(bytes / 1024);
    return [
      { name: "full API: import from the WSDL (--all, fresh process)", value: Math.round(importMs), unit: "ms" },
      { name: "full API: generate (fresh process)", value: Math.round(generateMs), unit: "ms" },
      { name: "full API: import + generate", value: Math.round(importMs + generateMs), unit: "ms", target: "<= 30000" },
      { name: "full API: tsc --noEmit over the output", value: Math.round(check.ms), unit: "ms", target: "<= 90000" },
      { name: "full API: output files", value: sizes.length, unit: "files" },
      { name: "full API: output size, total", value: kb(sizes.reduce((a, b) => a + b, 0)), unit: "KB" },
      { name: "full API: output size, largest file", value: kb(Math.max(...sizes)), unit: "KB", target: "<= 300" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
