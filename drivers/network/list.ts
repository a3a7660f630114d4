/**
 * Listing networks with virsh's net-list filters (libvirt's connectListAllNetworks on ESX):
 * every vSwitch is an active, persistent, autostarted network, so a filter asking for
 * inactive, transient or not autostarted networks gives none. One retrieval.
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { retrieveHostNetwork } from "./host-network.js";
import { networkHandles, type NetworkHandle } from "./lookup.js";

export interface NetworkListFilters {
  /** List active networks (virsh's default). */
  readonly active: boolean;
  /** List inactive networks. */
  readonly inactive: boolean;
  /** true: persistent only, false: transient only, undefined: both. */
  readonly persistent?: boolean;
  /** true: autostarted only, false: not autostarted only, undefined: both. */
  readonly autostart?: boolean;
}

export async function listNetworks(conn: Connection, filters: NetworkListFilters, options: CallOptions = {}): Promise<NetworkHandle[]> {
  const host = await retrieveHostNetwork(conn, {}, options);
  if (!filters.active || filters.persistent === false || filters.autostart === false) return [];
  return networkHandles(host);
}
