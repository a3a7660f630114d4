/** libvirt's storage UUIDs and keys: the MD5 of a text, formatted as a UUID. */
import { createHash } from "node:crypto";

export function md5Uuid(text: string): string {
  const h = createHash("md5").update(text, "utf8").digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** libvirt's esxUtil_ReformatUuid: ESX's "60 00 c2 9a … b1 c5-a2 8f …" as a lowercase UUID. */
export function reformatDiskUuid(text: string): string | undefined {
  const hex = text.replace(/[\s-]/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
