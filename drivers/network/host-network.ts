/**
 * The host's network configuration as libvirt's network and interface drivers read it:
 * HostSystem config.network.{vswitch,portgroup,pnic} and, when asked, the names of the
 * datacenter's Network objects (and the host's VMs, to tell which port groups are in use) —
 * all in one RetrievePropertiesEx. On vpx:// connections these are the URI's host and its
 * datacenter, through the vCenter session.
 */
import { retrieveAll, SELECT_SETS } from "../../runtime/property-collector.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import type { HostPortGroup, HostVirtualSwitch, PhysicalNic } from "../../generated/network.js";
import type { ObjectSpec, PropertySpec } from "../../generated/property-collector.js";
import type { Connection } from "../connection/connection.js";

/** What to retrieve besides the virtual switches. */
export interface HostNetworkParts {
  readonly portgroups?: boolean;
  readonly pnics?: boolean;
  /** The datacenter's Network objects (names and VMs) and the host's VMs. */
  readonly networks?: boolean;
}

export interface DatacenterNetwork {
  readonly ref: MoRef;
  readonly name: string;
  readonly vms: readonly MoRef[];
}

export interface HostNetworkConfig {
  readonly vswitches: readonly HostVirtualSwitch[];
  readonly portgroups: readonly HostPortGroup[];
  readonly pnics: readonly PhysicalNic[];
  readonly networks: readonly DatacenterNetwork[];
  /** The host's VMs (retrieved with `networks`). */
  readonly hostVms: readonly MoRef[];
  /** Which parts were retrieved. */
  readonly parts: HostNetworkParts;
}

function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** One retrieval of the host's virtual switches plus the parts asked for. */
export async function retrieveHostNetwork(
  conn: Connection,
  parts: HostNetworkParts = {},
  options: CallOptions = {},
): Promise<HostNetworkConfig> {
  const host = conn.inventory.hostSystem.ref;
  const hostPaths = [
    "config.network.vswitch",
    ...(parts.portgroups === true ? ["config.network.portgroup"] : []),
    ...(parts.pnics === true ? ["config.network.pnic"] : []),
    ...(parts.networks === true ? ["vm"] : []),
  ];
  const propSet: PropertySpec[] = [{ _typeName: "PropertySpec", type: "HostSystem", pathSet: hostPaths }];
  const objectSet: ObjectSpec[] = [{ _typeName: "ObjectSpec", obj: host }];
  if (parts.networks === true) {
    propSet.push({ _typeName: "PropertySpec", type: "Network", pathSet: ["name", "vm"] });
    objectSet.push({
      _typeName: "ObjectSpec",
      obj: conn.inventory.datacenter.ref,
      skip: true,
      selectSet: SELECT_SETS.datacenterToNetwork(),
    });
  }
  const found = await retrieveAll(conn.primary, [{ _typeName: "PropertyFilterSpec", propSet, objectSet }], pickCallOptions(options));
  let hostProps: Record<string, unknown> = {};
  const networks: DatacenterNetwork[] = [];
  for (const oc of found) {
    const props: Record<string, unknown> = {};
    for (const p of oc.propSet ?? []) props[p.name] = p.val;
    if (oc.obj.type === "HostSystem" && oc.obj.value === host.value) hostProps = props;
    else if (typeof props["name"] === "string") networks.push({ ref: oc.obj, name: props["name"], vms: list<MoRef>(props["vm"]) });
  }
  return {
    vswitches: list<HostVirtualSwitch>(hostProps["config.network.vswitch"]),
    portgroups: list<HostPortGroup>(hostProps["config.network.portgroup"]),
    pnics: list<PhysicalNic>(hostProps["config.network.pnic"]),
    networks,
    hostVms: list<MoRef>(hostProps["vm"]),
    parts,
  };
}
