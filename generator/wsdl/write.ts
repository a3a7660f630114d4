/**
 * Renders imported declarations as schema text: a header naming the source WSDL and the
 * command, then the declarations in the sorted order of sortDecls. For `--all`, splits them
 * into files of at most SPLIT_LIMIT declarations:
 *
 *   enums-<prefix>.vi, objects-<prefix>.vi, methods-<prefix>.vi
 *
 * The declarations of one kind are grouped by the lower-cased first letter of their names;
 * a group over the limit is split by the first two letters, and so on; then adjacent groups
 * are merged while they stay within the limit (`objects-a-c.vi` holds the groups a to c).
 * Lower case keeps the file names distinct on case-insensitive file systems.
 */
import type { Decl } from "../schema/ast.js";
import { printSchema } from "../schema/print.js";
import { sortDecls } from "./closure.js";

/** The first line of every file the importer writes (recognised when --all rewrites a folder). */
export const HEADER_MARK = "Imported by the esxvi WSDL importer";

export const SPLIT_LIMIT = 250;

export interface HeaderInfo {
  /** The WSDL source as given on the command line. */
  readonly source: string;
  readonly apiVersion?: string;
  /** The command that reproduces the file. */
  readonly command: string;
  /** For --all: which part of the API this file holds. */
  readonly part?: string;
}

export function headerLines(h: HeaderInfo): string[] {
  return [
    `${HEADER_MARK} (generator/wsdl) from ${h.source}${h.apiVersion === undefined ? "" : ` (API ${h.apiVersion})`}:`,
    `  ${h.command}`,
    ...(h.part === undefined
      ? [
          "Rerun the command instead of editing by hand. ManagedObjectReference:<Type> members and",
          "_this:<member> bindings written here are kept when the command rewrites this file.",
        ]
      : [h.part, "Rerun the command instead of editing by hand."]),
  ];
}

export function renderSchema(decls: readonly Decl[], header: HeaderInfo): string {
  return printSchema(sortDecls(decls), headerLines(header));
}

export interface SchemaChunk {
  /** File name, e.g. `objects-host-hosta.vi`. */
  readonly file: string;
  readonly decls: readonly Decl[];
}

interface Group {
  readonly first: string;
  readonly last: string;
  readonly decls: Decl[];
}

function groupByPrefix(decls: readonly Decl[], depth: number, limit: number): Group[] {
  const byKey = new Map<string, Decl[]>();
  for (const d of decls) {
    const key = d.name.slice(0, depth).toLowerCase();
    const list = byKey.get(key) ?? [];
    list.push(d);
    byKey.set(key, list);
  }
  const out: Group[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const list = byKey.get(key) ?? [];
    if (list.length > limit && list.some((d) => d.name.length > depth)) out.push(...groupByPrefix(list, depth + 1, limit));
    else out.push({ first: key, last: key, decls: list });
  }
  return out;
}

/** Splits declarations into files as described at the top of this file; deterministic. */
export function splitSchema(decls: readonly Decl[], limit: number = SPLIT_LIMIT): SchemaChunk[] {
  const kinds: [string, Decl[]][] = [
    ["enums", decls.filter((d) => d.kind === "enum")],
    ["objects", decls.filter((d) => d.kind === "object" && !d.managed)],
    ["managed", decls.filter((d) => d.kind === "object" && d.managed)],
    ["methods", decls.filter((d) => d.kind === "method")],
  ];
  const chunks: SchemaChunk[] = [];
  for (const [kind, list] of kinds) {
    if (list.length === 0) continue;
    const merged: Group[] = [];
    for (const g of groupByPrefix(list, 1, limit)) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && prev.decls.length + g.decls.length <= limit)
        merged[merged.length - 1] = { first: prev.first, last: g.last, decls: [...prev.decls, ...g.decls] };
      else merged.push(g);
    }
    for (const g of merged)
      chunks.push({ file: `${kind}-${g.first === g.last ? g.first : `${g.first}-${g.last}`}.vi`, decls: sortDecls(g.decls) });
  }
  return chunks;
}
