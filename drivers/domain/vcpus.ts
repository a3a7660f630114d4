/**
 * setvcpus as libvirt's ESX driver does it (ReconfigVM_Task numCPUs, 1 ≤ count ≤ the host's
 * capability.maxSupportedVcpus) with virsh's flags mapped to what vSphere can do. A VM has
 * one vCPU count, which is also its maximum: a powered-off domain's count (--config,
 * --maximum, or no flag) is always changeable; a running domain's count only live and only
 * with CPU hot add (more vCPUs) or hot remove (fewer) enabled; a suspended one's not at all.
 */
import { InvalidInputError, OperationInvalidError } from "../../errors/esxvi-error.js";
import { pickCallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import { resolveAffect, type AffectFlags } from "./affect.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";
import { reconfigureDomain } from "./reconfigure.js";
import type { DomainTaskOptions } from "./vm-task.js";

export type VcpuOptions = DomainTaskOptions & AffectFlags & { readonly maximum?: boolean };

export interface VcpuSetResult {
  readonly identity: DomainIdentity;
  readonly previous: number;
  readonly count: number;
}

/** What setDomainVcpus reads: these VM paths, and SET_VCPUS_HOST_PATHS of the host (lookup option `hostPaths`). */
export const SET_VCPUS_PATHS = ["config.hardware.numCPU", "config.cpuHotAddEnabled", "config.cpuHotRemoveEnabled"] as const;
export const SET_VCPUS_HOST_PATHS = ["capability.maxSupportedVcpus"] as const;

/** libvirt's first check of a vCPU count, before anything is looked up. */
export function checkVcpuCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new InvalidInputError("Requested number of virtual CPUs must at least be 1");
}

export async function setDomainVcpus(
  conn: Connection,
  domain: DomainHandle,
  count: number,
  options: VcpuOptions = {},
): Promise<VcpuSetResult> {
  checkVcpuCount(count);
  const host = conn.inventory.hostSystem.ref;
  const d = await withDomainData(conn, domain, SET_VCPUS_PATHS, {
    ...pickCallOptions(options),
    also: [{ obj: host, paths: SET_VCPUS_HOST_PATHS }],
  });
  // The host's maximum comes with the lookup, in the same retrieval.
  const max = toNumber(d.extra.get(host.value)?.["capability.maxSupportedVcpus"]);
  if (max !== undefined && count > max) {
    throw new InvalidInputError(
      `Requested number of virtual CPUs is greater than max allowable number of virtual CPUs for the domain: ${count} > ${max}`,
    );
  }
  const affected = resolveAffect(options, d.identity.powerState);
  const previous = toNumber(d.props["config.hardware.numCPU"]) ?? 0;
  if (affected.active) {
    if (options.maximum === true || !affected.live) {
      throw new OperationInvalidError(
        "Domain is not powered off: vSphere keeps one vCPU count, which is also the maximum and the next boot's; change a running domain's count with --live (CPU hot add/remove), or power it off",
      );
    }
    if (d.identity.powerState !== "poweredOn")
      throw new OperationInvalidError("Domain is suspended: vSphere cannot change the vCPU count of a suspended domain");
    if (count > previous && d.props["config.cpuHotAddEnabled"] !== true) {
      throw new OperationInvalidError("CPU hot add is not enabled for this domain: power it off to add vCPUs");
    }
    if (count < previous && d.props["config.cpuHotRemoveEnabled"] !== true) {
      throw new OperationInvalidError("CPU hot remove is not enabled for this domain: power it off to remove vCPUs");
    }
  }
  await reconfigureDomain(conn, d, { _typeName: "VirtualMachineConfigSpec", numCPUs: count }, options);
  return { identity: d.identity, previous, count };
}
