/**
 * What a command's action gets: the connection (opened on first use, from -c, $ESXVI_DEFAULT_URI
 * or $LIBVIRT_DEFAULT_URI; kept across commands when a keeper holds it: the shell and command
 * strings), output helpers, --json, a progress line on terminals, an AbortSignal tied to
 * Ctrl-C, and a logger writing to stderr with -d and to a file with -l.
 */
import { InvalidInputError } from "../errors/esxvi-error.js";
import type { Logger } from "../runtime/logger.js";
import { openConnection, type Connection } from "../drivers/connection/connection.js";
import { terminalPrompt } from "./password-prompt.js";
import { escapeControls } from "./output/control-chars.js";
import { toJson } from "./output/json.js";
import { timeoutsFromOptions } from "./timeout-options.js";
import { cliLogger } from "./log-output.js";
import type { GlobalOptions } from "./global-options.js";

export type { GlobalOptions } from "./global-options.js";

/** Keeps one connection per URI across commands; the commands do not close it. */
export interface ConnectionKeeper {
  get(uri: string, open: () => Promise<Connection>): Promise<Connection>;
}

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** virsh's blank line on stdout after each command (not with -q); default true. */
  readonly separator?: boolean;
  /** Where the interactive shell reads from (esxvi with no command); none: usage and exit 1. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
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

  readonly #keeper: ConnectionKeeper | undefined;

  constructor(io: CliIo, options: GlobalOptions, keeper?: ConnectionKeeper) {
    this.io = io;
    this.options = options;
    this.logger = cliLogger(io.stderr, options);
    this.#keeper = keeper;
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
      // async: a bad option value (-k, --timeout) rejects like any failure to connect.
      const open = async (u: string): Promise<Connection> =>
        openConnection(u, {
          credentials: { env: this.io.env, ...(prompt !== undefined ? { prompt } : {}) },
          logger: this.logger,
          signal: this.signal,
          timeouts: timeoutsFromOptions(this.options),
        });
      this.#connection = (
        uri === undefined
          ? Promise.reject(new InvalidInputError("no connection URI: use -c esx://[user@]host/ (or set ESXVI_DEFAULT_URI)"))
          : this.#keeper !== undefined
            ? this.#keeper.get(uri, () => open(uri))
            : open(uri)
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
    if (this.#connection === undefined || this.#keeper !== undefined) return;
    const c = await this.#connection.catch(() => undefined);
    await c?.close();
  }
}
