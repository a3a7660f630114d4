/**
 * Undefining a network (libvirt's networkUndefine on ESX): refused while a port group of the
 * vSwitch has a port that is not a VM's (the host's management port, a VMkernel NIC) — and,
 * beyond libvirt, while a VM of this host is on one of its port groups (ESX would refuse that
 * port group's removal half-way); then each port group is removed, then the vSwitch.
 */
import { InternalError, OperationInvalidError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import { RemovePortGroup, RemoveVirtualSwitch, type HostPortGroup } from "../../generated/network.js";
import type { Connection } from "../connection/connection.js";
import type { NetworkHandle } from "./lookup.js";
import { networkSystemOf } from "./network-system.js";
import { withParts } from "./xml-desc.js";

/** The port groups of the network's vSwitch, after libvirt's checks (and esxvi's VM check). */
export function portGroupsToRemove(handle: NetworkHandle): HostPortGroup[] {
  const { vswitch, host } = handle;
  const groups = (vswitch.portgroup ?? []).map((key) => {
    const pg = host.portgroups.find((p) => p.key === key);
    if (pg === undefined) throw new InternalError(`Could not find HostPortGroup for key '${key}'`);
    return pg;
  });
  for (const pg of groups) {
    for (const port of pg.port ?? []) {
      if (port.type !== "virtualMachine")
        throw new OperationInvalidError(`Cannot undefine HostVirtualSwitch that has a '${port.type}' port`);
    }
  }
  const hostVms = new Set(host.hostVms.map((v) => v.value));
  for (const pg of groups) {
    const net = host.networks.find((n) => n.name === pg.spec.name);
    if (net !== undefined && net.vms.some((v) => hostVms.has(v.value)))
      throw new OperationInvalidError(`Cannot undefine HostVirtualSwitch whose port group '${pg.spec.name}' is in use by virtual machines`);
  }
  return groups;
}

export async function undefineNetwork(conn: Connection, handle: NetworkHandle, options: CallOptions = {}): Promise<void> {
  const full = await withParts(conn, handle, { portgroups: true, networks: true }, options);
  const groups = portGroupsToRemove(full);
  const ns = networkSystemOf(conn);
  const call = pickCallOptions(options);
  for (const pg of groups) await RemovePortGroup(conn.primary.client, ns, { pgName: pg.spec.name }, call);
  await RemoveVirtualSwitch(conn.primary.client, ns, { vswitchName: full.name }, call);
}
