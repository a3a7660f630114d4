/**
 * Formats generated files with prettier, in process, once per file. (A worker-thread lane
 * was measured slower on this 2-CPU machine: two cold prettier isolates contend for the
 * CPUs and V8's background threads.)
 */
import { formatJobs } from "./format-jobs.js";

export async function formatFiles(files: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const done = await formatJobs([...files].map(([name, text]) => ({ name, text })));
  return new Map(done.map((j): [string, string] => [j.name, j.text]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
