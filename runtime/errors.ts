/**
 * The error classes of esxvi. Every error has a stable `code` (modelled on libvirt's
 * virErrorNumber names, without the VIR_ERR_ prefix) and keeps its `cause` chain.
 */

export type ErrorCode =
  | "INTERNAL_ERROR"
  | "INVALID_ARG"
  | "ARGUMENT_UNSUPPORTED"
  | "CONFIG_UNSUPPORTED"
  | "NO_SUPPORT"
  | "OPERATION_INVALID"
  | "OPERATION_FAILED"
  | "OPERATION_UNSUPPORTED"
  | "OPERATION_ABORTED"
  | "OPERATION_TIMEOUT"
  | "NO_DOMAIN"
  | "NO_DOMAIN_SNAPSHOT"
  | "DOM_EXIST"
  | "NO_NETWORK"
  | "NETWORK_EXIST"
  | "NO_INTERFACE"
  | "NO_STORAGE_POOL"
  | "NO_STORAGE_VOL"
  | "XML_ERROR"
  | "VMX_ERROR"
  | "SCHEMA_ERROR"
  | "ENCODE_ERROR"
  | "DECODE_ERROR"
  | "SOAP_FAULT"
  | "HTTP_ERROR"
  | "TRANSPORT_ERROR"
  | "TLS_ERROR"
  | "AUTH_FAILED"
  | "TASK_FAILED"
  | "QUESTION_PENDING";

export interface ErrorOptions {
  cause?: unknown;
}

export class EsxviError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value given by the caller (argument, URI, XML, file) is not acceptable. */
export class InvalidInputError extends EsxviError {
  constructor(message: string, options?: ErrorOptions & { code?: ErrorCode }) {
    super(options?.code ?? "INVALID_ARG", message, options);
  }
}

/** Something the caller asked for does not exist (domain, snapshot, network, ...). */
export class NotFoundError extends EsxviError {}

/** The request is valid but not possible in the current state (power state, pending task). */
export class OperationInvalidError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("OPERATION_INVALID", message, options);
  }
}

/** The feature is not supported by esxvi or by the server. */
export class UnsupportedError extends EsxviError {
  constructor(message: string, options?: ErrorOptions & { code?: ErrorCode }) {
    super(options?.code ?? "NO_SUPPORT", message, options);
  }
}

/** The operation was stopped by an AbortSignal or a timeout. */
export class AbortError extends EsxviError {
  constructor(message: string, options?: ErrorOptions & { timeout?: boolean }) {
    super(options?.timeout ? "OPERATION_TIMEOUT" : "OPERATION_ABORTED", message, options);
  }
}

/** The message of an error, or the text of any other thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Walks the cause chain, outermost first. */
export function* causeChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e !== undefined && e !== null && !seen.has(e)) {
    seen.add(e);
    yield e;
    e = e instanceof Error ? e.cause : undefined;
  }
}
