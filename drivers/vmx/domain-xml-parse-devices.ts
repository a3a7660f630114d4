/** Domain XML -> model: the `<devices>` children the VMX converter handles. */
import { parseUuid } from "./uuid.js";
import {
  SCSI_CONTROLLER_MODELS,
  type ChrDef,
  type ChrSource,
  type ChrSourceType,
  type ControllerDef,
  type DeviceAddress,
  type DiskBus,
  type DiskDef,
  type DiskDevice,
  type DiskType,
  type FilesystemDef,
  type GraphicsDef,
  type GraphicsListen,
  type InputDef,
  type NetDef,
  type VideoDef,
} from "./domain-model.js";
import { attr, enumAttr, parseInt32, parseUint, uintAttr, yesNoAttr } from "./domain-xml-values.js";
import { DomainXmlError } from "./errors.js";
import { normalizeMac, randomMac } from "./mac.js";
import { child, childrenNamed, type XmlElement } from "./xml-tree.js";

const DISK_TYPES: readonly DiskType[] = ["file", "block", "dir", "network", "volume", "nvme", "vhostuser", "vhostvdpa"];
const DISK_DEVICES: readonly DiskDevice[] = ["disk", "cdrom", "floppy", "lun"];
const DISK_BUSES: readonly DiskBus[] = ["ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", "nvme"];
const CACHE_MODES = ["default", "none", "writethrough", "writeback", "directsync", "unsafe"] as const;

/** libvirt's virDomainNetModel names; anything else is kept as a free-form model string. */
const NET_MODEL_CHARS = /^[a-zA-Z0-9_-]+$/;

const VMWARE_MAC_PREFIX = [0x00, 0x0c, 0x29] as const;

function parseAddress(el: XmlElement): DeviceAddress | undefined {
  const address = child(el, "address");
  if (address === undefined) return undefined;
  const type = attr(address, "type");
  if (type === undefined) throw new DomainXmlError("No type specified for device address");
  if (type === "drive") {
    const n = (name: string): number => uintAttr(address, name, "drive address") ?? 0;
    return { type: "drive", controller: n("controller"), bus: n("bus"), target: n("target"), unit: n("unit") };
  }
  const { type: _ignored, ...rest } = address.attrs;
  void _ignored;
  return { type, attributes: rest };
}

function defaultDiskBus(device: DiskDevice, dst: string): DiskBus {
  if (device === "floppy") return "fdc";
  if (dst.startsWith("hd")) return "ide";
  if (dst.startsWith("sd")) return "scsi";
  if (dst.startsWith("vd")) return "virtio";
  if (dst.startsWith("xvd")) return "xen";
  if (dst.startsWith("ubd")) return "uml";
  return "ide";
}

export function parseDisk(el: XmlElement): DiskDef {
  const type = enumAttr(el, "type", DISK_TYPES, "disk type") ?? "file";
  const device = enumAttr(el, "device", DISK_DEVICES, "disk device") ?? "disk";
  const target = child(el, "target");
  const dst = attr(target, "dev");
  if (dst === undefined) throw new DomainXmlError("missing target information for device");
  const bus = enumAttr(target, "bus", DISK_BUSES, "disk bus type") ?? defaultDiskBus(device, dst);
  const disk: DiskDef = { type, device, bus, dst };
  const source = child(el, "source");
  const path = attr(source, type === "block" ? "dev" : type === "dir" ? "dir" : "file");
  if (path !== undefined && path !== "") disk.source = path;
  const policy = enumAttr(source, "startupPolicy", ["mandatory", "requisite", "optional"] as const, "startupPolicy value");
  if (policy !== undefined) disk.startupPolicy = policy;
  const driver = child(el, "driver");
  const driverName = attr(driver, "name");
  if (driverName !== undefined) disk.driverName = driverName;
  const driverType = attr(driver, "type");
  if (driverType !== undefined) disk.driverType = driverType;
  const cache = enumAttr(driver, "cache", CACHE_MODES, "disk cache mode");
  if (cache !== undefined && cache !== "default") disk.cache = cache;
  if (child(el, "readonly") !== undefined || device === "cdrom") disk.readonly = true;
  if (child(el, "shareable") !== undefined) disk.shareable = true;
  if (child(el, "transient") !== undefined) disk.transient = true;
  if (device === "lun" && type !== "block" && type !== "volume" && type !== "network") {
    throw new DomainXmlError("disk type='lun' is only valid for block type disk source");
  }
  const address = parseAddress(el);
  if (address !== undefined) disk.address = address;
  return disk;
}

