/**
 * Domain -> VMX: disk address checks, SCSI controller models and the disk lines
 * (virVMXVerifyDiskAddress, virVMXHandleLegacySCSIDiskDriverName,
 * virVMXGatherSCSIControllers, virVMXFormatDisk, virVMXFormatFloppy).
 */
import { formatFileName, type VmxContext } from "./context.js";
import { defaultDriveAddress, SCSI_WIDE_BUS_MAX_UNIT } from "./disk-address.js";
import { diskNameToIndex } from "./disk-names.js";
import { isDriveAddress, SCSI_CONTROLLER_MODELS, type ControllerDef, type DiskDef, type DomainDef } from "./domain-model.js";
import { VmxError, VmxUnsupportedError } from "./errors.js";
import type { VmxWriter } from "./vmx-writer.js";

/** Models a VMX scsiN.virtualDev can express, and how it is written. */
const VMX_SCSI_MODELS: Readonly<Record<string, string>> = {
  buslogic: "buslogic",
  lsilogic: "lsilogic",
  lsisas1068: "lsisas1068",
  vmpvscsi: "pvscsi",
};

interface Range {
  readonly bus: string;
  readonly controller: readonly [number, number];
  readonly bus_: readonly [number, number];
  readonly units: (unit: number) => boolean;
  readonly unitText: string;
}

const RANGES: Readonly<Record<string, Range>> = {
  scsi: { bus: "SCSI", controller: [0, 3], bus_: [0, 0], units: (u) => u <= 15 && u !== 7, unitText: "0..6,8..15" },
  ide: { bus: "IDE", controller: [0, 0], bus_: [0, 1], units: (u) => u <= 1, unitText: "0..1" },
  fdc: { bus: "FDC", controller: [0, 0], bus_: [0, 1 - 1], units: (u) => u <= 1, unitText: "0..1" },
};

function rangeText(r: readonly [number, number]): string {
  return r[0] === r[1] ? `${r[0]}` : `${r[0]}..${r[1]}`;
}

/** virVMXVerifyDiskAddress. */
export function verifyDiskAddress(disk: DiskDef): void {
  const address = disk.address;
  if (!isDriveAddress(address)) {
    throw new VmxUnsupportedError(`Unsupported disk address type '${address?.type ?? "none"}' for disk '${disk.dst}'`);
  }
  const expected = defaultDriveAddress(disk, SCSI_WIDE_BUS_MAX_UNIT);
  if (expected === undefined && diskNameToIndex(disk.dst) < 0) {
    throw new VmxError(`Could not verify disk address of '${disk.dst}'`);
  }
  if (
    expected !== undefined &&
    (expected.controller !== address.controller || expected.bus !== address.bus || expected.unit !== address.unit)
  ) {
    throw new VmxError(`Disk address ${address.controller}:${address.bus}:${address.unit} doesn't match target device '${disk.dst}'`);
  }
  const r = RANGES[disk.bus];
  if (r === undefined) throw new VmxUnsupportedError(`Unsupported bus type '${disk.bus}'`);
  if (address.controller < r.controller[0] || address.controller > r.controller[1]) {
    throw new VmxError(`${r.bus} controller index ${address.controller} out of [${rangeText(r.controller)}] range`);
  }
  if (address.bus < r.bus_[0] || address.bus > r.bus_[1]) {
    throw new VmxError(`${r.bus} bus index ${address.bus} out of [${rangeText(r.bus_)}] range`);
  }
  if (!r.units(address.unit)) {
    throw new VmxError(`${r.bus} unit index ${address.unit} out of [${r.unitText}] range`);
  }
}

/** A SCSI disk's `<driver name>` names its controller's model (old libvirt XML). */
export function applyLegacyDriverName(def: DomainDef, disk: DiskDef): void {
  if (disk.bus !== "scsi" || disk.driverName === undefined) return;
  const model = disk.driverName.toLowerCase();
  if (!SCSI_CONTROLLER_MODELS.includes(model)) throw new VmxError(`Unknown driver name '${disk.driverName}'`);
  const index = isDriveAddress(disk.address) ? disk.address.controller : 0;
  const controller = def.controllers.find((c) => c.index === index);
  if (controller === undefined) throw new VmxError(`Missing SCSI controller for index ${index}`);
  if (controller.model === undefined) controller.model = model;
  else if (controller.model !== model) {
    throw new VmxError(
      `Inconsistent SCSI controller model ('${disk.driverName}' is not '${controller.model}') for SCSI controller index ${controller.index}`,
    );
  }
}

function disksOn(def: DomainDef, controller: ControllerDef): DiskDef[] {
  return def.disks.filter((d) => d.bus === "scsi" && isDriveAddress(d.address) && d.address.controller === controller.index);
}

function autodetect(ctx: VmxContext, controller: ControllerDef, disks: readonly DiskDef[]): void {
  const detect = ctx.autodetectScsiControllerModel;
  if (controller.model !== "auto" || detect === undefined) return;
  const models = disks.map((d) => detect(d));
  if (models.some((m) => m !== models[0])) {
    throw new VmxError(`Disks on SCSI controller ${controller.index} have inconsistent controller models, cannot autodetect model`);
  }
  if (models[0] !== undefined) controller.model = models[0];
}

/** virVMXGatherSCSIControllers: the present SCSI controllers (index -> model or undefined). */
export function gatherScsiControllers(def: DomainDef, ctx: VmxContext): Map<number, string | undefined> {
  const present = new Map<number, string | undefined>();
  for (const controller of def.controllers) {
    if (controller.type !== "scsi") continue;
    const disks = disksOn(def, controller);
    if (disks.length === 0) continue;
    autodetect(ctx, controller, disks);
    if (controller.model !== undefined && VMX_SCSI_MODELS[controller.model] === undefined) {
      throw new VmxError(
        `Expecting domain XML attribute 'model' of entry 'controller' to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'vmpvscsi' but found '${controller.model}'`,
      );
    }
    present.set(controller.index, controller.model === undefined ? undefined : VMX_SCSI_MODELS[controller.model]);
  }
  return present;
}

