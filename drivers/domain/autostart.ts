/**
 * Setting a domain's autostart flag as libvirt's esxDomainSetAutostart does: one
 * ReconfigureAutostart on the host's HostAutoStartManager with a power-info entry for the
 * VM (no start order, system default delays and heartbeat, start action powerOn or none,
 * stop action none). Enabling also switches the host's general autostart option on when it
 * is off, but only when no other VM is in the power-info list (that would change whether
 * those VMs start too); otherwise it is refused. The manager's configuration comes with the
 * lookup (option `autostart: true`), in the same retrieval.
 */
import { OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import { pickCallOptions } from "../../runtime/soap/index.js";
import { ReconfigureAutostart, type HostAutoStartManagerConfig } from "../../generated/host.js";
import type { Connection } from "../connection/connection.js";
import { autostartConfig, autostartRetrieval } from "./autostart-state.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";

export interface AutostartResult {
  readonly identity: DomainIdentity;
  readonly autostart: boolean;
  /** Enabling also switched the host's general autostart option on. */
  readonly enabledDefaults: boolean;
}

export async function setDomainAutostart(
  conn: Connection,
  domain: DomainHandle,
  autostart: boolean,
  options: { readonly signal?: AbortSignal } = {},
): Promise<AutostartResult> {
  const call = pickCallOptions(options);
  const retrieval = autostartRetrieval(conn);
  const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
  if (retrieval === undefined || mgr === undefined) throw new UnsupportedError("The host has no autostart manager (HostAutoStartManager)");
  const d = await withDomainData(conn, domain, [], { ...call, also: [retrieval] });
  const vm = d.identity.ref;
  const current = autostartConfig(conn, d.extra);
  let enableDefaults = false;
  if (autostart && current?.defaults?.enabled !== true) {
    if ((current?.powerInfo ?? []).some((p) => p.key.value !== vm.value)) {
      throw new OperationInvalidError("Cannot enable general autostart option without affecting other domains");
    }
    enableDefaults = true;
  }
  const spec: HostAutoStartManagerConfig = {
    _typeName: "HostAutoStartManagerConfig",
    ...(enableDefaults ? { defaults: { _typeName: "AutoStartDefaults", enabled: true } } : {}),
    powerInfo: [
      {
        _typeName: "AutoStartPowerInfo",
        key: vm,
        startOrder: -1,
        startDelay: -1,
        waitForHeartbeat: "systemDefault",
        startAction: autostart ? "powerOn" : "none",
        stopDelay: -1,
        stopAction: "none",
      },
    ],
  };
  await ReconfigureAutostart(conn.primary.client, mgr, { spec }, call);
  return { identity: d.identity, autostart, enabledDefaults: enableDefaults };
}
