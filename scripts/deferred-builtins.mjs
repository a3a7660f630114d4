// Node modules that a bundled dependency requires when it loads but uses only on a path the
// command never takes: in the bundle, each such require gets a stand-in that loads the real
// module on first use. Loading node:http2 (with what it brings) and node:child_process costs a
// command start about 10 ms and 3 MiB of RSS, and esxvi never speaks HTTP/2 nor lets commander
// spawn a subcommand executable.
// - node:http2, required by undici's HTTP/2 client (lib/dispatcher/client-h2.js), which reads
//   http2.constants when it loads and calls http2.connect only for an HTTP/2 connection (the
//   transport never allows one): the stand-in carries the constants, taken from this Node's
//   http2 at build time, and loads the module for anything else.
// - node:child_process, required by commander (lib/command.js) for executable subcommands,
//   which esxvi has none of.
// test/cli/deferred-builtins.test.ts checks that the bundled command loads neither module and
// that the stand-in's constants are Node's.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Each deferred module: who may get the stand-in (their path ends so), and what it holds besides. */
const DEFERRED = {
  "node:http2": {
    importers: [/[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/],
    eager: () => ({ constants: require("node:http2").constants }),
  },
  "node:child_process": { importers: [/[\\/]commander[\\/]lib[\\/]command\.js$/], eager: () => ({}) },
};

const NAMESPACE = "deferred-builtin";

/** The stand-in's source: the eager members, then the real module's own on first access. */
export function standInSource(name) {
  const spec = DEFERRED[name];
  if (spec === undefined) throw new Error(`${name} is not a deferred module`);
  return [
    `let real;`,
    `const eager = ${JSON.stringify(spec.eager())};`,
    `module.exports = new Proxy(eager, {`,
    `  get: (target, key) => (key in target ? target[key] : (real ??= require(${JSON.stringify(name)}))[key]),`,
    `  has: (target, key) => key in target || key in (real ??= require(${JSON.stringify(name)})),`,
    `});`,
    ``,
  ].join("\n");
}

/** The esbuild plugin. */
export const deferredBuiltins = {
  name: "deferred-builtins",
  setup(build) {
    build.onResolve({ filter: /^node:(http2|child_process)$/ }, (args) => {
      const spec = DEFERRED[args.path];
      if (spec === undefined || !spec.importers.some((re) => re.test(args.importer))) return undefined;
      return { path: args.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: standInSource(args.path), loader: "js" }));
  },
};
