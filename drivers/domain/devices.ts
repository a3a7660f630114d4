/**
 * A domain's block devices and network interfaces as virsh domblklist / domiflist list them
 * from the domain XML, built from config.hardware.device in one retrieval instead of
 * downloading and converting the .vmx: disk targets named as libvirt's VMX converter names
 * them (SCSI sd by controller×15 + unit, skipping unit 7; SATA sd by controller×30 + unit;
 * IDE hd by bus×2 + unit; floppy fd by unit), in its order (SCSI, SATA, IDE, floppy), sources
 * as "[datastore] path" or the host device; interfaces in device order with libvirt's type
 * (bridge on a port group, vds on a distributed port), source network, model and MAC.
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { indexToDiskName } from "../vmx/disk-names.js";
import type { DomainIdentity } from "./identity.js";
import { lookupDomain } from "./lookup.js";

export interface BlockDevice {
  readonly type: "file" | "block";
  readonly device: "disk" | "cdrom" | "floppy" | "lun";
  readonly bus: "scsi" | "sata" | "ide" | "fdc";
  readonly target: string;
  readonly source: string | undefined;
}

export interface InterfaceDevice {
  /** The host-side device name (libvirt's target dev); ESX does not report one. */
  readonly target: string | undefined;
  readonly type: "bridge" | "vds" | "ethernet";
  readonly source: string | undefined;
  readonly model: string | undefined;
  readonly mac: string | undefined;
}

/** A VirtualDevice as the decoder gives it: the members this file reads. */
interface DeviceLike {
  readonly _typeName: string;
  readonly key: number;
  readonly controllerKey?: number;
  readonly unitNumber?: number;
  readonly busNumber?: number;
  readonly macAddress?: string;
  readonly backing?: {
    readonly _typeName: string;
    readonly fileName?: string;
    readonly deviceName?: string;
    readonly useAutoDetect?: boolean;
  };
}

const SCSI_CONTROLLERS = new Set([
  "VirtualLsiLogicController",
  "VirtualLsiLogicSASController",
  "VirtualBusLogicController",
  "ParaVirtualSCSIController",
  "VirtualSCSIController",
]);
const SATA_CONTROLLERS = new Set(["VirtualAHCIController", "VirtualSATAController"]);

const NIC_MODELS: Readonly<Record<string, string | undefined>> = {
  VirtualE1000: "e1000",
  VirtualE1000e: "e1000e",
  VirtualPCNet32: "vlance",
  VirtualVmxnet: "vmxnet",
  VirtualVmxnet2: "vmxnet2",
  VirtualVmxnet3: "vmxnet3",
  VirtualVmxnet3Vrdma: "vmxnet3",
  VirtualSriovEthernetCard: undefined,
};

const BUS_ORDER = { scsi: 0, sata: 1, ide: 2, fdc: 3 } as const;

function isDevice(v: unknown): v is DeviceLike {
  return typeof v === "object" && v !== null && "_typeName" in v && "key" in v;
}

function diskTarget(
  device: DeviceLike,
  controller: DeviceLike | undefined,
): { bus: BlockDevice["bus"]; target: string; order: number } | undefined {
  const unit = device.unitNumber ?? 0;
  if (device._typeName === "VirtualFloppy") return { bus: "fdc", target: indexToDiskName(unit, "fd"), order: unit };
  if (controller === undefined) return undefined;
  const bus = controller.busNumber ?? 0;
  if (SCSI_CONTROLLERS.has(controller._typeName)) {
    const index = bus * 15 + (unit < 7 ? unit : unit - 1);
    return { bus: "scsi", target: indexToDiskName(index, "sd"), order: bus * 16 + unit };
  }
  if (SATA_CONTROLLERS.has(controller._typeName))
    return { bus: "sata", target: indexToDiskName(bus * 30 + unit, "sd"), order: bus * 30 + unit };
  if (controller._typeName === "VirtualIDEController")
    return { bus: "ide", target: indexToDiskName(bus * 2 + unit, "hd"), order: bus * 2 + unit };
  return undefined;
}

