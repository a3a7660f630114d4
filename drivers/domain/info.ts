/**
 * virsh dominfo: libvirt's domainGetInfo (power state, memory, vCPUs, memory limit) plus
 * autostart, persistence and managed save, in one retrieval after connect.
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { autostartConfig, autostartRetrieval, isAutostart } from "./autostart-state.js";
import { isActive, stateOf, type DomainIdentity, type DomainState } from "./identity.js";
import { lookupDomain, type AlsoRetrieve } from "./lookup.js";

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

const INFO_PATHS = ["config.hardware.memoryMB", "config.hardware.numCPU", "config.memoryAllocation.limit"];

function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}

export async function domainInfo(conn: Connection, selector: string, options: CallOptions = {}): Promise<DomainInfo> {
  const auto = autostartRetrieval(conn);
  const also: AlsoRetrieve[] = auto === undefined ? [] : [auto];
  const d = await lookupDomain(conn, selector, INFO_PATHS, { ...options, also });
  const maxMemoryKiB = (toNumber(d.props["config.hardware.memoryMB"]) ?? 0) * 1024;
  const limit = toNumber(d.props["config.memoryAllocation.limit"]);
  return {
    identity: d.identity,
    id: isActive(d.identity.powerState) ? d.identity.moId : undefined,
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
