/** The host's HostNetworkSystem, which every network change goes through. */
import { InternalError } from "../../errors/esxvi-error.js";
import type { MoRef } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";

export function networkSystemOf(conn: Connection): MoRef<"HostNetworkSystem"> {
  const ref = conn.inventory.hostSystem.configManager?.networkSystem;
  if (ref === undefined) throw new InternalError("The host has no network system (configManager.networkSystem)");
  return ref;
}
