/**
 * The time limits of the HTTP layer, phase by phase, and the error that names the phase
 * and the limit that fired. Every limit is enforced by a timer this module's callers own
 * (setTimeout, cleared when the phase ends) or by undici's own headers/body timers: never
 * by AbortSignal.timeout, which Node 20 can collect before it fires when joined with
 * AbortSignal.any.
 */
import { AbortError, type ErrorOptions } from "../../errors/esxvi-error.js";

export interface TimeoutSettings {
  /** Opening the TCP connection (and a proxy tunnel), in milliseconds; 0 = no limit. */
  readonly connectMs: number;
  /** The TLS handshake after the TCP connection. */
  readonly tlsHandshakeMs: number;
  /** From sending a request to the end of the answer's headers. */
  readonly headersMs: number;
  /** The longest silence inside an answer's body (virsh's keepalive interval × count). */
  readonly idleBodyMs: number;
  /** The whole of an ordinary call: request, headers and body. */
  readonly callMs: number;
}

/** On by default; idle body is virsh's keepalive default (5 s interval, 6 missed). */
export const DEFAULT_TIMEOUTS: TimeoutSettings = {
  connectMs: 30_000,
  tlsHandshakeMs: 30_000,
  headersMs: 120_000,
  idleBodyMs: 30_000,
  callMs: 300_000,
};

export type TimeoutPhase = "connect" | "TLS handshake" | "response headers" | "idle body" | "whole call";

/** A limit of TimeoutSettings fired: code OPERATION_TIMEOUT, with the phase and the limit. */
export class TimeoutError extends AbortError {
  readonly phase: TimeoutPhase;
  readonly limitMs: number;

  constructor(phase: TimeoutPhase, limitMs: number, what: string, options?: ErrorOptions) {
    super(`${what}: ${PHASE_TEXT[phase]} within ${formatMs(limitMs)}`, { ...options, timeout: true });
    this.phase = phase;
    this.limitMs = limitMs;
  }
}

const PHASE_TEXT: Record<TimeoutPhase, string> = {
  connect: "no connection",
  "TLS handshake": "no TLS handshake",
  "response headers": "no response headers",
  "idle body": "no byte of the body",
  "whole call": "no complete answer",
};

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The settings with `partial` over `base`; throws on a negative or non-finite value. */
export function mergeTimeouts(base: TimeoutSettings, partial: Partial<TimeoutSettings> | undefined): TimeoutSettings {
  if (partial === undefined) return base;
  const out = { ...base };
  for (const key of Object.keys(base) as (keyof TimeoutSettings)[]) {
    const v = partial[key];
    if (v === undefined) continue;
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`timeout ${key} must be a number of milliseconds >= 0, not ${v}`);
    out[key] = v;
  }
  return out;
}

/**
 * A timer you own: `fire` runs once after `ms` (never when `ms` is 0), unless `clear()`
 * came first. It keeps the process alive while it runs, as a pending request should.
 */
export function ownTimer(ms: number, fire: () => void): { clear(): void } {
  if (ms <= 0) return { clear: () => undefined };
  const t = setTimeout(fire, ms);
  return { clear: () => clearTimeout(t) };
}

/**
 * The bound for a short housekeeping call (Logout, CancelWaitForUpdates) given as its own
 * per-call limit: `ms`, or less when the connection's headers or call limits are shorter.
 */
export function housekeepingMs(t: TimeoutSettings, ms: number): number {
  return Math.min(ms, ...[t.headersMs, t.callMs].filter((v) => v > 0));
}