function blockKind(device: DeviceLike): Pick<BlockDevice, "type" | "device" | "source"> | undefined {
  const b = device.backing;
  const fileName = b?.fileName !== undefined && b.fileName !== "" ? b.fileName : undefined;
  const deviceName = b?.deviceName !== undefined && b.deviceName !== "" && b.useAutoDetect !== true ? b.deviceName : undefined;
  const remote = b?._typeName.includes("Remote") === true;
  switch (device._typeName) {
    case "VirtualDisk":
      return fileName !== undefined
        ? { type: "file", device: "disk", source: fileName }
        : { type: "block", device: "disk", source: deviceName };
    case "VirtualCdrom":
      if (b?._typeName === "VirtualCdromIsoBackingInfo") return { type: "file", device: "cdrom", source: fileName };
      if (b?._typeName === "VirtualCdromPassthroughBackingInfo") return { type: "block", device: "lun", source: deviceName };
      return { type: "block", device: "cdrom", source: remote ? undefined : deviceName };
    case "VirtualFloppy":
      if (b?._typeName === "VirtualFloppyImageBackingInfo") return { type: "file", device: "floppy", source: fileName };
      return { type: "block", device: "floppy", source: remote ? undefined : deviceName };
    default:
      return undefined;
  }
}

/** The block devices of a config.hardware.device list, in libvirt's order. */
export function blockDevicesFrom(devices: readonly unknown[]): BlockDevice[] {
  const all = devices.filter(isDevice);
  const byKey = new Map(all.map((d) => [d.key, d]));
  const found: (BlockDevice & { order: number })[] = [];
  for (const d of all) {
    const kind = blockKind(d);
    if (kind === undefined) continue;
    const where = diskTarget(d, d.controllerKey === undefined ? undefined : byKey.get(d.controllerKey));
    if (where === undefined) continue;
    found.push({ ...kind, bus: where.bus, target: where.target, order: BUS_ORDER[where.bus] * 1_000_000 + where.order });
  }
  return found.sort((a, b) => a.order - b.order).map(({ order: _order, ...rest }) => rest);
}

/** The network interfaces of a config.hardware.device list, in device order. */
export function interfacesFrom(devices: readonly unknown[]): InterfaceDevice[] {
  return devices
    .filter(isDevice)
    .filter((d) => Object.hasOwn(NIC_MODELS, d._typeName))
    .sort((a, b) => a.key - b.key)
    .map((d) => {
      const b = d.backing;
      const type: InterfaceDevice["type"] =
        b?._typeName === "VirtualEthernetCardDistributedVirtualPortBackingInfo"
          ? "vds"
          : b?._typeName === "VirtualEthernetCardNetworkBackingInfo"
            ? "bridge"
            : "ethernet";
      return {
        target: undefined,
        type,
        source: type === "bridge" && b?.deviceName !== undefined && b.deviceName !== "" ? b.deviceName : undefined,
        model: NIC_MODELS[d._typeName],
        mac: d.macAddress,
      };
    });
}

export interface DomainDevices {
  readonly identity: DomainIdentity;
  readonly disks: readonly BlockDevice[];
  readonly interfaces: readonly InterfaceDevice[];
}

export async function domainDevices(conn: Connection, selector: string, options: CallOptions = {}): Promise<DomainDevices> {
  // Device lists are large: fetched for the VM found only (two retrievals by name or id).
  const d = await lookupDomain(conn, selector, ["config.hardware.device"], { ...options, narrow: true });
  const devices = d.props["config.hardware.device"];
  const list = Array.isArray(devices) ? (devices as unknown[]) : [];
  return { identity: d.identity, disks: blockDevicesFrom(list), interfaces: interfacesFrom(list) };
}