export function parseController(el: XmlElement, nextIndex: (type: string) => number): ControllerDef {
  const type = attr(el, "type");
  if (type === undefined) throw new DomainXmlError("missing controller type");
  const index = uintAttr(el, "index", "controller") ?? nextIndex(type);
  const controller: ControllerDef = { type, index };
  const model = attr(el, "model");
  if (model !== undefined) {
    if (type === "scsi" && !SCSI_CONTROLLER_MODELS.includes(model)) {
      throw new DomainXmlError(`Unknown model type '${model}'`);
    }
    controller.model = model;
  }
  const address = parseAddress(el);
  if (address !== undefined) controller.address = address;
  return controller;
}

export function parseFilesystem(el: XmlElement): FilesystemDef {
  const type = attr(el, "type") ?? "mount";
  const source = child(el, "source");
  const src = attr(source, "dir") ?? attr(source, "file") ?? attr(source, "dev") ?? attr(source, "name") ?? "";
  const target = attr(child(el, "target"), "dir");
  if (target === undefined) throw new DomainXmlError("missing target information for filesystem");
  return {
    type,
    accessMode: attr(el, "accessmode") ?? "passthrough",
    source: src,
    target,
    readonly: child(el, "readonly") !== undefined,
  };
}

function parseMacElement(el: XmlElement, net: NetDef): void {
  const mac = child(el, "mac");
  const address = attr(mac, "address");
  if (address === undefined) {
    net.mac = randomMac(VMWARE_MAC_PREFIX);
  } else {
    const normalized = normalizeMac(address);
    if (normalized === undefined) throw new DomainXmlError(`unable to parse mac address '${address}'`);
    net.mac = normalized;
  }
  const macType = enumAttr(mac, "type", ["generated", "static"] as const, "MAC address type");
  if (macType !== undefined) net.macType = macType;
  const check = yesNoAttr(mac, "check", "MAC address check");
  if (check !== undefined) net.macCheck = check;
}

function parseVdsSource(source: XmlElement | undefined): NonNullable<NetDef["vds"]> {
  const switchId = attr(source, "switchid");
  const uuid = switchId === undefined ? undefined : parseUuid(switchId);
  if (uuid === undefined) throw new DomainXmlError(`Could not parse UUID from string '${switchId ?? ""}'`);
  const portgroupId = attr(source, "portgroupid");
  const portId = attr(source, "portid");
  const connectionId = attr(source, "connectionid");
  return {
    switchId: uuid,
    portId: portId === undefined ? 0 : parseInt32(portId, "vds portid"),
    connectionId: connectionId === undefined ? 0 : parseInt32(connectionId, "vds connectionid"),
    ...(portgroupId === undefined ? {} : { portgroupId }),
  };
}

export function parseInterface(el: XmlElement): NetDef {
  const type = attr(el, "type");
  if (type === undefined) throw new DomainXmlError("missing interface type");
  const net: NetDef = { type, mac: "" };
  parseMacElement(el, net);
  const source = child(el, "source");
  if (type === "bridge") {
    const bridge = attr(source, "bridge");
    if (bridge === undefined) {
      throw new DomainXmlError("No <source> 'bridge' attribute specified with <interface type='bridge'/>");
    }
    net.bridge = bridge;
  } else if (type === "vds") {
    net.vds = parseVdsSource(source);
  } else if (source !== undefined) {
    net.sourceAttributes = source.attrs;
  }
  const ifname = attr(child(el, "target"), "dev");
  if (ifname !== undefined) net.ifname = ifname;
  const model = attr(child(el, "model"), "type");
  if (model !== undefined) {
    if (!NET_MODEL_CHARS.test(model)) throw new DomainXmlError(`Model name contains invalid characters: '${model}'`);
    net.model = model;
  }
  return net;
}

const CHR_TYPES: readonly ChrSourceType[] = [
  "null",
  "vc",
  "pty",
  "dev",
  "file",
  "pipe",
  "stdio",
  "udp",
  "tcp",
  "unix",
  "spicevmc",
  "spiceport",
  "nmdm",
  "qemu-vdagent",
  "dbus",
];

