/**
 * A network's state as libvirt's ESX driver reports it: a vSwitch is always active,
 * persistent and autostarted; autostart can be switched on (nothing to do) but not off.
 */
import { InternalError } from "../../errors/esxvi-error.js";
import type { NetworkHandle } from "./lookup.js";

export function networkIsActive(_handle: NetworkHandle): boolean {
  return true;
}

export function networkIsPersistent(_handle: NetworkHandle): boolean {
  return true;
}

export function networkAutostart(_handle: NetworkHandle): boolean {
  return true;
}

/** libvirt's networkSetAutostart: accepts switching it on, refuses switching it off. */
export function setNetworkAutostart(_handle: NetworkHandle, enabled: boolean): void {
  if (!enabled) throw new InternalError("Cannot deactivate network autostart");
}
