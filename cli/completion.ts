/**
 * The shell's tab completion: command names, a command's options, and the names its
 * arguments take (domains and networks here; storage pools and volumes through
 * registerNameCompleter, which the groups of those commands call). What an argument names is
 * read from its name (<domain>, <network>, <pool>, <vol>) or the option whose value it is
 * (--pool <pool>).
 */
import type { Command } from "commander";
import type { Connection } from "../drivers/connection/connection.js";
import { listDomains } from "../drivers/domain/list.js";
import { listNetworks } from "../drivers/network/list.js";

export type NameKind = "domain" | "network" | "pool" | "volume";

/** Lists the names of one kind on the connection; `words` are the command's words so far (a volume's pool). */
export type NameCompleter = (conn: Connection, words: readonly string[]) => Promise<readonly string[]>;

const completers = new Map<NameKind, NameCompleter>([
  ["domain", async (conn) => (await listDomains(conn, { active: true, inactive: true })).map((d) => d.identity.name)],
  ["network", async (conn) => (await listNetworks(conn, { active: true, inactive: true })).map((n) => n.name)],
]);

/** Adds (or replaces) the completion of a kind of name. */
export function registerNameCompleter(kind: NameKind, completer: NameCompleter): void {
  completers.set(kind, completer);
}

const KINDS: Readonly<Record<string, NameKind>> = {
  domain: "domain",
  network: "network",
  pool: "pool",
  vol: "volume",
  volume: "volume",
};

/** The kind of name a value placeholder ("domain", "pool", …) stands for. */
export function kindOf(placeholder: string): NameKind | undefined {
  return KINDS[placeholder.toLowerCase()];
}

export interface CompletionContext {
  readonly program: Command;
  /** The connection, when one can be had without asking for a password. */
  readonly connection: () => Promise<Connection | undefined>;
}

/** The last command of a line (after the last ';') as words, and the word being completed. */
function lastCommand(line: string): { words: string[]; partial: string } {
  const segment = line.slice(line.lastIndexOf(";") + 1);
  const words = segment.split(/[ \t]+/).filter((w, i, all) => w !== "" || i === all.length - 1);
  const partial = words.pop() ?? "";
  return { words: words.filter((w) => w !== ""), partial };
}

function placeholderOfOption(cmd: Command, flag: string): string | undefined {
  const o = cmd.options.find((x) => x.long === flag || x.short === flag);
  if (o === undefined || !(o.required || o.optional)) return undefined;
  return /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1];
}

/** The completions of `line` (readline's [hits, word]). */
export async function complete(line: string, ctx: CompletionContext): Promise<[string[], string]> {
  const { words, partial } = lastCommand(line);
  const names = ctx.program.commands.map((c) => c.name());
  // One candidate is completed with the blank that ends the word, as GNU readline does.
  const matching = (all: readonly string[]): string[] => {
    const hits = [...new Set(all.filter((n) => n.startsWith(partial)))].sort();
    return hits.length === 1 ? [`${hits[0] ?? ""} `] : hits;
  };
  if (words.length === 0) return [matching(names), partial];
  const cmd = ctx.program.commands.find((c) => c.name() === words[0]);
  if (cmd === undefined) return [[], partial];
  if (partial.startsWith("-")) {
    return [matching(cmd.options.map((o) => o.long ?? "").filter((l) => l !== "" && l !== "--help")), partial];
  }
  // The value of the option before, or the next positional argument.
  const previous = words[words.length - 1] ?? "";
  let placeholder = previous.startsWith("-") ? placeholderOfOption(cmd, previous) : undefined;
  if (placeholder === undefined) {
    let positional = 0;
    for (let i = 1; i < words.length; i++) {
      const w = words[i] ?? "";
      if (w.startsWith("-")) {
        if (placeholderOfOption(cmd, w) !== undefined) i++;
      } else positional++;
    }
    placeholder = cmd.registeredArguments[positional]?.name();
  }
  const kind = placeholder === undefined ? undefined : kindOf(placeholder);
  const completer = kind === undefined ? undefined : completers.get(kind);
  if (completer === undefined) return [[], partial];
  const conn = await ctx.connection().catch(() => undefined);
  if (conn === undefined) return [[], partial];
  const found = await completer(conn, words).catch(() => [] as readonly string[]);
  return [matching(found), partial];
}
