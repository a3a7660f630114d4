/**
 * The floor of every layer: the base class of esxvi's errors and the kinds of failure every
 * layer meets (bad input, not found, invalid now, unsupported, stopped, internal). It imports
 * nothing, so the codec core, the VMX converter and the generator may use it as well as the
 * runtime, the drivers and the CLI. Each layer declares its own codes beside its own classes;
 * a code is stable (modelled on libvirt's virErrorNumber names without the VIR_ERR_ prefix)
 * and every class has a default one.
 */

export interface ErrorOptions {
  cause?: unknown;
}

/** The base class: a stable `code` and the `cause` chain. */
export class EsxviError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: ErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Options of a kind whose code a layer may make more precise (libvirt's codes per object kind). */
export type KindOptions<C extends string> = ErrorOptions & { code?: C };

/** Something that should not happen: an answer of the server esxvi cannot make sense of. */
export class InternalError extends EsxviError<"INTERNAL_ERROR"> {
  constructor(message: string, options?: ErrorOptions) {
    super("INTERNAL_ERROR", message, options);
  }
}

/** A value given by the caller (argument, URI, XML, file) is not acceptable. */
export class InvalidInputError<C extends string = "INVALID_ARG"> extends EsxviError<C | "INVALID_ARG"> {
  constructor(message: string, options?: KindOptions<C>) {
    super(options?.code ?? "INVALID_ARG", message, options);
  }
}

/** Something the caller or the connection needs does not exist (a domain, a datacenter, …). */
export class NotFoundError<C extends string = "NOT_FOUND"> extends EsxviError<C | "NOT_FOUND"> {
  constructor(message: string, options?: KindOptions<C>) {
    super(options?.code ?? "NOT_FOUND", message, options);
  }
}

/** The request is valid but not possible in the current state (power state, pending task). */
export class OperationInvalidError<C extends string = "OPERATION_INVALID"> extends EsxviError<C | "OPERATION_INVALID"> {
  constructor(message: string, options?: KindOptions<C>) {
    super(options?.code ?? "OPERATION_INVALID", message, options);
  }
}

/** The feature is not supported by esxvi or by the server. */
export class UnsupportedError<C extends string = "NO_SUPPORT"> extends EsxviError<C | "NO_SUPPORT"> {
  constructor(message: string, options?: KindOptions<C>) {
    super(options?.code ?? "NO_SUPPORT", message, options);
  }
}

/** The operation was tried and failed (the server could not do it, or did only part of it). */
export class OperationFailedError extends EsxviError<"OPERATION_FAILED"> {
  constructor(message: string, options?: ErrorOptions) {
    super("OPERATION_FAILED", message, options);
  }
}

/** The operation was stopped by an AbortSignal (OPERATION_ABORTED) or a time limit (OPERATION_TIMEOUT). */
export class AbortError extends EsxviError<"OPERATION_ABORTED" | "OPERATION_TIMEOUT"> {
  constructor(message: string, options?: ErrorOptions & { timeout?: boolean }) {
    super(options?.timeout === true ? "OPERATION_TIMEOUT" : "OPERATION_ABORTED", message, options);
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
