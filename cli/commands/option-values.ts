/**
 * virsh's handling of option values: scaled integers (vshCommandOptScaledInt with libvirt's
 * virScaleInteger suffixes: b, k/KiB, KB, M/MiB, MB, … E; no suffix means the default unit),
 * memtune sizes (negative = unlimited), plain integers, mutually exclusive options and the
 * --json flag.
 */
import { UsageError } from "./failures.js";

/** The --json flag of read commands. */
export interface JsonOption {
  readonly json?: boolean;
}

/** virsh's VSH_EXCLUSIVE_OPTIONS: --a and --b not both. */
export function exclusive(a: string, aSet: boolean | undefined, b: string, bSet: boolean | undefined): void {
  if (aSet === true && bSet === true) throw new UsageError(`Options --${a} and --${b} are mutually exclusive`);
}

const POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** virScaleInteger's multiplier for a suffix, or undefined when the suffix is unknown. */
function multiplier(suffix: string, defaultScale: bigint): bigint | undefined {
  if (suffix === "") return defaultScale;
  const lower = suffix.toLowerCase();
  if (lower === "b" || lower === "byte" || lower === "bytes") return 1n;
  const power = POWERS[lower[0] ?? ""];
  if (power === undefined) return undefined;
  const rest = suffix.slice(1);
  let base: bigint;
  if (rest === "" || rest.toLowerCase() === "ib") base = 1024n;
  else if (rest.toLowerCase() === "b") base = 1000n;
  else return undefined;
  return base ** BigInt(power);
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A scaled size in KiB (virsh: bytes rounded up to KiB); throws virsh's message when malformed. */
export function parseScaledKiB(text: string, option: string): number {
  const m = /^\s*(\d+)(.*)$/.exec(text);
  const scale = m === null ? undefined : multiplier(m[2] ?? "", 1024n);
  if (m === null || scale === undefined)
    throw new UsageError(`Scaled numeric value '${text}' for <${option}> option is malformed or out of range`);
  const bytes = BigInt(m[1] ?? "0") * scale;
  const kib = (bytes + 1023n) / 1024n;
  if (kib > MAX) throw new UsageError(`Scaled numeric value '${text}' for <${option}> option is malformed or out of range`);
  return Number(kib);
}

/** memtune's sizes (virshMemtuneGetSize): KiB, or "unlimited" for a negative value. */
export function parseMemtuneSize(text: string, option: string): number | "unlimited" {
  const m = /^\s*(-?\d+)(.*)$/.exec(text);
  if (m !== null && (m[1] ?? "").startsWith("-")) return "unlimited";
  try {
    return parseScaledKiB(text, option);
  } catch {
    throw new UsageError(`Unable to parse integer parameter ${option}`);
  }
}

/** An int option (vshCommandOptInt). */
export function parseIntOption(text: string, option: string): number {
  if (!/^\s*[-+]?\d+$/.test(text) || Math.abs(Number(text)) > 2 ** 31 - 1) {
    throw new UsageError(`Numeric value '${text}' for <${option}> option is malformed or out of range`);
  }
  return Number(text);
}
