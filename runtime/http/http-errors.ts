/** Errors of the HTTP layer: unexpected statuses, redirects, connection and TLS failures. */
import { EsxviError, type ErrorOptions } from "../../errors/esxvi-error.js";

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === "") return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class HttpError extends EsxviError<"HTTP_ERROR"> {
  readonly status: number;
  readonly url: string;
  /** The target of a redirect (3xx), which is reported, never followed. */
  readonly location: string | undefined;
  /** How long the server asked to wait before trying again (Retry-After), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    status: number,
    url: string,
    message: string,
    options?: ErrorOptions & { location?: string; retryAfterMs?: number | undefined },
  ) {
    super("HTTP_ERROR", message, options);
    this.status = status;
    this.url = url;
    this.location = options?.location;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

export class TransportError extends EsxviError<"TRANSPORT_ERROR"> {
  constructor(message: string, options?: ErrorOptions) {
    super("TRANSPORT_ERROR", message, options);
  }
}

export class TlsError extends EsxviError<"TLS_ERROR"> {
  /** The SHA-1 and SHA-256 thumbprints of the certificate the server presented, when known. */
  readonly thumbprintSha1: string | undefined;
  readonly thumbprintSha256: string | undefined;

  constructor(message: string, options?: ErrorOptions & { sha1?: string; sha256?: string }) {
    super("TLS_ERROR", message, options);
    this.thumbprintSha1 = options?.sha1;
    this.thumbprintSha256 = options?.sha256;
  }
}