/** Controller/bus and unit of a SCSI or IDE disk, from its target name. */
function slotOf(disk: DiskDef): { prefix: string; unit: number } {
  const idx = diskNameToIndex(disk.dst);
  if (disk.bus === "scsi") {
    if (!disk.dst.startsWith("sd")) {
      throw new VmxError("Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with 'sd'");
    }
    if (idx < 0) throw new VmxError(`Could not parse valid disk index from '${disk.dst}'`);
    if (idx >= 4 * 15) throw new VmxError(`SCSI disk index (parsed from '${disk.dst}') is too large`);
    const unit = idx % 15;
    return { prefix: `scsi${Math.floor(idx / 15)}`, unit: unit >= 7 ? unit + 1 : unit };
  }
  if (disk.bus === "ide") {
    if (!disk.dst.startsWith("hd")) {
      throw new VmxError("Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with 'hd'");
    }
    if (idx < 0) throw new VmxError(`Could not parse valid disk index from '${disk.dst}'`);
    if (idx >= 4) throw new VmxError(`IDE disk index (parsed from '${disk.dst}') is too large`);
    return { prefix: `ide${Math.floor(idx / 2)}`, unit: idx % 2 };
  }
  throw new VmxUnsupportedError(`Unsupported bus type '${disk.bus}' for ${disk.device}`);
}

function vmxDeviceType(disk: DiskDef): string {
  if (disk.device === "disk" && disk.type === "file") return disk.bus === "scsi" ? "scsi-hardDisk" : "ata-hardDisk";
  if (disk.device === "cdrom") return disk.type === "file" ? "cdrom-image" : "atapi-cdrom";
  if (disk.device === "lun") {
    return disk.bus === "scsi" && disk.source?.startsWith("/vmfs/devices/cdrom/") === true ? "scsi-passthru" : "cdrom-raw";
  }
  throw new VmxUnsupportedError(`${disk.bus} ${disk.device} '${disk.dst}' has an unsupported type '${disk.type}'`);
}

function fileNameOf(ctx: VmxContext, disk: DiskDef): string {
  const ext = disk.device === "disk" ? ".vmdk" : ".iso";
  if (disk.source !== undefined) {
    if (!disk.source.toLowerCase().endsWith(ext)) {
      throw new VmxError(`Image file for ${disk.bus} ${disk.device} '${disk.dst}' has unsupported suffix, expecting '${ext}'`);
    }
    return formatFileName(ctx, disk.source);
  }
  if (disk.device === "cdrom") return "emptyBackingString";
  throw new VmxError(`${disk.bus} ${disk.device} '${disk.dst}' has no source file`);
}

/** virVMXFormatDisk for disk, cdrom and lun devices on SCSI or IDE. */
export function formatDisk(w: VmxWriter, ctx: VmxContext, disk: DiskDef): void {
  if (disk.type !== "file" && disk.type !== "block") {
    throw new VmxUnsupportedError(
      `${disk.bus} ${disk.device} '${disk.dst}' has unsupported type '${disk.type}', expecting 'file' or 'block'`,
    );
  }
  const { prefix, unit } = slotOf(disk);
  const key = `${prefix}:${unit}`;
  const deviceType = vmxDeviceType(disk);
  w.line(`${key}.present`, "true");
  w.line(`${key}.deviceType`, deviceType);
  if (disk.type === "file") {
    w.line(`${key}.fileName`, fileNameOf(ctx, disk));
  } else if (disk.source === undefined && disk.startupPolicy === "optional") {
    w.line(`${key}.autodetect`, "true");
    w.line(`${key}.fileName`, "auto detect");
  } else if (disk.source !== undefined) {
    // libvirt writes "(null)" here; leaving the line out means the same: no device.
    w.line(`${key}.fileName`, disk.source);
  }
  if (disk.bus === "scsi") {
    if (disk.cache === "writethrough") w.line(`${key}.writeThrough`, "true");
    else if (disk.cache !== undefined && disk.cache !== "default") {
      throw new VmxUnsupportedError(`${disk.bus} harddisk '${disk.dst}' has unsupported cache mode '${disk.cache}'`);
    }
  }
  if (disk.transient === true) w.line(`${key}.mode`, "independent-nonpersistent");
}

/** virVMXFormatFloppy; returns the floppy unit it wrote. */
export function formatFloppy(w: VmxWriter, ctx: VmxContext, disk: DiskDef): number {
  if (!disk.dst.startsWith("fd")) {
    throw new VmxError("Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with 'fd'");
  }
  const unit = diskNameToIndex(disk.dst);
  if (unit < 0) throw new VmxError(`Could not parse valid disk index from '${disk.dst}'`);
  if (unit >= 2) throw new VmxError(`Floppy disk index (parsed from '${disk.dst}') is too large`);
  w.line(`floppy${unit}.present`, "true");
  if (disk.type === "file") {
    w.line(`floppy${unit}.fileType`, "file");
    if (disk.source !== undefined) w.line(`floppy${unit}.fileName`, formatFileName(ctx, disk.source));
  } else if (disk.type === "block") {
    w.line(`floppy${unit}.fileType`, "device");
    if (disk.source !== undefined) w.line(`floppy${unit}.fileName`, disk.source);
  } else {
    throw new VmxUnsupportedError(`Floppy '${disk.dst}' has unsupported type '${disk.type}', expecting 'file' or 'block'`);
  }
  return unit;
}
