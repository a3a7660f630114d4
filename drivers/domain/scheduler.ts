/**
 * schedinfo as libvirt's ESX driver exposes it: scheduler "allocation" with three
 * parameters from the VM's CPU allocation — reservation (MHz, ≥ 0), limit (MHz, -1 for
 * unlimited) and shares (custom shares ≥ 0, or -1 / -2 / -3 for the levels low / normal /
 * high) — read from the handle (SCHEDULER_PATHS) and changed with ReconfigVM_Task.
 */
import { InternalError, InvalidInputError } from "../../errors/esxvi-error.js";
import { pickCallOptions } from "../../runtime/soap/index.js";
import type { ResourceAllocationInfo, SharesInfo } from "../../generated/core.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import { checkAllocationAffect, resolveAffect, type AffectFlags } from "./affect.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";
import { mergedAllocation, reconfigureDomain } from "./reconfigure.js";
import type { DomainTaskOptions } from "./vm-task.js";

export const SCHEDULER_TYPE = "allocation";

export interface SchedulerParameters {
  readonly reservation: number;
  readonly limit: number;
  readonly shares: number;
}

/** The parameters in libvirt's order, with their virTypedParameter types (for value parsing). */
export const SCHEDULER_FIELDS = [
  { name: "reservation", type: "llong" },
  { name: "limit", type: "llong" },
  { name: "shares", type: "int" },
] as const;

export type SchedulerField = (typeof SCHEDULER_FIELDS)[number]["name"];

export interface SchedulerInfo {
  readonly identity: DomainIdentity;
  readonly type: typeof SCHEDULER_TYPE;
  readonly params: SchedulerParameters;
}

const LEVEL_VALUES: Readonly<Record<string, number>> = { low: -1, normal: -2, high: -3 };
const VALUE_LEVELS: Readonly<Record<number, "low" | "normal" | "high">> = { [-1]: "low", [-2]: "normal", [-3]: "high" };

function sharesValue(shares: SharesInfo | undefined): number {
  if (shares === undefined) return -2;
  if (shares.level === "custom") return shares.shares;
  const v = LEVEL_VALUES[shares.level];
  if (v === undefined) throw new InternalError(`Shares level has unknown value '${shares.level}'`);
  return v;
}

function paramsOf(allocation: unknown): SchedulerParameters {
  const a = typeof allocation === "object" && allocation !== null ? (allocation as ResourceAllocationInfo) : undefined;
  return { reservation: toNumber(a?.reservation) ?? 0, limit: toNumber(a?.limit) ?? -1, shares: sharesValue(a?.shares) };
}

/** What getSchedulerInfo and setSchedulerParameters read. */
export const SCHEDULER_PATHS = ["config.cpuAllocation"] as const;

export async function getSchedulerInfo(
  conn: Connection,
  domain: DomainHandle,
  options: DomainTaskOptions & AffectFlags = {},
): Promise<SchedulerInfo> {
  const d = await withDomainData(conn, domain, SCHEDULER_PATHS, pickCallOptions(options));
  resolveAffect(options, d.identity.powerState);
  return { identity: d.identity, type: SCHEDULER_TYPE, params: paramsOf(d.props["config.cpuAllocation"]) };
}

/**
 * libvirt's checks and mapping of each parameter (esxDomainSetSchedulerParametersFlags),
 * which it makes before anything is looked up.
 */
export function allocationChange(
  updates: Partial<SchedulerParameters>,
): Partial<Pick<ResourceAllocationInfo, "reservation" | "limit" | "shares">> {
  const change: Partial<Pick<ResourceAllocationInfo, "reservation" | "limit" | "shares">> = {};
  if (updates.reservation !== undefined) {
    if (updates.reservation < 0)
      throw new InvalidInputError(`Could not set reservation to ${updates.reservation} MHz, expecting positive value`);
    change.reservation = BigInt(updates.reservation);
  }
  if (updates.limit !== undefined) {
    if (updates.limit < -1)
      throw new InvalidInputError(`Could not set limit to ${updates.limit} MHz, expecting positive value or -1 (unlimited)`);
    change.limit = BigInt(updates.limit);
  }
  if (updates.shares !== undefined) {
    const s = updates.shares;
    if (s >= 0) change.shares = { _typeName: "SharesInfo", level: "custom", shares: s };
    else {
      const level = VALUE_LEVELS[s];
      if (level === undefined)
        throw new InvalidInputError(`Could not set shares to ${s}, expecting positive value or -1 (low), -2 (normal) or -3 (high)`);
      change.shares = { _typeName: "SharesInfo", level, shares: -1 };
    }
  }
  return change;
}

/** Changes some of the parameters; resolves with all three as the domain now has them. */
export async function setSchedulerParameters(
  conn: Connection,
  domain: DomainHandle,
  updates: Partial<SchedulerParameters>,
  options: DomainTaskOptions & AffectFlags = {},
): Promise<SchedulerInfo> {
  const change = allocationChange(updates);
  const d = await withDomainData(conn, domain, SCHEDULER_PATHS, pickCallOptions(options));
  checkAllocationAffect(resolveAffect(options, d.identity.powerState));
  const allocation = mergedAllocation(d.props["config.cpuAllocation"], change);
  await reconfigureDomain(conn, d, { _typeName: "VirtualMachineConfigSpec", cpuAllocation: allocation }, options);
  return { identity: d.identity, type: SCHEDULER_TYPE, params: paramsOf(allocation) };
}
