/** How a failed command reports: "error: …" lines on stderr (virsh style), exit status 1. */
import { causeChain, EsxviError } from "../runtime/errors.js";
import { redact } from "../runtime/logger.js";

export function formatError(e: unknown, context?: string): string {
  const lines: string[] = [];
  if (context !== undefined) lines.push(context);
  const seen = new Set<string>();
  for (const c of causeChain(e)) {
    const msg = c instanceof Error ? c.message : String(c);
    if (msg === "" || seen.has(msg)) continue;
    // Deeper causes only when they add something (transport and TLS details).
    if (lines.length > (context === undefined ? 0 : 1) && !(c instanceof EsxviError) && seen.size > 0) {
      lines.push(msg);
      break;
    }
    seen.add(msg);
    lines.push(msg);
    if (c instanceof EsxviError && c.cause === undefined) break;
  }
  return lines.map((l) => `error: ${redact(l)}\n`).join("");
}
