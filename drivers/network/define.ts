/**
 * Defining a network (libvirt's networkDefineXML on ESX): a new vSwitch with 128 ports,
 * bridged to the physical NICs of <forward mode='bridge'>, shaped by <bandwidth>, and one port
 * group per <portgroup> (esxvi also sets its VLAN). Everything libvirt refuses is checked
 * before the first change — an existing vSwitch or port group name, a given UUID, a forward
 * mode other than none or bridge, an unknown NIC, different inbound and outbound bandwidth
 * (libvirt checks the port groups' only after creating the vSwitch) — and when a port group
 * cannot be added, what was added is removed again: the host is left as it was.
 */
import { EsxviError, InvalidInputError, OperationFailedError, OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import {
  AddPortGroup,
  AddVirtualSwitch,
  RemovePortGroup,
  RemoveVirtualSwitch,
  type HostNetworkPolicy,
  type HostPortGroupSpec,
  type HostVirtualSwitchSpec,
} from "../../generated/network.js";
import type { Connection } from "../connection/connection.js";
import { shapingFromBandwidth } from "./bandwidth.js";
import { retrieveHostNetwork, type HostNetworkConfig } from "./host-network.js";
import { lookupNetwork, type NetworkHandle } from "./lookup.js";
import type { Bandwidth, NetworkDef } from "./network-def.js";
import { networkSystemOf } from "./network-system.js";
import { parseNetworkXml } from "./network-xml-parse.js";

/** What will be sent: the vSwitch spec and the port group specs. */
interface DefinePlan {
  readonly vswitch: HostVirtualSwitchSpec;
  readonly portgroups: readonly HostPortGroupSpec[];
}

function policyFor(bandwidth: Bandwidth | undefined): HostNetworkPolicy {
  const shaping = bandwidth === undefined ? undefined : shapingFromBandwidth(bandwidth);
  return { _typeName: "HostNetworkPolicy", ...(shaping !== undefined ? { shapingPolicy: shaping } : {}) };
}

/** Validates `def` against the host's configuration, in libvirt's order of checks, and builds the specs. */
export function planNetworkDefinition(def: NetworkDef, host: HostNetworkConfig): DefinePlan {
  if (host.vswitches.some((v) => v.name === def.name))
    throw new OperationInvalidError("HostVirtualSwitch already exists, editing existing ones is not supported yet", {
      code: "NETWORK_EXIST",
    });
  // The UUID is derived from the vSwitch's key.
  if (def.uuid !== undefined) throw new InvalidInputError("Cannot use predefined UUID");
  if (def.forward.mode !== "none" && def.forward.mode !== "bridge")
    throw new UnsupportedError(`Unsupported forward mode '${def.forward.mode}'`, { code: "CONFIG_UNSUPPORTED" });
  const seen = new Set<string>();
  for (const pg of def.portgroups) {
    if (host.portgroups.some((p) => p.spec.name === pg.name) || seen.has(pg.name))
      throw new OperationInvalidError(`HostPortGroup with name '${pg.name}' exists already`);
    seen.add(pg.name);
  }
  const nicDevices: string[] = [];
  if (def.forward.mode !== "none") {
    for (const i of def.forward.interfaces) {
      if (i.type !== "netdev")
        throw new UnsupportedError(`unsupported device type in network ${def.name} interface pool`, { code: "CONFIG_UNSUPPORTED" });
      const nic = host.pnics.find((p) => p.device === i.dev);
      if (nic === undefined) throw new InvalidInputError(`Could not find PhysicalNic with name '${i.dev}'`);
      nicDevices.push(nic.device);
    }
  }
  const vswitch: HostVirtualSwitchSpec = {
    _typeName: "HostVirtualSwitchSpec",
    numPorts: 128,
    ...(nicDevices.length > 0 ? { bridge: { _typeName: "HostVirtualSwitchBondBridge", nicDevice: nicDevices } } : {}),
    ...(def.bandwidth !== undefined ? { policy: policyFor(def.bandwidth) } : {}),
  };
  const portgroups = def.portgroups.map((pg): HostPortGroupSpec => {
    if (pg.vlanTrunk || pg.vlanTags.length > 1)
      throw new UnsupportedError(`A port group has one VLAN: <vlan> of portgroup '${pg.name}' gives ${pg.vlanTags.length} tags`, {
        code: "CONFIG_UNSUPPORTED",
      });
    return {
      _typeName: "HostPortGroupSpec",
      name: pg.name,
      vlanId: pg.vlanTags[0] ?? 0,
      vswitchName: def.name,
      policy: policyFor(pg.bandwidth),
    };
  });
  return { vswitch, portgroups };
}

/** Defines the network of `xml` on the host; returns its handle (looked up again, as libvirt does, for the UUID). */
export async function defineNetwork(conn: Connection, xml: string, options: CallOptions = {}): Promise<NetworkHandle> {
  const def = parseNetworkXml(xml);
  const host = await retrieveHostNetwork(conn, { portgroups: true, pnics: true }, options);
  const plan = planNetworkDefinition(def, host);
  const ns = networkSystemOf(conn);
  const client = conn.primary.client;
  const call = pickCallOptions(options);
  await AddVirtualSwitch(client, ns, { vswitchName: def.name, spec: plan.vswitch }, call);
  const added: string[] = [];
  try {
    for (const spec of plan.portgroups) {
      await AddPortGroup(client, ns, { portgrp: spec }, call);
      added.push(spec.name);
    }
  } catch (e) {
    await undoDefinition(conn, def.name, added, e);
    throw e;
  }
  return lookupNetwork(conn, def.name, { by: { name: true, uuid: false }, ...call });
}

/** Removes what a failed definition added; throws OPERATION_FAILED (caused by `reason`) when that fails too. */
async function undoDefinition(conn: Connection, vswitchName: string, portgroups: readonly string[], reason: unknown): Promise<void> {
  const ns = networkSystemOf(conn);
  const client = conn.primary.client;
  try {
    for (const name of [...portgroups].reverse()) await RemovePortGroup(client, ns, { pgName: name }, { timeoutMs: 30_000 });
    await RemoveVirtualSwitch(client, ns, { vswitchName }, { timeoutMs: 30_000 });
  } catch (undoError) {
    const why = reason instanceof EsxviError || reason instanceof Error ? reason.message : String(reason);
    throw new OperationFailedError(
      `Could not define network '${vswitchName}' (${why}), and could not remove what was added: ${undoError instanceof Error ? undoError.message : String(undoError)}`,
      { cause: reason },
    );
  }
}
