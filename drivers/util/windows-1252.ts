/**
 * Windows-1252 to Unicode, as libxml2's "windows-1252" handler does it for
 * virVMXConvertToUTF8. The five bytes that code page leaves undefined are rejected.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";

/** Code points of the bytes 0x80..0x9f; 0 marks an undefined byte. */
const HIGH_CONTROL_RANGE: readonly number[] = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0, 0, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Decodes Windows-1252 bytes to a string. */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x80 || b >= 0xa0) {
      out += String.fromCharCode(b);
      continue;
    }
    const cp = HIGH_CONTROL_RANGE[b - 0x80] ?? 0;
    if (cp === 0) {
      throw new InvalidInputError(
        `Could not convert from Windows-1252 to UTF-8 encoding: byte 0x${b.toString(16)} at offset ${i} is undefined`,
      );
    }
    out += String.fromCharCode(cp);
  }
  return out;
}

/** Converts Windows-1252 bytes to UTF-8 bytes. */
export function windows1252ToUtf8(bytes: Uint8Array): Uint8Array {
  return new TextEncoder().encode(decodeWindows1252(bytes));
}
