/**
 * virsh undefine (libvirt's esxDomainUndefineFlags): UnregisterVM of a suspended or powered
 * off domain; its files stay on the datastore. As libvirt, through the vCenter session when
 * the connection has one (esx://…?vcenter=…), the VM found there by UUID.
 */
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import { UnregisterVM } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import type { DomainIdentity } from "./identity.js";
import { domainViaVCenter, type DomainHandle } from "./lookup.js";

/** Unregisters the domain (its power state checked as of the lookup); returns its identity. */
export async function undefineDomain(conn: Connection, d: DomainHandle, options: CallOptions = {}): Promise<DomainIdentity> {
  const { session, vm } = await domainViaVCenter(conn, d.identity, options);
  // The power state as the session that unregisters the VM sees it.
  const powerState =
    session === conn.primary
      ? d.identity.powerState
      : ((await retrieveOne(session, vm, ["runtime.powerState"], options)).props["runtime.powerState"] ?? "");
  if (powerState !== "suspended" && powerState !== "poweredOff") {
    throw new OperationInvalidError("Domain is not suspended or powered off");
  }
  await UnregisterVM(session.client, vm, options);
  return d.identity;
}
