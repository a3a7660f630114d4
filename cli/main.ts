#!/usr/bin/env node
/** The esxvi executable. */
import "./process-flags.js";
import { runCli } from "./program.js";

// A reader that goes away (esxvi … | head) ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
process.exitCode = status;
