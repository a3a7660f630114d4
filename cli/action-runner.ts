/**
 * The shape of the wrapper every command body is registered through (created in
 * cli/program.ts): a fresh context, errors as "error:" lines and status 1, the connection
 * closed at the end. `A` are the command's arguments and its options object, as commander
 * passes them.
 */
import type { CommandContext } from "./command-context.js";

export type ActionRunner = <A extends unknown[]>(
  body: (ctx: CommandContext, ...args: A) => Promise<void>,
  describeFailure?: (error: unknown, ...args: A) => string | undefined,
) => (...args: unknown[]) => Promise<void>;
