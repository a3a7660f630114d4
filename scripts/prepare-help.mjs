// The help answers of the esxvi command, prepared at build time into dist/bin/help.json so that
// the launcher (cli/launcher.cts) prints them without loading the program: --help, -h, help,
// help <command|group>, <command> --help and -h for every command and alias, and the long
// version (-V, --version=long). Each text is what the program prints (cli/program.ts, run here
// with its output captured) when stdout is not a terminal. On a terminal commander wraps a
// command's --help to the terminal's width: each answer records the widths it holds for, from
// its longest line up when commander's 80 columns leave it unwrapped, else 80 columns only.
import { writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const HELP_FILE = join(root, "dist", "bin", "help.json");

class Capture extends Writable {
  text = "";
  isTTY = false;
  _write(chunk, _encoding, done) {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the program in this process with `words`, stdout a terminal of `columns` (or a pipe). */
export async function programAnswer(words, columns) {
  const { runCli } = await import(pathToFileURL(join(root, "dist", "cli", "program.js")).href);
  const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
  // commander reads the terminal's width from process.stdout.
  Object.defineProperty(process.stdout, "isTTY", { value: columns !== undefined, configurable: true, writable: true });
  Object.defineProperty(process.stdout, "columns", { value: columns, configurable: true, writable: true });
  try {
    const stdout = new Capture();
    const stderr = new Capture();
    const status = await runCli(words, { stdout, stderr, env: {} });
    return { status, stdout: stdout.text, stderr: stderr.text };
  } finally {
    Object.defineProperty(process.stdout, "isTTY", { value: saved.isTTY, configurable: true, writable: true });
    Object.defineProperty(process.stdout, "columns", { value: saved.columns, configurable: true, writable: true });
  }
}

/** Every argv the launcher answers from help.json. */
export async function preparedArgvs() {
  const { commandNames } = await import(pathToFileURL(join(root, "dist", "cli", "program.js")).href);
  const { GROUPS } = await import(pathToFileURL(join(root, "dist", "cli", "help.js")).href);
  const names = (await commandNames()).flatMap((c) => [c.name, ...c.aliases]);
  return [
    ["--help"],
    ["-h"],
    ["-V"],
    ["--version=long"],
    ["help"],
    ...GROUPS.map((g) => ["help", g.keyword]),
    ...names.map((n) => ["help", n]),
    ...names.flatMap((n) => [
      [n, "--help"],
      [n, "-h"],
    ]),
  ];
}

const longestLine = (text) => Math.max(...text.split("\n").map((l) => l.length));

/** Whether commander formats this answer (a command's own --help), so that its width matters. */
const wraps = (words) => words.length === 2 && (words[1] === "--help" || words[1] === "-h");

export async function prepareHelp() {
  const texts = [];
  const answers = {};
  for (const words of await preparedArgvs()) {
    const r = await programAnswer(words);
    if (r.status !== 0 || r.stderr !== "") throw new Error(`esxvi ${words.join(" ")}: status ${r.status}, ${r.stderr}`);
    let columns = [0, null];
    if (wraps(words)) {
      const unwrapped = (await programAnswer(words, 100_000)).stdout;
      columns = unwrapped === r.stdout ? [longestLine(unwrapped), null] : [80, 80];
    }
    let text = texts.indexOf(r.stdout);
    if (text < 0) text = texts.push(r.stdout) - 1;
    answers[words.join(" ")] = { text, columns };
  }
  writeFileSync(HELP_FILE, JSON.stringify({ texts, answers }));
}
