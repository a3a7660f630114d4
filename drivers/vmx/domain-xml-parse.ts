/**
 * libvirt domain XML -> domain model (virDomainDefParseString with the VMX parser config),
 * including the defaults and post-parse rules that decide the VMX output.
 */
import { parseCpuset } from "./cpuset.js";
import { SCSI_WIDE_BUS_MAX_UNIT } from "./disk-address.js";
import { diskNameToIndex } from "./disk-names.js";
import {
  DEFAULT_ARCH,
  emptyDomain,
  type ChrDef,
  type ControllerDef,
  type CpuDef,
  type DiskDef,
  type DomainDef,
  type OsDef,
} from "./domain-model.js";
import { postParseDomain } from "./domain-post-parse.js";
import {
  parseChr,
  parseController,
  parseDisk,
  parseFilesystem,
  parseGraphics,
  parseInput,
  parseInterface,
  parseVideo,
} from "./domain-xml-parse-devices.js";
import { attr, enumAttr, parseUint, scaledKiB, uintAttr, yesNoAttr } from "./domain-xml-values.js";
import { DomainXmlError } from "./errors.js";
import { parseUuid, randomUuid } from "./uuid.js";
import { child, childrenNamed, parseXmlTree, type XmlElement } from "./xml-tree.js";

/** libvirt's hypervisor types (virDomainVirtType), as domain XML and domcapabilities name them. */
export const VIRT_TYPES: readonly string[] = [
  "none",
  "qemu",
  "kqemu",
  "kvm",
  "xen",
  "lxc",
  "uml",
  "openvz",
  "test",
  "vmware",
  "hyperv",
  "vbox",
  "phyp",
  "parallels",
  "bhyve",
  "vz",
  "hvf",
];

function parseIdentity(root: XmlElement, def: DomainDef): void {
  const name = child(root, "name");
  if (name === undefined || name.text === "") throw new DomainXmlError("missing domain name information");
  def.name = name.text;
  const uuid = child(root, "uuid");
  if (uuid === undefined) def.uuid = randomUuid();
  else {
    const parsed = parseUuid(uuid.text);
    if (parsed === undefined) throw new DomainXmlError(`malformed uuid element '${uuid.text}'`);
    def.uuid = parsed;
  }
  const genid = child(root, "genid");
  if (genid !== undefined) {
    const parsed = genid.text === "" ? randomUuid() : parseUuid(genid.text);
    if (parsed === undefined) throw new DomainXmlError(`malformed genid element '${genid.text}'`);
    def.genid = parsed;
  }
  const description = child(root, "description");
  if (description !== undefined) def.description = description.text;
}

function parseMemory(root: XmlElement, def: DomainDef): void {
  const memory = child(root, "memory");
  const total = memory === undefined ? 0 : scaledKiB(memory, "memory");
  if (total === 0) {
    throw new DomainXmlError("Memory size must be specified via <memory> or in the <numa> configuration");
  }
  const currentEl = child(root, "currentMemory");
  let current = currentEl === undefined ? 0 : scaledKiB(currentEl, "currentMemory");
  if (current === 0 || current > total) current = total;
  const minEl = child(child(root, "memtune") ?? root, "min_guarantee");
  const minGuarantee = minEl === undefined || child(root, "memtune") === undefined ? 0 : scaledKiB(minEl, "min_guarantee");
  def.memory = { total, current, minGuarantee };
}

function parseVcpu(root: XmlElement, def: DomainDef): void {
  const vcpu = child(root, "vcpu");
  const max = vcpu === undefined ? 1 : parseUint(vcpu.text, "vcpu count");
  const current = uintAttr(vcpu, "current", "vcpu") ?? max;
  if (current > max) throw new DomainXmlError("maxvcpus must not be less than current vcpus");
  const placement = enumAttr(vcpu, "placement", ["static", "auto"] as const, "CPU placement mode") ?? "static";
  def.vcpu = { max, current, placement };
  const cpuset = attr(vcpu, "cpuset");
  if (cpuset !== undefined) def.vcpu.cpuset = parseCpuset(cpuset);
  const shares = child(child(root, "cputune") ?? root, "shares");
  if (shares !== undefined && child(root, "cputune") !== undefined) def.cputuneShares = parseUint(shares.text, "cputune shares");
}

function parseFirmwareFeatures(os: XmlElement, out: OsDef): void {
  const firmware = child(os, "firmware");
  if (firmware === undefined) return;
  const features: NonNullable<OsDef["firmwareFeatures"]> = {};
  for (const f of childrenNamed(firmware, "feature")) {
    const enabled = yesNoAttr(f, "enabled", "firmware feature");
    const name = enumAttr(f, "name", ["enrolled-keys", "secure-boot"] as const, "firmware feature name");
    if (enabled === undefined || name === undefined) throw new DomainXmlError("firmware feature needs 'enabled' and 'name'");
    if (name === "enrolled-keys") features.enrolledKeys = enabled;
    else features.secureBoot = enabled;
  }
  out.firmwareFeatures = features;
}

function parseOs(root: XmlElement): OsDef {
  const os = child(root, "os");
  const type = os === undefined ? undefined : child(os, "type");
  if (os === undefined || type === undefined || type.text === "") {
    throw new DomainXmlError("an os <type> must be specified");
  }
  const out: OsDef = { type: type.text.trim(), arch: attr(type, "arch") ?? DEFAULT_ARCH };
  const machine = attr(type, "machine");
  if (machine !== undefined) out.machine = machine;
  const firmware = enumAttr(os, "firmware", ["bios", "efi"] as const, "firmware");
  if (firmware !== undefined) out.firmware = firmware;
  parseFirmwareFeatures(os, out);
  const boots = childrenNamed(os, "boot").map((b) => attr(b, "dev") ?? "");
  if (boots.length > 0) out.bootDevices = boots;
  const smbios = enumAttr(child(os, "smbios"), "mode", ["emulate", "host", "sysinfo"] as const, "smbios mode");
  if (smbios !== undefined) out.smbiosMode = smbios;
  return out;
}

