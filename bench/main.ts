/**
 * npm run bench [-- <name>...]: runs the benchmarks and prints figures against the targets
 * of the issues. Names: generate, vmx, full-api, list, decode, memory, storage, startup, package.
 */
import { benchGenerate } from "./generate.js";
import { formatFigure, type Figure } from "./report.js";

const BENCHES: Record<string, () => Promise<Figure[]>> = {
  generate: benchGenerate,
  vmx: async () => (await import("./vmx.js")).benchVmx(),
  "full-api": async () => (await import("./full-api.js")).benchFullApi(),
  list: async () => (await import("./list.js")).benchList(),
  decode: async () => (await import("./decode.js")).benchDecode(),
  memory: async () => (await import("./memory-bounds.js")).benchMemoryBounds(),
  storage: async () => (await import("./storage.js")).benchStorage(),
  startup: async () => (await import("./startup.js")).benchStartup(),
  package: async () => (await import("./package.js")).benchPackage(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, run] of Object.entries(BENCHES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stdout.write(`\n${name}\n`);
    try {
      for (const f of await run()) process.stdout.write(`${formatFigure(f)}\n`);
    } catch (e) {
      process.stdout.write(`  failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

await main();
