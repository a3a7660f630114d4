/**
 * VMX -> domain model (virVMXParseConfig): general keys here, devices in vmx-disks.ts,
 * vmx-ethernet.ts, vmx-serial-parallel.ts, vmx-graphics.ts and vmx-shared-folders.ts.
 */
import { unescapeHexPercent, unescapeHexPipe } from "../util/hex-escape.js";
import type { VmxContext } from "./context.js";
import { CPUMASK_LEN } from "./cpuset.js";
import { SCSI_SUPER_WIDE_BUS_MAX_UNIT, SCSI_WIDE_BUS_MAX_UNIT } from "./disk-address.js";
import { emptyDomain, type ChrDef, type DomainDef, type NetDef } from "./domain-model.js";
import { postParseDomain } from "./domain-post-parse.js";
import { VmxError } from "./errors.js";
import { parseUuid, ZERO_UUID } from "./uuid.js";
import { parseVmxDisks } from "./vmx-disks.js";
import { highestEthernetIndex, parseVmxEthernet } from "./vmx-ethernet.js";
import { parseVmxSvga, parseVmxVnc } from "./vmx-graphics.js";
import { parseVmxParallel, parseVmxSerial } from "./vmx-serial-parallel.js";
import { parseVmxSharedFolders } from "./vmx-shared-folders.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBigInt, vmxBoolean, vmxLong, vmxString, vmxUuid, vmxValueError } from "./vmx-values.js";

function parseVersions(doc: VmxDocument): number {
  const configVersion = vmxLong(doc, "config.version", 0, true);
  if (configVersion !== 8) {
    throw vmxValueError(doc, "config.version", `Expecting VMX entry 'config.version' to be 8 but found ${configVersion}`);
  }
  const hw = vmxLong(doc, "virtualHW.version", 0, true);
  if (hw < 4) {
    throw vmxValueError(doc, "virtualHW.version", `Expecting VMX entry 'virtualHW.version' to be 4 or higher but found ${hw}`);
  }
  return hw;
}

function parseName(doc: VmxDocument): string | undefined {
  const raw = vmxString(doc, "displayName");
  if (raw === undefined) return undefined;
  const percent = unescapeHexPercent(raw);
  const name = percent === undefined ? undefined : unescapeHexPipe(percent);
  if (name === undefined) {
    throw vmxValueError(doc, "displayName", `VMX entry 'displayName' contains invalid escape sequence in '${raw}'`);
  }
  return name;
}

function parseDescription(doc: VmxDocument): string | undefined {
  const raw = vmxString(doc, "annotation");
  if (raw === undefined) return undefined;
  const text = unescapeHexPipe(raw);
  if (text === undefined) {
    throw vmxValueError(doc, "annotation", `VMX entry 'annotation' contains invalid escape sequence in '${raw}'`);
  }
  return text;
}

/** vm.genid and vm.genidX: two signed 64-bit halves of the generation ID. */
function parseGenid(doc: VmxDocument): string | undefined {
  const hi = vmxBigInt(doc, "vm.genid", 0n);
  const lo = vmxBigInt(doc, "vm.genidX", 0n);
  if (hi === 0n && lo === 0n) return undefined;
  const hex = (v: bigint): string => BigInt.asUintN(64, v).toString(16).padStart(16, "0");
  return parseUuid(hex(hi) + hex(lo));
}

function parseMemory(doc: VmxDocument): DomainDef["memory"] {
  const memsize = vmxLong(doc, "memsize", 32);
  if (memsize <= 0 || memsize % 4 !== 0) {
    throw vmxValueError(doc, "memsize", `Expecting VMX entry 'memsize' to be an unsigned integer (multiple of 4) but found ${memsize}`);
  }
  const total = memsize * 1024;
  let max = vmxLong(doc, "sched.mem.max", memsize);
  if (max < 0) max = memsize;
  let min = vmxLong(doc, "sched.mem.minsize", 0);
  if (min < 0) min = 0;
  return { total, current: Math.min(max * 1024, total), minGuarantee: Math.min(min * 1024, total) };
}

function parseVcpus(doc: VmxDocument): number {
  const numvcpus = vmxLong(doc, "numvcpus", 1);
  if (numvcpus <= 0) {
    throw vmxValueError(doc, "numvcpus", `Expecting VMX entry 'numvcpus' to be an unsigned integer greater than 0 but found ${numvcpus}`);
  }
  return numvcpus;
}

function parseTopology(doc: VmxDocument, vcpus: number, def: DomainDef): void {
  const cores = vmxLong(doc, "cpuid.coresPerSocket", 1);
  if (cores <= 1) return;
  const sockets = Math.trunc(vcpus / cores);
  if (sockets <= 0) {
    throw vmxValueError(doc, "cpuid.coresPerSocket", "VMX entry 'cpuid.coresPerSocket' smaller than 'numvcpus'");
  }
  def.cpu = { mode: "custom", sockets, dies: 1, clusters: 1, cores, threads: 1 };
}

