/**
 * The logger interface of the library (no console output in library code) and the
 * redaction every message goes through: passwords and session cookies never reach a log.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Discards everything. */
export const silentLogger: Logger = { log: () => undefined };

const PATTERNS: readonly [RegExp, string][] = [
  [/(<password\b[^>]*>)[\s\S]*?(<\/password>)/gi, "$1***$2"],
  [/(<(?:chapSecret|mutualChapSecret|sessionId|token|samlToken|base64Token)\b[^>]*>)[\s\S]*?(<\/)/gi, "$1***$2"],
  [/(vmware_soap_session=)("?)[^";\s]+/gi, "$1$2***"],
  [/(vmware_cgi_ticket=)[^;\s]+/gi, "$1***"],
  [/((?:authorization|proxy-authorization)\s*[:=]\s*)(\S+\s+)?\S+/gi, "$1***"],
  [/(\/\/[^/:@\s]+:)[^@/\s]+@/g, "$1***@"],
  [/(\bpassword\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, "$1***"],
];

/** Removes secrets from a text: passwords in SOAP bodies and URIs, cookies, authorization headers. */
export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", "#39": "'", "#34": '"' };

/**
 * Redacts a server's text before it is quoted in an error and only then cuts it to `max`
 * characters, so that a cut never falls inside a secret it would have hidden. An echo of
 * the request is redacted also when HTML-escaped (the escapes are undone first, twice at
 * most), and a secret element left open at the end of the text is hidden to its end.
 */
export function redactQuoted(text: string, max: number): string {
  let plain = text;
  for (let i = 0; i < 2 && /&(?:lt|gt|amp|quot|apos|#39|#34);/.test(plain); i++) {
    plain = plain.replace(/&(lt|gt|amp|quot|apos|#39|#34);/g, (_m, name: string) => HTML_ENTITIES[name] ?? "");
  }
  const clean = redact(plain).replace(
    /(<(password|chapSecret|mutualChapSecret|sessionId|token|samlToken|base64Token)\b[^>]*>)(?![\s\S]*?<\/\2>)[\s\S]+$/i,
    "$1***",
  );
  return clean.length > max ? clean.slice(0, max) : clean;
}

/** Wraps a logger so that every message and string field is redacted. */
export function redactingLogger(inner: Logger): Logger {
  return {
    log(level, message, fields) {
      if (fields === undefined) {
        inner.log(level, redact(message));
        return;
      }
      const clean: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) clean[k] = typeof v === "string" ? redact(v) : v;
      inner.log(level, redact(message), clean);
    },
  };
}
