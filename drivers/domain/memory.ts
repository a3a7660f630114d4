/**
 * A domain's memory as libvirt's ESX driver maps it: the current memory is the memory
 * limit (memoryAllocation.limit, MiB rounded up), the maximum is config.hardware.memoryMB
 * (a multiple of 4 MiB, while powered off, or growing through memory hot add), and memtune's min_guarantee is the memory
 * reservation. virsh's default flags (none, --current, --live, --config) are accepted where
 * vSphere can do what they ask (see affect.ts).
 */
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import { pickCallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import { checkAllocationAffect, resolveAffect, type AffectFlags } from "./affect.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";
import { mergedAllocation, reconfigureDomain } from "./reconfigure.js";
import type { DomainTaskOptions } from "./vm-task.js";

export type MemoryOptions = DomainTaskOptions & AffectFlags;

export interface MemorySetResult {
  readonly identity: DomainIdentity;
  /** The value written, in the unit vSphere keeps it (MiB). */
  readonly mib: number;
}

/** What setDomainMemory, getMemoryParameters and setMemoryParameters read. */
export const MEMORY_ALLOCATION_PATHS = ["config.memoryAllocation"] as const;
/** What setDomainMaxMemory reads. */
export const MAX_MEMORY_PATHS = ["config.memoryHotAddEnabled", "config.hotPlugMemoryLimit", "config.hardware.memoryMB"] as const;

/** Sets the memory allocation's limit or reservation to ceil(KiB / 1024) MiB (libvirt's rounding). */
async function setMemoryAllocation(
  conn: Connection,
  domain: DomainHandle,
  field: "limit" | "reservation",
  kib: number,
  options: MemoryOptions,
): Promise<MemorySetResult> {
  const d = await withDomainData(conn, domain, MEMORY_ALLOCATION_PATHS, pickCallOptions(options));
  checkAllocationAffect(resolveAffect(options, d.identity.powerState));
  const mib = Math.ceil(kib / 1024);
  const value = BigInt(mib);
  const change = field === "limit" ? { limit: value } : { reservation: value };
  await reconfigureDomain(
    conn,
    d,
    { _typeName: "VirtualMachineConfigSpec", memoryAllocation: mergedAllocation(d.props["config.memoryAllocation"], change) },
    options,
  );
  return { identity: d.identity, mib };
}

/** libvirt's esxDomainSetMemory: memoryAllocation.limit = ceil(KiB / 1024) MiB. */
export async function setDomainMemory(
  conn: Connection,
  domain: DomainHandle,
  kib: number,
  options: MemoryOptions = {},
): Promise<MemorySetResult> {
  return setMemoryAllocation(conn, domain, "limit", kib, options);
}

/**
 * libvirt's esxDomainSetMaxMemory: memoryMB = ceil(KiB / 4096) × 4, powered off. Beyond
 * libvirt, a running domain with memory hot add enabled (config.memoryHotAddEnabled) grows
 * live, as vSphere allows: only upwards and up to config.hotPlugMemoryLimit, and for the
 * running domain and its configuration at once. Otherwise libvirt's "Domain is not powered off".
 */
export async function setDomainMaxMemory(
  conn: Connection,
  domain: DomainHandle,
  kib: number,
  options: MemoryOptions = {},
): Promise<MemorySetResult> {
  const d = await withDomainData(conn, domain, MAX_MEMORY_PATHS, pickCallOptions(options));
  const affected = resolveAffect(options, d.identity.powerState);
  const mib = Math.ceil(kib / 4096) * 4;
  if (affected.active) {
    if (d.props["config.memoryHotAddEnabled"] !== true || d.identity.powerState !== "poweredOn")
      throw new OperationInvalidError("Domain is not powered off");
    checkAllocationAffect(affected);
    const current = toNumber(d.props["config.hardware.memoryMB"]) ?? 0;
    const limit = toNumber(d.props["config.hotPlugMemoryLimit"]);
    if (mib < current)
      throw new OperationInvalidError(`Memory hot add cannot shrink a running domain: ${mib} MiB is below its ${current} MiB`);
    if (limit !== undefined && limit > 0 && mib > limit)
      throw new OperationInvalidError(`Memory hot add is limited to ${limit} MiB for this domain (asked for ${mib} MiB)`);
  }
  await reconfigureDomain(conn, d, { _typeName: "VirtualMachineConfigSpec", memoryMB: BigInt(mib) }, options);
  return { identity: d.identity, mib };
}

export interface MemoryParameters {
  readonly identity: DomainIdentity;
  /** memoryAllocation.reservation in KiB. */
  readonly minGuaranteeKiB: number;
}

/** libvirt's esxDomainGetMemoryParameters: min_guarantee = reservation × 1024 KiB. */
export async function getMemoryParameters(conn: Connection, domain: DomainHandle, options: MemoryOptions = {}): Promise<MemoryParameters> {
  const d = await withDomainData(conn, domain, MEMORY_ALLOCATION_PATHS, pickCallOptions(options));
  resolveAffect(options, d.identity.powerState);
  return { identity: d.identity, minGuaranteeKiB: (toNumber(d.props["config.memoryAllocation"]?.reservation) ?? 0) * 1024 };
}

/** libvirt's esxDomainSetMemoryParameters: reservation = ceil(min_guarantee KiB / 1024) MiB. */
export async function setMemoryParameters(
  conn: Connection,
  domain: DomainHandle,
  params: { readonly minGuaranteeKiB: number },
  options: MemoryOptions = {},
): Promise<MemoryParameters> {
  const r = await setMemoryAllocation(conn, domain, "reservation", params.minGuaranteeKiB, options);
  return { identity: r.identity, minGuaranteeKiB: r.mib * 1024 };
}
