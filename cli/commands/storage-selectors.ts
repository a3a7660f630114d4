/**
 * virsh's pool and volume arguments, resolved once into driver handles: a pool by UUID or
 * name (virshCommandOptPoolBy); a volume by name within --pool, else by key, else by path
 * (virshCommandOptVolBy). A failed lookup reports virsh's "failed to get pool/vol" line
 * before the driver's error; such a failure has no command line of its own.
 */
import { EsxviError, NotFoundError } from "../../errors/esxvi-error.js";
import type { Connection } from "../../drivers/connection/connection.js";
import type { StoragePool, StorageVolume } from "../../drivers/storage/handles.js";
import { lookupPool, lookupVolume, lookupVolumeByKey, lookupVolumeByPath } from "../../drivers/storage/storage.js";
import { UsageError } from "./failures.js";

/** A pool or volume argument that names nothing: virsh's line, then the driver's error. */
export class StorageLookupError extends NotFoundError<"NO_STORAGE_POOL" | "NO_STORAGE_VOL"> {}

export async function resolvePool(conn: Connection, selector: string, signal: AbortSignal): Promise<StoragePool> {
  try {
    return await lookupPool(conn, selector, { signal });
  } catch (e) {
    if (e instanceof EsxviError && e.code === "NO_STORAGE_POOL")
      throw new StorageLookupError(`failed to get pool '${selector}'`, { code: "NO_STORAGE_POOL", cause: e });
    throw e;
  }
}

export async function resolveVolume(
  conn: Connection,
  selector: string,
  poolSelector: string | undefined,
  signal: AbortSignal,
): Promise<StorageVolume> {
  const pool = poolSelector === undefined ? undefined : await resolvePool(conn, poolSelector, signal);
  let last: unknown;
  const attempts: (() => Promise<StorageVolume>)[] = [];
  if (pool !== undefined) attempts.push(() => lookupVolume(conn, pool, selector, { signal }));
  attempts.push(() => lookupVolumeByKey(conn, selector, { signal }));
  attempts.push(() => lookupVolumeByPath(conn, selector, { signal }));
  for (const attempt of attempts) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof EsxviError) || (e.code !== "NO_STORAGE_VOL" && e.code !== "INVALID_ARG" && e.code !== "NO_STORAGE_POOL")) throw e;
      last = e;
    }
  }
  const hint = pool === undefined ? ", specifying --pool might help" : "";
  throw new StorageLookupError(`failed to get vol '${selector}'${hint}`, { code: "NO_STORAGE_VOL", cause: last });
}

/** The first error line of a failed storage command: none for a lookup or usage failure. */
export function storageFailure(error: unknown, line: string): string | undefined {
  if (error instanceof StorageLookupError || error instanceof UsageError) return undefined;
  return line;
}

/** virsh's vshPrettyCapacity: "%.2f <unit>" with binary units. */
export function prettyCapacity(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(2)} ${units[i] ?? "B"}`;
}
