/**
 * Domain information read from a handle, so that the lookup's one retrieval after connect is
 * all each costs: virsh dominfo (libvirt's domainGetInfo: power state, memory, vCPUs, memory
 * limit; plus autostart, persistence and managed save), vcpucount (the VM's own counts) and
 * dommemstat (from quickStats). Each exports the paths to ask for in the lookup.
 */
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import { autostartConfig, autostartRetrieval, isAutostart } from "./autostart-state.js";
import { domainId, isActive, stateOf, type DomainIdentity, type DomainState } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";

export interface DomainInfo {
  readonly identity: DomainIdentity;
  readonly id: number | undefined;
  readonly state: DomainState;
  readonly osType: "hvm";
  readonly vcpus: number;
  /** Maximum memory (config.hardware.memoryMB) in KiB. */
  readonly maxMemoryKiB: number;
  /** Memory the domain may use (the memory limit, or the maximum when unlimited) in KiB. */
  readonly memoryKiB: number;
  /** ESX gives no CPU time (libvirt compiles its perf-counter code out). */
  readonly cpuTimeNs: number;
  readonly persistent: true;
  readonly autostart: boolean;
  readonly managedSave: false;
}

/** What domainInfo reads: these paths, and the host's autostart configuration (lookup option `autostart: true`). */
export const DOMAIN_INFO_PATHS = ["config.hardware.memoryMB", "config.hardware.numCPU", "config.memoryAllocation.limit"] as const;

export async function domainInfo(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainInfo> {
  const auto = autostartRetrieval(conn);
  const d = await withDomainData(conn, domain, DOMAIN_INFO_PATHS, { ...options, also: auto === undefined ? [] : [auto] });
  const maxMemoryKiB = (toNumber(d.props["config.hardware.memoryMB"]) ?? 0) * 1024;
  const limit = toNumber(d.props["config.memoryAllocation.limit"]);
  return {
    identity: d.identity,
    id: domainId(d.identity),
    state: stateOf(d.identity.powerState),
    osType: "hvm",
    vcpus: toNumber(d.props["config.hardware.numCPU"]) ?? 0,
    maxMemoryKiB,
    memoryKiB: limit === undefined || limit < 0 ? maxMemoryKiB : limit * 1024,
    cpuTimeNs: 0,
    persistent: true,
    autostart: isAutostart(autostartConfig(conn, d.extra), d.identity.ref),
    managedSave: false,
  };
}

/** vcpucount: the VM's own vCPU count (config.hardware.numCPU), which is also its maximum. */
export interface VcpuCounts {
  readonly identity: DomainIdentity;
  readonly vcpus: number;
  /** Live counts exist only while the domain is active. */
  readonly active: boolean;
}

export const VCPU_COUNT_PATHS = ["config.hardware.numCPU"] as const;

export async function domainVcpuCounts(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<VcpuCounts> {
  const d = await withDomainData(conn, domain, VCPU_COUNT_PATHS, options);
  return { identity: d.identity, vcpus: toNumber(d.props["config.hardware.numCPU"]) ?? 0, active: isActive(d.identity.powerState) };
}

/**
 * dommemstat from the VM's quickStats (libvirt's ESX driver has no memory statistics), in
 * KiB, in libvirt's tag order: unused (configured less guest-active memory), available (the
 * configured memory), actual (configured less ballooned memory), rss (host memory consumed).
 */
export interface MemoryStat {
  readonly tag: "unused" | "available" | "actual" | "rss";
  readonly value: number;
}

export interface DomainMemoryStats {
  readonly identity: DomainIdentity;
  readonly stats: readonly MemoryStat[];
  /** The quickStats figures they come from, in MiB (absent ones omitted). */
  readonly quickStats: Readonly<Record<string, number>>;
}

const MEMORY_QUICKSTATS = [
  "guestMemoryUsage",
  "hostMemoryUsage",
  "balloonedMemory",
  "swappedMemory",
  "compressedMemory",
  "privateMemory",
  "sharedMemory",
  "grantedMemory",
  "consumedOverheadMemory",
] as const;

export const MEMORY_STATS_PATHS = ["config.hardware.memoryMB", "summary.quickStats"] as const;

export async function domainMemoryStats(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainMemoryStats> {
  const d = await withDomainData(conn, domain, MEMORY_STATS_PATHS, options);
  if (d.identity.powerState !== "poweredOn") throw new OperationInvalidError("domain is not running");
  const memoryMiB = toNumber(d.props["config.hardware.memoryMB"]) ?? 0;
  const raw = d.props["summary.quickStats"];
  const qs: Record<string, number> = {};
  if (typeof raw === "object" && raw !== null) {
    for (const k of MEMORY_QUICKSTATS) {
      const v = toNumber((raw as unknown as Record<string, unknown>)[k]);
      if (v !== undefined) qs[k] = v;
    }
  }
  const stats: MemoryStat[] = [];
  if (qs["guestMemoryUsage"] !== undefined) stats.push({ tag: "unused", value: Math.max(0, memoryMiB - qs["guestMemoryUsage"]) * 1024 });
  stats.push({ tag: "available", value: memoryMiB * 1024 });
  stats.push({ tag: "actual", value: Math.max(0, memoryMiB - (qs["balloonedMemory"] ?? 0)) * 1024 });
  if (qs["hostMemoryUsage"] !== undefined) stats.push({ tag: "rss", value: qs["hostMemoryUsage"] * 1024 });
  return { identity: d.identity, stats, quickStats: qs };
}
