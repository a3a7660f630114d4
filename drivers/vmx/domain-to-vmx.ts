/**
 * Domain model -> VMX text for a given virtualHW.version (virVMXFormatConfig), line by
 * line in libvirt's order. Disks, NICs and character devices have their own files.
 */
import { escapeHexPercent, escapeHexPipe } from "../util/hex-escape.js";
import type { VmxContext } from "./context.js";
import type { DomainDef, FilesystemDef, GraphicsDef, VideoDef } from "./domain-model.js";
import { VmxError, VmxUnsupportedError } from "./errors.js";
import { formatVmxUuid, ZERO_UUID } from "./uuid.js";
import { formatParallel, formatSerial } from "./vmx-format-chr.js";
import { applyLegacyDriverName, formatDisk, formatFloppy, gatherScsiControllers, verifyDiskAddress } from "./vmx-format-disks.js";
import { formatEthernet } from "./vmx-format-ethernet.js";
import { VmxWriter } from "./vmx-writer.js";

function formatHeader(w: VmxWriter, def: DomainDef, hw: number): void {
  w.line(".encoding", "UTF-8");
  w.line("config.version", "8");
  w.line("virtualHW.version", hw);
  if (def.os.arch === "i686") w.line("guestOS", "other");
  else if (def.os.arch === "x86_64") w.line("guestOS", "other-64");
  else {
    throw new VmxError(`Expecting domain XML attribute 'arch' of entry 'os/type' to be 'i686' or 'x86_64' but found '${def.os.arch}'`);
  }
  const smbios = def.os.smbiosMode;
  if (smbios === "host") w.line("smbios.reflecthost", "true");
  else if (smbios !== undefined && smbios !== "none" && smbios !== "emulate") {
    throw new VmxUnsupportedError(`Unsupported SMBIOS mode '${smbios}'`);
  }
  if (def.uuid === ZERO_UUID) w.line("uuid.action", "create");
  else w.line("uuid.bios", formatVmxUuid(def.uuid));
  w.line("displayName", escapeHexPercent(escapeHexPipe(def.name ?? "")));
  if (def.description !== undefined) w.line("annotation", escapeHexPipe(def.description));
}

function formatMemory(w: VmxWriter, def: DomainDef): void {
  const maxBalloon = Math.ceil(def.memory.total / 4096) * 4096;
  w.line("memsize", maxBalloon / 1024);
  if (def.memory.current < maxBalloon) w.line("sched.mem.max", Math.ceil(def.memory.current / 1024));
  if (def.memory.minGuarantee > 0) w.line("sched.mem.minsize", Math.ceil(def.memory.minGuarantee / 1024));
}

function formatCpus(w: VmxWriter, def: DomainDef): void {
  const { max, current, cpuset } = def.vcpu;
  if (current < max) throw new VmxUnsupportedError("No support for domain XML entry 'vcpu' attribute 'current'");
  if (max === 0) throw new VmxError("Expecting domain XML entry 'vcpu' to be greater than 0");
  w.line("numvcpus", max);
  const cpu = def.cpu;
  if (cpu !== undefined) {
    if (cpu.mode !== "custom") throw new VmxError(`Expecting domain XML CPU mode 'custom' but found '${cpu.mode}'`);
    if (cpu.threads !== 1) throw new VmxUnsupportedError("Only 1 thread per core is supported");
    if (cpu.dies !== 1) throw new VmxUnsupportedError("Only 1 die per socket is supported");
    if (cpu.clusters !== 1) throw new VmxUnsupportedError("Only 1 cluster per die is supported");
    const calculated = cpu.sockets * cpu.cores;
    if (calculated !== max) {
      throw new VmxError(`Expecting domain XML CPU sockets per core as ${max} but found ${calculated}`);
    }
    w.line("cpuid.coresPerSocket", cpu.cores);
  }
  if (cpuset !== undefined) {
    if (cpuset.length < max) {
      throw new VmxError(`Expecting domain XML attribute 'cpuset' of entry 'vcpu' to contain at least ${max} CPU(s)`);
    }
    w.line("sched.cpu.affinity", cpuset.join(","));
  }
  const shares = def.cputuneShares;
  if (shares !== undefined) {
    const level = shares === current * 500 ? "low" : shares === current * 1000 ? "normal" : shares === current * 2000 ? "high" : undefined;
    w.line("sched.cpu.shares", level ?? shares);
  }
}

