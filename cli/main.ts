#!/usr/bin/env node
/** The esxvi executable. */
import { runCli } from "./program.js";

const status = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = status;
