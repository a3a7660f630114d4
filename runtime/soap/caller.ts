/**
 * What generated method stubs need from a client: invoke a method of a set of bindings,
 * and resolve `_this` bindings to ServiceContent members. runtime/client implements it.
 */
import type { TypeRegistry } from "./type-registry.js";
import type { MoRef } from "./values.js";

export interface CallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal;
  /** Per-call timeout in milliseconds. */
  readonly timeoutMs?: number;
}

/**
 * Only the call options of `o`, a wider options object (RetrieveOptions, TransferOptions, …):
 * what a request or a call is given, without the caller's other fields.
 */
export function pickCallOptions(o: CallOptions | undefined): CallOptions {
  if (o === undefined) return {};
  return { ...(o.signal !== undefined ? { signal: o.signal } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) };
}

export interface SoapCaller {
  invoke(registry: TypeRegistry, method: string, args: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<unknown>;
  /** The ServiceContent member `member`; throws when there is none (e.g. not connected). */
  bound(member: string): MoRef;
}
