/**
 * The CLI's logger: stderr shows messages at the -d level and above (without -d: warnings
 * and errors; -q drops warnings), and -l FILE receives every message as virsh writes its log
 * ("[2024.05.01 12:00:00 esxvi 1234] DEBUG: …"). Messages are redacted by the library already.
 */
import { appendFileSync } from "node:fs";
import type { Logger, LogLevel } from "../runtime/logger.js";
import { LOG_LEVELS, type GlobalOptions } from "./global-options.js";

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 3, error: 4 };

function stamp(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}.${two(d.getMonth() + 1)}.${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Appends one line to the -l file, as virsh's vshOutputLogFile. */
export function logToFile(file: string | undefined, rank: number, message: string): void {
  if (file === undefined) return;
  const name = (LOG_LEVELS[rank] ?? "error").toUpperCase();
  appendFileSync(file, `[${stamp(new Date())} esxvi ${process.pid}] ${name}: ${message}\n`);
}

export function cliLogger(stderr: NodeJS.WritableStream, options: GlobalOptions): Logger {
  const threshold = options.debugLevel ?? 3;
  return {
    log: (level: LogLevel, message: string) => {
      const rank = RANK[level];
      logToFile(options.logFile, rank, message);
      if (rank < threshold) return;
      if (options.quiet === true && level === "warn") return;
      stderr.write(`${level === "warn" ? "warning" : level}: ${message}\n`);
    },
  };
}
