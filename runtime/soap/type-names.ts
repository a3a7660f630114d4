/**
 * The type names a document mentions (its `type` and `xsi:type` attributes), so that the
 * registry loads the bindings modules a decode will meet in one go rather than one miss at
 * a time.
 */
import { Buffer } from "node:buffer";
import type { XmlSource } from "./xml-reader.js";

const TYPE_ATTRIBUTE = /(?:^|[\s:])type\s*=\s*["']([^"']+)["']/g;

/** How far a piece of a document is read together with the end of the one before it. */
const OVERLAP = 512;

/** The values of every `type` or `prefix:type` attribute of a document, prefixes dropped. */
export function typeNamesIn(document: XmlSource): string[] {
  const names = new Set<string>();
  const scan = (text: string): void => {
    for (const m of text.matchAll(TYPE_ATTRIBUTE)) {
      const v = m[1] ?? "";
      const colon = v.indexOf(":");
      names.add(colon < 0 ? v : v.slice(colon + 1));
    }
  };
  const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
  if (typeof document === "string") scan(document);
  else if (document instanceof Uint8Array) scan(latin1(document));
  else {
    // Piece by piece, each with the end of the one before (an attribute cut between two).
    let tail = "";
    for (const c of document.chunks) {
      const text = tail + latin1(c);
      scan(text);
      tail = text.slice(-OVERLAP);
    }
  }
  return [...names];
}
