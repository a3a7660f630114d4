/**
 * A network's XML description (libvirt's networkGetXMLDesc on ESX): name and UUID; forward
 * mode bridge over the vSwitch's physical NICs (none without any); the vSwitch's shaping
 * policy as <bandwidth>; the vSwitch's port groups that are also datacenter networks, with
 * their shaping policy — and, beyond libvirt, their VLAN as <vlan><tag id='N'/></vlan>.
 * Formatting needs no call when the handle was looked up with NETWORK_XML_PARTS.
 */
import { InternalError } from "../../errors/esxvi-error.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { bandwidthFromShaping } from "./bandwidth.js";
import { retrieveHostNetwork, type HostNetworkConfig, type HostNetworkParts } from "./host-network.js";
import { networkHandles, networkNotFound, type NetworkHandle } from "./lookup.js";
import type { ForwardInterface, NetworkDef, PortGroupDef } from "./network-def.js";
import { formatNetworkXml } from "./network-xml-format.js";

/** The parts of the host's network configuration a network's XML is made of. */
export const NETWORK_XML_PARTS: HostNetworkParts = { portgroups: true, pnics: true, networks: true };

function hasParts(host: HostNetworkConfig, parts: HostNetworkParts): boolean {
  return (
    (parts.portgroups !== true || host.parts.portgroups === true) &&
    (parts.pnics !== true || host.parts.pnics === true) &&
    (parts.networks !== true || host.parts.networks === true)
  );
}

/** The handle itself when it carries `parts`, else the same network retrieved again with them. */
export async function withParts(
  conn: Connection,
  handle: NetworkHandle,
  parts: HostNetworkParts,
  options: CallOptions = {},
): Promise<NetworkHandle> {
  if (hasParts(handle.host, parts)) return handle;
  const host = await retrieveHostNetwork(conn, parts, options);
  const again = networkHandles(host).find((h) => h.key === handle.key);
  if (again === undefined) throw networkNotFound(`Could not find network with name '${handle.name}'`);
  return again;
}

/** The definition libvirt's ESX driver builds for a vSwitch. */
export function networkDefOf(handle: NetworkHandle): NetworkDef & { readonly uuid: string } {
  const { vswitch, host } = handle;
  const interfaces: ForwardInterface[] = (vswitch.pnic ?? []).map((key) => {
    const nic = host.pnics.find((p) => p.key === key);
    if (nic === undefined) throw new InternalError(`Could not find PhysicalNic with key '${key}'`);
    return { type: "netdev", dev: nic.device };
  });
  const names = new Set(host.networks.map((n) => n.name));
  const portgroups: PortGroupDef[] = [];
  for (const key of vswitch.portgroup ?? []) {
    const pg = host.portgroups.find((p) => p.key === key);
    if (pg === undefined) throw new InternalError(`Could not find HostPortGroup with key '${key}'`);
    // Only port groups that are also datacenter networks, as libvirt lists them.
    if (!names.has(pg.spec.name)) continue;
    const bandwidth = bandwidthFromShaping(pg.spec.policy.shapingPolicy);
    portgroups.push({
      name: pg.spec.name,
      isDefault: false,
      vlanTags: pg.spec.vlanId !== 0 ? [pg.spec.vlanId] : [],
      vlanTrunk: false,
      ...(bandwidth !== undefined ? { bandwidth } : {}),
    });
  }
  const bandwidth = bandwidthFromShaping(vswitch.spec.policy?.shapingPolicy);
  return {
    name: handle.name,
    uuid: handle.uuid,
    forward: interfaces.length > 0 ? { mode: "bridge", interfaces } : { mode: "none", interfaces: [] },
    ...(bandwidth !== undefined ? { bandwidth } : {}),
    portgroups,
  };
}

/** The network XML of a handle (retrieving the missing parts once when the handle lacks them). */
export async function networkXmlDesc(conn: Connection, handle: NetworkHandle, options: CallOptions = {}): Promise<string> {
  const full = await withParts(conn, handle, NETWORK_XML_PARTS, options);
  return formatNetworkXml(networkDefOf(full));
}
