/**
 * The subset of libvirt's domain definition (virDomainDef) that the VMX converter reads
 * and writes. Field names follow the domain XML; sizes are in KiB like libvirt's.
 */

export type DiskDevice = "disk" | "cdrom" | "floppy" | "lun";
export type DiskBus = "ide" | "fdc" | "scsi" | "virtio" | "xen" | "usb" | "uml" | "sata" | "sd" | "nvme";
export type DiskType = "file" | "block" | "dir" | "network" | "volume" | "nvme" | "vhostuser" | "vhostvdpa";

export interface DriveAddress {
  readonly type: "drive";
  controller: number;
  bus: number;
  target: number;
  unit: number;
}

/** An address libvirt keeps but the converter does not interpret (pci, usb, ...). */
export interface OtherAddress {
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export type DeviceAddress = DriveAddress | OtherAddress;

export interface DiskDef {
  type: DiskType;
  device: DiskDevice;
  bus: DiskBus;
  /** Target device name, e.g. "sda". */
  dst: string;
  /** File path, block device path or datastore path; undefined for an empty drive. */
  source?: string;
  startupPolicy?: "mandatory" | "requisite" | "optional";
  /** `<driver name>`: legacy place for the SCSI controller model. */
  driverName?: string;
  driverType?: string;
  /** `<driver cache>`: "default" is not written. */
  cache?: "default" | "none" | "writethrough" | "writeback" | "directsync" | "unsafe";
  readonly?: boolean;
  transient?: boolean;
  shareable?: boolean;
  address?: DeviceAddress;
}

/** libvirt's SCSI controller model names (virDomainControllerModelSCSI). */
export const SCSI_CONTROLLER_MODELS: readonly string[] = [
  "auto",
  "buslogic",
  "lsilogic",
  "lsisas1068",
  "vmpvscsi",
  "ibmvscsi",
  "virtio-scsi",
  "lsisas1078",
  "virtio-transitional",
  "virtio-non-transitional",
  "ncr53c90",
  "am53c974",
  "dc390",
];

export interface ControllerDef {
  type: string;
  index: number;
  /** Model name as in the XML (e.g. "lsilogic", "vmpvscsi", "auto"); absent = hypervisor default. */
  model?: string;
  address?: DeviceAddress;
}

export interface FilesystemDef {
  type: string;
  accessMode: string;
  source: string;
  target: string;
  readonly: boolean;
}

export type MacType = "generated" | "static";

export interface NetDef {
  type: string;
  mac: string;
  macType?: MacType;
  /** `<mac check>`: whether ESX checks the MAC address. */
  macCheck?: boolean;
  /** Known model (libvirt's enum) or a free-form one. */
  model?: string;
  /** bridge: `<source bridge>`. */
  bridge?: string;
  /** `<target dev>`. */
  ifname?: string;
  /** vds: `<source switchid portid portgroupid connectionid>`. */
  vds?: { switchId: string; portId: number; portgroupId?: string; connectionId: number };
  /** Source attributes of other interface types, kept for formatting. */
  sourceAttributes?: Readonly<Record<string, string>>;
}

export type ChrSourceType =
  | "null"
  | "vc"
  | "pty"
  | "dev"
  | "file"
  | "pipe"
  | "stdio"
  | "udp"
  | "tcp"
  | "unix"
  | "spicevmc"
  | "spiceport"
  | "nmdm"
  | "qemu-vdagent"
  | "dbus";

export interface ChrSource {
  type: ChrSourceType;
  /** dev, file, pipe, pty, unix: `<source path>`. */
  path?: string;
  /** tcp: host, service, listen (mode='bind') and protocol. */
  host?: string;
  service?: string;
  listen?: boolean;
  protocol?: "raw" | "telnet" | "telnets" | "tls";
}

export interface ChrDef {
  source: ChrSource;
  port: number;
  /** `<target type>` (serial: "isa-serial", ...; console: "serial", "virtio", ...). */
  targetType?: string;
}

export interface GraphicsListen {
  type: "address" | "network" | "socket" | "none";
  address?: string;
  network?: string;
  socket?: string;
}

export interface GraphicsDef {
  type: string;
  port?: number;
  autoport?: boolean;
  keymap?: string;
  passwd?: string;
  listens: GraphicsListen[];
}

export interface VideoDef {
  type: string;
  /** KiB. */
  vram: number;
  heads: number;
  primary: boolean;
}

export interface InputDef {
  type: string;
  bus: string;
}

export interface CpuDef {
  mode: string;
  sockets: number;
  dies: number;
  clusters: number;
  cores: number;
  threads: number;
}

export interface OsDef {
  type: string;
  arch: string;
  machine?: string;
  firmware?: "bios" | "efi";
  /** `<firmware><feature name enabled>` in the order libvirt writes them. */
  firmwareFeatures?: { enrolledKeys?: boolean; secureBoot?: boolean };
  smbiosMode?: "none" | "emulate" | "host" | "sysinfo";
  bootDevices?: string[];
}

export interface DomainDef {
  virtType: string;
  name?: string;
  /** Canonical lowercase "8-4-4-4-12" form. */
  uuid: string;
  genid?: string;
  description?: string;
  memory: {
    /** `<memory>` in KiB. */
    total: number;
    /** `<currentMemory>` in KiB. */
    current: number;
    /** `<memtune><min_guarantee>` in KiB; 0 when unset. */
    minGuarantee: number;
  };
  vcpu: {
    max: number;
    current: number;
    placement: "static" | "auto";
    /** Host CPUs of `cpuset`, ascending; undefined when unset. */
    cpuset?: number[];
  };
  cputuneShares?: number;
  os: OsDef;
  cpu?: CpuDef;
  clockOffset: string;
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  disks: DiskDef[];
  controllers: ControllerDef[];
  filesystems: FilesystemDef[];
  nets: NetDef[];
  serials: ChrDef[];
  parallels: ChrDef[];
  consoles: ChrDef[];
  inputs: InputDef[];
  graphics: GraphicsDef[];
  videos: VideoDef[];
  memballoon?: { model: string };
  /** The `vmware:` namespace: datacenter path and MoRef of the VM (from the context). */
  vmware?: { datacenterPath?: string; moref?: string };
}

/** The vmware namespace URI libvirt writes. */
/** The architecture of a domain that names none (libvirt's default for an hvm guest here). */
export const DEFAULT_ARCH = "i686";

/** A definition with libvirt's defaults and no devices: what both parsers start from. */
export function emptyDomain(virtType: string, uuid: string): DomainDef {
  return {
    virtType,
    uuid,
    memory: { total: 0, current: 0, minGuarantee: 0 },
    vcpu: { max: 1, current: 1, placement: "static" },
    os: { type: "hvm", arch: DEFAULT_ARCH },
    clockOffset: "utc",
    onPoweroff: "destroy",
    onReboot: "restart",
    onCrash: "destroy",
    disks: [],
    controllers: [],
    filesystems: [],
    nets: [],
    serials: [],
    parallels: [],
    consoles: [],
    inputs: [],
    graphics: [],
    videos: [],
  };
}

export const VMWARE_NAMESPACE_URI = "http://libvirt.org/schemas/domain/vmware/1.0";

/** Narrows a device address to a drive address. */
export function isDriveAddress(address: DeviceAddress | undefined): address is DriveAddress {
  return address !== undefined && address.type === "drive" && "controller" in address;
}
