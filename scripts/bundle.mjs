#!/usr/bin/env node
// The esxvi command as built for users, in dist/bin:
// - esxvi.cjs: the launcher (cli/launcher.cts, compiled by tsc), the package's bin. It answers
//   the version and the prepared help itself and loads main.js for anything else.
// - main.js and its chunks: the program bundled by esbuild from the compiled sources in dist/.
//   Every command pays Node's ES module loader once per module it loads (resolution, a URL per
//   import, one compilation each), and the CLI reaches ~270 modules of its own plus its
//   dependencies'. Bundled, the same code loads as a handful of files; what is loaded on demand
//   (each command group, the bindings' metadata modules, the registry's lazy loads) stays a
//   separate chunk. The handlebars templates are precompiled (scripts/precompile-templates.mjs),
//   so that the bundle carries handlebars' runtime and not its compiler. Node modules that a
//   dependency requires but the command never uses are loaded on first use (scripts/deferred-builtins.mjs).
// - help.json: the prepared help answers (scripts/prepare-help.mjs).
// `npm run build` (and prepare) runs it after tsc.
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { deferredBuiltins } from "./deferred-builtins.mjs";
import { joinedNameShards } from "./joined-name-shards.mjs";
import { precompiledTemplatesModule } from "./precompile-templates.mjs";
import { prepareHelp } from "./prepare-help.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "cli", "main.js");
const outdir = join(root, "dist", "bin");
export const BUNDLE = join(outdir, "main.js");
export const LAUNCHER = join(outdir, "esxvi.cjs");

/** True when the bundle is missing or older than the compiled CLI. */
export function bundleStale() {
  const stamp = join(root, "dist", ".tsbuildinfo");
  if (!existsSync(BUNDLE) || !existsSync(LAUNCHER) || !existsSync(join(outdir, "help.json"))) return true;
  return existsSync(stamp) && statSync(stamp).mtimeMs > statSync(BUNDLE).mtimeMs;
}

/** Loads the precompiled templates in place of the module that compiles them at run time. */
const precompiledTemplates = {
  name: "precompiled-templates",
  setup(build) {
    const compiled = join(root, "dist", "cli", "output", "compiled-templates.js");
    build.onLoad({ filter: /compiled-templates\.js$/ }, async (args) =>
      args.path === compiled ? { contents: await precompiledTemplatesModule(), loader: "js", resolveDir: root } : undefined,
    );
  },
};

export async function bundleCli() {
  const { build } = await import("esbuild");
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { main: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: "warning",
    plugins: [precompiledTemplates, deferredBuiltins, joinedNameShards],
    // The bundled CommonJS dependencies (undici, handlebars, socks) require Node's modules.
    banner: { js: "import { createRequire as __esxviRequire } from 'node:module'; const require = __esxviRequire(import.meta.url);" },
  });
  // The launcher as tsc compiled it, without the reference to its source map (not shipped).
  const launcher = readFileSync(join(root, "dist", "cli", "launcher.cjs"), "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
  writeFileSync(LAUNCHER, launcher);
  chmodSync(LAUNCHER, 0o755);
  await prepareHelp();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!process.argv.includes("--if-stale") || bundleStale()) await bundleCli();
}
