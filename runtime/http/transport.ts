/**
 * HTTP over undici for one server: a keep-alive connection pool, the TLS policy, an
 * optional proxy tunnel, the session cookie, timeouts and AbortSignals. Redirects are
 * reported, never followed.
 */
import type { Readable } from "node:stream";
import type { TLSSocket } from "node:tls";
import { buildConnector, Pool, type Dispatcher } from "undici";
import { AbortError, errorMessage } from "../../errors/esxvi-error.js";
import { silentLogger, type Logger } from "../logger.js";
import { CookieJar } from "./cookie-jar.js";
import { HttpError, TlsError, TransportError } from "./http-errors.js";
import { openTunnel, type ProxySpec } from "./proxy.js";
import { checkCertificate, type TlsSettings } from "./tls.js";

export interface HttpTransportOptions {
  /** `https://host:port` or `http://host:port`. */
  readonly origin: string;
  readonly tls: TlsSettings;
  readonly proxy?: ProxySpec;
  /** Connections kept to the server (default 8). */
  readonly connections?: number;
  /** Default timeout of a request in milliseconds (default 120000). */
  readonly timeoutMs?: number;
  /** Largest response body accepted, in bytes (default 1 GiB). */
  readonly maxResponseBytes?: number;
  readonly logger?: Logger;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BytesResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface StreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Readable;
}

type Connector = buildConnector.connector;

export class HttpTransport {
  readonly origin: string;
  readonly cookies = new CookieJar();
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly logger: Logger;
  private closed = false;

  constructor(options: HttpTransportOptions) {
    this.origin = options.origin;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1 << 30;
    this.logger = options.logger ?? silentLogger;
    this.pool = new Pool(options.origin, {
      connect: makeConnector(options),
      connections: options.connections ?? 8,
      keepAliveTimeout: 30_000,
      // Timeouts are enforced per request through AbortSignals.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** Sends a request and reads the whole body as bytes (bounded by maxResponseBytes): what the SOAP decoder reads best. */
  async bytes(method: "GET" | "POST", path: string, body: string | undefined, opts: RequestOptions = {}): Promise<BytesResponse> {
    const res = await this.send(method, path, body, opts);
    try {
      const bytes = await readBytes(res.body, this.maxResponseBytes, `${method} ${path}`);
      return { status: res.status, headers: res.headers, body: bytes };
    } catch (e) {
      throw this.wrapError(e, method, path, opts);
    }
  }

  /**
   * Sends a request and hands back the body as a stream (for file transfers). The timeout
   * is one of inactivity: the answer's headers, and then each piece of its body, must come
   * within it; a long transfer that keeps moving is never cut.
   */
  async stream(
    method: "GET" | "PUT",
    path: string,
    body: Readable | Buffer | string | undefined,
    opts: RequestOptions = {},
  ): Promise<StreamResponse> {
    return this.send(method, path, body, opts, true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }

  private async send(
    method: Dispatcher.HttpMethod,
    path: string,
    body: Dispatcher.DispatchOptions["body"],
    opts: RequestOptions,
    idle = false,
  ): Promise<StreamResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.cookies.header();
    if (cookie !== undefined) headers["cookie"] = cookie;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const signal = idle ? opts.signal : combineSignals(opts.signal, timeoutMs);
    const timeouts = idle && timeoutMs > 0 ? { headersTimeout: timeoutMs, bodyTimeout: timeoutMs } : {};
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({ method, path, headers, body: body ?? null, signal, ...timeouts });
    } catch (e) {
      throw this.wrapError(e, method, path, opts);
    }
    this.cookies.store(res.headers["set-cookie"]);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      res.body.resume();
      const location = res.headers["location"];
      const where = Array.isArray(location) ? location[0] : location;
      throw new HttpError(
        res.statusCode,
        `${this.origin}${path}`,
        `${method} ${path}: the server redirects to ${where ?? "(no location)"}; redirects are not followed`,
        where === undefined ? undefined : { location: where },
      );
    }
    this.logger.log("debug", `${method} ${path} -> ${res.statusCode}`);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /**
   * The typed error for a failure of a request, or of reading its streamed body: an
   * AbortError (aborted or timed out), a TlsError or a TransportError.
   */
  wrapError(e: unknown, method: string, path: string, opts: RequestOptions = {}): Error {
    if (e instanceof TlsError || e instanceof HttpError || e instanceof TransportError) return e;
    const name = e instanceof Error ? e.name : "";
    const code = (e as { code?: unknown } | null)?.code;
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      return new AbortError(`${method} ${path}: no data within ${opts.timeoutMs ?? this.timeoutMs} ms`, { cause: e, timeout: true });
    }
    if (name === "AbortError" || name === "TimeoutError" || opts.signal?.aborted === true) {
      const timeout = opts.signal?.aborted !== true;
      return new AbortError(
        timeout ? `${method} ${path}: no answer within ${opts.timeoutMs ?? this.timeoutMs} ms` : `${method} ${path}: aborted`,
        { cause: e, timeout },
      );
    }
    const cause = e instanceof Error && e.cause instanceof TlsError ? e.cause : e;
    if (cause instanceof TlsError) return cause;
    const handshake = sslFailure(e);
    if (handshake !== undefined) {
      const hint =
        handshake.code === "ERR_SSL_WRONG_VERSION_NUMBER"
          ? " (the server does not speak TLS on this port; plain HTTP needs transport=http)"
          : "";
      return new TlsError(`the TLS handshake with ${this.origin} failed: ${handshake.reason}${hint}`, { cause: e });
    }
    return new TransportError(`${method} ${this.origin}${path}: ${errorMessage(e)}`, { cause: e });
  }
}

/** An OpenSSL error of the handshake (code ERR_SSL_*), found in an error or its causes. */
function sslFailure(e: unknown): { code: string; reason: string } | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_SSL_")) {
      const reason = (cur as { reason?: unknown }).reason;
      return { code, reason: typeof reason === "string" ? reason : code };
    }
  }
  return undefined;
}

