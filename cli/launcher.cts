#!/usr/bin/env node
/**
 * The esxvi executable (built into dist/bin/esxvi.cjs). It answers what needs no program
 * itself: the version (read from package.json) and the prepared help answers the build wrote
 * into help.json beside it (scripts/prepare-help.mjs: the exact text the program prints);
 * everything else loads the program (./main.js: the bundle in dist/bin). It is CommonJS
 * because Node starts a one-file CommonJS script sooner than an ES module.
 */
import fs = require("node:fs");
import path = require("node:path");

/** help.json (scripts/prepare-help.mjs): each prepared answer by its words joined with one space. */
interface PreparedAnswers {
  readonly texts: readonly string[];
  /**
   * The answer's text (an index in texts), and the terminal widths at which the program prints
   * the same text: [from, to] columns, to null for no limit.
   */
  readonly answers: Readonly<Record<string, { readonly text: number; readonly columns: readonly [number, number | null] }>>;
}

const VERSION_WORDS = new Set(["-v", "--version", "--version=short"]);

function packageVersion(): string | undefined {
  try {
    // dist/bin/esxvi.cjs and dist/cli/launcher.cjs both sit two folders below package.json.
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
    const v = typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined; // the program says it its own way
  }
}

function preparedAnswer(argv: readonly string[]): string | undefined {
  // Only plain words: a key stands for exactly one argv.
  if (argv.length === 0 || argv.length > 2 || !argv.every((a) => /^[A-Za-z0-9=-]+$/.test(a))) return undefined;
  let prepared: PreparedAnswers;
  try {
    prepared = JSON.parse(fs.readFileSync(path.join(__dirname, "help.json"), "utf8")) as PreparedAnswers;
  } catch {
    return undefined; // not built (the unbundled dist/cli): the program answers
  }
  const answer = prepared.answers[argv.join(" ")];
  if (answer === undefined) return undefined;
  // commander wraps a command's --help to a terminal's width; the file holds the text for a pipe.
  if (process.stdout.isTTY) {
    const [from, to] = answer.columns;
    const columns = process.stdout.columns ?? 80; // commander's width when the terminal gives none
    if (columns < from || (to !== null && columns > to)) return undefined;
  }
  return prepared.texts[answer.text];
}

function answerOf(argv: readonly string[]): string | undefined {
  if (argv.length === 1 && VERSION_WORDS.has(argv[0] ?? "")) {
    const version = packageVersion();
    if (version !== undefined) return `${version}\n`;
  }
  return preparedAnswer(argv);
}

const argv = process.argv.slice(2);
const answer = answerOf(argv);
if (answer !== undefined) {
  // A reader that goes away (esxvi --help | head) ends the output, not the program with a stack trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  process.stdout.write(answer);
} else {
  void import("./main.js").then((program) => program.main(argv));
}
