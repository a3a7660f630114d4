/**
 * The "base64 escape" of esxUtil_EscapeBase64: every maximal run of bytes outside
 * [A-Za-z0-9'(),. _-] becomes "+" followed by the run in base64 without padding, using
 * "," instead of "/", and a closing "-" unless the run ends the string.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
const encoder = new TextEncoder();

function isPlain(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x27 || // '
    byte === 0x28 || // (
    byte === 0x29 || // )
    byte === 0x2c || // ,
    byte === 0x2e || // .
    byte === 0x20 || // space
    byte === 0x5f || // _
    byte === 0x2d // -
  );
}

function encodeRun(run: Uint8Array): string {
  let out = "";
  for (let k = 0; k < run.length; k += 3) {
    const c1 = run[k] ?? 0;
    const c2 = run[k + 1] ?? 0;
    const c3 = run[k + 2] ?? 0;
    const left = run.length - k;
    out += ALPHABET[c1 >> 2];
    out += ALPHABET[((c1 << 4) | (c2 >> 4)) & 63];
    if (left > 1) out += ALPHABET[((c2 << 2) | (c3 >> 6)) & 63];
    if (left > 2) out += ALPHABET[c3 & 63];
  }
  return out;
}

export function escapeBase64Runs(text: string): string {
  const bytes = encoder.encode(text);
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    let j = i;
    while (j < bytes.length && isPlain(bytes[j] ?? 0)) j++;
    if (j > i) {
      // latin1 of plain (ASCII) bytes is the text; no argument spread over a run of any length.
      out += Buffer.from(bytes.buffer, bytes.byteOffset + i, j - i).toString("latin1");
      i = j;
      continue;
    }
    while (j < bytes.length && !isPlain(bytes[j] ?? 0)) j++;
    out += "+" + encodeRun(bytes.subarray(i, j));
    i = j;
    if (i < bytes.length) out += "-";
  }
  return out;
}
