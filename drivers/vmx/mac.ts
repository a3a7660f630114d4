/** MAC addresses (virMacAddrParse / virMacAddrFormat). */

/** Parses "aa:bb:cc:dd:ee:ff" (1 or 2 hex digits per byte); returns the 6 bytes or undefined. */
export function parseMac(text: string): number[] | undefined {
  // Like strtoul-based virMacAddrParse: anything at or below ' ' may follow the last byte.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 32) end--;
  const parts = text.slice(0, end).split(":");
  if (parts.length !== 6) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    bytes.push(parseInt(p, 16));
  }
  return bytes;
}

/** Formats 6 bytes as lowercase "aa:bb:cc:dd:ee:ff". */
export function formatMac(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Canonical lowercase form of a MAC string, or undefined if it is not one. */
export function normalizeMac(text: string): string | undefined {
  const bytes = parseMac(text);
  return bytes === undefined ? undefined : formatMac(bytes);
}

/** A random MAC with the given 3-byte prefix (libvirt's virMacAddrGenerate). */
export function randomMac(prefix: readonly number[]): string {
  const suffix = globalThis.crypto.getRandomValues(new Uint8Array(3));
  return formatMac([...prefix, ...suffix]);
}
