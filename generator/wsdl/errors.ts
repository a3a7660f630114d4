/** Errors of the WSDL importer. */
import { EsxviError, type ErrorOptions } from "../../errors/esxvi-error.js";

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

/** The importer's codes: a construct it does not model, a bad argument, an unreadable or malformed file. */
export type WsdlImportErrorCode = "NO_SUPPORT" | "INVALID_ARG" | "HTTP_ERROR" | "XML_ERROR";

export class WsdlImportError extends EsxviError<WsdlImportErrorCode> {
  readonly problems: readonly ImportProblem[];

  constructor(code: WsdlImportErrorCode, message: string, options?: ErrorOptions & { problems?: readonly ImportProblem[] }) {
    super(code, message, options);
    this.problems = options?.problems ?? [];
  }
}

/** The importer stops: the needed definitions use constructs it does not model. */
export function unsupportedError(problems: readonly ImportProblem[]): WsdlImportError {
  const lines = problems.map((p) => `  ${formatImportProblem(p)}`);
  return new WsdlImportError("NO_SUPPORT", `the WSDL uses constructs that the importer does not model:\n${lines.join("\n")}`, { problems });
}
