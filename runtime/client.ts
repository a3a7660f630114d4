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
    // The body stays bytes: the decoder reads UTF-8 directly (faster, and no second copy as a string).
    const res = await this.transport.bytes("POST", this.path, requestEnvelope(body), { headers, ...pickCallOptions(options) });
    this.logger.log("debug", `${method}: HTTP ${res.status} in ${Math.round(performance.now() - started)} ms, ${res.body.length} bytes`);
    if (res.status === 200) {
      // vcsim answers some void methods with an empty body.
      if (compiled.returns === undefined && isBlank(res.body)) return undefined;
      if (isHtml(res.headers["content-type"], res.body)) {
        throw new HttpError(200, `${this.transport.origin}${this.path}`, `${method}: the server answered HTML, not SOAP${quote(res.body)}`);
      }
      return registry.run(() => decodeResponse(registry, compiled, res.body, this.limits), res.body);
    }
    const fault = await registry.run(() => faultFromDocument(registry, method, res.body, this.limits), res.body).catch(() => undefined);
    if (fault !== undefined) throw fault;
    throw new HttpError(
      res.status,
      `${this.transport.origin}${this.path}`,
      `${method}: the server answered HTTP ${res.status}${quote(res.body)}`,
      { retryAfterMs: retryAfterMs(res.headers["retry-after"]) },
    );
  }
}

/**
 * The start of a server's answer as quoted in an error (": …", or nothing when blank),
 * redacted as the logger's output is: a page echoing the request shows no password or cookie.
 */
function quote(body: Buffer): string {
  const excerpt = redactQuoted(body.toString("utf8", 0, Math.min(body.length, 65536)).trim(), 200).trim();
  return excerpt === "" ? "" : `: ${excerpt}`;
}

/** An HTML page (an error page, a login portal) rather than a SOAP document. */
function isHtml(contentType: string | string[] | undefined, body: Buffer): boolean {
  const type = Array.isArray(contentType) ? contentType.join(",") : (contentType ?? "");
  if (/\bhtml\b/i.test(type)) return true;
  const head = body.toString("latin1", 0, Math.min(body.length, 256)).trimStart().slice(0, 14).toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

function isBlank(body: Buffer): boolean {
  for (const b of body) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}
