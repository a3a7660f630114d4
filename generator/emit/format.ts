/**
 * Formats generated files with prettier, in process: one pass per file, split between the
 * main thread and one worker thread when the machine has more than one CPU (the worker is
 * started before emitting, so its start-up overlaps that work). The output does not depend
 * on which thread formatted a file.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { formatJobs, type Job } from "./format-jobs.js";

type WorkerAnswer = { ok: true; done: Job[] } | { ok: false; error: string };

export interface Formatter {
  format(files: ReadonlyMap<string, string>): Promise<Map<string, string>>;
}

/** Splits jobs into two lanes of about equal size, largest first. */
function lanes(jobs: readonly Job[]): [Job[], Job[]] {
  const a: Job[] = [];
  const b: Job[] = [];
  let sa = 0;
  let sb = 0;
  for (const j of [...jobs].sort((x, y) => y.text.length - x.text.length || (x.name < y.name ? -1 : 1))) {
    if (sa <= sb) {
      a.push(j);
      sa += j.text.length;
    } else {
      b.push(j);
      sb += j.text.length;
    }
  }
  return [a, b];
}

/** Starts a formatter now (its worker loads prettier while the caller emits code). */
export function startFormatter(): Formatter {
  const worker = availableParallelism() > 1 ? new Worker(new URL("./format-worker.js", import.meta.url)) : undefined;
  worker?.unref();
  return {
    async format(files) {
      const jobs = [...files].map(([name, text]) => ({ name, text }));
      let results: Job[];
      if (worker === undefined || jobs.length < 2) {
        results = await formatJobs(jobs);
      } else {
        const [mine, theirs] = lanes(jobs);
        const remote = new Promise<Job[]>((resolve, reject) => {
          worker.once("message", (m: WorkerAnswer) => (m.ok ? resolve(m.done) : reject(new Error(`prettier (worker): ${m.error}`))));
          worker.once("error", reject);
          worker.postMessage(theirs);
        });
        const [a, b] = await Promise.all([formatJobs(mine), remote]);
        results = [...a, ...b];
      }
      await worker?.terminate();
      return new Map(results.map((j): [string, string] => [j.name, j.text]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
