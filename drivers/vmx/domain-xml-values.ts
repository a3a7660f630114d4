/** Attribute and value readers for the domain XML parser, with libvirt's error wording. */
import { DomainXmlError } from "./errors.js";
import type { XmlElement } from "./xml-tree.js";

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}

/** An unsigned decimal integer attribute; undefined when absent. */
export function uintAttr(el: XmlElement | undefined, name: string, what: string): number | undefined {
  const text = attr(el, name);
  if (text === undefined) return undefined;
  return parseUint(text, `${what} attribute '${name}'`);
}

export function parseUint(text: string, what: string): number {
  const t = text.trim();
  if (!/^\+?\d+$/.test(t) || Number(t) > Number.MAX_SAFE_INTEGER) {
    throw new DomainXmlError(`Invalid value for ${what}: '${text}'`);
  }
  return Number(t);
}

/** A signed integer (e.g. a VNC port of -1). */
export function parseInt32(text: string, what: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t) || Math.abs(Number(t)) > 2147483647) {
    throw new DomainXmlError(`Invalid value for ${what}: '${text}'`);
  }
  return Number(t);
}

/** One of `allowed`; undefined when absent. */
export function enumAttr<T extends string>(el: XmlElement | undefined, name: string, allowed: readonly T[], what: string): T | undefined {
  const text = attr(el, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new DomainXmlError(`Unknown ${what} '${text}'`);
  }
  return text as T;
}

/** "yes"/"no" attribute. */
export function yesNoAttr(el: XmlElement | undefined, name: string, what: string): boolean | undefined {
  const v = enumAttr(el, name, ["yes", "no"] as const, `${what} value for '${name}'`);
  return v === undefined ? undefined : v === "yes";
}

const POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** virScaleInteger: a value with a unit suffix, returned in KiB rounded up. */
export function scaledKiB(el: XmlElement, what: string): number {
  const value = parseUint(el.text, what);
  const unit = (attr(el, "unit") ?? "KiB").toLowerCase();
  let bytesPerUnit: number;
  if (unit === "b" || unit === "bytes") bytesPerUnit = 1;
  else {
    const m = /^([kmgtpe])(ib|b)?$/.exec(unit);
    if (m === null) throw new DomainXmlError(`unknown suffix '${attr(el, "unit") ?? ""}' for ${what}`);
    const power = POWERS[m[1] ?? "k"] ?? 1;
    bytesPerUnit = (m[2] === "b" ? 1000 : 1024) ** power;
  }
  const bytes = BigInt(value) * BigInt(bytesPerUnit);
  return Number((bytes + 1023n) / 1024n);
}
