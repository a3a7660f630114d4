#!/usr/bin/env node
// The module graph of the compiled package (dist/), checked against the layering that
// DEVELOPERS.md draws: each layer imports only the layers below it, the pure layers (the
// error floor, the codec core, the VMX converter and its utilities, the bindings) do no I/O,
// and no static import cycle exists anywhere. Dynamic import() calls are lazy loads, not
// edges. Exits 1 with one line per breach. Used by npm test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// --dist DIR checks another compiled tree (the script's own test does).
const distArg = process.argv.indexOf("--dist");
const dist = distArg > 0 && process.argv[distArg + 1] !== undefined ? resolve(process.argv[distArg + 1]) : join(root, "dist");

/** Layers, the first matching prefix wins; `may` are the other layers a layer may import. */
const LAYERS = [
  { name: "errors", prefix: "errors/", may: [] },
  { name: "soap", prefix: "runtime/soap/", may: ["errors"] },
  { name: "generated", prefix: "generated/", may: ["soap", "errors"] },
  { name: "runtime", prefix: "runtime/", may: ["generated", "soap", "errors"] },
  { name: "pure", prefix: "drivers/vmx/", may: ["errors"] },
  { name: "pure", prefix: "drivers/util/", may: ["errors"] },
  { name: "drivers", prefix: "drivers/", may: ["pure", "runtime", "generated", "soap", "errors"] },
  { name: "cli", prefix: "cli/", may: ["drivers", "pure", "runtime", "generated", "soap", "errors"] },
  { name: "generator", prefix: "generator/", may: ["soap", "errors"] },
  { name: "entry", prefix: "entry/", may: ["cli", "drivers", "pure", "runtime", "generated", "soap", "errors"] },
];
/** Tools import whatever they test or measure; nothing imports them. */
const TOOLS = ["test/", "bench/", "scripts/"];
/** Layers that do no I/O: these packages and node modules are not theirs to import. */
const NO_IO = new Set(["errors", "soap", "generated", "pure"]);
const IO_MODULES =
  /^(?:node:)?(?:fs|fs\/promises|net|tls|http|https|http2|child_process|dgram|dns|worker_threads)$|^(?:undici|socks)(?:\/|$)/;

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith(".js")) out.push(p);
  }
  return out;
}

function layerOf(rel) {
  if (TOOLS.some((t) => rel.startsWith(t))) return "tools";
  return LAYERS.find((l) => rel.startsWith(l.prefix))?.name;
}

const STATIC = /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;

const problems = [];
const graph = new Map();
if (!statSync(dist, { throwIfNoEntry: false })) {
  process.stderr.write(`${dist} is missing: build first\n`);
  process.exit(1);
}
for (const file of files(dist).sort()) {
  const rel = relative(dist, file);
  const layer = layerOf(rel);
  if (layer === undefined) continue;
  const edges = [];
  const src = readFileSync(file, "utf8");
  for (const m of src.matchAll(STATIC)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith(".")) {
      const target = relative(dist, resolve(dirname(file), spec));
      const to = layerOf(target);
      edges.push(target);
      if (layer === "tools" || to === layer) continue;
      if (to === "tools") problems.push(`${rel} imports ${target}: nothing of the product imports test/, bench/ or scripts/`);
      else if (to === undefined) problems.push(`${rel} imports ${target}, which is in no layer`);
      else if (!LAYERS.find((l) => l.name === layer).may.includes(to))
        problems.push(
          `${rel} (${layer}) imports ${target} (${to}): ${layer} may import ${LAYERS.find((l) => l.name === layer).may.join(", ") || "nothing"}`,
        );
    } else if (NO_IO.has(layer) && IO_MODULES.test(spec)) {
      problems.push(`${rel} (${layer}) imports ${spec}: ${layer} does no I/O`);
    }
  }
  if (layer !== "tools") graph.set(rel, edges);
}

// Cycles: Tarjan's strongly connected components over the product's static imports.
let index = 0;
const idx = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) problems.push(`import cycle: ${scc.sort().join(" -> ")}`);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) connect(v);

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stderr.write(`${problems.length} breach(es) of the module graph (see DEVELOPERS.md)\n`);
  process.exit(1);
}
process.stdout.write(`module graph: ${graph.size} modules, layering and no cycles hold\n`);
