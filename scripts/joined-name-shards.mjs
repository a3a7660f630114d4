// The shards of the bindings' names index (generated/metadata/names/*), one chunk in the
// command's bundle instead of one each. The shards exist so that a program that calls a few
// methods loads a few KB of the index; the command connects, logs in and retrieves, which
// needs about half of them, and Node's ES module loader charges each module it loads apart
// (resolving, reading, compiling, linking). In the bundle the index's loaders stay as they
// are, one per shard, and each takes its shard from the joined chunk, which the first of them
// loads.
import { dirname, join } from "node:path";

const NAMESPACE = "joined-name-shards";
const INDEX = /[\\/]dist[\\/]generated[\\/]metadata[\\/]index\.js$/;
const LOADER = /\(\) => import\("\.\/names\/([A-Za-z_$][A-Za-z0-9_$]*)\.js"\)/g;

/** The esbuild plugin. */
export const joinedNameShards = {
  name: "joined-name-shards",
  setup(build) {
    // The shards each index names (its folder -> shard modules): the index says which exist,
    // not the folder, where a stale compiled shard may remain.
    const shardsOf = new Map();
    build.onLoad({ filter: INDEX }, async (args) => {
      const { readFile } = await import("node:fs/promises");
      const source = await readFile(args.path, "utf8");
      const names = join(dirname(args.path), "names");
      const shards = [];
      const contents = source.replace(LOADER, (_, shard) => {
        shards.push(shard);
        return `() => import(${JSON.stringify(`${NAMESPACE}:${names}`)}).then((m) => m[${JSON.stringify(shard)}])`;
      });
      // The index's layout changed: better a failed build than a bundle that loads shards apart.
      if (shards.length === 0) throw new Error(`${args.path}: no shard loader found (the names index's layout changed)`);
      shardsOf.set(names, shards.sort());
      return { contents, loader: "js", resolveDir: dirname(args.path) };
    });
    build.onResolve({ filter: new RegExp(`^${NAMESPACE}:`) }, (args) => ({
      path: args.path.slice(NAMESPACE.length + 1),
      namespace: NAMESPACE,
    }));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
      const shards = shardsOf.get(args.path);
      if (shards === undefined) throw new Error(`${args.path}: loaded before its index`);
      return {
        contents: shards.map((s) => `export * as ${s} from ${JSON.stringify(join(args.path, `${s}.js`))};`).join("\n") + "\n",
        loader: "js",
        resolveDir: args.path,
      };
    });
  },
};
