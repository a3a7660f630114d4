/**
 * Host facts as libvirt's ESX driver reports them: the hypervisor version, the host name
 * (config.network.dnsConfig), and nodeinfo (CPU model squeezed to 31 characters, MHz,
 * cores, sockets, threads, NUMA nodes, memory), each in one retrieval.
 */
import { InternalError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";

export interface HypervisorVersion {
  /** libvirt's number: 1000000 * major + 1000 * minor + micro. */
  readonly number: number;
  /** "6.5.0" */
  readonly text: string;
  readonly fullName: string;
  readonly type: "ESX";
}

export function hypervisorVersion(conn: Connection): HypervisorVersion {
  const n = conn.primary.productVersion;
  return {
    number: n,
    text: `${Math.floor(n / 1_000_000)}.${Math.floor(n / 1000) % 1000}.${n % 1000}`,
    fullName: conn.primary.about.fullName,
    type: "ESX",
  };
}

/** libvirt's connectGetHostname: config.network.dnsConfig host name [+ "." + domain name]. */
export async function hostname(conn: Connection, options: CallOptions = {}): Promise<string> {
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    ["config.network.dnsConfig.hostName", "config.network.dnsConfig.domainName"],
    options,
  );
  const host = r.props["config.network.dnsConfig.hostName"];
  const domain = r.props["config.network.dnsConfig.domainName"];
  if (host === undefined || host === "") throw new InternalError("Missing or empty 'hostName' property");
  return domain === undefined || domain === "" ? host : `${host}.${domain}`;
}

export interface NodeInfo {
  readonly model: string;
  /** KiB */
  readonly memory: number;
  readonly cpus: number;
  readonly mhz: number;
  readonly nodes: number;
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

/**
 * libvirt's squeeze of the CPU model, scanning left to right: a double space loses one
 * space, "(R)", "(C)" and "(TM)" are cut, and the result is cut to 31 characters.
 */
export function squeezeCpuModel(model: string): string {
  let s = model;
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("  ", i)) s = s.slice(0, i) + s.slice(i + 1);
    else if (s.startsWith("(R)", i) || s.startsWith("(C)", i)) s = s.slice(0, i) + s.slice(i + 3);
    else if (s.startsWith("(TM)", i)) s = s.slice(0, i) + s.slice(i + 4);
    else i++;
  }
  return s.slice(0, 31);
}

function num(v: unknown): number {
  return toNumber(v) ?? 0;
}

export async function nodeInfo(conn: Connection, options: CallOptions = {}): Promise<NodeInfo> {
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    [
      "hardware.cpuInfo.hz",
      "hardware.cpuInfo.numCpuCores",
      "hardware.cpuInfo.numCpuPackages",
      "hardware.cpuInfo.numCpuThreads",
      "hardware.memorySize",
      "hardware.numaInfo.numNodes",
      "summary.hardware.cpuModel",
    ],
    options,
  );
  const p = r.props;
  const cores = num(p["hardware.cpuInfo.numCpuCores"]);
  const packages = num(p["hardware.cpuInfo.numCpuPackages"]);
  const threads = num(p["hardware.cpuInfo.numCpuThreads"]);
  const numa = num(p["hardware.numaInfo.numNodes"]);
  return {
    model: squeezeCpuModel(typeof p["summary.hardware.cpuModel"] === "string" ? p["summary.hardware.cpuModel"] : ""),
    memory: Math.floor(num(p["hardware.memorySize"]) / 1024),
    cpus: cores,
    mhz: Math.floor(num(p["hardware.cpuInfo.hz"]) / 1_000_000),
    nodes: numa,
    sockets: packages,
    cores: packages > 0 ? Math.floor(cores / packages) : 0,
    threads: cores > 0 ? Math.floor(threads / cores) : 0,
  };
}
