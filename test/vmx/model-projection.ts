/**
 * The part of a domain model that a .vmx file can carry, normalised the way the VMX
 * formatter interprets it. Two models with equal projections give the same VMX.
 * Not carried: genid, secure-boot features, boot order, machine, inputs, memballoon,
 * video heads, the vmware namespace, driver names (folded into controller models) and
 * MAC type/check when they follow from the VMware MAC ranges.
 */
import { diskNameToIndex } from "../../drivers/vmx/disk-names.js";
import type { DiskDef, DomainDef, NetDef } from "../../drivers/vmx/domain-model.js";
import { isDriveAddress } from "../../drivers/vmx/domain-model.js";

function effectiveMac(net: NetDef): { type: string; check: boolean | undefined } {
  const b = net.mac.split(":").map((x) => parseInt(x, 16));
  const prefix = ((b[0] ?? 0) << 16) | ((b[1] ?? 0) << 8) | (b[2] ?? 0);
  const suffix = ((b[3] ?? 0) << 16) | ((b[4] ?? 0) << 8) | (b[5] ?? 0);
  let type = "static";
  let check: boolean | undefined;
  if (prefix === 0x000c29) type = "generated";
  else if (prefix === 0x005056 && suffix <= 0x3fffff) type = "static";
  else if (prefix === 0x005056 && suffix >= 0x800000 && suffix <= 0xbfffff) type = "generated";
  else check = false;
  if (net.macType !== undefined) {
    type = net.macType;
    if (type === "generated") check = undefined;
  }
  if (net.macCheck !== undefined) check = net.macCheck;
  return { type, check };
}

function scsiModels(def: DomainDef): Record<number, string | undefined> {
  const models: Record<number, string | undefined> = {};
  for (const c of def.controllers) if (c.type === "scsi") models[c.index] = c.model === "auto" ? "lsilogic" : c.model;
  for (const d of def.disks) {
    if (d.bus === "scsi" && d.driverName !== undefined && isDriveAddress(d.address)) {
      models[d.address.controller] ??= d.driverName.toLowerCase();
    }
  }
  const used = new Set(
    def.disks.filter((d) => d.bus === "scsi" && isDriveAddress(d.address)).map((d) => (d.address as { controller: number }).controller),
  );
  const out: Record<number, string | undefined> = {};
  for (const i of [...used].sort()) out[i] = models[i];
  return out;
}

const BUS_RANK: Readonly<Record<string, number>> = { scsi: 0, sata: 1, ide: 2, fdc: 3 };

function byVmxSlot(a: DiskDef, b: DiskDef): number {
  const rank = (BUS_RANK[a.bus] ?? 9) - (BUS_RANK[b.bus] ?? 9);
  return rank !== 0 ? rank : diskNameToIndex(a.dst) - diskNameToIndex(b.dst);
}

export function vmxProjection(def: DomainDef): unknown {
  const roundMiB = (kib: number): number => Math.ceil(kib / 1024);
  const total = Math.ceil(def.memory.total / 4096) * 4096;
  return {
    name: def.name,
    uuid: def.uuid,
    description: def.description,
    memory: { total, current: Math.min(roundMiB(def.memory.current) * 1024, total), min: roundMiB(def.memory.minGuarantee) },
    vcpu: { max: def.vcpu.max, cpuset: def.vcpu.cpuset },
    shares: def.cputuneShares,
    arch: def.os.arch,
    smbios: def.os.smbiosMode === "host" ? "host" : undefined,
    firmware: def.os.firmware === "efi" ? "efi" : undefined,
    cores: def.cpu?.cores,
    graphics: def.graphics.map((g) => ({
      type: g.type,
      port: g.autoport === true ? undefined : g.port,
      listen: g.listens[0]?.address,
      keymap: g.keymap,
      passwd: g.passwd,
    })),
    scsiControllers: scsiModels(def),
    // VMX has no disk order of its own: slots are read SCSI, SATA, IDE, floppy.
    disks: [...def.disks].sort(byVmxSlot).map((d) => ({
      type: d.type,
      device: d.device,
      bus: d.bus,
      dst: d.dst,
      source: d.source,
      autodetect: d.source === undefined && d.type === "block" ? d.startupPolicy : undefined,
      writethrough: d.bus === "scsi" && d.cache === "writethrough",
      transient: d.transient === true,
    })),
    filesystems: def.filesystems,
    nets: def.nets.map((n) => {
      const mac = effectiveMac(n);
      return {
        type: n.type,
        mac: n.mac,
        macType: mac.type,
        check: mac.check,
        model: n.model,
        bridge: n.bridge,
        ifname: n.ifname,
        vds: n.vds,
      };
    }),
    // A VM always has an SVGA device: no <video> means the 4 MiB default.
    videos:
      def.videos.length === 0
        ? [{ type: "vmvga", vram: 4096 }]
        : def.videos.map((v) => ({ type: v.type, vram: Math.ceil(v.vram / 64) * 64 })),
    serials: def.serials.map((s) => ({ port: s.port, source: s.source })),
    parallels: def.parallels.map((p) => ({ port: p.port, source: p.source })),
  };
}
