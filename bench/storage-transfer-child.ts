/**
 * The child of the storage benchmark: one vol-upload or vol-download run as the esxvi
 * executable runs it (same process settings, same command code), timed from the command's
 * start to its end (connecting included); prints {ms, rss} with the peak resident memory.
 * argv: <uri> <vol-upload|vol-download> <volume> <file>; the password in ESXVI_PASSWORD.
 */
import { readFileSync } from "node:fs";
import { applyProcessFlags } from "../cli/process-flags.js";

/** Peak resident memory of this process (VmHWM). */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? process.resourceUsage().maxRSS * 1024 : Number(m[1]) * 1024;
}

const [uri = "", command = "", volume = "", file = ""] = process.argv.slice(2);
// As main() does: the settings before the program (and undici) load.
applyProcessFlags();
const { runCli } = await import("../cli/program.js");
const t0 = performance.now();
const status = await runCli(["-c", uri, command, volume, file], {
  stdout: process.stderr,
  stderr: process.stderr,
  env: process.env,
  separator: false,
});
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, rss: peakRss() })}\n`);
process.exitCode = status;