function parseAffinity(doc: VmxDocument, vcpus: number): number[] | undefined {
  const text = vmxString(doc, "sched.cpu.affinity");
  if (text === undefined || text.toLowerCase() === "all") return undefined;
  const items = text.split(",");
  if (items.length < vcpus) {
    throw vmxValueError(
      doc,
      "sched.cpu.affinity",
      `Expecting VMX entry 'sched.cpu.affinity' to contain at least as many values as 'numvcpus' (${vcpus}) but found only ${items.length} value(s)`,
    );
  }
  const cpus = new Set<number>();
  for (const item of items) {
    if (!/^\s*\d+\s*$/.test(item)) {
      throw vmxValueError(
        doc,
        "sched.cpu.affinity",
        `Expecting VMX entry 'sched.cpu.affinity' to be a comma separated list of unsigned integers but found '${text}'`,
      );
    }
    const cpu = Number(item.trim());
    if (cpu >= CPUMASK_LEN) {
      throw vmxValueError(doc, "sched.cpu.affinity", `VMX entry 'sched.cpu.affinity' contains a ${cpu}, this value is too large`);
    }
    cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

const SHARES_PER_VCPU: Readonly<Record<string, number>> = { low: 500, normal: 1000, high: 2000 };

function parseShares(doc: VmxDocument, vcpus: number): number | undefined {
  const text = vmxString(doc, "sched.cpu.shares");
  if (text === undefined) return undefined;
  const level = SHARES_PER_VCPU[text.toLowerCase()];
  if (level !== undefined) return vcpus * level;
  if (!/^\s*\+?\d+$/.test(text) || Number(text) > Number.MAX_SAFE_INTEGER) {
    throw vmxValueError(
      doc,
      "sched.cpu.shares",
      `Expecting VMX entry 'sched.cpu.shares' to be an unsigned integer or 'low', 'normal' or 'high' but found '${text}'`,
    );
  }
  return Number(text);
}

function parseOs(doc: VmxDocument, def: DomainDef): void {
  const guestOS = vmxString(doc, "guestOS");
  def.os.arch = guestOS !== undefined && guestOS.endsWith("-64") ? "x86_64" : "i686";
  if (vmxBoolean(doc, "smbios.reflecthost", false)) def.os.smbiosMode = "host";
}

function parseFirmware(doc: VmxDocument, def: DomainDef): void {
  const firmware = vmxString(doc, "firmware");
  if (firmware !== undefined) {
    if (firmware !== "efi") {
      throw vmxValueError(doc, "firmware", `VMX entry 'firmware' has unknown value '${firmware}'`);
    }
    def.os.firmware = "efi";
  }
  const secureBoot = vmxBoolean(doc, "uefi.secureBoot.enabled", false);
  if (secureBoot && def.os.firmware === "efi") {
    // VMware has no separate notion of enrolled keys: both are on.
    def.os.firmwareFeatures = { enrolledKeys: true, secureBoot: true };
  }
}

function parseGeneral(doc: VmxDocument, def: DomainDef): void {
  const uuid = vmxUuid(doc, "uuid.bios");
  if (uuid !== undefined) def.uuid = uuid;
  const name = parseName(doc);
  if (name !== undefined) def.name = name;
  const genid = parseGenid(doc);
  if (genid !== undefined) def.genid = genid;
  const description = parseDescription(doc);
  if (description !== undefined) def.description = description;
  def.memory = parseMemory(doc);
  const vcpus = parseVcpus(doc);
  def.vcpu = { max: vcpus, current: vcpus, placement: "static" };
  parseTopology(doc, vcpus, def);
  const cpuset = parseAffinity(doc, vcpus);
  if (cpuset !== undefined) def.vcpu.cpuset = cpuset;
  const shares = parseShares(doc, vcpus);
  if (shares !== undefined) def.cputuneShares = shares;
  parseOs(doc, def);
}

function collect<T>(count: number, parse: (i: number) => T | undefined): T[] {
  const out: T[] = [];
  for (let i = 0; i < count; i++) {
    const item = parse(i);
    if (item !== undefined) out.push(item);
  }
  return out;
}

function parseDevices(doc: VmxDocument, ctx: VmxContext, def: DomainDef, scsiBusMaxUnit: number): void {
  const graphics = parseVmxVnc(doc);
  if (graphics !== undefined) def.graphics.push(graphics);
  const { disks, controllers } = parseVmxDisks({ doc, ctx, scsiBusMaxUnit });
  def.disks = disks;
  def.controllers = controllers;
  def.filesystems = parseVmxSharedFolders(doc);
  def.nets = collect<NetDef>(highestEthernetIndex(doc) + 1, (i) => parseVmxEthernet(doc, i));
  def.videos = [parseVmxSvga(doc)];
  def.serials = collect<ChrDef>(4, (port) => parseVmxSerial(doc, ctx, port));
  def.parallels = collect<ChrDef>(3, (port) => parseVmxParallel(doc, ctx, port));
}

/** Converts a parsed .vmx into a domain definition. */
export function vmxToDomain(doc: VmxDocument, ctx: VmxContext): DomainDef {
  if (ctx.parseFileName === undefined) throw new VmxError("The VMX context has no parseFileName function set");
  highestEthernetIndex(doc); // libvirt validates every ethernet key before anything else
  const def = emptyDomain("vmware", ZERO_UUID);
  const hw = parseVersions(doc);
  const scsiBusMaxUnit = hw >= 13 ? SCSI_SUPER_WIDE_BUS_MAX_UNIT : SCSI_WIDE_BUS_MAX_UNIT;
  parseGeneral(doc, def);
  parseDevices(doc, ctx, def, scsiBusMaxUnit);
  if (ctx.datacenterPath !== undefined || ctx.moref !== undefined) {
    def.vmware = {
      ...(ctx.datacenterPath === undefined ? {} : { datacenterPath: ctx.datacenterPath }),
      ...(ctx.moref === undefined ? {} : { moref: ctx.moref }),
    };
  }
  parseFirmware(doc, def);
  postParseDomain(def, scsiBusMaxUnit, (m) => new VmxError(m));
  return def;
}
