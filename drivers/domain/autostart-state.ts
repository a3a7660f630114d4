/**
 * Reading a domain's autostart flag as libvirt does: the host's autostart defaults must be
 * enabled and the VM must have a power-info entry whose start action is "powerOn".
 */
import type { MoRef } from "../../runtime/soap/index.js";
import type { HostAutoStartManagerConfig } from "../../generated/host.js";
import type { Connection } from "../connection/connection.js";
import type { AlsoRetrieve } from "./lookup.js";

/** The autostart manager's config, to retrieve along with domains; undefined when the host has none. */
export function autostartRetrieval(conn: Connection): AlsoRetrieve | undefined {
  const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
  return mgr === undefined ? undefined : { obj: mgr, paths: ["config"] };
}

export function autostartConfig(
  conn: Connection,
  extra: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): HostAutoStartManagerConfig | undefined {
  const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
  const v = mgr === undefined ? undefined : extra.get(mgr.value)?.["config"];
  return typeof v === "object" && v !== null ? (v as HostAutoStartManagerConfig) : undefined;
}

export function isAutostart(config: HostAutoStartManagerConfig | undefined, vm: MoRef<"VirtualMachine">): boolean {
  if (config?.defaults?.enabled !== true) return false;
  return (config.powerInfo ?? []).some((p) => p.key.value === vm.value && p.startAction.toLowerCase() === "poweron");
}
