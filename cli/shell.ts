/**
 * The interactive shell (esxvi with no command), as virsh's: prompt "esxvi # ", lines of
 * commands separated by ';', one connection kept across commands (opened on first use;
 * `connect URI` changes it), history kept between runs in $XDG_CONFIG_HOME/esxvi/history
 * (~/.config/esxvi/history), tab completion (cli/completion.ts), quit/exit or end of input to
 * leave. Ctrl-C stops the running command (its AbortSignal), not the shell; at the prompt it
 * drops the line. When stdin is not a terminal the commands are read from it without prompt.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { openConnection, type Connection } from "../drivers/connection/connection.js";
import { splitCommands } from "./command-line.js";
import { complete } from "./completion.js";
import { formatError } from "./error-report.js";
import type { CliSession } from "./program.js";

/** virsh keeps this many lines (VSH_HISTSIZE_MAX is larger; its default is 500). */
const HISTORY_SIZE = 500;

/** $XDG_CONFIG_HOME/esxvi/history, else ~/.config/esxvi/history. */
export function historyFile(env: Readonly<Record<string, string | undefined>>): string {
  const config =
    env["XDG_CONFIG_HOME"] !== undefined && env["XDG_CONFIG_HOME"] !== ""
      ? env["XDG_CONFIG_HOME"]
      : join(env["HOME"] ?? homedir(), ".config");
  return join(config, "esxvi", "history");
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "");
  } catch {
    return [];
  }
}

function saveHistory(file: string, lines: readonly string[]): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(
      file,
      lines
        .slice(-HISTORY_SIZE)
        .map((l) => `${l}\n`)
        .join(""),
      { mode: 0o600 },
    );
  } catch {
    // A history that cannot be written is not worth failing the session for.
  }
}

type ShellInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** Runs the shell until quit, exit or end of input; resolves with the last command's status. */
export async function runShell(session: CliSession, input: ShellInput, commands: () => Promise<Command>): Promise<number> {
  const io = session.io;
  const interactive = input.isTTY === true;
  const file = historyFile(io.env);
  const history = interactive ? loadHistory(file) : [];
  const program = await commands();
  const completionConnection = async (): Promise<Connection | undefined> => {
    const kept = session.current();
    if (kept !== undefined) return kept;
    const uri = session.options.connect ?? io.env["ESXVI_DEFAULT_URI"] ?? io.env["LIBVIRT_DEFAULT_URI"];
    // Completion never asks for a password: only credentials from the environment or an auth file.
    return uri === undefined ? undefined : session.get(uri, () => openConnection(uri, { credentials: { env: io.env } }));
  };
  const rl = createInterface({
    input,
    output: io.stdout,
    terminal: interactive,
    prompt: "esxvi # ",
    historySize: HISTORY_SIZE,
    history: [...history].reverse(),
    removeHistoryDuplicates: false,
    ...(interactive
      ? {
          completer: (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
            complete(line, { program, connection: completionConnection }).then(
              (r) => done(null, r),
              () => done(null, [[], line]),
            );
          },
        }
      : {}),
  });

  if (interactive && session.options.quiet !== true) {
    io.stdout.write(
      "Welcome to esxvi, the virtualization interactive terminal for ESX and vCenter.\n\n" +
        "Type:  'help' for help with commands\n       'quit' to quit\n\n",
    );
  }

  let running = false;
  rl.on("SIGINT", () => {
    if (running) {
      // The running command's handler (cli/program.ts) aborts its AbortSignal.
      process.emit("SIGINT");
      return;
    }
    rl.write(null, { ctrl: true, name: "u" });
    io.stdout.write("\n");
    rl.prompt();
  });

  let status = 0;
  const lines = rl[Symbol.asyncIterator]();
  if (interactive) rl.prompt();
  for (;;) {
    const next = await lines.next();
    if (next.done === true) break;
    const line = next.value;
    if (interactive && line.trim() !== "") history.push(line);
    let parsed: string[][] = [];
    try {
      parsed = splitCommands(line);
    } catch (e) {
      io.stderr.write(formatError(e));
    }
    running = true;
    for (const words of parsed) {
      status = await session.run(words);
      if (session.quit) break;
    }
    running = false;
    if (session.quit) break;
    if (interactive) rl.prompt();
  }
  rl.close();
  if (interactive) {
    if (!session.quit) io.stdout.write("\n");
    saveHistory(file, history);
  }
  return status;
}
