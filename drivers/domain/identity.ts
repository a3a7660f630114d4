/**
 * A domain's identity as libvirt's ESX driver derives it from a VirtualMachine: the id
 * from the managed object reference, the name percent-unescaped, the UUID from
 * config.uuid (all zeros unless configStatus is green), and the libvirt state.
 */
import { unescapeHexPercent } from "../util/index.js";
import { parseUuid, ZERO_UUID } from "../vmx/uuid.js";
import { stringValue, type MoRef } from "../../runtime/soap/index.js";

export type DomainState = "running" | "paused" | "shut off" | "no state";

export interface DomainIdentity {
  readonly ref: MoRef<"VirtualMachine">;
  /** The libvirt id: the number in the moref ("42" or "vm-42"); shown as "-" when not running. */
  readonly moId: number;
  readonly name: string;
  readonly uuid: string;
  readonly powerState: string;
}

/** The properties a domain's identity needs. */
export const IDENTITY_PROPS = ["name", "config.uuid", "configStatus", "runtime.powerState"] as const;

/** libvirt's esxUtil_ParseVirtualMachineIDString: "42" or "vm-42" → 42. */
export function idFromMoRef(value: string): number {
  const m = /^(?:vm-)?(\d+)$/.exec(value);
  return m === null ? -1 : Number(m[1]);
}

/** libvirt's state for a VirtualMachinePowerState. */
export function stateOf(powerState: string | undefined): DomainState {
  switch (powerState) {
    case "poweredOn":
      return "running";
    case "suspended":
      return "paused";
    case "poweredOff":
      return "shut off";
    default:
      return "no state";
  }
}

/** A domain has an id (is active) unless it is powered off. */
export function isActive(powerState: string | undefined): boolean {
  return powerState !== "poweredOff";
}

/** The id virsh shows: the moref's number while active, undefined ("-") when powered off. */
export function domainId(identity: DomainIdentity): number | undefined {
  return isActive(identity.powerState) ? identity.moId : undefined;
}

export function identityFrom(ref: MoRef<"VirtualMachine">, props: Readonly<Record<string, unknown>>): DomainIdentity {
  // Plain strings, or the text of a newer server's string-based type (its wire name aside).
  const rawName = stringValue(props["name"]) ?? "";
  const name = unescapeHexPercent(rawName) ?? rawName;
  const uuidText = stringValue(props["config.uuid"]) ?? "";
  const green = props["configStatus"] === undefined || stringValue(props["configStatus"]) === "green";
  const uuid = (green ? parseUuid(uuidText) : undefined) ?? ZERO_UUID;
  const powerState = stringValue(props["runtime.powerState"]) ?? "";
  return { ref, moId: idFromMoRef(ref.value), name, uuid, powerState };
}
