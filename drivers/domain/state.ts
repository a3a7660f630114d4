/**
 * virsh domstate: libvirt's state of a VirtualMachine (runtime.powerState) and, beyond
 * libvirt (whose ESX driver always reports reason 0, "unknown"), a reason where vSphere
 * gives one: a powered-off VM's runtime.cleanPowerOff tells an orderly guest shutdown
 * ("shutdown") from a hard power-off ("destroyed"). Read from the handle (DOMAIN_STATE_PATHS).
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { stateOf, type DomainIdentity, type DomainState } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";

/** virsh's reason names for the states an ESX domain can be in. */
export type StateReason = "unknown" | "shutdown" | "destroyed";

export interface DomainStateInfo {
  readonly identity: DomainIdentity;
  readonly state: DomainState;
  readonly reason: StateReason;
}

/** The reason for a state from what vSphere reports. */
export function reasonOf(powerState: string, cleanPowerOff: unknown): StateReason {
  if (powerState !== "poweredOff" || typeof cleanPowerOff !== "boolean") return "unknown";
  return cleanPowerOff ? "shutdown" : "destroyed";
}

export const DOMAIN_STATE_PATHS = ["runtime.cleanPowerOff"] as const;

export async function domainState(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainStateInfo> {
  const d = await withDomainData(conn, domain, DOMAIN_STATE_PATHS, options);
  return {
    identity: d.identity,
    state: stateOf(d.identity.powerState),
    reason: reasonOf(d.identity.powerState, d.props["runtime.cleanPowerOff"]),
  };
}
