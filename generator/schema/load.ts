/** Reads schema files (a folder of *.vi files, or single files) and validates them together. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { SchemaFile } from "./ast.js";
import type { Model } from "./model.js";
import { parseSchema } from "./parse.js";
import { SchemaError, type SchemaProblem } from "./schema-error.js";
import { validateSchema } from "./validate.js";

export const SCHEMA_EXTENSION = ".vi";

/**
 * Expands folders into their *.vi files, sorted, then those of their subfolders (the
 * importer's whole-API folder), keeps files as given.
 */
export function schemaPaths(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      const entries = readdirSync(input, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      out.push(...entries.filter((e) => e.isFile() && e.name.endsWith(SCHEMA_EXTENSION)).map((e) => join(input, e.name)));
      out.push(...schemaPaths(entries.filter((e) => e.isDirectory()).map((e) => join(input, e.name))));
    } else {
      out.push(input);
    }
  }
  return out;
}

/**
 * Parses and validates. `displayBase` makes file names in messages and generated headers
 * relative (e.g. to the project root), so that output does not depend on the checkout path.
 */
export function loadSchema(inputs: readonly string[], displayBase?: string): Model {
  const files: SchemaFile[] = [];
  const problems: SchemaProblem[] = [];
  for (const path of schemaPaths(inputs)) {
    const display = displayBase === undefined ? path : relative(displayBase, path);
    try {
      files.push(parseSchema(readFileSync(path, "utf8"), display));
    } catch (e) {
      if (e instanceof SchemaError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length > 0) throw new SchemaError(problems);
  return validateSchema(files);
}
