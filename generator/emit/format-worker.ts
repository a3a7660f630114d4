/** A worker thread that formats generated files with prettier: the second lane of format.ts. */
import { parentPort } from "node:worker_threads";
import { formatJobs, type Job } from "./format-jobs.js";

parentPort?.on("message", (jobs: readonly Job[]) => {
  formatJobs(jobs).then(
    (done) => parentPort?.postMessage({ ok: true, done }),
    (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
