/**
 * Formats generated files with prettier, in process, once per file. (A worker-thread lane
 * was measured slower on this 2-CPU machine: two cold prettier isolates contend for the
 * CPUs and V8's background threads.)
 */
import * as prettier from "prettier";
import type { Options } from "prettier";

/** The babel-ts parser prints the same as "typescript", twice as fast. */
const PRETTIER_OPTIONS: Options = { parser: "babel-ts", printWidth: 120, trailingComma: "all" };

/** Returns the files formatted, sorted by name. */
export async function formatFiles(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const done = await Promise.all(
    [...files].map(async ([name, text]): Promise<[string, string]> => [name, await prettier.format(text, PRETTIER_OPTIONS)]),
  );
  return new Map(done.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
