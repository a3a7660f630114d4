/**
 * ReconfigVM_Task on a domain, through the pre-task check and the task waiter (libvirt's
 * esxDomainSet* functions all do this), plus the resource-allocation merge every setter of
 * a memory or CPU allocation uses.
 */
import type { ResourceAllocationInfo } from "../../generated/core.js";
import type { TaskInfo } from "../../generated/tasks.js";
import { ReconfigVM_Task, type VirtualMachineConfigSpec } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import type { DomainHandle } from "./lookup.js";
import { runDomainTask, type DomainTaskOptions } from "./vm-task.js";

export async function reconfigureDomain(
  conn: Connection,
  domain: DomainHandle,
  spec: VirtualMachineConfigSpec,
  options: DomainTaskOptions = {},
): Promise<TaskInfo> {
  const vm = domain.identity.ref;
  return runDomainTask(conn, conn.primary, vm, (call) => ReconfigVM_Task(conn.primary.client, vm, { spec }, call), options);
}

function isAllocation(v: unknown): v is ResourceAllocationInfo {
  return typeof v === "object" && v !== null && (v as { _typeName?: unknown })._typeName === "ResourceAllocationInfo";
}

/**
 * The allocation to send: the one the domain has (retrieved with the lookup) with `change`
 * applied. ESX merges a partial allocation into the current one, but vcsim replaces it
 * whole; sending the whole merged allocation gives the same result on both, at no extra
 * call. The read-only overheadLimit is dropped.
 */
export function mergedAllocation(
  current: unknown,
  change: Partial<Pick<ResourceAllocationInfo, "reservation" | "limit" | "shares">>,
): ResourceAllocationInfo {
  const base: ResourceAllocationInfo = isAllocation(current) ? { ...current } : { _typeName: "ResourceAllocationInfo" };
  delete base.overheadLimit;
  delete base._wireType;
  return { ...base, ...change, _typeName: "ResourceAllocationInfo" };
}