function parseCpu(root: XmlElement): CpuDef | undefined {
  const cpu = child(root, "cpu");
  if (cpu === undefined) return undefined;
  const topology = child(cpu, "topology");
  const n = (name: string, fallback: number): number => uintAttr(topology, name, "CPU topology") ?? fallback;
  return {
    mode: attr(cpu, "mode") ?? "custom",
    sockets: n("sockets", 0),
    dies: n("dies", 1),
    clusters: n("clusters", 1),
    cores: n("cores", 0),
    threads: n("threads", 0),
  };
}

function parseLifecycle(root: XmlElement, def: DomainDef): void {
  def.clockOffset = attr(child(root, "clock"), "offset") ?? "utc";
  def.onPoweroff = child(root, "on_poweroff")?.text ?? "destroy";
  def.onReboot = child(root, "on_reboot")?.text ?? "restart";
  def.onCrash = child(root, "on_crash")?.text ?? "destroy";
}

/** virDomainDiskInsertPreAlloced: keep disks of one bus sorted by target index. */
function insertDisk(disks: DiskDef[], disk: DiskDef): void {
  let insertAt = -1;
  const idx = diskNameToIndex(disk.dst);
  for (let i = disks.length - 1; i >= 0; i--) {
    const other = disks[i];
    if (other === undefined || other.bus !== disk.bus) continue;
    if (diskNameToIndex(other.dst) > idx) insertAt = i;
    else if (insertAt === -1) insertAt = i + 1;
  }
  if (insertAt === -1) disks.push(disk);
  else disks.splice(insertAt, 0, disk);
}

/** virDomainControllerInsertPreAlloced: keep controllers of one type sorted by index. */
function insertController(controllers: ControllerDef[], c: ControllerDef): void {
  let insertAt = -1;
  for (let i = controllers.length - 1; i >= 0; i--) {
    const other = controllers[i];
    if (other === undefined || other.type !== c.type) continue;
    if (other.index > c.index) insertAt = i;
    else if (insertAt === -1) insertAt = i + 1;
  }
  if (insertAt === -1) controllers.push(c);
  else controllers.splice(insertAt, 0, c);
}

/** Serial and parallel ports without a port number get the next one after the highest so far. */
function assignPorts(chrs: ChrDef[]): ChrDef[] {
  let max = -1;
  for (const chr of chrs) {
    if (chr.port === -1) chr.port = max + 1;
    if (chr.port > max) max = chr.port;
  }
  return chrs;
}

function parseDevices(root: XmlElement, def: DomainDef): void {
  const devices = child(root, "devices");
  if (devices === undefined) return;
  for (const el of childrenNamed(devices, "disk")) insertDisk(def.disks, parseDisk(el));
  for (const el of childrenNamed(devices, "controller")) {
    const next = (type: string): number => def.controllers.filter((c) => c.type === type).reduce((m, c) => Math.max(m, c.index + 1), 0);
    insertController(def.controllers, parseController(el, next));
  }
  def.filesystems = childrenNamed(devices, "filesystem").map(parseFilesystem);
  def.nets = childrenNamed(devices, "interface").map(parseInterface);
  def.serials = assignPorts(childrenNamed(devices, "serial").map(parseChr));
  def.parallels = assignPorts(childrenNamed(devices, "parallel").map(parseChr));
  def.consoles = childrenNamed(devices, "console").map((el) => {
    const c = parseChr(el);
    if (c.port === -1) c.port = 0;
    return c;
  });
  def.inputs = childrenNamed(devices, "input").map(parseInput);
  def.graphics = childrenNamed(devices, "graphics").map(parseGraphics);
  def.videos = childrenNamed(devices, "video").map(parseVideo);
  const balloon = child(devices, "memballoon");
  if (balloon !== undefined) def.memballoon = { model: attr(balloon, "model") ?? "default" };
}

/** Graphical x86 guests get an implicit PS/2 mouse and keyboard. */
function addImplicitInputs(def: DomainDef): void {
  if (def.graphics.length === 0) return;
  for (const type of ["mouse", "keyboard"]) {
    if (!def.inputs.some((i) => i.type === type && i.bus === "ps2")) def.inputs.push({ type, bus: "ps2" });
  }
}

/** Parses libvirt domain XML into the model, with libvirt's defaults applied. */
export function parseDomainXml(xml: string): DomainDef {
  return parseDomainTree(parseXmlTree(xml));
}

/** parseDomainXml over an element tree already parsed (what the validator watches being read). */
export function parseDomainTree(root: XmlElement): DomainDef {
  if (root.name !== "domain") {
    throw new DomainXmlError(`unexpected root element <${root.name}>, expecting <domain>`);
  }
  const virtType = attr(root, "type");
  if (virtType === undefined) throw new DomainXmlError("missing domain type attribute");
  if (!VIRT_TYPES.includes(virtType)) throw new DomainXmlError(`invalid domain type '${virtType}'`);
  const def = emptyDomain(virtType, "");
  parseIdentity(root, def);
  parseMemory(root, def);
  parseVcpu(root, def);
  def.os = parseOs(root);
  const cpu = parseCpu(root);
  if (cpu !== undefined) def.cpu = cpu;
  parseLifecycle(root, def);
  parseDevices(root, def);
  addImplicitInputs(def);
  postParseDomain(def, SCSI_WIDE_BUS_MAX_UNIT, (m) => new DomainXmlError(m));
  return def;
}
