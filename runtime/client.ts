/**
 * The plain SOAP client of one server: sends a method of a set of bindings over the HTTP
 * transport and decodes the answer (a value, or a SoapFaultError), counting calls. It
 * implements the SoapCaller interface that generated method stubs use; the session wraps it
 * in the callers that retry reads and recover a lost session (runtime/read-retry.ts,
 * runtime/session-recovery.ts).
 */
import { InternalError, OperationInvalidError } from "../errors/esxvi-error.js";
import { HttpError, retryAfterMs } from "./http/http-errors.js";
import type { HttpTransport } from "./http/transport.js";
import { redactQuoted, silentLogger, type Logger } from "./logger.js";
import {
  decodeResponse,
  faultFromDocument,
  isMoRef,
  pickCallOptions,
  requestEnvelope,
  type ByteChunks,
  type CallOptions,
  type MoRef,
  type SoapCaller,
  type TypeRegistry,
  type XmlReaderLimits,
} from "./soap/index.js";

export interface VimClientOptions {
  readonly transport: HttpTransport;
  /** The SOAP endpoint path (default "/sdk"). */
  readonly path?: string;
  readonly logger?: Logger;
  readonly limits?: XmlReaderLimits;
}

export interface CallStats {
  calls: number;
  readonly byMethod: Map<string, number>;
}

export class VimClient implements SoapCaller {
  readonly transport: HttpTransport;
  readonly stats: CallStats = { calls: 0, byMethod: new Map() };
  /** ServiceContent members, once RetrieveServiceContent has answered. */
  serviceContent: Readonly<Record<string, unknown>> | undefined;
  /** The server's API version: sent as SOAPAction `urn:vim25/<version>` once known. */
  apiVersion: string | undefined;
  private readonly path: string;
  private readonly logger: Logger;
  private readonly limits: XmlReaderLimits | undefined;
  #closed = false;

  constructor(options: VimClientOptions) {
    this.transport = options.transport;
    this.path = options.path ?? "/sdk";
    this.logger = options.logger ?? silentLogger;
    this.limits = options.limits;
  }

  /** True once close() was called: every later call fails with OPERATION_INVALID. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the connections; later calls fail without reaching the server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.transport.close();
  }

  bound(member: string): MoRef {
    const v = this.serviceContent?.[member];
    if (!isMoRef(v)) {
      throw new InternalError(
        this.serviceContent === undefined
          ? `cannot call a method on ServiceContent.${member}: not connected`
          : `the server's ServiceContent has no ${member}`,
      );
    }
    return v;
  }

  /** Sends `method` once and decodes the answer: its value, or the server's fault as a SoapFaultError. */
  async invoke(registry: TypeRegistry, method: string, args: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<unknown> {
    if (this.#closed) throw new OperationInvalidError(`${method}: the session with ${this.transport.origin} is closed`);
    await registry.load(method);
    const compiled = registry.method(method);
    const body = await registry.run(() => compiled.encodeBody(args));
    const headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" };
    if (this.apiVersion !== undefined) headers["soapaction"] = `urn:vim25/${this.apiVersion}`;
    this.stats.calls++;
    this.stats.byMethod.set(method, (this.stats.byMethod.get(method) ?? 0) + 1);
    const started = performance.now();
    // The body stays bytes, in the pieces it arrived in: the decoder reads UTF-8 directly and
    // never joins them (no second copy of the document, as a string or as one buffer).
    const res = await this.transport.chunks("POST", this.path, requestEnvelope(body), { headers, ...pickCallOptions(options) });
    const doc = res.body;
    this.logger.log("debug", `${method}: HTTP ${res.status} in ${Math.round(performance.now() - started)} ms, ${doc.length} bytes`);
    if (res.status === 200) {
      // vcsim answers some void methods with an empty body.
      if (compiled.returns === undefined && isBlank(doc)) return undefined;
      if (isHtml(res.headers["content-type"], doc)) {
        throw new HttpError(200, `${this.transport.origin}${this.path}`, `${method}: the server answered HTML, not SOAP${quote(doc)}`);
      }
      // With every module of the bindings loaded no decode stops to load one and starts over,
      // so the decoder may release each piece once read, while it builds the objects.
      const consume = registry.complete;
      return registry.run(() => decodeResponse(registry, compiled, { ...doc, consume }, this.limits), doc);
    }
    const fault = await registry.run(() => faultFromDocument(registry, method, doc, this.limits), doc).catch(() => undefined);
    if (fault !== undefined) throw fault;
    throw new HttpError(
      res.status,
      `${this.transport.origin}${this.path}`,
      `${method}: the server answered HTTP ${res.status}${quote(doc)}`,
      { retryAfterMs: retryAfterMs(res.headers["retry-after"]) },
    );
  }
}

/** The first `n` bytes of a document in pieces (fewer when it is shorter). */
function head(doc: ByteChunks, n: number): Buffer {
  const parts: Uint8Array[] = [];
  let got = 0;
  for (const c of doc.chunks) {
    if (got >= n) break;
    const part = c.subarray(0, n - got);
    parts.push(part);
    got += part.length;
  }
  return Buffer.concat(parts, got);
}

/**
 * The start of a server's answer as quoted in an error (": …", or nothing when blank),
 * redacted as the logger's output is: a page echoing the request shows no password or cookie.
 */
function quote(doc: ByteChunks): string {
  const excerpt = redactQuoted(head(doc, 65536).toString("utf8").trim(), 200).trim();
  return excerpt === "" ? "" : `: ${excerpt}`;
}

/** An HTML page (an error page, a login portal) rather than a SOAP document. */
function isHtml(contentType: string | string[] | undefined, doc: ByteChunks): boolean {
  const type = Array.isArray(contentType) ? contentType.join(",") : (contentType ?? "");
  if (/\bhtml\b/i.test(type)) return true;
  const start = head(doc, 256).toString("latin1").trimStart().slice(0, 14).toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html");
}

function isBlank(doc: ByteChunks): boolean {
  for (const c of doc.chunks) for (const b of c) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}
