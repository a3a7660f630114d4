/**
 * The esxvi command line: virsh's command names, arguments and output layouts, on
 * commander. Every command has --help; read commands take --json; exit status 0 or 1.
 */
import { Command, CommanderError } from "commander";
import { AbortError } from "../errors/esxvi-error.js";
import { CommandContext, type CliIo, type GlobalOptions } from "./command-context.js";
import { formatError } from "./error-report.js";
import type { ActionRunner } from "./action-runner.js";
import { registerAll } from "./commands/index.js";
import { VERSION } from "./version.js";

function createProgram(io: CliIo): { program: Command; status: () => number } {
  let status = 0;
  const program = new Command("esxvi");
  program
    .description("virsh-compatible command line for VMware ESX/ESXi and vCenter (libvirt's ESX driver, in TypeScript)")
    .version(VERSION, "-v, --version", "print the esxvi version")
    .option(
      "-c, --connect <uri>",
      "hypervisor connection URI: esx://[user@]host[:port]/, gsx://…, vpx://vcenter/<dc>/<cluster>/<host>[?params]",
    )
    .option("-d, --debug", "log what happens on stderr")
    .option("-q, --quiet", "quieter output: no table headers, no progress")
    .option("-k, --keepalive-interval <seconds>", "keepalive interval: the server is given up after -K of them without data (0: off)")
    .option("-K, --keepalive-count <count>", "keepalive intervals without data before the server is given up (default 6)")
    .option("--timeout <seconds>", "ceiling of each call to the server, in seconds (default 300; 0: none)")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .enablePositionalOptions(false);

  const run: ActionRunner =
    <A extends unknown[]>(
      body: (ctx: CommandContext, ...args: A) => Promise<void>,
      describeFailure?: (error: unknown, ...args: A) => string | undefined,
    ) =>
    async (...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const ctx = new CommandContext(io, cmd.optsWithGlobals<GlobalOptions>());
      const onSigint = (): void => ctx.controller.abort(new AbortError("interrupted"));
      process.once("SIGINT", onSigint);
      const args = raw.slice(0, -1) as A;
      try {
        await body(ctx, ...args);
      } catch (e) {
        status = 1;
        io.stderr.write(formatError(e, ctx.failedToConnect(e) ? "failed to connect to the hypervisor" : describeFailure?.(e, ...args)));
      } finally {
        process.off("SIGINT", onSigint);
        await ctx.close();
        // virsh ends every command's output with a blank line unless quiet (vshCommandRun).
        if ((io.separator ?? true) && ctx.options.quiet !== true) io.stdout.write("\n");
      }
    };

  registerAll(program, run);
  return { program, status: () => status };
}

/** Runs the command line; resolves with the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { program, status } = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    io.stderr.write(formatError(e));
    return 1;
  }
  return status();
}
