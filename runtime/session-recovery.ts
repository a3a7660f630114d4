/**
 * Session recovery as a caller around a caller (as govmomi's keepalive handler wraps its
 * round tripper): when a call fails because the session is gone (NotAuthenticated), the
 * session is re-established and the call sent once more; the caller sees nothing. The
 * server refused the call without running it, so sending it again is safe, whatever it does.
 * Login and Logout are passed through: they are what recovery itself is made of.
 */
import { isFault } from "./faults.js";
import type { Logger } from "./logger.js";
import type { CallOptions, SoapCaller } from "./soap/index.js";

/** Re-establishes the session (or throws); concurrent callers should share one attempt. */
export type Recover = (options: CallOptions) => Promise<void>;

export function withSessionRecovery(inner: SoapCaller, recover: Recover, logger: Logger): SoapCaller {
  return {
    bound: (member) => inner.bound(member),
    async invoke(registry, method, args, options) {
      try {
        return await inner.invoke(registry, method, args, options);
      } catch (e) {
        if (method === "Login" || method === "Logout" || !isFault(e, "NotAuthenticated")) throw e;
        logger.log("info", `${method}: the session is gone; logging in again`);
        await recover(options?.signal !== undefined ? { signal: options.signal } : {});
        return inner.invoke(registry, method, args, options);
      }
    },
  };
}
