/**
 * A domain's identity as libvirt's ESX driver derives it from a VirtualMachine: the id
 * from the managed object reference, the name percent-unescaped, the UUID from
 * config.uuid (all zeros unless configStatus is green), and the libvirt state.
 */
import { unescapeHexPercent } from "../util/index.js";
import type { MoRef } from "../../runtime/soap/index.js";

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

export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/** libvirt's esxUtil_ParseVirtualMachineIDString: "42" or "vm-42" → 42. */
export function idFromMoRef(value: string): number {
  const m = /^(?:vm-)?(\d+)$/.exec(value);
  return m === null ? -1 : Number(m[1]);
}

/** The moref value of a domain id on this server (ESX: "42", vCenter and vcsim: "vm-42"). */
export function moRefValuesForId(id: number): string[] {
  return [`vm-${id}`, String(id)];
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

/** The canonical lowercase 8-4-4-4-12 form of a UUID in any virUUIDParse-accepted spelling. */
export function normalizeUuid(text: string): string | undefined {
  const hex = text.replace(/[-\s]/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function identityFrom(ref: MoRef<"VirtualMachine">, props: Readonly<Record<string, unknown>>): DomainIdentity {
  const rawName = typeof props["name"] === "string" ? props["name"] : "";
  const name = unescapeHexPercent(rawName) ?? rawName;
  const uuidText = typeof props["config.uuid"] === "string" ? props["config.uuid"] : "";
  const green = props["configStatus"] === undefined || props["configStatus"] === "green";
  const uuid = (green ? normalizeUuid(uuidText) : undefined) ?? ZERO_UUID;
  const powerState = typeof props["runtime.powerState"] === "string" ? props["runtime.powerState"] : "";
  return { ref, moId: idFromMoRef(ref.value), name, uuid, powerState };
}
