/**
 * HTTP over undici for one server: a keep-alive connection pool, the TLS policy, an
 * optional proxy tunnel, the session cookie, timeouts and AbortSignals. Redirects are
 * reported, never followed.
 */
import type { OnReadOpts, Socket } from "node:net";
import type { Readable } from "node:stream";
import type { TLSSocket } from "node:tls";
import { AbortError, errorMessage } from "../../errors/esxvi-error.js";
import { silentLogger, type Logger } from "../logger.js";
import type { ByteChunks } from "../soap/index.js";
import { CookieJar } from "./cookie-jar.js";
import { HttpError, TlsError, TransportError } from "./http-errors.js";
import type { ProxySpec } from "./proxy.js";
import { checkCertificate, type TlsSettings } from "./tls.js";
import { DEFAULT_TIMEOUTS, mergeTimeouts, ownTimer, TimeoutError, type TimeoutSettings } from "./timeouts.js";
import { buildConnector, Pool, request, type ConnectCallback, type Connector, type Dispatcher } from "./undici-parts.js";

export interface HttpTransportOptions {
  /** `https://host:port` or `http://host:port`. */
  readonly origin: string;
  readonly tls: TlsSettings;
  readonly proxy?: ProxySpec;
  /** Connections kept to the server (default 8). */
  readonly connections?: number;
  /** The whole-call ceiling of an ordinary request in milliseconds (same as timeouts.callMs). */
  readonly timeoutMs?: number;
  /** Time limits by phase (DEFAULT_TIMEOUTS for what is left out). */
  readonly timeouts?: Partial<TimeoutSettings>;
  /** Largest response body accepted, in bytes (default 64 MiB): refused before it is all read. */
  readonly maxResponseBytes?: number;
  readonly logger?: Logger;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /**
   * This request's own bound in milliseconds, for a long poll (WaitForUpdatesEx): it
   * replaces the ordinary whole-call ceiling and the wait for the response headers, so
   * that neither cuts a server that holds its answer on purpose. The connect, TLS and
   * idle-body limits still apply.
   */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A response whose body is the pieces it arrived in, never joined (what the SOAP decoder reads). */
export interface ChunksResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: ByteChunks;
}

export interface StreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Readable;
}

export class HttpTransport {
  readonly origin: string;
  readonly cookies = new CookieJar();
  private readonly pool: Pool;
  readonly timeouts: TimeoutSettings;
  private readonly maxResponseBytes: number;
  private readonly logger: Logger;
  private readonly options: HttpTransportOptions;
  private closed = false;

