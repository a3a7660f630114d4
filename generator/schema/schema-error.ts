/** Errors found in a schema, each with the file and line it concerns. */
import { EsxviError } from "../../errors/esxvi-error.js";
import { locText, type SourceLoc } from "./ast.js";

export interface SchemaProblem {
  readonly loc: SourceLoc;
  readonly message: string;
}

export class SchemaError extends EsxviError {
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    super("SCHEMA_ERROR", problems.map(formatProblem).join("\n"));
    this.problems = problems;
  }
}

function formatProblem(p: SchemaProblem): string {
  return `${locText(p.loc)}: ${p.message}`;
}
