/**
 * The help answers the build prepares in dist/bin/help.json (scripts/prepare-help.mjs), which
 * the launcher (dist/bin/esxvi.cjs) prints without loading the program: each is the text the
 * program prints for the same words, through a pipe and on every terminal width the launcher
 * uses it for; every command and group has its answers; the launcher prints them, and the
 * version, as the bundled program does, and leaves anything else to the program.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { GROUPS } from "../../cli/help.js";
import { commandNames, runCli } from "../../cli/program.js";
import { VERSION } from "../../cli/version.js";
import { ROOT } from "../support/paths.js";

interface Prepared {
  readonly texts: readonly string[];
  readonly answers: Readonly<Record<string, { readonly text: number; readonly columns: readonly [number, number | null] }>>;
}

const BIN = join(ROOT, "dist", "bin");
const prepared = JSON.parse(readFileSync(join(BIN, "help.json"), "utf8")) as Prepared;

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

function setStdout(isTTY: boolean | undefined, columns: number | undefined): void {
  Object.defineProperty(process.stdout, "isTTY", { value: isTTY, configurable: true, writable: true });
  Object.defineProperty(process.stdout, "columns", { value: columns, configurable: true, writable: true });
}

/** What the program prints for `words` (in this process), on a terminal of `columns` or through a pipe. */
async function programAnswer(words: readonly string[], columns?: number): Promise<{ status: number; stdout: string; stderr: string }> {
  const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
  setStdout(columns !== undefined, columns);
  try {
    const stdout = new Capture();
    const stderr = new Capture();
    const status = await runCli(words, { stdout, stderr, env: {} });
    return { status, stdout: stdout.text, stderr: stderr.text };
  } finally {
    setStdout(saved.isTTY, saved.columns);
  }
}

function preparedText(key: string): string {
  const answer = prepared.answers[key];
  if (answer === undefined) throw new Error(`no prepared answer for '${key}'`);
  const text = prepared.texts[answer.text];
  if (text === undefined) throw new Error(`'${key}': no text ${answer.text}`);
  return text;
}

test("every prepared answer is what the program prints through a pipe", async () => {
  const keys = Object.keys(prepared.answers);
  assert.ok(keys.length > 200, `${keys.length} answers`);
  for (const key of keys) {
    assert.equal(await programAnswer(key.split(" ")), { status: 0, stdout: preparedText(key), stderr: "" }, key);
  }
});

test("on a terminal, a prepared answer is what the program prints at the widths the launcher uses it for", async () => {
  let wrapped = 0;
  for (const [key, answer] of Object.entries(prepared.answers)) {
    const words = key.split(" ");
    const [from, to] = answer.columns;
    for (const columns of new Set([Math.max(from, 1), to ?? from + 1, to ?? 120, to ?? 400])) {
      assert.is((await programAnswer(words, columns)).stdout, preparedText(key), `${key} at ${columns} columns`);
    }
    if (to !== null) {
      // commander wraps it to the terminal: wider, the program's text is another.
      wrapped++;
      assert.is.not((await programAnswer(words, to + 40)).stdout, preparedText(key), key);
    }
  }
  assert.ok(wrapped > 0 && wrapped < Object.keys(prepared.answers).length, `${wrapped} answers hold at 80 columns only`);
});

test("every command, alias and group has its answers: --help, -h, help, help <name>, <command> --help, -h, -V", async () => {
  const expected = ["--help", "-h", "-V", "--version=long", "help", ...GROUPS.map((g) => `help ${g.keyword}`)];
  const listed = (await programAnswer(["help"])).stdout.match(/^ {4}\S+/gm)?.map((l) => l.trim()) ?? [];
  const names = (await commandNames()).flatMap((c) => [c.name, ...c.aliases]);
  assert.equal([...listed].sort(), [...names].sort(), "help lists every command");
  for (const name of names) expected.push(`help ${name}`, `${name} --help`, `${name} -h`);
  assert.equal(Object.keys(prepared.answers).sort(), expected.sort());
});

function run(file: string, words: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file, ...words], { encoding: "utf8", env: { PATH: process.env["PATH"], HOME: "/nonexistent" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The bundled program itself, without the launcher's answers. */
function runBundle(words: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const code = `import(${JSON.stringify(join(BIN, "main.js"))}).then((m) => m.main(${JSON.stringify(words)}))`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"], HOME: "/nonexistent" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the launcher prints the version and the prepared answers as the bundled program does", () => {
  const launcher = join(BIN, "esxvi.cjs");
  for (const words of [["-v"], ["--version"], ["--version=short"]]) {
    assert.equal(run(launcher, words), { status: 0, stdout: `${VERSION}\n`, stderr: "" }, words.join(" "));
    assert.equal(runBundle(words), { status: 0, stdout: `${VERSION}\n`, stderr: "" }, words.join(" "));
  }
  for (const words of [
    ["--help"],
    ["help"],
    ["help", "dominfo"],
    ["help", "volume"],
    ["dominfo", "--help"],
    ["vol-upload", "-h"],
    ["-V"],
  ]) {
    const answer = run(launcher, words);
    assert.equal(answer, { status: 0, stdout: preparedText(words.join(" ")), stderr: "" }, words.join(" "));
    assert.equal(runBundle(words), answer, words.join(" "));
  }
});

test("the launcher leaves what it has no answer for to the program", () => {
  const launcher = join(BIN, "esxvi.cjs");
  for (const words of [["help", "nosuch"], ["nosuch"], ["-q", "help", "dominfo"], ["dominfo", "--help", "--json"], ["--version=medium"]]) {
    const r = run(launcher, words);
    assert.equal(r, runBundle(words), words.join(" "));
  }
  assert.equal(run(launcher, ["help", "nosuch"]), {
    status: 1,
    stdout: "\n",
    stderr: "error: command or command group 'nosuch' doesn't exist\n",
  });
  assert.is(run(launcher, ["-q", "help", "dominfo"]).stdout, preparedText("help dominfo").replace(/\n$/, ""));
});

test.run();