  constructor(options: HttpTransportOptions) {
    this.origin = options.origin;
    this.timeouts = mergeTimeouts(
      mergeTimeouts(DEFAULT_TIMEOUTS, options.timeoutMs !== undefined ? { callMs: options.timeoutMs } : undefined),
      options.timeouts,
    );
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.logger = options.logger ?? silentLogger;
    this.options = options;
    this.pool = new Pool(options.origin, {
      connect: makeConnector(options, this.timeouts),
      connections: options.connections ?? 8,
      keepAliveTimeout: 30_000,
      // Set per request (send()).
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /**
   * Sends a request and reads the whole body (bounded by maxResponseBytes) as the pieces it
   * arrived in: no copy joins them, and the SOAP decoder releases each once it has read it.
   */
  async chunks(method: "GET" | "POST", path: string, body: string | undefined, opts: RequestOptions = {}): Promise<ChunksResponse> {
    return this.whole(method, path, body, opts, (res, what) =>
      readChunks(res.body, this.maxResponseBytes, what, res.headers["content-length"]),
    );
  }

  /** A request whose whole body is read by `read`, all within the whole-call ceiling. */
  private async whole<B>(
    method: "GET" | "POST",
    path: string,
    body: string | undefined,
    opts: RequestOptions,
    read: (res: StreamResponse, what: string) => Promise<B>,
  ): Promise<{ status: number; headers: StreamResponse["headers"]; body: B }> {
    // The whole-call ceiling: a timer of our own that aborts the request, headers and body alike.
    const limit = opts.timeoutMs ?? this.timeouts.callMs;
    const what = `${method} ${path}`;
    const controller = new AbortController();
    let fired: TimeoutError | undefined;
    const timer = ownTimer(limit, () => {
      fired = new TimeoutError("whole call", limit, what);
      controller.abort(fired);
    });
    const onAbort = (): void => controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted === true) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await this.send(method, path, body, { ...opts, signal: controller.signal }, false, opts);
      const answer = { status: res.status, headers: res.headers, body: await read(res, what) };
      // undici hands a connection to the next request a full turn of the event loop after the
      // answer ended (to see first whether the server closed it); a request sent sooner is given
      // another connection, opened for it (a TCP and TLS handshake more). Waiting that turn keeps
      // the calls a program makes one after the other on one connection.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return answer;
    } catch (e) {
      throw fired ?? this.wrapError(e, method, path, opts);
    } finally {
      timer.clear();
      opts.signal?.removeEventListener("abort", onAbort);
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

  /**
   * A connection of its own to the server, with the same TLS policy, proxy and connect
   * limits as the pool's, for one bulk transfer (runtime/http/bulk-exchange.ts). `onread`
   * reads the socket into a buffer of the caller's instead of a new one per read.
   */
  connect(onread?: OnReadOpts): Promise<Socket> {
    const connector = makeConnector(this.options, this.timeouts, onread === undefined ? {} : { onread });
    const url = new URL(this.origin);
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    return new Promise((resolve, reject) => {
      connector({ hostname, host: url.host, protocol: url.protocol, port: url.port }, (err, socket) => {
        if (err !== null) reject(err);
        else resolve(socket as Socket);
      });
    });
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
    caller: RequestOptions = opts,
  ): Promise<StreamResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.cookies.header();
    if (cookie !== undefined) headers["cookie"] = cookie;
    // undici's own timers (held by the request, so never collected early); 0 turns one off.
    // A call with its own bound (a long poll) waits for its headers as long as that bound.
    const timeouts = {
      headersTimeout: opts.timeoutMs ?? this.timeouts.headersMs,
      bodyTimeout: idle ? (opts.timeoutMs ?? this.timeouts.idleBodyMs) : this.timeouts.idleBodyMs,
    };
    const signal = opts.signal;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.pool, {
        method,
        path,
        headers,
        body: body ?? null,
        ...(signal !== undefined ? { signal } : {}),
        ...timeouts,
      });
    } catch (e) {
      throw this.wrapError(e, method, path, caller, timeouts);
    }
    this.cookies.store(res.headers["set-cookie"]);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      res.body.resume();
      throw this.redirectError(res.statusCode, res.headers["location"], method, path);
    }
    this.logger.log("debug", `${method} ${path} -> ${res.statusCode}`);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /** A redirect, reported: never followed. */
  redirectError(status: number, location: string | string[] | undefined, method: string, path: string): HttpError {
    const where = Array.isArray(location) ? location[0] : location;
    return new HttpError(
      status,
      `${this.origin}${path}`,
      `${method} ${path}: the server redirects to ${where ?? "(no location)"}; redirects are not followed`,
      where === undefined ? undefined : { location: where },
    );
  }

