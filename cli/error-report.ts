/**
 * How a failed command reports: "error: …" lines on stderr (virsh style), exit status 1.
 * The first line is the command's own (e.g. "failed to get domain 'x'") when it has one,
 * then the error and those causes that add something the lines above do not already say.
 */
import { causeChain, errorMessage } from "../errors/esxvi-error.js";
import { redact } from "../runtime/logger.js";
import { escapeControls } from "./output/control-chars.js";

const MAX_LINES = 3;

export function formatError(e: unknown, context?: string): string {
  const lines: string[] = context === undefined ? [] : [context];
  for (const c of causeChain(e)) {
    const msg = errorMessage(c).trim();
    if (msg === "" || lines.some((l) => l.includes(msg))) continue;
    lines.push(msg);
    if (lines.length >= MAX_LINES) break;
  }
  return lines.map((l) => `error: ${escapeControls(redact(l))}\n`).join("");
}
