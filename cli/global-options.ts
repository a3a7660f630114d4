/**
 * virsh's global options, read as virsh reads them (getopt, before the command): the table
 * below is the one place they are declared; the usage text and the shell's completion are
 * made from it. What comes after the first word that is not an option is the command line.
 */
import { UsageError } from "./commands/failures.js";
import type { TimeoutOptions } from "./timeout-options.js";

/** virsh's log levels (vshErrorLevel): -d LEVEL shows messages of this level and above. */
export const LOG_LEVELS = ["debug", "info", "notice", "warning", "error"] as const;

export interface GlobalOptions extends TimeoutOptions {
  readonly connect?: string;
  /** -d given (any level). */
  readonly debug?: boolean;
  /** -d LEVEL: 0 (debug) … 4 (error); without -d only warnings and errors show. */
  readonly debugLevel?: number;
  readonly quiet?: boolean;
  /** -r: every command that changes something is refused before it connects. */
  readonly readonly?: boolean;
  /** -t: each command's elapsed time after its output. */
  readonly timing?: boolean;
  /** -l FILE: every log message, with its time, appended to FILE. */
  readonly logFile?: string;
  /** -e: the console's escape sequence (accepted; only console would use it). */
  readonly escape?: string;
}

interface GlobalOptionSpec {
  readonly short: string;
  readonly long: string;
  /** The value's name when the option takes one. */
  readonly value?: string;
  readonly description: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOptionSpec[] = [
  { short: "-c", long: "--connect", value: "URI", description: "hypervisor connection URI" },
  { short: "-d", long: "--debug", value: "NUM", description: "debug level [0-4] (a bare -d: 0)" },
  { short: "-e", long: "--escape", value: "string", description: "set escape sequence for console" },
  { short: "-h", long: "--help", description: "this help" },
  { short: "-k", long: "--keepalive-interval", value: "sec", description: "keepalive interval in seconds, 0 for disable" },
  { short: "-K", long: "--keepalive-count", value: "num", description: "number of possible missed keepalive messages" },
  { short: "-l", long: "--log", value: "FILE", description: "output logging to file" },
  { short: "-q", long: "--quiet", description: "quiet mode" },
  { short: "-r", long: "--readonly", description: "connect readonly: commands that change something are refused" },
  { short: "-t", long: "--timing", description: "print timing information" },
  { short: "-v", long: "--version[=short]", description: "program version" },
  { short: "  ", long: "--timeout", value: "sec", description: "ceiling of each call to the server (default 300, 0: none)" },
  { short: "-V", long: "--version=long", description: "version and full options" },
];

export type GlobalAction = "run" | "help" | "version" | "version-long";

export interface ParsedGlobals {
  readonly options: GlobalOptions;
  readonly action: GlobalAction;
  /** The command line after the options (may be empty: the shell). */
  readonly rest: readonly string[];
}

/** vshAllowedEscapeChar: "^" followed by '@', 'A'–'Z', '[', '\\', ']', '^', '_' (case-insensitive letters). */
function validEscape(s: string): boolean {
  if (s.length === 1) return true;
  if (s.length !== 2 || s[0] !== "^") return false;
  const c = (s[1] ?? "").toUpperCase();
  return c === "@" || (c >= "A" && c <= "_");
}

function debugLevel(text: string, flag: string): number {
  if (!/^[-+]?\d+$/.test(text)) throw new UsageError(`option ${flag} takes a numeric argument`);
  return Number(text);
}

/**
 * Reads the global options from the front of argv. Throws UsageError with virsh's wording;
 * warnings (a debug level out of range) go to `warn`.
 */
export function parseGlobalOptions(argv: readonly string[], warn: (line: string) => void = () => undefined): ParsedGlobals {
  const o: { -readonly [K in keyof GlobalOptions]: GlobalOptions[K] } = {};
  let action: GlobalAction = "run";
  let i = 0;
  const valueOf = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`option '${flag}' requires an argument`);
    i++;
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    let flag = arg;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) {
        flag = arg.slice(0, eq);
        inline = arg.slice(eq + 1);
      }
    } else if (arg.length > 2) {
      // Clustered short options (-qr) or a short option with its value attached (-d2, -cURI).
      flag = arg.slice(0, 2);
      const spec = GLOBAL_OPTIONS.find((s) => s.short === flag);
      if (spec?.value !== undefined) inline = arg.slice(2);
      else {
        const rest = [...arg.slice(1)].map((c) => `-${c}`);
        if (rest.every((f) => GLOBAL_OPTIONS.some((s) => s.short === f && s.value === undefined))) {
          for (const f of rest) applyFlag(o, f);
          continue;
        }
        throw new UsageError(`unsupported option '${arg}'. See --help.`);
      }
    }
    switch (flag) {
      case "-c":
      case "--connect":
        o.connect = valueOf(flag, inline);
        break;
      case "-d":
      case "--debug": {
        // virsh requires the level; a bare -d (followed by another option or the command) means 0.
        const next = argv[i + 1];
        const text = inline ?? (next !== undefined && /^[-+]?\d+$/.test(next) ? (i++, next) : "0");
        let level = debugLevel(text, flag);
        if (level < 0 || level > 4) {
          warn(`ignoring debug level ${level} out of range [0-4]`);
          level = 4;
        }
        o.debug = true;
        o.debugLevel = level;
        break;
      }
      case "-e":
      case "--escape": {
        const e = valueOf(flag, inline);
        if (!validEscape(e)) throw new UsageError(`Invalid string '${e}' for escape sequence`);
        o.escape = e;
        break;
      }
      case "-k":
      case "--keepalive-interval":
        o.keepaliveInterval = valueOf(flag, inline);
        break;
      case "-K":
      case "--keepalive-count":
        o.keepaliveCount = valueOf(flag, inline);
        break;
      case "--timeout":
        o.timeout = valueOf(flag, inline);
        break;
      case "-l":
      case "--log":
        o.logFile = valueOf(flag, inline);
        break;
      case "-h":
      case "--help":
        action = "help";
        break;
      case "-v":
        action = "version";
        break;
      case "-V":
        action = "version-long";
        break;
      case "--version":
        if (inline === undefined || inline === "short") action = "version";
        else if (inline === "long") action = "version-long";
        else throw new UsageError(`unknown option '${arg}'`);
        break;
      default:
        if (!applyFlag(o, flag)) throw new UsageError(`unsupported option '${arg}'. See --help.`);
        if (inline !== undefined) throw new UsageError(`option '${flag}' doesn't allow an argument`);
    }
  }
  return { options: o, action, rest: argv.slice(i) };
}

/** The options without a value; false when `flag` is not one. */
function applyFlag(o: { -readonly [K in keyof GlobalOptions]: GlobalOptions[K] }, flag: string): boolean {
  switch (flag) {
    case "-q":
    case "--quiet":
      o.quiet = true;
      return true;
    case "-r":
    case "--readonly":
      o.readonly = true;
      return true;
    case "-t":
    case "--timing":
      o.timing = true;
      return true;
    case "-d":
      o.debug = true;
      o.debugLevel = 0;
      return true;
    default:
      return false;
  }
}

/** The options part of `esxvi --help`. */
export function globalOptionsHelp(): string {
  return GLOBAL_OPTIONS.map((s) => {
    const left = `${s.short} | ${s.long}${s.value === undefined || s.long.includes("=") ? "" : ` <${s.value}>`}`;
    return `    ${left.padEnd(30)} ${s.description}\n`;
  }).join("");
}
