/**
 * A pool's state and sizes (libvirt's storagePoolGetInfo): a datastore is running or
 * inaccessible (summary.accessible), capacity and free space from its summary, allocation
 * = capacity − free; an iSCSI target is running with all sizes 0.
 */
import { toNumber } from "../util/index.js";
import type { StoragePool } from "./handles.js";

export type PoolState = "running" | "inaccessible";

export interface PoolSizes {
  readonly state: PoolState;
  readonly capacity: number;
  readonly allocation: number;
  readonly available: number;
}

export function poolSizes(pool: StoragePool): PoolSizes {
  if (pool.kind === "iscsi") return { state: "running", capacity: 0, allocation: 0, available: 0 };
  const capacity = toNumber(pool.summary.capacity) ?? 0;
  const available = toNumber(pool.summary.freeSpace) ?? 0;
  return {
    state: pool.summary.accessible ? "running" : "inaccessible",
    capacity,
    allocation: capacity - available,
    available,
  };
}
