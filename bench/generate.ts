/**
 * Generation time: from schema/ and from libvirt's esx_vi_generator.input (target <= 2 s
 * each), in a fresh process (what `npm run generate` costs, module loading included) and
 * in process once warm.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitFiles, formatFiles } from "../generator/emit/generate.js";
import { loadSchema } from "../generator/schema/load.js";
import { ROOT, LIBVIRT_INPUT } from "../test/support/paths.js";
import type { Figure } from "./report.js";

/** One `npm run generate` in a fresh process: its wall time, and the generation time it reports (load, emit, format). */
function coldProcess(schema: string, out: string): { wall: number; generation: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "dist", "generator", "cli.js"), "--schema", schema, "--out", out], {
    encoding: "utf8",
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr);
  const ms = /, (\d+) ms\)/.exec(r.stdout);
  if (ms === null) throw new Error(`unexpected output: ${r.stdout}`);
  return { wall, generation: Number(ms[1]) };
}

async function inProcessMs(schema: string): Promise<number> {
  const t0 = performance.now();
  const model = loadSchema([schema], ROOT);
  await formatFiles(emitFiles(model, { runtimeImport: "../runtime/soap/index.js", command: "npm run generate" }));
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export async function benchGenerate(): Promise<Figure[]> {
  const out: Figure[] = [];
  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-gen-"));
  try {
    const inputs: [string, string][] = [["schema/", join(ROOT, "schema")]];
    if (existsSync(LIBVIRT_INPUT)) inputs.push(["libvirt's esx_vi_generator.input", LIBVIRT_INPUT]);
    for (const [label, schema] of inputs) {
      const runs = [0, 1, 2, 3, 4].map((i) => coldProcess(schema, join(dir, `${i}`)));
      const cold = median(runs.map((r) => r.generation));
      const wall = median(runs.map((r) => r.wall));
      await inProcessMs(schema);
      const warm: number[] = [];
      for (let i = 0; i < 3; i++) warm.push(await inProcessMs(schema));
      out.push({
        name: `generate from ${label}: first generation in a fresh process`,
        value: Math.round(cold),
        unit: "ms",
        target: "<= 2000",
      });
      out.push({ name: `generate from ${label}: whole process (+ node, ts-morph, prettier loading)`, value: Math.round(wall), unit: "ms" });
      out.push({ name: `generate from ${label}: in process, warm`, value: Math.round(median(warm)), unit: "ms", target: "<= 2000" });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
