/**
 * What a command's action gets: the connection (opened on first use, from -c, $ESXVI_DEFAULT_URI
 * or $LIBVIRT_DEFAULT_URI), output helpers, --json, a progress line on terminals, an
 * AbortSignal tied to Ctrl-C, and a logger writing to stderr with --debug.
 */
import { InvalidInputError } from "../errors/esxvi-error.js";
import type { Logger, LogLevel } from "../runtime/logger.js";
import { openConnection, type Connection } from "../drivers/connection/connection.js";
import { terminalPrompt } from "./password-prompt.js";
import { escapeControls } from "./output/control-chars.js";
import { toJson } from "./output/json.js";
import { timeoutsFromOptions, type TimeoutOptions } from "./timeout-options.js";

export interface GlobalOptions extends TimeoutOptions {
  readonly connect?: string;
  readonly debug?: boolean;
  readonly quiet?: boolean;
}

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** virsh's blank line on stdout after each command (not with -q); default true. */
  readonly separator?: boolean;
}

export interface Progress {
  update(percent: number): void;
  done(): void;
}

export class CommandContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  readonly logger: Logger;
  readonly controller = new AbortController();
  #connection: Promise<Connection> | undefined;
  #connectError: unknown;

  constructor(io: CliIo, options: GlobalOptions) {
    this.io = io;
    this.options = options;
    const debug = options.debug === true;
    this.logger = {
      log: (level: LogLevel, message: string) => {
        if ((level === "debug" || level === "info") && !debug) return;
        if (options.quiet === true && level === "warn") return;
        io.stderr.write(`${level === "warn" ? "warning" : level}: ${message}\n`);
      },
    };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The connection URI: -c, then $ESXVI_DEFAULT_URI, then $LIBVIRT_DEFAULT_URI. */
  uri(): string | undefined {
    return this.options.connect ?? this.io.env["ESXVI_DEFAULT_URI"] ?? this.io.env["LIBVIRT_DEFAULT_URI"];
  }

  /** Opens the connection on first use. */
  connection(): Promise<Connection> {
    if (this.#connection === undefined) {
      const uri = this.uri();
      const prompt = terminalPrompt();
      this.#connection = (
        uri === undefined
          ? Promise.reject(new InvalidInputError("no connection URI: use -c esx://[user@]host/ (or set ESXVI_DEFAULT_URI)"))
          : Promise.resolve().then(() =>
              openConnection(uri, {
                credentials: { env: this.io.env, ...(prompt !== undefined ? { prompt } : {}) },
                logger: this.logger,
                signal: this.signal,
                timeouts: timeoutsFromOptions(this.options),
              }),
            )
      ).catch((e: unknown) => {
        this.#connectError = e;
        throw e;
      });
    }
    return this.#connection;
  }

  /** True when `error` is the failure to open the connection (virsh: "failed to connect to the hypervisor"). */
  failedToConnect(error: unknown): boolean {
    return this.#connectError !== undefined && error === this.#connectError;
  }

  out(text: string): void {
    this.io.stdout.write(escapeControls(text));
  }

  json(value: unknown): void {
    this.io.stdout.write(`${toJson(value)}\n`);
  }

  /** A progress line on stderr when it is a terminal (and not --quiet); undefined otherwise. */
  progress(label: string): Progress | undefined {
    if (this.io.stderr.isTTY !== true || this.options.quiet === true) return undefined;
    const err = this.io.stderr;
    let last = -1;
    return {
      update(percent) {
        const p = Math.max(0, Math.min(100, Math.round(percent)));
        if (p === last) return;
        last = p;
        const bar = "#".repeat(Math.round(p / 5)).padEnd(20, " ");
        err.write(`\r${label} [${bar}] ${String(p).padStart(3)} %`);
      },
      done() {
        if (last >= 0) err.write("\n");
      },
    };
  }

  async close(): Promise<void> {
    if (this.#connection === undefined) return;
    const c = await this.#connection.catch(() => undefined);
    await c?.close();
  }
}