  /**
   * The typed error for a failure of a request, or of reading its streamed body: an
   * AbortError (aborted or timed out), a TlsError or a TransportError.
   */
  wrapError(
    e: unknown,
    method: string,
    path: string,
    opts: RequestOptions = {},
    timeouts: { headersTimeout: number; bodyTimeout: number } = {
      headersTimeout: opts.timeoutMs ?? this.timeouts.headersMs,
      bodyTimeout: opts.timeoutMs ?? this.timeouts.idleBodyMs,
    },
  ): Error {
    if (e instanceof TlsError || e instanceof HttpError || e instanceof TransportError || e instanceof TimeoutError) return e;
    const name = e instanceof Error ? e.name : "";
    const code = (e as { code?: unknown } | null)?.code;
    // undici's own error adds nothing to ours (and would be one more line under the CLI's).
    if (code === "UND_ERR_HEADERS_TIMEOUT") return new TimeoutError("response headers", timeouts.headersTimeout, `${method} ${path}`);
    if (code === "UND_ERR_BODY_TIMEOUT") return new TimeoutError("idle body", timeouts.bodyTimeout, `${method} ${path}`);
    if (name === "AbortError" || opts.signal?.aborted === true) {
      return new AbortError(`${method} ${path}: aborted`, { cause: e });
    }
    const cause = e instanceof Error && (e.cause instanceof TlsError || e.cause instanceof TimeoutError) ? e.cause : e;
    if (cause instanceof TlsError || cause instanceof TimeoutError) return cause;
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

/** The default largest answer: a page of the property collector is far smaller. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 << 20;

/**
 * Reads a body as bytes, bounded by `limit`: one Buffer (what decodeResponse reads best;
 * a UTF-8 string of a document with any character beyond U+00FF takes twice its bytes).
 * A Content-Length beyond the limit is refused before any of the body is read.
 */
export async function readBytes(body: Readable, limit: number, what: string, contentLength?: string | string[]): Promise<Buffer> {
  const announced = typeof contentLength === "string" ? Number(contentLength) : NaN;
  if (announced > limit) {
    body.destroy();
    throw new TransportError(`${what}: the response is larger than ${limit} bytes (Content-Length ${announced})`);
  }
  // With a Content-Length the body is copied into one buffer as it arrives: the chunks are
  // dropped at once instead of being held beside their concatenation.
  if (Number.isSafeInteger(announced) && announced >= 0) {
    const out = Buffer.allocUnsafe(announced);
    let at = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (at + chunk.length > announced) {
        body.destroy();
        throw new TransportError(`${what}: the response is longer than its Content-Length ${announced}`);
      }
      chunk.copy(out, at);
      at += chunk.length;
    }
    return at === announced ? out : out.subarray(0, at);
  }
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
 * Reads a body as the pieces it arrives in, bounded by `limit` (and by its Content-Length
 * when it has one): nothing is copied, so no piece is left behind as garbage beside a joined
 * copy while the document is decoded.
 */
export async function readChunks(body: Readable, limit: number, what: string, contentLength?: string | string[]): Promise<ByteChunks> {
  const announced = typeof contentLength === "string" ? Number(contentLength) : NaN;
  if (announced > limit) {
    body.destroy();
    throw new TransportError(`${what}: the response is larger than ${limit} bytes (Content-Length ${announced})`);
  }
  const byLength = Number.isSafeInteger(announced) && announced >= 0;
  const bound = byLength ? announced : limit;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > bound) {
      body.destroy();
      throw new TransportError(
        byLength
          ? `${what}: the response is longer than its Content-Length ${announced}`
          : `${what}: the response is larger than ${limit} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return { chunks, length: bytes };
}

/**
 * Reads a body as UTF-8 text, bounded by `limit`. The bytes are decoded once, at the end:
 * a string built chunk by chunk would be flattened into a second copy on first use.
 */
export async function readText(body: Readable, limit: number, what: string): Promise<string> {
  return (await readBytes(body, limit, what)).toString("utf8");
}

/**
 * undici connector: optional proxy tunnel, TLS without automatic rejection, then our
 * policy; the connection (tunnel included) and the TLS handshake each within their limit.
 */
function makeConnector(options: HttpTransportOptions, timeouts: TimeoutSettings, socketOptions: { onread?: OnReadOpts } = {}): Connector {
  // No TLS session resumption: a resumed session shows no certificate to check.
  const base = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    // Our own timers below, one per phase.
    timeout: 0,
    ...socketOptions,
    ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
  });
  const https = options.origin.startsWith("https:");
  return (opts, callback) => {
    const where = `${opts.hostname}:${opts.port}`;
    let done = false;
    let socket: Socket | undefined;
    let timer = ownTimer(timeouts.connectMs, () => fail(new TimeoutError("connect", timeouts.connectMs, `connecting to ${where}`)));
    const tlsPhase = (): void => {
      timer.clear();
      if (!https || done) return;
      timer = ownTimer(timeouts.tlsHandshakeMs, () =>
        fail(new TimeoutError("TLS handshake", timeouts.tlsHandshakeMs, `the TLS handshake with ${where}`)),
      );
    };
    function fail(e: Error): void {
      if (done) return;
      done = true;
      timer.clear();
      socket?.destroy();
      callback(e, null);
    }
    const finish: ConnectCallback = (...[err, connected]) => {
      if (done) {
        connected?.destroy();
        return;
      }
      done = true;
      timer.clear();
      if (err !== null) {
        callback(err, null);
        return;
      }
      if (https) {
        const problem = checkCertificate(connected as TLSSocket, options.tls, where);
        if (problem !== undefined) {
          connected.destroy();
          callback(problem, null);
          return;
        }
      }
      callback(null, connected);
    };
    if (options.proxy === undefined) {
      // undici's connector returns the socket it opens (its types say void).
      socket = base(opts, finish) as unknown as Socket | undefined;
      // A TLS socket says 'connect' when its TCP connection is up and the handshake starts.
      if (socket?.connecting === true) socket.once("connect", tlsPhase);
      else tlsPhase();
      return;
    }
    const port = Number(opts.port !== "" ? opts.port : https ? 443 : 80);
    // The tunnel code loads only for a connection through a proxy.
    const proxy = options.proxy;
    import("./proxy.js")
      .then(({ openTunnel }) => openTunnel(proxy, opts.hostname, port))
      .then(
        (tunnel) => {
          if (done) {
            tunnel.destroy();
            return;
          }
          tlsPhase();
          if (https) socket = base({ ...opts, httpSocket: tunnel }, finish) as unknown as Socket | undefined;
          else finish(null, tunnel);
        },
        (e: unknown) => fail(e instanceof Error ? e : new TransportError(String(e))),
      );
  };
}
