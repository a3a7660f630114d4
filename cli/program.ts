/**
 * The esxvi command line: virsh's global options (cli/global-options.ts), then one command,
 * a command string ("list --all; dominfo web01"), or none: the interactive shell
 * (cli/shell.ts). Each command is parsed by commander with virsh's command names, arguments
 * and output layouts; every command has --help; read commands take --json; exit status 0 or 1.
 */
import { Command, CommanderError } from "commander";
import { AbortError } from "../errors/esxvi-error.js";
import type { Connection } from "../drivers/connection/connection.js";
import type { ActionRunner } from "./action-runner.js";
import { CommandContext, type CliIo, type ConnectionKeeper } from "./command-context.js";
import { splitArgv, splitCommands } from "./command-line.js";
import { formatError } from "./error-report.js";
import { parseGlobalOptions, type GlobalOptions } from "./global-options.js";
import { helpText, programHelp } from "./help.js";
import { logToFile } from "./log-output.js";
import { refuseIfMutating } from "./readonly-commands.js";
import { virshUsageMessage } from "./usage-errors.js";
import { registerCommands } from "./commands/index.js";
import { VERSION } from "./version.js";

/**
 * What lasts from one command to the next: the global options (`connect` changes the URI),
 * the connection (opened on first use and kept), and whether quit/exit was given.
 */
export class CliSession implements ConnectionKeeper {
  readonly io: CliIo;
  options: GlobalOptions;
  quit = false;
  #kept: { uri: string; connection: Promise<Connection> } | undefined;

  constructor(io: CliIo, options: GlobalOptions) {
    this.io = io;
    this.options = options;
  }

  get(uri: string, open: () => Promise<Connection>): Promise<Connection> {
    if (this.#kept?.uri !== uri) {
      const old = this.#kept;
      const connection = open();
      this.#kept = { uri, connection };
      // A connection that failed to open is not kept: the next command tries again.
      connection.catch(() => {
        if (this.#kept?.connection === connection) this.#kept = undefined;
      });
      if (old !== undefined) void old.connection.then((c) => c.close()).catch(() => undefined);
    }
    return this.#kept.connection;
  }

  /** The kept connection, if one is open (for completion). */
  current(): Promise<Connection> | undefined {
    return this.#kept?.connection;
  }

  /** virsh connect: a new URI; the old connection is closed. */
  async reconnect(uri: string | undefined): Promise<void> {
    await this.close();
    this.options = { ...this.options, ...(uri === undefined ? {} : { connect: uri }) };
  }

  async close(): Promise<void> {
    const kept = this.#kept;
    this.#kept = undefined;
    const c = await kept?.connection.catch(() => undefined);
    await c?.close();
  }

  /** Runs one command (its words); resolves with its exit status. */
  async run(words: readonly string[]): Promise<number> {
    const { program, status } = await createProgram(this, words[0]);
    try {
      await program.parseAsync([...words], { from: "user" });
    } catch (e) {
      if (e instanceof CommanderError) {
        if (e.exitCode === 0) return 0;
        const message = virshUsageMessage(e, program, words) ?? e.message.replace(/^error: /, "");
        this.io.stderr.write(`error: ${message}\n`);
        logToFile(this.options.logFile, 4, message);
        return 1;
      }
      this.io.stderr.write(formatError(e));
      return 1;
    }
    return status();
  }
}

/** virsh's commands that need no command group: connect, quit, exit (help lists them all). */
const SHELL_COMMANDS: ReadonlySet<string> = new Set(["connect", "quit", "exit"]);

/**
 * The program with the commands a run needs: the group of `name` (the command run), or every
 * command when `name` is undefined (help, the shell) or unknown.
 */
async function createProgram(session: CliSession, name?: string): Promise<{ program: Command; status: () => number }> {
  const io = session.io;
  let status = 0;
  const program = new Command("esxvi");
  program
    .description("virsh-compatible command line for VMware ESX/ESXi and vCenter (libvirt's ESX driver, in TypeScript)")
    // Errors are printed with virsh's wording by CliSession.run; --help output goes to stdout.
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => undefined })
    .exitOverride()
    .helpCommand(false)
    .enablePositionalOptions(false);

  const run: ActionRunner =
    <A extends unknown[]>(
      body: (ctx: CommandContext, ...args: A) => Promise<void>,
      describeFailure?: (error: unknown, ...args: A) => string | undefined,
    ) =>
    async (...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const options = session.options;
      const ctx = new CommandContext(io, options, session);
      const onSigint = (): void => ctx.controller.abort(new AbortError("interrupted"));
      process.once("SIGINT", onSigint);
      const args = raw.slice(0, -1) as A;
      const started = performance.now();
      try {
        if (options.readonly === true) refuseIfMutating(cmd.name(), args, cmd.opts());
        await body(ctx, ...args);
      } catch (e) {
        status = 1;
        const report = formatError(e, ctx.failedToConnect(e) ? "failed to connect to the hypervisor" : describeFailure?.(e, ...args));
        io.stderr.write(report);
        for (const line of report.split("\n")) if (line !== "") logToFile(options.logFile, 4, line.replace(/^error: /, ""));
      } finally {
        process.off("SIGINT", onSigint);
        await ctx.close();
        // virsh ends every command's output with a blank line unless quiet (vshCommandRun),
        // or with -t the time the command took.
        if ((io.separator ?? true) && options.quiet !== true) {
          io.stdout.write(options.timing === true ? `\n(Time: ${(performance.now() - started).toFixed(3)} ms)\n\n` : "\n");
        }
      }
    };

  if (name === undefined || !SHELL_COMMANDS.has(name)) await registerCommands(program, run, name);
  registerShellCommands(program, run, session);
  return { program, status: () => status };
}

