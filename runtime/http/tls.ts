/**
 * TLS policy: certificate verification against the system CAs or a CA file (default),
 * no verification (libvirt's no_verify=1), or pinning by SHA-1/SHA-256 thumbprint.
 * Verification is done after the handshake so that a refusal can name the thumbprint.
 */
import type { TLSSocket } from "node:tls";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { TlsError } from "./http-errors.js";

export interface TlsSettings {
  /** Verify the certificate chain and host name (default true). */
  readonly verify: boolean;
  /** PEM certificates to trust instead of the system CAs. */
  readonly ca?: string;
  /** When set, the certificate is accepted if and only if its thumbprint matches. */
  readonly thumbprint?: string;
}

export interface Thumbprint {
  readonly algorithm: "sha1" | "sha256";
  /** Upper-case hex pairs separated by colons, as Node prints fingerprints. */
  readonly value: string;
}

/** Accepts "AA:BB:…" or "aabb…" of 40 (SHA-1) or 64 (SHA-256) hex digits. */
export function parseThumbprint(text: string): Thumbprint {
  const hex = text.replace(/[:\s-]/g, "").toUpperCase();
  if (!/^[0-9A-F]+$/.test(hex) || (hex.length !== 40 && hex.length !== 64)) {
    throw new InvalidInputError(`'${text}' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint`);
  }
  return { algorithm: hex.length === 40 ? "sha1" : "sha256", value: (hex.match(/../g) ?? []).join(":") };
}

/** Checks a connected socket against the policy; returns the error to fail with, if any. */
export function checkCertificate(socket: TLSSocket, settings: TlsSettings, where: string): TlsError | undefined {
  const cert = socket.getPeerCertificate();
  const sha1 = cert.fingerprint;
  const sha256 = cert.fingerprint256;
  if (settings.thumbprint !== undefined) {
    const pin = parseThumbprint(settings.thumbprint);
    const actual = pin.algorithm === "sha1" ? sha1 : sha256;
    if (actual?.toUpperCase() === pin.value) return undefined;
    return new TlsError(
      `the certificate of ${where} does not match the pinned ${pin.algorithm.toUpperCase()} thumbprint ${pin.value}: the server presented ${actual ?? "no certificate"}`,
      { sha1, sha256 },
    );
  }
  if (!settings.verify || socket.authorized) return undefined;
  const reason = String(socket.authorizationError ?? "unknown reason");
  return new TlsError(
    `the certificate of ${where} is not trusted (${reason}). Its SHA-256 thumbprint is ${sha256}: ` +
      `pin it with thumbprint=${sha256}, trust its CA with cafile=<file>, or turn verification off with no_verify=1`,
    { sha1, sha256 },
  );
}
