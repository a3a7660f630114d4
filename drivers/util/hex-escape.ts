/**
 * libvirt's hex escaping (virVMXEscapeHex / virVMXUnescapeHex) and its two uses:
 * percent-escaping of domain names and pipe-escaping inside .vmx values.
 * Escaping works on the UTF-8 bytes of the text; only ASCII bytes are ever escaped.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** Writes `escape` and each character of `specials` as `<escape>xx` (two lowercase hex digits). */
export function escapeHex(text: string, escape: string, specials: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === escape || specials.includes(ch)) {
      out += escape + (ch.codePointAt(0) ?? 0).toString(16).padStart(2, "0");
    } else {
      out += ch;
    }
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * Reverses escapeHex: every `<escape>XX` (hex digits in either case) becomes the byte XX.
 * Returns undefined when an escape character is not followed by two hex digits.
 */
export function unescapeHex(text: string, escape: string): string | undefined {
  if (!text.includes(escape)) return text;
  const bytes = encoder.encode(text);
  const escapeByte = escape.charCodeAt(0);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] ?? 0;
    if (b === escapeByte) {
      const hi = hexValue(bytes[i + 1] ?? 0);
      const lo = hexValue(bytes[i + 2] ?? 0);
      if (hi < 0 || lo < 0) return undefined;
      out[n++] = hi * 16 + lo;
      i += 3;
    } else {
      out[n++] = b;
      i++;
    }
  }
  return decoder.decode(out.subarray(0, n));
}

/** `%`, `/` and `\` as `%XX` (virVMXEscapeHexPercent): VM names in the vSphere API. */
export function escapeHexPercent(text: string): string {
  return escapeHex(text, "%", "/\\");
}

/** Reverses escapeHexPercent; undefined on an invalid escape sequence. */
export function unescapeHexPercent(text: string): string | undefined {
  return unescapeHex(text, "%");
}

/** `|` and `"` as `|XX` (virVMXEscapeHexPipe): values inside a .vmx file. */
export function escapeHexPipe(text: string): string {
  return escapeHex(text, "|", '"');
}

/** Reverses escapeHexPipe; undefined on an invalid escape sequence. */
export function unescapeHexPipe(text: string): string | undefined {
  return unescapeHex(text, "|");
}
