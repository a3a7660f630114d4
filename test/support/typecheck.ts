/** Runs the project's TypeScript compiler (tsc --noEmit) over a folder, for tests of generated code. */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.js";

export interface TypecheckResult {
  readonly ok: boolean;
  readonly output: string;
  readonly ms: number;
}

/** Type-checks every .ts file under `dir` with the project's strict settings. */
export function typecheck(dir: string): TypecheckResult {
  const config = join(dir, "tsconfig.check.json");
  // Outside the project, files are CommonJS unless a package.json says otherwise.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(ROOT, "tsconfig.json"),
      compilerOptions: { noEmit: true, incremental: false, rootDir: "/", typeRoots: [join(ROOT, "node_modules", "@types")] },
      include: [join(dir, "**", "*.ts")],
    }),
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", config], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`, ms: performance.now() - t0 };
}
