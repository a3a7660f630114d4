#!/usr/bin/env node
// The esxvi command as one bundled program (dist/bin/esxvi.js), built by esbuild from the
// compiled sources in dist/: every command pays Node's ES module loader once per module it
// loads (resolution, a URL per import, one compilation each), and the CLI reaches ~270
// modules of its own plus its dependencies'. Bundled, the same code loads as a handful of
// files; what is loaded only on demand (the bindings' metadata modules, the registry's lazy
// loads) stays a separate chunk. `npm run build` (and prepare) runs it after tsc.
import { existsSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "cli", "main.js");
const outdir = join(root, "dist", "bin");
export const BUNDLE = join(outdir, "esxvi.js");

/** True when the bundle is missing or older than the compiled CLI. */
export function bundleStale() {
  const stamp = join(root, "dist", ".tsbuildinfo");
  if (!existsSync(BUNDLE)) return true;
  return existsSync(stamp) && statSync(stamp).mtimeMs > statSync(BUNDLE).mtimeMs;
}

export async function bundleCli() {
  const { build } = await import("esbuild");
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { esxvi: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: "warning",
    // The bundled CommonJS dependencies (undici, handlebars, socks) require Node's modules.
    banner: { js: "import { createRequire as __esxviRequire } from 'node:module'; const require = __esxviRequire(import.meta.url);" },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!process.argv.includes("--if-stale") || bundleStale()) await bundleCli();
}
