/**
 * JSON output of the --json flag: bigints as numbers when safe (else strings), Dates as ISO
 * text, every control character escaped.
 */
import { escapeJsonControls } from "./control-chars.js";

export function toJson(value: unknown): string {
  const json = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "bigint")
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
      return v;
    },
    2,
  );
  return json === undefined ? json : escapeJsonControls(json);
}
