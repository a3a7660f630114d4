/**
 * virsh's first error line for a failed command: none for a malformed command line
 * (UsageError), "failed to get domain 'x'" when the domain argument names no domain, else the
 * command's own line, if it has one. (A failure to connect gets virsh's "failed to connect to
 * the hypervisor" line for every command, in cli/program.ts.)
 */
import { EsxviError, InvalidInputError } from "../../errors/esxvi-error.js";

/** A malformed command line (virsh reports it alone, without the command's line). */
export class UsageError extends InvalidInputError {}

/** The first error line for `error` of a command on `domain` ("" when none) whose own line is `line`. */
export function failureLine(error: unknown, domain: string, line?: string): string | undefined {
  if (error instanceof UsageError) return undefined;
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