/** virsh's own commands: help, connect, quit, exit. */
function registerShellCommands(program: Command, run: ActionRunner, session: CliSession): void {
  program
    .command("help")
    .description("print help")
    .argument("[command]", "Prints global help, command specific help, or help for a group of related commands")
    .action(
      run(async (ctx, topic: string | undefined) => {
        ctx.out(helpText(program, topic));
      }),
    );
  program
    .command("connect")
    .description("(re)connect to hypervisor")
    .argument("[name]", "hypervisor connection URI")
    .option("--readonly", "read-only connection")
    .action(
      run(async (ctx, name: string | undefined, opts: { readonly?: boolean }) => {
        await session.reconnect(name);
        if (opts.readonly === true) session.options = { ...session.options, readonly: true };
        // virsh connects at once: a bad URI or password shows here, not at the next command.
        const fresh = new CommandContext(ctx.io, session.options, session);
        await fresh.connection();
      }),
    );
  for (const name of ["quit", "exit"]) {
    program
      .command(name)
      .description("quit this interactive terminal")
      .action(
        run(async () => {
          session.quit = true;
        }),
      );
  }
}

/** `esxvi -V` / `--version=long`: the version and what this build supports. */
function longVersion(): string {
  return (
    `esxvi command line tool ${VERSION}\n` +
    "See web site at https://libvirt.org/ for virsh, whose commands esxvi follows\n\n" +
    "Compiled with support for:\n" +
    " Hypervisors: ESX (esx://, gsx://) vCenter (vpx://)\n" +
    " Networking: vSwitches through the host's network system\n" +
    " Storage: datastores\n" +
    " Miscellaneous: Readonly Interactive-shell Timing Logging TLS-pinning SOCKS-proxy\n"
  );
}

/** Runs the command line; resolves with the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let session: CliSession;
  let rest: readonly string[];
  try {
    const parsed = parseGlobalOptions(argv, (line) => io.stderr.write(`error: ${line}\n`));
    session = new CliSession(io, parsed.options);
    rest = parsed.rest;
    switch (parsed.action) {
      case "help":
        io.stdout.write(programHelp((await createProgram(session)).program));
        return 0;
      case "version":
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case "version-long":
        io.stdout.write(longVersion());
        return 0;
      default:
    }
  } catch (e) {
    io.stderr.write(formatError(e));
    return 1;
  }
  try {
    if (rest.length === 0) {
      if (io.stdin === undefined) {
        io.stderr.write(programHelp((await createProgram(session)).program));
        return 1;
      }
      const { runShell } = await import("./shell.js");
      return await runShell(session, io.stdin, async () => (await createProgram(session)).program);
    }
    let commands: string[][];
    try {
      commands = rest.length === 1 ? splitCommands(rest[0] ?? "") : splitArgv(rest);
    } catch (e) {
      io.stderr.write(formatError(e));
      return 1;
    }
    let status = 0;
    for (const words of commands) {
      status = await session.run(words);
      if (session.quit) break;
    }
    return status;
  } finally {
    await session.close();
  }
}

/** Every command's name and aliases, as the program registers them (the build's prepared help). */
export async function commandNames(): Promise<{ readonly name: string; readonly aliases: readonly string[] }[]> {
  const session = new CliSession({ stdout: process.stdout, stderr: process.stderr, env: {} }, {});
  const { program } = await createProgram(session);
  return program.commands.map((c) => ({ name: c.name(), aliases: c.aliases() }));
}