function formatVnc(w: VmxWriter, g: GraphicsDef): void {
  if (g.type !== "vnc") throw new VmxUnsupportedError(`Unsupported graphics type '${g.type}'`);
  w.line("RemoteDisplay.vnc.enabled", "true");
  // With autoport the port is chosen at start and cannot be written back.
  if (g.autoport !== true) w.line("RemoteDisplay.vnc.port", g.port ?? 0);
  const listen = g.listens[0];
  if (listen?.address !== undefined) w.line("RemoteDisplay.vnc.ip", listen.address);
  if (g.keymap !== undefined) w.line("RemoteDisplay.vnc.keymap", g.keymap);
  if (g.passwd !== undefined) w.line("RemoteDisplay.vnc.password", g.passwd);
}

function formatDisks(w: VmxWriter, def: DomainDef, ctx: VmxContext): boolean {
  for (const disk of def.disks) {
    verifyDiskAddress(disk);
    applyLegacyDriverName(def, disk);
  }
  const scsi = gatherScsiControllers(def, ctx);
  for (let i = 0; i < 4; i++) {
    if (!scsi.has(i)) continue;
    w.line(`scsi${i}.present`, "true");
    const model = scsi.get(i);
    if (model !== undefined) w.line(`scsi${i}.virtualDev`, model);
  }
  const floppies = [false, false];
  for (const disk of def.disks) {
    if (disk.device === "floppy") floppies[formatFloppy(w, ctx, disk)] = true;
    else formatDisk(w, ctx, disk);
  }
  // VMware turns floppy 0 and 1 on by default.
  floppies.forEach((present, unit) => {
    if (!present) w.line(`floppy${unit}.present`, "false");
  });
  return scsi.size > 0;
}

function formatFilesystems(w: VmxWriter, filesystems: readonly FilesystemDef[]): void {
  if (filesystems.length === 0) return;
  w.line("isolation.tools.hgfs.disable", "false");
  w.line("sharedFolder.maxNum", filesystems.length);
  filesystems.forEach((fs, n) => {
    if (fs.type !== "mount") throw new VmxUnsupportedError("Only 'mount' filesystem type is supported");
    const p = `sharedFolder${n}`;
    w.line(`${p}.present`, "true");
    w.line(`${p}.enabled`, "true");
    w.line(`${p}.readAccess`, "true");
    w.line(`${p}.writeAccess`, fs.readonly ? "false" : "true");
    w.line(`${p}.hostPath`, fs.source);
    w.line(`${p}.guestName`, fs.target);
  });
}

function formatSvga(w: VmxWriter, videos: readonly VideoDef[]): void {
  if (videos.length === 0) return;
  if (videos.length > 1) throw new VmxError("No support for multiple video devices");
  const video = videos[0];
  if (video === undefined) return;
  if (video.type !== "vmvga") throw new VmxUnsupportedError(`Unsupported video device type '${video.type}'`);
  // VRAM should be a multiple of 64 KiB for Windows guests.
  const vram = Math.ceil(video.vram / 64) * 64;
  if (video.heads > 1) throw new VmxUnsupportedError("Multi-head video devices are unsupported");
  w.line("svga.vramSize", vram * 1024);
}

function formatPciBridges(w: VmxWriter, hasScsi: boolean, hw: number): void {
  if (hw < 7) return;
  if (hasScsi) {
    w.line("pciBridge0.present", "true");
    for (const n of [4, 5, 6, 7]) {
      w.line(`pciBridge${n}.present`, "true");
      w.line(`pciBridge${n}.virtualDev`, "pcieRootPort");
      w.line(`pciBridge${n}.functions`, "8");
    }
  }
  w.line("vmci0.present", "true");
}

/** Formats a domain as VMX for the given virtualHW.version. The domain is not modified. */
export function domainToVmx(input: DomainDef, ctx: VmxContext, virtualHwVersion: number): string {
  if (ctx.formatFileName === undefined) throw new VmxError("The VMX context has no formatFileName function set");
  if (input.virtType !== "vmware") {
    throw new VmxError(`Expecting virt type to be 'vmware' but found '${input.virtType}'`);
  }
  // Controller models may be filled in (legacy driver names, autodetection): copy them.
  const def: DomainDef = { ...input, controllers: input.controllers.map((c) => ({ ...c })) };
  const w = new VmxWriter();
  formatHeader(w, def, virtualHwVersion);
  formatMemory(w, def);
  formatCpus(w, def);
  def.graphics.forEach((g) => formatVnc(w, g));
  const hasScsi = formatDisks(w, def, ctx);
  formatFilesystems(w, def.filesystems);
  def.nets.forEach((net, i) => formatEthernet(w, net, i, virtualHwVersion));
  formatSvga(w, def.videos);
  def.serials.forEach((s) => formatSerial(w, ctx, s));
  def.parallels.forEach((p) => formatParallel(w, ctx, p));
  if (def.os.firmware === "efi") w.line("firmware", "efi");
  formatPciBridges(w, hasScsi, virtualHwVersion);
  return w.toString();
}
