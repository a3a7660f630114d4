/**
 * One HTTP/1.1 exchange on a connection of its own, for moving a large body (a datastore
 * file) through fixed buffers. The socket reads into one buffer lent to the consumer and
 * reads again only once the consumer is done with it; a request body is sent from a few
 * buffers the caller fills again once each is written. Nothing is allocated per piece of
 * the body: the pooled client allocates a new buffer per socket read, and tens of MiB of
 * such garbage pile up between two collections, which a transfer of any size should not
 * cost. The connection is closed at the end (a transfer is rare and long).
 */
import type { Socket } from "node:net";
import type { HttpTransport, RequestOptions } from "./transport.js";
import { TimeoutError } from "./timeouts.js";

/** What one socket read may bring (the kernel hands over less when less is there). */
const READ_BUFFER = 256 * 1024;
/** Request body buffers: one filled while the others are written. */
const WRITE_BUFFERS = 3;
const WRITE_BUFFER = 256 * 1024;
/** Largest status line and headers accepted. */
const MAX_HEAD = 64 * 1024;
/** Largest chunk-size or trailer line accepted. */
const MAX_LINE = 4096;

export interface BulkBody {
  readonly length: number;
  /** Fills `buf` (from its start) with the next bytes; resolves how many, 0 at the end. */
  read(buf: Buffer): Promise<number>;
}

export interface BulkResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface BulkRequest extends RequestOptions {
  readonly method: "GET" | "PUT";
  readonly path: string;
  readonly body?: BulkBody;
  /** The answer's status and headers, before its body; throwing ends the exchange with that error. */
  readonly onResponse?: (res: BulkResponse) => void;
  /** Each piece of the answer's body, lent: its bytes are valid until the returned promise settles. */
  readonly onData: (chunk: Buffer) => Promise<void> | void;
}

type Framing = { kind: "length"; left: number } | { kind: "chunked" } | { kind: "close" } | { kind: "none" };

function parseHead(text: string): BulkResponse {
  const lines = text.split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? "");
  if (m === null) throw new Error(`not an HTTP/1.1 answer: ${JSON.stringify((lines[0] ?? "").slice(0, 80))}`);
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const had = headers[name];
    headers[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return { status: Number(m[1]), headers };
}

function framingOf(method: string, res: BulkResponse): Framing {
  if (res.status === 204 || res.status === 304) return { kind: "none" };
  const te = res.headers["transfer-encoding"];
  if ((Array.isArray(te) ? te.join(",") : (te ?? "")).toLowerCase().includes("chunked")) return { kind: "chunked" };
  const cl = res.headers["content-length"];
  const length = Number(Array.isArray(cl) ? cl[0] : cl);
  if (cl !== undefined) {
    if (!Number.isSafeInteger(length) || length < 0) throw new Error(`invalid Content-Length ${String(cl)}`);
    return { kind: "length", left: length };
  }
  return method === "PUT" && res.status < 300 ? { kind: "none" } : { kind: "close" };
}

