/**
 * virsh's wording for a malformed command (vshCommandParse, vshCommandCheckOpts), in place of
 * commander's: a missing argument, an option the command does not have, an option without its
 * value, more arguments than the command takes, an unknown command.
 */
import type { Command, CommanderError } from "commander";

/** The text virsh prints after "error: " for commander's error, or undefined to keep commander's. */
export function virshUsageMessage(e: CommanderError, program: Command, words: readonly string[]): string | undefined {
  const name = words[0] ?? "";
  const cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
  switch (e.code) {
    case "commander.missingArgument": {
      const arg = /'([^']+)'/.exec(e.message)?.[1] ?? "";
      return `command '${name}' requires <${arg}> option`;
    }
    case "commander.unknownOption": {
      const flag = (/'([^']+)'/.exec(e.message)?.[1] ?? "").replace(/^-+/, "");
      return `command '${name}' doesn't support option --${flag}`;
    }
    case "commander.optionMissingArgument": {
      const long = /--[\w-]+/.exec(e.message)?.[0] ?? "";
      return `expected syntax: ${long} <string>`;
    }
    case "commander.excessArguments": {
      const expected = cmd?.registeredArguments.length ?? 0;
      const positional = words.slice(1).filter((w) => !w.startsWith("-"));
      return `unexpected data '${positional[expected] ?? positional[positional.length - 1] ?? ""}'`;
    }
    case "commander.unknownCommand":
      return `unknown command: '${name}'`;
    default:
      return undefined;
  }
}
