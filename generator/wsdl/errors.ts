/** Errors of the WSDL importer. */
import { EsxviError, type ErrorCode, type ErrorOptions } from "../../runtime/errors.js";

/**
 * Something in the WSDL that the importer cannot express in the schema grammar: `where` names
 * the type, operation or member (`type Foo`, `type Foo member bar`, `operation Baz`),
 * `construct` the XSD/WSDL construct (`xsd:choice`, `xsd:attribute 'lang'`, ...).
 */
export interface ImportProblem {
  readonly where: string;
  readonly construct: string;
  /** Why it cannot be imported, when the construct alone does not say it. */
  readonly detail?: string;
}

export function formatImportProblem(p: ImportProblem): string {
  return `${p.where}: ${p.construct}${p.detail === undefined ? " is not modelled by the importer" : `: ${p.detail}`}`;
}

export class WsdlImportError extends EsxviError {
  readonly problems: readonly ImportProblem[];

  constructor(code: ErrorCode, message: string, options?: ErrorOptions & { problems?: readonly ImportProblem[] }) {
    super(code, message, options);
    this.problems = options?.problems ?? [];
  }
}

/** The importer stops: the needed definitions use constructs it does not model. */
export function unsupportedError(problems: readonly ImportProblem[]): WsdlImportError {
  const lines = problems.map((p) => `  ${formatImportProblem(p)}`);
  return new WsdlImportError("NO_SUPPORT", `the WSDL uses constructs that the importer does not model:\n${lines.join("\n")}`, { problems });
}
