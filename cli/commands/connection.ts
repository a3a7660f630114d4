/**
 * Connection commands (version, uri, hostname, nodeinfo) and what every command of this
 * slice uses to connect: `connect(ctx)` remembers a failure to connect so that the error
 * report starts with virsh's "failed to connect to the hypervisor"; `virshFailure` gives
 * that line, "failed to get domain '…'" for an unknown domain, or the command's own line.
 */
import type { Command } from "commander";
import { EsxviError, InvalidInputError } from "../../runtime/errors.js";
import type { Connection } from "../../drivers/connection/connection.js";
import { hostname, hypervisorVersion, nodeInfo } from "../../drivers/host/host-info.js";
import type { CommandContext } from "../command-context.js";
import { formatFields, formatVersion } from "../output/templates.js";
import { VERSION, type ActionRunner } from "../program.js";

const connectFailures = new WeakSet<object>();
const optionErrors = new WeakSet<object>();

/** An error in the command's options: virsh reports it alone, without the command's line. */
export function optionError(message: string): InvalidInputError {
  const e = new InvalidInputError(message);
  optionErrors.add(e);
  return e;
}

/** The command's connection; a failure is marked for virshFailure. */
export async function connect(ctx: CommandContext): Promise<Connection> {
  try {
    return await ctx.connection();
  } catch (e) {
    if (typeof e === "object" && e !== null) connectFailures.add(e);
    throw e;
  }
}

/**
 * virsh's first error line for a command: "failed to connect to the hypervisor" when
 * connecting failed, "failed to get domain 'x'" when the domain argument names no domain,
 * else `message` (virsh's line for the command, if it has one).
 */
export function virshFailure(message?: string | ((domain: string) => string)): (error: unknown, ...args: unknown[]) => string | undefined {
  return (error, ...args) => {
    const domain = typeof args[0] === "string" ? args[0] : "";
    if (typeof error === "object" && error !== null && optionErrors.has(error)) return undefined;
    if (typeof error === "object" && error !== null && connectFailures.has(error)) return "failed to connect to the hypervisor";
    if (error instanceof EsxviError && error.code === "NO_DOMAIN" && domain !== "") return `failed to get domain '${domain}'`;
    return typeof message === "function" ? message(domain) : message;
  };
}

interface JsonOption {
  readonly json?: boolean;
}

export function registerConnectionCommands(program: Command, run: ActionRunner): void {
  program
    .command("version")
    .description("show version: esxvi's and the hypervisor's (virsh version)")
    .option("--daemon", "report daemon version too (esxvi talks to the server directly: its own version)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption & { daemon?: boolean }) => {
        const conn = await connect(ctx);
        const v = hypervisorVersion(conn);
        if (opts.json === true)
          return ctx.json({
            library: VERSION,
            api: "ESX",
            hypervisor: v.type,
            hypervisorVersion: v.text,
            hypervisorVersionNumber: v.number,
            fullName: v.fullName,
          });
        ctx.out(formatVersion({ library: VERSION, api: "ESX", hypervisor: v.type, hypervisorVersion: v.text }));
        if (opts.daemon === true) ctx.out(`Running against daemon: ${VERSION}\n`);
      }, virshFailure()),
    );

  program
    .command("uri")
    .description("print the hypervisor canonical URI")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await connect(ctx);
        if (opts.json === true) return ctx.json({ uri: conn.uri.text });
        ctx.out(`${conn.uri.text}\n`);
      }, virshFailure("failed to get URI")),
    );

  program
    .command("hostname")
    .description("print the hypervisor hostname")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await connect(ctx);
        const name = await hostname(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ hostname: name });
        ctx.out(`${name}\n`);
      }, virshFailure("failed to get hostname")),
    );

  program
    .command("nodeinfo")
    .description("node information: CPU model, counts, frequency, NUMA cells, memory")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await connect(ctx);
        const n = await nodeInfo(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json(n);
        ctx.out(
          formatFields(
            [
              { label: "CPU model:", value: n.model },
              { label: "CPU(s):", value: n.cpus },
              ...(n.mhz > 0 ? [{ label: "CPU frequency:", value: `${n.mhz} MHz` }] : []),
              { label: "CPU socket(s):", value: n.sockets },
              { label: "Core(s) per socket:", value: n.cores },
              { label: "Thread(s) per core:", value: n.threads },
              { label: "NUMA cell(s):", value: n.nodes },
              { label: "Memory size:", value: `${n.memory} KiB` },
            ],
            20,
          ),
        );
      }, virshFailure("failed to get node information")),
    );
}
