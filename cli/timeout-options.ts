/**
 * The command line's time limits: virsh's keepalive options (-k interval, -K count: the
 * server is given up after count intervals without a sign of life, here as the longest
 * silence inside an answer) and --timeout (the ceiling of each ordinary call, which also
 * bounds connecting and the wait for the response headers).
 */
import { InvalidInputError } from "../errors/esxvi-error.js";
import { DEFAULT_TIMEOUTS, type TimeoutSettings } from "../runtime/http/timeouts.js";

export interface TimeoutOptions {
  readonly keepaliveInterval?: string;
  readonly keepaliveCount?: string;
  readonly timeout?: string;
}

/** virsh's defaults: a keepalive every 5 s, the server given up after 6 missed. */
const KEEPALIVE_INTERVAL = 5;
const KEEPALIVE_COUNT = 6;

function seconds(text: string | undefined, option: string, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const v = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v > 86_400 * 365) {
    throw new InvalidInputError(`Invalid value '${text}' for option ${option}: expected ${integer ? "an integer" : "a number"} >= 0`);
  }
  return v;
}

/** The limits these options ask for; what they leave out keeps its default. */
export function timeoutsFromOptions(o: TimeoutOptions): Partial<TimeoutSettings> {
  const interval = seconds(o.keepaliveInterval, "-k/--keepalive-interval", false) ?? KEEPALIVE_INTERVAL;
  const count = seconds(o.keepaliveCount, "-K/--keepalive-count", true) ?? KEEPALIVE_COUNT;
  const call = seconds(o.timeout, "--timeout", false);
  // virsh: an interval of 0 turns keepalive off; a count of 0 gives up after one silent interval.
  const idleBodyMs = interval === 0 ? 0 : Math.round(interval * Math.max(count, 1) * 1000);
  if (call === undefined) return { idleBodyMs };
  const callMs = Math.round(call * 1000);
  const within = (ms: number): number => (callMs === 0 ? ms : Math.min(ms, callMs));
  return {
    idleBodyMs,
    callMs,
    connectMs: within(DEFAULT_TIMEOUTS.connectMs),
    tlsHandshakeMs: within(DEFAULT_TIMEOUTS.tlsHandshakeMs),
    headersMs: within(DEFAULT_TIMEOUTS.headersMs),
  };
}
