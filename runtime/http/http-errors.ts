/** Errors of the HTTP layer: unexpected statuses, redirects, connection and TLS failures. */
import { EsxviError, type ErrorOptions } from "../../errors/esxvi-error.js";

export class HttpError extends EsxviError {
  readonly status: number;
  readonly url: string;
  /** The target of a redirect (3xx), which is reported, never followed. */
  readonly location: string | undefined;

  constructor(status: number, url: string, message: string, options?: ErrorOptions & { location?: string }) {
    super("HTTP_ERROR", message, options);
    this.status = status;
    this.url = url;
    this.location = options?.location;
  }
}

export class TransportError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("TRANSPORT_ERROR", message, options);
  }
}

export class TlsError extends EsxviError {
  /** The SHA-1 and SHA-256 thumbprints of the certificate the server presented, when known. */
  readonly thumbprintSha1: string | undefined;
  readonly thumbprintSha256: string | undefined;

  constructor(message: string, options?: ErrorOptions & { sha1?: string; sha256?: string }) {
    super("TLS_ERROR", message, options);
    this.thumbprintSha1 = options?.sha1;
    this.thumbprintSha256 = options?.sha256;
  }
}
