/**
 * virsh's first error line for commands on networks and interfaces: "failed to get network
 * 'x'" / "failed to get interface 'x'" when the argument names none, else the command's own
 * line (as failures.ts does for domains).
 */
import { EsxviError } from "../../errors/esxvi-error.js";
import { failureLine } from "./failures.js";

const NOT_FOUND = { network: "NO_NETWORK", interface: "NO_INTERFACE" } as const;

/** A failure report for a command whose first argument names a network or an interface. */
export function objectFailure(
  kind: keyof typeof NOT_FOUND,
  line?: (name: string) => string,
): (error: unknown, ...args: unknown[]) => string | undefined {
  return (error, ...args) => {
    const name = typeof args[0] === "string" ? args[0] : "";
    if (error instanceof EsxviError && error.code === NOT_FOUND[kind]) return `failed to get ${kind} '${name}'`;
    return failureLine(error, name, line?.(name));
  };
}
