#!/usr/bin/env node
/** The esxvi executable. */
import "./process-flags.js";
import { parseGlobalOptions } from "./global-options.js";
import { VERSION } from "./version.js";

// A reader that goes away (esxvi … | head) ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const argv = process.argv.slice(2);

/** `esxvi -v` answers from the global options alone, before the commands and drivers load. */
function versionOnly(): boolean {
  try {
    return parseGlobalOptions(argv).action === "version";
  } catch {
    return false; // the full parse reports it
  }
}

if (versionOnly()) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runCli } = await import("./program.js");
  process.exitCode = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin });
}
