/** A numeric property value as a number: the decoder gives xsd:int as number and xsd:long as bigint. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}
