/**
 * Node memory and CPU figures, each in one retrieval:
 * - free memory as libvirt's nodeGetFreeMemory reports it: the host's hardware.memorySize less
 *   summary.quickStats.overallMemoryUsage (MiB);
 * - memory and CPU statistics, which libvirt's ESX driver lacks, from the host's quickStats:
 *   total and free memory (hardware.memorySize less overallMemoryUsage), CPU utilization
 *   (overallCpuUsage against cpuMhz × cores).
 */
import { InternalError, InvalidInputError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";

/** The host's memory size and use (bytes, MiB), in one retrieval. */
async function hostMemory(conn: Connection, options: CallOptions): Promise<{ sizeBytes: number; usedMiB: number }> {
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    ["hardware.memorySize", "summary.quickStats.overallMemoryUsage"],
    options,
  );
  const usedMiB = toNumber(r.props["summary.quickStats.overallMemoryUsage"]);
  if (usedMiB === undefined) throw new InternalError("Could not retrieve the host's memory usage (summary.quickStats.overallMemoryUsage)");
  return { sizeBytes: toNumber(r.props["hardware.memorySize"]) ?? 0, usedMiB };
}

/** libvirt's nodeGetFreeMemory, in bytes: hardware.memorySize less overallMemoryUsage. */
export async function freeMemory(conn: Connection, options: CallOptions = {}): Promise<number> {
  const m = await hostMemory(conn, options);
  return Math.max(0, m.sizeBytes - m.usedMiB * 1024 * 1024);
}

/** virsh nodememstats fields, in KiB. */
export interface NodeMemoryStats {
  readonly total: number;
  readonly free: number;
}

/** The statistics cover the whole host: only "all cells" (-1, or none) is accepted. */
function checkAll(what: "cell" | "cpu", n: number | undefined): void {
  if (n !== undefined && n !== -1) {
    throw new InvalidInputError(`Invalid ${what} number ${n}: vSphere reports statistics for the whole host only (use no --${what} or -1)`);
  }
}

export async function nodeMemoryStats(conn: Connection, cell?: number, options: CallOptions = {}): Promise<NodeMemoryStats> {
  checkAll("cell", cell);
  const m = await hostMemory(conn, options);
  const total = Math.floor(m.sizeBytes / 1024);
  return { total, free: Math.max(0, total - m.usedMiB * 1024) };
}

/** CPU utilization of the host, in percent (libvirt's VIR_NODE_CPU_STATS_UTILIZATION). */
export interface NodeCpuStats {
  readonly utilization: number;
  /** The figures it comes from: MHz used, MHz available. */
  readonly usageMhz: number;
  readonly capacityMhz: number;
}

export async function nodeCpuStats(conn: Connection, cpu?: number, options: CallOptions = {}): Promise<NodeCpuStats> {
  checkAll("cpu", cpu);
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    ["summary.hardware.cpuMhz", "summary.hardware.numCpuCores", "summary.quickStats.overallCpuUsage"],
    options,
  );
  const usageMhz = toNumber(r.props["summary.quickStats.overallCpuUsage"]);
  if (usageMhz === undefined) throw new InternalError("Could not retrieve the host's CPU usage (summary.quickStats.overallCpuUsage)");
  const capacityMhz = (toNumber(r.props["summary.hardware.cpuMhz"]) ?? 0) * (toNumber(r.props["summary.hardware.numCpuCores"]) ?? 0);
  const utilization = capacityMhz > 0 ? Math.min(100, Math.round((usageMhz * 100) / capacityMhz)) : 0;
  return { utilization, usageMhz, capacityMhz };
}
