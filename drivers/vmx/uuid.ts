/** UUIDs the way libvirt reads (virUUIDParse) and writes (virUUIDFormat, VMX spaced form) them. */

export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/** The 16 bytes as 32 lowercase hex digits, or undefined when `text` is no UUID. */
function uuidHex(text: string): string | undefined {
  let i = 0;
  while (i < text.length && /\s/.test(text[i] ?? "")) i++;
  let hex = "";
  while (hex.length < 32) {
    const c = text[i];
    if (c === undefined) return undefined;
    if (c === "-" || c === " ") {
      i++;
      continue;
    }
    const d = text[i + 1];
    if (!isHex(c) || d === undefined || !isHex(d)) return undefined;
    hex += c + d;
    i += 2;
  }
  for (; i < text.length; i++) if (!/\s/.test(text[i] ?? "")) return undefined;
  return hex.toLowerCase();
}

/** The canonical form, which is what servers send: one regular expression instead of a loop over characters. */
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses any virUUIDParse-acceptable form; returns canonical "8-4-4-4-12" lowercase. */
export function parseUuid(text: string): string | undefined {
  // A listing parses one UUID per VM early in a short process, where a regular expression
  // (compiled to machine code) outruns a character loop that V8 has not optimised yet.
  if (CANONICAL.test(text)) return text.toLowerCase();
  const hex = uuidHex(text);
  if (hex === undefined) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The VMX form "xx xx xx xx xx xx xx xx-xx xx xx xx xx xx xx xx". */
export function formatVmxUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, "");
  const pairs = hex.match(/../g) ?? [];
  return `${pairs.slice(0, 8).join(" ")}-${pairs.slice(8).join(" ")}`;
}

/** A random (version 4) UUID, as libvirt generates one when the XML has none. */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
