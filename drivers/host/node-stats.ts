/**
 * Node memory and CPU figures, each in one retrieval:
 * - free memory as libvirt's nodeGetFreeMemory reports it: the unreserved memory for VMs of
 *   the compute resource's resource pool (runtime.memory.unreservedForVm);
 * - memory and CPU statistics, which libvirt's ESX driver lacks, from the host's quickStats:
 *   total and free memory (hardware.memorySize less overallMemoryUsage), CPU utilization
 *   (overallCpuUsage against cpuMhz × cores).
 */
import { InternalError, InvalidInputError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";

/** libvirt's nodeGetFreeMemory, in bytes. */
export async function freeMemory(conn: Connection, options: CallOptions = {}): Promise<number> {
  const r = await retrieveOne(conn.primary, conn.inventory.computeResource.resourcePool, ["runtime.memory"], options);
  const usage = r.props["runtime.memory"];
  if (usage === undefined) throw new InternalError("Could not retrieve memory usage of resource pool");
  return Number(usage.unreservedForVm);
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
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    ["hardware.memorySize", "summary.quickStats.overallMemoryUsage"],
    options,
  );
  const total = Math.floor((toNumber(r.props["hardware.memorySize"]) ?? 0) / 1024);
  const usedMiB = toNumber(r.props["summary.quickStats.overallMemoryUsage"]);
  if (usedMiB === undefined) throw new InternalError("Could not retrieve the host's memory usage (summary.quickStats.overallMemoryUsage)");
  return { total, free: Math.max(0, total - usedMiB * 1024) };
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
