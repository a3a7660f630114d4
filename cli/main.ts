/**
 * The esxvi program, run by the launcher (cli/launcher.cts) for everything it does not answer
 * itself. Importing this module does nothing: main() applies the process settings, then runs
 * the command line.
 */
import { parseGlobalOptions } from "./global-options.js";
import { applyProcessFlags } from "./process-flags.js";
import { VERSION } from "./version.js";

/** `esxvi -v` answers from the global options alone, before the commands and drivers load. */
function versionOnly(argv: readonly string[]): boolean {
  try {
    return parseGlobalOptions(argv).action === "version";
  } catch {
    return false; // the full parse reports it
  }
}

/** Runs esxvi with `argv` (the words after the program's name); sets process.exitCode. */
export async function main(argv: readonly string[]): Promise<void> {
  applyProcessFlags();
  // A reader that goes away (esxvi … | head) ends the output, not the program with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  if (versionOnly(argv)) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const { runCli } = await import("./program.js");
  process.exitCode = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin });
}
