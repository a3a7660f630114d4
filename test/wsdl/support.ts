/** Shared by the WSDL importer suites: fixture paths and helpers to look at imported declarations. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Decl } from "../../generator/schema/ast.js";
import { printDecl } from "../../generator/schema/print.js";
import { ROOT } from "../support/paths.js";

export { missingReference, ROOT, WSDL_DIR } from "../support/paths.js";

export const FIXTURES = join(ROOT, "test", "wsdl", "fixtures");
export const MINI = join(FIXTURES, "mini");
export const BAD = join(FIXTURES, "bad");
export const EXISTING = join(FIXTURES, "existing");
export const CLI = join(ROOT, "dist", "generator", "wsdl", "cli.js");

/** Each declaration printed on its own (comments included), in output order. */
export function printed(decls: readonly Decl[]): string[] {
  return decls.map(printDecl);
}

/** The printed declaration of one name (a method when `kind` says so). */
export function printedOf(decls: readonly Decl[], name: string, kind?: Decl["kind"]): string | undefined {
  const d = decls.find((x) => x.name === name && (kind === undefined || x.kind === kind));
  return d === undefined ? undefined : printDecl(d);
}

export function names(decls: readonly Decl[]): string[] {
  return decls.map((d) => d.name);
}

/** Each line trimmed, runs of blanks made one: compares declarations without the column layout. */
export function squeeze(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .join("\n");
}

/** The declarations as squeezed text, one string per declaration. */
export function squeezed(decls: readonly Decl[]): string[] {
  return decls.map((d) => squeeze(printDecl(d)));
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the importer's CLI (the built dist/generator/wsdl/cli.js) from `cwd`. */
export function runCli(args: readonly string[], cwd: string = ROOT): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
