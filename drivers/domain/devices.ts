/**
 * A domain's block devices and network interfaces as virsh domblklist / domiflist list them:
 * read from the domain definition dumpxml prints (the .vmx converted), so that both always
 * agree. virsh takes each <disk>'s type, device, target dev and the first of source
 * file|dev|dir|name|volume, and each <interface>'s target dev, type, the first of source
 * bridge|dev|network|name|path, model type and MAC, in document order.
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import type { DiskDef, DomainDef, NetDef } from "../vmx/index.js";
import type { DomainIdentity } from "./identity.js";
import type { DomainHandle } from "./lookup.js";
import { domainDefinition } from "./xml-desc.js";

export interface BlockDevice {
  readonly type: DiskDef["type"];
  readonly device: DiskDef["device"];
  readonly bus: DiskDef["bus"];
  readonly target: string;
  readonly source: string | undefined;
}

export interface InterfaceDevice {
  /** The host-side device name (`<target dev>`), when the XML has one. */
  readonly target: string | undefined;
  readonly type: string;
  readonly source: string | undefined;
  readonly model: string | undefined;
  readonly mac: string | undefined;
}

/** The disks of a definition, in its order (the order of the XML's <disk> elements). */
export function blockDevicesOf(def: Pick<DomainDef, "disks">): BlockDevice[] {
  return def.disks.map((d) => ({
    type: d.type,
    device: d.device,
    bus: d.bus,
    target: d.dst,
    source: d.source !== undefined && d.source !== "" ? d.source : undefined,
  }));
}

/** virsh's source XPath for an interface: bridge, dev, network, name or path, the first present. */
function interfaceSource(net: NetDef): string | undefined {
  if (net.bridge !== undefined && net.bridge !== "") return net.bridge;
  const attrs = net.sourceAttributes;
  if (attrs === undefined) return undefined;
  for (const name of ["bridge", "dev", "network", "name", "path"]) {
    const v = attrs[name];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

/** The interfaces of a definition, in its order. */
export function interfacesOf(def: Pick<DomainDef, "nets">): InterfaceDevice[] {
  return def.nets.map((n) => ({
    target: n.ifname !== undefined && n.ifname !== "" ? n.ifname : undefined,
    type: n.type,
    source: interfaceSource(n),
    model: n.model,
    mac: n.mac !== "" ? n.mac : undefined,
  }));
}

export interface DomainDevices {
  readonly identity: DomainIdentity;
  readonly disks: readonly BlockDevice[];
  readonly interfaces: readonly InterfaceDevice[];
}

/** The devices of the domain's definition (read with DOMAIN_XML_PATHS). */
export async function domainDevices(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainDevices> {
  const { identity, def } = await domainDefinition(conn, domain, options);
  return { identity, disks: blockDevicesOf(def), interfaces: interfacesOf(def) };
}
