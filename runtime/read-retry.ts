/**
 * Retries of calls that only read, as a caller around a caller: a read that fails on a
 * transient transport error (the connection reset or closed, HTTP 502/503/504, 429) is sent
 * again after a growing pause (the server's Retry-After when it gives one), a bounded number
 * of times. A call that changes something on the server (a *_Task method, a Create…, a
 * Register…) is never sent twice: whether the first one arrived cannot be known. Login is
 * the exception: logging in twice only makes a second session, and the first one is left
 * to expire.
 */
import { AbortError } from "../errors/esxvi-error.js";
import { HttpError, TransportError } from "./http/http-errors.js";
import type { Logger } from "./logger.js";
import type { SoapCaller } from "./soap/index.js";

export interface RetryPolicy {
  /** Sends in all, the first included (default 3; 1 turns retries off). */
  readonly attempts?: number;
  /** The first pause in milliseconds, doubled after each failure (default 250). */
  readonly baseDelayMs?: number;
  /** The longest pause, Retry-After included (default 10000). */
  readonly maxDelayMs?: number;
}

/** Methods that read and change nothing, by name: the property collector's reads, lookups, queries. */
const READ =
  /^(?:RetrieveServiceContent|RetrievePropertiesEx|RetrieveProperties|ContinueRetrievePropertiesEx|Find\w*|Query\w*|CurrentTime|ValidateMigration|Login)$/;

/** True for a method that is safe to send again (reads, and Login). */
export function isRetriable(method: string): boolean {
  return !method.endsWith("_Task") && READ.test(method);
}

const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** The pause the failure asks for (Retry-After), or undefined when it is not transient. */
function transientPause(e: unknown): number | "backoff" | undefined {
  if (e instanceof TransportError) return "backoff";
  if (e instanceof HttpError && TRANSIENT_STATUS.has(e.status)) return e.retryAfterMs ?? "backoff";
  return undefined;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new AbortError("stopped before retrying", { cause: signal.reason }));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError("stopped before retrying", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function withReadRetry(inner: SoapCaller, policy: RetryPolicy, logger: Logger): SoapCaller {
  const attempts = Math.max(1, policy.attempts ?? 3);
  const base = policy.baseDelayMs ?? 250;
  const max = policy.maxDelayMs ?? 10_000;
  return {
    bound: (member) => inner.bound(member),
    async invoke(registry, method, args, options) {
      const retriable = isRetriable(method);
      for (let attempt = 1; ; attempt++) {
        try {
          return await inner.invoke(registry, method, args, options);
        } catch (e) {
          const wanted = retriable && attempt < attempts ? transientPause(e) : undefined;
          if (wanted === undefined) throw e;
          const ms = Math.min(max, wanted === "backoff" ? base * 2 ** (attempt - 1) : wanted);
          logger.log("info", `${method}: ${e instanceof Error ? e.message : String(e)}; sending it again in ${ms} ms`);
          await pause(ms, options?.signal);
        }
      }
    },
  };
}
