/**
 * The one WaitForUpdatesEx loop of esxvi: a private property collector with one filter,
 * long polls bounded on the server (maxWaitSeconds) and locally, an AbortSignal that cancels
 * the server-side wait, and the collector destroyed with its filter on every way out. The
 * task waiter and the domain event watcher are built on it.
 *
 * A private collector lives as long as the session that created it: when the session is lost
 * and the caller logs in again, the next wait meets ManagedObjectNotFound for the collector.
 * The wait then creates a new collector and filter and starts again from version "" (the whole
 * state once more), and says so (`resumed`), so that what changed meanwhile is not lost.
 */
import { AbortError, errorMessage } from "../errors/esxvi-error.js";
import { isFault } from "./faults.js";
import { silentLogger, type Logger } from "./logger.js";
import type { Session } from "./session.js";
import type { CallOptions, MoRef } from "./soap/index.js";
import {
  CancelWaitForUpdates,
  CreateFilter,
  CreatePropertyCollector,
  DestroyPropertyCollector,
  WaitForUpdatesEx,
  type PropertyFilterSpec,
  type UpdateSet,
} from "../generated/property-collector.js";

/** The longest a single WaitForUpdatesEx blocks on the server, in seconds. */
export const MAX_WAIT_SECONDS = 60;
/** The local bound of one long poll: the server's plus a margin for the answer to arrive. */
const LONG_POLL_MS = (MAX_WAIT_SECONDS + 30) * 1000;
/** Cleanup calls (cancel, destroy) are short and must not hang a closing wait. */
const CLEANUP_MS = 10_000;
/** How many times in a row a wait may start again on a new collector before it gives up. */
const MAX_RESUMES = 3;

export interface PropertyWaitOptions {
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** One answer of the wait. */
export interface WaitStep {
  /** The changes since the previous answer; undefined when the server's wait ended with none. */
  readonly update: UpdateSet | undefined;
  /**
   * The collector was created anew (the session was lost and re-established): `update`
   * holds the whole state, not only what changed.
   */
  readonly resumed: boolean;
}

export class PropertyWait {
  readonly #session: Session;
  readonly #spec: PropertyFilterSpec;
  readonly #logger: Logger;
  #collector: MoRef<"PropertyCollector">;
  #version = "";
  #resumed = false;
  #resumes = 0;
  /** A WaitForUpdatesEx was sent and the server may still be holding it. */
  #serverWaiting = false;
  #pending: Promise<unknown> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Ends a local wait that the server does not end after the collector is gone. */
  readonly #stop = new AbortController();

  private constructor(session: Session, spec: PropertyFilterSpec, collector: MoRef<"PropertyCollector">, logger: Logger) {
    this.#session = session;
    this.#spec = spec;
    this.#collector = collector;
    this.#logger = logger;
  }

  /** Creates the private collector and its filter. */
  static async open(session: Session, spec: PropertyFilterSpec, options: PropertyWaitOptions = {}): Promise<PropertyWait> {
    const call: CallOptions = options.signal !== undefined ? { signal: options.signal } : {};
    const collector = await CreatePropertyCollector(session.client, call);
    const wait = new PropertyWait(session, spec, collector, options.logger ?? silentLogger);
    try {
      await CreateFilter(session.client, collector, { spec, partialUpdates: false }, call);
    } catch (e) {
      await wait.close();
      throw e;
    }
    return wait;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The next update set. `maxWaitSeconds` 0 answers at once (the first call: the current
   * state); otherwise the server holds the call until something changes or the time is up.
   * A stop by `signal` ends the local call and cancels the server's wait.
   */
  async next(options: { readonly maxWaitSeconds?: number; readonly signal?: AbortSignal } = {}): Promise<WaitStep> {
    const maxWaitSeconds = options.maxWaitSeconds ?? MAX_WAIT_SECONDS;
    for (;;) {
      if (this.#closed) throw new AbortError("the property wait is closed");
      // The local call ends when the caller stops or the wait is closed (a controller of our own:
      // AbortSignal.any's result may be collected before it fires on Node 20).
      const local = new AbortController();
      const onAbort = (): void => {
        local.abort(options.signal?.reason);
        void this.#cancelServerWait();
      };
      const onClose = (): void => local.abort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#stop.signal.addEventListener("abort", onClose, { once: true });
      this.#serverWaiting = true;
      const call = WaitForUpdatesEx(
        this.#session.client,
        this.#collector,
        { version: this.#version, options: { _typeName: "WaitOptions", maxWaitSeconds } },
        { signal: local.signal, timeoutMs: LONG_POLL_MS },
      );
      this.#pending = call.catch(() => undefined);
      try {
        const update = await call;
        this.#serverWaiting = false;
        if (update !== undefined) this.#version = update.version;
        const step: WaitStep = { update, resumed: this.#resumed };
        this.#resumed = false;
        this.#resumes = 0;
        return step;
      } catch (e) {
        if (this.#closed || options.signal?.aborted === true) throw e;
        this.#serverWaiting = false;
        if (!isFault(e, "ManagedObjectNotFound") || this.#resumes >= MAX_RESUMES) throw e;
        await this.#recreate(options.signal);
      } finally {
        options.signal?.removeEventListener("abort", onAbort);
        this.#stop.signal.removeEventListener("abort", onClose);
        this.#pending = undefined;
      }
    }
  }

  /** The collector is gone with the session that made it: a new one, the same filter, from the start. */
  async #recreate(signal: AbortSignal | undefined): Promise<void> {
    this.#resumes++;
    this.#logger.log("info", `the property collector ${this.#collector.value} is gone (the session was lost): creating it again`);
    const call: CallOptions = signal !== undefined ? { signal } : {};
    this.#collector = await CreatePropertyCollector(this.#session.client, call);
    await CreateFilter(this.#session.client, this.#collector, { spec: this.#spec, partialUpdates: false }, call);
    this.#version = "";
    this.#resumed = true;
  }

  /** Asks the server to end a wait it is holding (the local call then ends with it). */
  #cancelServerWait(): Promise<unknown> {
    if (!this.#serverWaiting) return Promise.resolve();
    this.#serverWaiting = false;
    return CancelWaitForUpdates(this.#session.client, this.#collector, { timeoutMs: CLEANUP_MS }).catch((e: unknown) => {
      this.#logger.log("debug", `CancelWaitForUpdates: ${errorMessage(e)}`);
    });
  }

  /**
   * Ends the wait (once): cancels a wait the server holds, destroys the collector with its
   * filter, and gives up on a local call the server did not end.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      await this.#cancelServerWait();
      await DestroyPropertyCollector(this.#session.client, this.#collector, { timeoutMs: CLEANUP_MS }).catch((e: unknown) => {
        this.#logger.log("debug", `DestroyPropertyCollector: ${errorMessage(e)}`);
      });
      this.#stop.abort();
      await this.#pending;
    })();
    return this.#closing;
  }
}
