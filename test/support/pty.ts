/**
 * A program run in a pseudo-terminal (through python3's pty module, test/support/pty-relay.py),
 * for tests of the interactive shell: send keys, wait for output to show. Waiting is on the
 * output itself (a pattern), never on time; a wait that is not satisfied fails after `limitMs`
 * with the transcript.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./paths.js";

export function ptyAvailable(): boolean {
  return spawnSync("python3", ["-c", "import pty"], { stdio: "ignore" }).status === 0;
}

export class Terminal {
  readonly #child: ChildProcessWithoutNullStreams;
  /** Everything the program wrote, escape sequences included. */
  output = "";
  #seen = 0;
  #waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(argv: readonly string[], env: Readonly<Record<string, string | undefined>>) {
    this.#child = spawn("python3", [join(ROOT, "test", "support", "pty-relay.py"), ...argv], { env: { ...env } });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => {
      this.output += chunk;
      for (const w of this.#waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) => this.#child.once("exit", (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  send(keys: string): void {
    this.#child.stdin.write(keys);
  }

  /**
   * Waits until the output after the previous match (escape sequences removed) matches
   * `pattern`; returns that part of it and moves past it.
   */
  async expect(pattern: RegExp, limitMs = 15_000): Promise<string> {
    let late = false;
    const deadline = setTimeout(() => {
      late = true;
      for (const w of this.#waiters.splice(0)) w();
    }, limitMs);
    try {
      for (;;) {
        const rest = plain(this.output).slice(this.#seen);
        const m = pattern.exec(rest);
        if (m !== null) {
          this.#seen += m.index + m[0].length;
          return rest.slice(0, m.index + m[0].length);
        }
        const exitedOrLate = await new Promise<boolean>((resolve) => {
          if (this.#child.exitCode !== null) return resolve(true);
          this.#waiters.push(() => resolve(false));
        });
        if (exitedOrLate || late) {
          throw new Error(`no ${String(pattern)} in the terminal output:\n${JSON.stringify(plain(this.output).slice(this.#seen))}`);
        }
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  kill(): void {
    this.#child.kill("SIGKILL");
  }
}

/** The text without terminal escape sequences and carriage returns. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
}
