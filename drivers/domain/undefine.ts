/**
 * virsh undefine (libvirt's esxDomainUndefineFlags): UnregisterVM of a suspended or powered
 * off domain; its files stay on the datastore. As libvirt, through the vCenter session when
 * the connection has one (esx://…?vcenter=…), the VM found there by UUID.
 */
import { NotFoundError, OperationInvalidError } from "../../runtime/errors.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";
import { FindByUuid, UnregisterVM } from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import type { DomainIdentity } from "./identity.js";
import { lookupDomain } from "./lookup.js";

/** The VM and its power state as the session that unregisters it sees them. */
async function throughVcenter(
  conn: Connection,
  identity: DomainIdentity,
  options: CallOptions,
): Promise<{ session: Session; vm: MoRef<"VirtualMachine">; powerState: string }> {
  const vc = conn.vcenter;
  const inventory = conn.vcenterInventory;
  if (vc === undefined || vc === conn.primary || inventory === undefined) {
    return { session: conn.primary, vm: identity.ref, powerState: identity.powerState };
  }
  const found = await FindByUuid(vc.client, { datacenter: inventory.datacenter.ref, uuid: identity.uuid, vmSearch: true }, options);
  if (found === undefined) throw new NotFoundError("NO_DOMAIN", `Domain '${identity.name}' (${identity.uuid}) is not known to the vCenter`);
  const vm = found as MoRef<"VirtualMachine">;
  const props = await retrieveOne(vc, vm, ["runtime.powerState"], options);
  return { session: vc, vm, powerState: props.props["runtime.powerState"] ?? "" };
}

/** Unregisters the domain; returns its identity. */
export async function undefineDomain(conn: Connection, selector: string, options: CallOptions = {}): Promise<DomainIdentity> {
  const d = await lookupDomain(conn, selector, [], options);
  const target = await throughVcenter(conn, d.identity, options);
  if (target.powerState !== "suspended" && target.powerState !== "poweredOff") {
    throw new OperationInvalidError("Domain is not suspended or powered off");
  }
  await UnregisterVM(target.session.client, target.vm, options);
  return d.identity;
}
