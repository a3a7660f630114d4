/**
 * Typed lookups in a VmxDocument with libvirt's semantics (virVMXGetConfigString/Long/
 * Boolean/UUID): booleans are true/false in any case, integers are decimal int64 or
 * "unlimited" (-1). Errors name the key, the value and its line.
 */
import { VmxError } from "./errors.js";
import { parseUuid } from "./uuid.js";
import type { VmxDocument, VmxEntry } from "./vmx-text.js";

function where(entry: VmxEntry): string {
  return `(line ${entry.line})`;
}

/** libvirt's STRCASEEQ of an optional entry's value and a keyword. */
export function vmxEquals(value: string | undefined, keyword: string): boolean {
  return value !== undefined && value.toLowerCase() === keyword.toLowerCase();
}

/** An optional string entry. */
export function vmxString(doc: VmxDocument, key: string): string | undefined {
  return doc.get(key)?.value;
}

/** A required string entry. */
export function vmxRequiredString(doc: VmxDocument, key: string): string {
  const entry = doc.get(key);
  if (entry === undefined) throw new VmxError(`Missing essential config entry '${key}'`);
  return entry.value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strtoll(base 10) that must consume the whole string; undefined when it does not. */
export function parseInt64(text: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) return undefined;
  const v = BigInt((m[1] === "-" ? "-" : "") + (m[2] ?? ""));
  if (v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

/** An integer entry as a bigint (for values that may exceed 2^53). */
export function vmxBigInt(doc: VmxDocument, key: string, fallback: bigint, required = false): bigint {
  const entry = doc.get(key);
  if (entry === undefined) {
    if (required) throw new VmxError(`Missing essential config entry '${key}'`);
    return fallback;
  }
  if (entry.value.toLowerCase() === "unlimited") return -1n;
  const v = parseInt64(entry.value);
  if (v === undefined) {
    throw new VmxError(`Config entry '${entry.key}' must represent an integer value but found '${entry.value}' ${where(entry)}`);
  }
  return v;
}

/** An integer entry; "unlimited" is -1. */
export function vmxLong(doc: VmxDocument, key: string, fallback: number, required = false): number {
  return Number(vmxBigInt(doc, key, BigInt(fallback), required));
}

/** A boolean entry: "true" or "false" in any case. */
export function vmxBoolean(doc: VmxDocument, key: string, fallback: boolean): boolean {
  const entry = doc.get(key);
  if (entry === undefined) return fallback;
  const v = entry.value.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new VmxError(`Config entry '${entry.key}' must represent a boolean value (true|false) but found '${entry.value}' ${where(entry)}`);
}

/** An optional UUID entry in any form virUUIDParse accepts, returned in canonical form. */
export function vmxUuid(doc: VmxDocument, key: string): string | undefined {
  const entry = doc.get(key);
  if (entry === undefined) return undefined;
  const uuid = parseUuid(entry.value);
  if (uuid === undefined) {
    throw new VmxError(`Could not parse UUID from string '${entry.value}' of config entry '${entry.key}' ${where(entry)}`);
  }
  return uuid;
}

/** Builds an error about an entry's value, naming key, value and line. */
export function vmxValueError(doc: VmxDocument, key: string, message: string): VmxError {
  const entry = doc.get(key);
  return new VmxError(entry === undefined ? message : `${message} ${where(entry)}`);
}