/** Sends one request and streams its answer's body to `onData`; resolves the answer's status and headers once its body is all read. */
export async function bulkExchange(transport: HttpTransport, req: BulkRequest): Promise<BulkResponse> {
  const { method, path } = req;
  const fail = (e: unknown): Error => transport.wrapError(e, method, path, req);
  for (const [k, v] of Object.entries(req.headers ?? {})) if (/[\r\n]/.test(k + v)) throw new TypeError(`invalid header ${k}`);
  if (/[\s]/.test(path)) throw new TypeError(`invalid request path ${JSON.stringify(path)}`);
  if (req.signal?.aborted === true) throw fail(req.signal.reason);

  const readBuffer = Buffer.allocUnsafe(READ_BUFFER);
  // Set once the socket is open; the socket calls it with each read, in readBuffer.
  let deliver: (chunk: Buffer) => boolean = () => false;
  let socket: Socket;
  try {
    socket = await transport.connect({ buffer: readBuffer, callback: (n, buf) => deliver((buf as Buffer).subarray(0, n)) });
  } catch (e) {
    throw fail(e);
  }

  return new Promise<BulkResponse>((resolve, reject) => {
    let settled = false;
    let response: BulkResponse | undefined;
    let head: Buffer = Buffer.alloc(0);
    let framing: Framing = { kind: "close" };
    let chunkState: "size" | "data" | "data-end" | "trailer" = "size";
    let chunkLeft = 0;
    let line = "";
    let requestSent = false;
    let bodyDone = false;

    const headersMs = req.timeoutMs ?? transport.timeouts.headersMs;
    const idleMs = req.timeoutMs ?? transport.timeouts.idleBodyMs;
    let headersTimer: NodeJS.Timeout | undefined;
    const idleTimer = idleMs > 0 ? setTimeout(() => finish(new TimeoutError("idle body", idleMs, `${method} ${path}`)), idleMs) : undefined;
    const onAbort = (): void => finish(fail(req.signal?.reason));
    req.signal?.addEventListener("abort", onAbort, { once: true });

    function finish(error: Error | undefined): void {
      if (settled) return;
      settled = true;
      clearTimeout(headersTimer);
      clearTimeout(idleTimer);
      req.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      if (error !== undefined) reject(error);
      else resolve(response as BulkResponse);
    }

    /** The answer's body is all read: done, once the request is all sent. */
    function complete(): void {
      bodyDone = true;
      if (requestSent) finish(undefined);
    }

    /** A line of the chunked framing, read up to its LF; undefined while incomplete. */
    function takeLine(chunk: Buffer, at: number): { text: string; next: number } | undefined {
      const nl = chunk.indexOf(10, at);
      line += chunk.toString("latin1", at, nl < 0 ? chunk.length : nl);
      if (line.length > MAX_LINE) throw fail(new Error("a chunk line of the answer is too long"));
      if (nl < 0) return undefined;
      const text = line.replace(/\r$/, "");
      line = "";
      return { text, next: nl + 1 };
    }

    async function body(chunk: Buffer): Promise<void> {
      if (framing.kind === "length") {
        const take = Math.min(framing.left, chunk.length);
        framing.left -= take;
        if (take > 0) await req.onData(chunk.subarray(0, take));
        if (framing.left === 0) complete();
        return;
      }
      if (framing.kind === "close") {
        await req.onData(chunk);
        return;
      }
      if (framing.kind === "none") return;
      let at = 0;
      while (at < chunk.length && !settled) {
        if (chunkState === "data") {
          const take = Math.min(chunkLeft, chunk.length - at);
          await req.onData(chunk.subarray(at, at + take));
          at += take;
          chunkLeft -= take;
          if (chunkLeft === 0) chunkState = "data-end";
          continue;
        }
        const got = takeLine(chunk, at);
        if (got === undefined) return;
        at = got.next;
        if (chunkState === "size") {
          const size = parseInt(got.text.split(";", 1)[0] ?? "", 16);
          if (!Number.isSafeInteger(size) || size < 0) throw fail(new Error(`invalid chunk size ${JSON.stringify(got.text.slice(0, 20))}`));
          chunkLeft = size;
          chunkState = size === 0 ? "trailer" : "data";
        } else if (chunkState === "data-end") {
          chunkState = "size";
        } else if (got.text === "") {
          complete();
          return;
        }
      }
    }

    async function consume(chunk: Buffer): Promise<void> {
      if (response !== undefined) return body(chunk);
      // The head is small: copied out of the read buffer until it is whole.
      head = Buffer.concat([head, chunk]);
      for (;;) {
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          if (head.length > MAX_HEAD) throw fail(new Error(`the answer's headers are longer than ${MAX_HEAD} bytes`));
          return;
        }
        let res: BulkResponse;
        try {
          res = parseHead(head.toString("latin1", 0, end));
          framing = framingOf(method, res);
        } catch (e) {
          throw fail(e);
        }
        const rest = head.subarray(end + 4);
        head = Buffer.alloc(0);
        // An interim answer (100 Continue) comes before the real one.
        if (res.status < 200) {
          head = Buffer.from(rest);
          continue;
        }
        clearTimeout(headersTimer);
        response = res;
        transport.cookies.store(res.headers["set-cookie"]);
        if (res.status >= 300 && res.status < 400) throw transport.redirectError(res.status, res.headers["location"], method, path);
        req.onResponse?.(res);
        // A failure's body is not wanted: its status says it all.
        if (res.status >= 300) {
          finish(undefined);
          return;
        }
        if (framing.kind === "none" || (framing.kind === "length" && framing.left === 0)) complete();
        else if (rest.length > 0) await body(rest);
        return;
      }
    }

    deliver = (chunk: Buffer): boolean => {
      if (settled) return false;
      idleTimer?.refresh();
      consume(chunk).then(
        () => {
          if (!settled) socket.resume();
        },
        (e: unknown) => finish(e instanceof Error ? e : fail(e)),
      );
      // Paused until the consumer is done with the bytes.
      return false;
    };
    // A socket opened without onread (a plain proxy tunnel) streams new buffers instead.
    socket.on("data", (chunk: Buffer) => {
      socket.pause();
      deliver(chunk);
    });
    socket.on("error", (e: Error) => finish(fail(e)));
    socket.on("close", () => {
      if (response !== undefined && framing.kind === "close") bodyDone = true;
      if (bodyDone) finish(undefined);
      finish(fail(new Error("the server closed the connection before the end of its answer")));
    });

    send().then(
      () => {
        requestSent = true;
        if (bodyDone) finish(undefined);
        else if (response === undefined && headersMs > 0 && !settled)
          headersTimer = setTimeout(() => finish(new TimeoutError("response headers", headersMs, `${method} ${path}`)), headersMs);
      },
      (e: unknown) => finish(e instanceof Error && e.name === "LocalBodyError" ? (e.cause as Error) : fail(e)),
    );

    function write(chunk: Buffer | string): Promise<void> {
      const p = new Promise<void>((ok, ko) => socket.write(chunk, (e) => (e ? ko(e) : ok())));
      p.catch(() => undefined);
      return p;
    }

    async function send(): Promise<void> {
      const url = new URL(transport.origin);
      const headers: Record<string, string> = { host: url.host, ...req.headers, connection: "close" };
      const cookie = transport.cookies.header();
      if (cookie !== undefined) headers["cookie"] = cookie;
      if (req.body !== undefined) headers["content-length"] = String(req.body.length);
      let text = `${method} ${path} HTTP/1.1\r\n`;
      for (const [k, v] of Object.entries(headers)) text += `${k}: ${v}\r\n`;
      const sentHead = write(`${text}\r\n`);
      const source = req.body;
      if (source === undefined) return sentHead;
      const buffers = Array.from({ length: WRITE_BUFFERS }, () => Buffer.allocUnsafe(WRITE_BUFFER));
      const writing: (Promise<void> | undefined)[] = [sentHead];
      let sent = 0;
      for (let i = 0; sent < source.length; i++) {
        if (settled) return;
        const slot = i % WRITE_BUFFERS;
        await writing[slot];
        const buf = (buffers[slot] as Buffer).subarray(0, Math.min(WRITE_BUFFER, source.length - sent));
        let n: number;
        try {
          n = await source.read(buf);
          if (n === 0) throw new Error(`the body ended after ${sent} of its ${source.length} bytes`);
        } catch (e) {
          // The source's own failure passes as it is, not as the connection's.
          throw Object.assign(new Error("body"), { name: "LocalBodyError", cause: e });
        }
        sent += n;
        writing[slot] = write(buf.subarray(0, n));
      }
      await Promise.all(writing);
    }
  });
}