function combineSignals(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (signal === undefined) return timeout;
  if (timeout === undefined) return signal;
  return AbortSignal.any([signal, timeout]);
}

/**
 * Reads a body as bytes, bounded by `limit`: one Buffer (what decodeResponse reads best;
 * a UTF-8 string of a document with any character beyond U+00FF takes twice its bytes).
 */
export async function readBytes(body: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) {
      body.destroy();
      throw new TransportError(`${what}: the response is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes);
}

/**
 * Reads a body as UTF-8 text, bounded by `limit`. The bytes are decoded once, at the end:
 * a string built chunk by chunk would be flattened into a second copy on first use.
 */
export async function readText(body: Readable, limit: number, what: string): Promise<string> {
  return (await readBytes(body, limit, what)).toString("utf8");
}

/** undici connector: optional proxy tunnel, TLS without automatic rejection, then our policy. */
function makeConnector(options: HttpTransportOptions): Connector {
  // No TLS session resumption: a resumed session shows no certificate to check.
  const base = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
  });
  const https = options.origin.startsWith("https:");
  return (opts, callback) => {
    const finish: buildConnector.Callback = (...[err, socket]) => {
      if (err !== null) {
        callback(err, null);
        return;
      }
      if (https) {
        const problem = checkCertificate(socket as TLSSocket, options.tls, `${opts.hostname}:${opts.port}`);
        if (problem !== undefined) {
          socket.destroy();
          callback(problem, null);
          return;
        }
      }
      callback(null, socket);
    };
    if (options.proxy === undefined) {
      base(opts, finish);
      return;
    }
    const port = Number(opts.port !== "" ? opts.port : https ? 443 : 80);
    openTunnel(options.proxy, opts.hostname, port).then(
      (tunnel) => {
        if (https) base({ ...opts, httpSocket: tunnel }, finish);
        else finish(null, tunnel);
      },
      (e: unknown) => callback(e instanceof Error ? e : new TransportError(String(e)), null),
    );
  };
}
