/**
 * virsh's first error line for a failed command: none for a malformed command line
 * (UsageError), "failed to connect to the hypervisor" when connecting failed (through
 * `connect`), "failed to get domain 'x'" when the domain argument names no domain, else the
 * command's own line, if it has one.
 */
import { EsxviError, InvalidInputError } from "../../runtime/errors.js";
import type { Connection } from "../../drivers/connection/connection.js";
import type { CommandContext } from "../command-context.js";

/** A malformed command line (virsh reports it alone, without the command's line). */
export class UsageError extends InvalidInputError {}

const connectFailures = new WeakSet<object>();

/** The command's connection; a failure is marked for the "failed to connect" line. */
export async function connect(ctx: CommandContext): Promise<Connection> {
  try {
    return await ctx.connection();
  } catch (e) {
    if (typeof e === "object" && e !== null) connectFailures.add(e);
    throw e;
  }
}

/** The first error line for `error` of a command on `domain` ("" when none) whose own line is `line`. */
export function failureLine(error: unknown, domain: string, line?: string): string | undefined {
  if (error instanceof UsageError) return undefined;
  if (typeof error === "object" && error !== null && connectFailures.has(error)) return "failed to connect to the hypervisor";
  if (error instanceof EsxviError && error.code === "NO_DOMAIN") return `failed to get domain '${domain}'`;
  return line;
}

/**
 * A command's failure report (its first argument is the domain, when it takes one), with
 * `message` as its own line: fixed, or made from the domain argument.
 */
export function virshFailure(message?: string | ((domain: string) => string)): (error: unknown, ...args: unknown[]) => string | undefined {
  return (error, ...args) => {
    const domain = typeof args[0] === "string" ? args[0] : "";
    return failureLine(error, domain, typeof message === "function" ? message(domain) : message);
  };
}