function parseChrSource(el: XmlElement): ChrSource {
  const type = enumAttr(el, "type", CHR_TYPES, "character device type") ?? "pty";
  const source = child(el, "source");
  const out: ChrSource = { type };
  if (type === "tcp" || type === "udp") {
    const host = attr(source, "host");
    const service = attr(source, "service");
    if (host !== undefined) out.host = host;
    if (service !== undefined) out.service = service;
    out.listen = attr(source, "mode") === "bind";
    if (type === "tcp") {
      out.protocol = enumAttr(child(el, "protocol"), "type", ["raw", "telnet", "telnets", "tls"] as const, "protocol") ?? "raw";
    }
    return out;
  }
  const path = attr(source, "path");
  if (path !== undefined) out.path = path;
  return out;
}

/** Parses `<serial>`, `<parallel>` or `<console>`; port -1 means "assign the next free one". */
export function parseChr(el: XmlElement): ChrDef {
  const target = child(el, "target");
  const port = attr(target, "port");
  const chr: ChrDef = { source: parseChrSource(el), port: port === undefined ? -1 : parseUint(port, "target port") };
  const targetType = attr(target, "type");
  if (targetType !== undefined) chr.targetType = targetType;
  return chr;
}

export function parseInput(el: XmlElement): InputDef {
  const type = attr(el, "type");
  if (type === undefined) throw new DomainXmlError("missing input device type");
  return { type, bus: attr(el, "bus") ?? (type === "tablet" ? "usb" : "ps2") };
}

function parseListens(el: XmlElement): GraphicsListen[] {
  const listens: GraphicsListen[] = [];
  for (const l of childrenNamed(el, "listen")) {
    const type = enumAttr(l, "type", ["address", "network", "socket", "none"] as const, "graphics listen type");
    if (type === undefined) throw new DomainXmlError("graphics listen type must be specified");
    const listen: GraphicsListen = { type };
    const address = attr(l, "address");
    if (address !== undefined) listen.address = address;
    const network = attr(l, "network");
    if (network !== undefined) listen.network = network;
    const socket = attr(l, "socket");
    if (socket !== undefined) listen.socket = socket;
    listens.push(listen);
  }
  const listenAttr = attr(el, "listen");
  const first = listens[0];
  if (listenAttr !== undefined) {
    if (first === undefined) listens.push({ type: "address", address: listenAttr });
    else if (first.type === "address" && first.address === undefined) first.address = listenAttr;
    else if (first.type === "address" && first.address !== listenAttr) {
      throw new DomainXmlError(
        `graphics 'listen' attribute '${listenAttr}' must match 'address' attribute of first listen element (found '${first.address ?? ""}')`,
      );
    }
  }
  if (listens.length === 0) listens.push({ type: "address" });
  return listens;
}

export function parseGraphics(el: XmlElement): GraphicsDef {
  const type = attr(el, "type");
  if (type === undefined) throw new DomainXmlError("missing graphics device type");
  const g: GraphicsDef = { type, listens: [] };
  if (type !== "vnc") return g;
  const port = attr(el, "port");
  if (port === undefined) {
    g.port = 0;
    g.autoport = true;
  } else {
    g.port = parseInt32(port, "vnc port");
    if (g.port === -1) {
      g.port = 0;
      g.autoport = true;
    } else {
      g.autoport = false;
    }
  }
  const autoport = yesNoAttr(el, "autoport", "vnc autoport");
  if (autoport !== undefined) {
    g.autoport = autoport;
    if (autoport) g.port = 0;
  }
  const keymap = attr(el, "keymap");
  if (keymap !== undefined) g.keymap = keymap;
  const passwd = attr(el, "passwd");
  if (passwd !== undefined) g.passwd = passwd;
  g.listens = parseListens(el);
  return g;
}

export function parseVideo(el: XmlElement): VideoDef {
  const model = child(el, "model");
  const type = attr(model, "type") ?? "default";
  const vram = uintAttr(model, "vram", "video model") ?? (type === "vmvga" || type === "default" ? 4096 : 16384);
  const heads = uintAttr(model, "heads", "video model") ?? 1;
  return { type, vram, heads, primary: yesNoAttr(model, "primary", "video primary") === true };
}
