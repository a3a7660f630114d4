/**
 * VMX -> domain: disks on SCSI, SATA and IDE buses and floppies (virVMXParseDisk and the
 * controller scans of virVMXParseConfig).
 */
import { parseFileName, type VmxContext } from "./context.js";
import { defaultDriveAddress } from "./disk-address.js";
import { indexToDiskName } from "./disk-names.js";
import { isDriveAddress, type ControllerDef, type DiskBus, type DiskDef, type DiskDevice } from "./domain-model.js";
import { VmxError } from "./errors.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBoolean, vmxEquals, vmxString, vmxValueError } from "./vmx-values.js";

/** VMX SCSI virtualDev values and the libvirt controller model each maps to. */
const SCSI_MODELS: Readonly<Record<string, string>> = {
  buslogic: "buslogic",
  lsilogic: "lsilogic",
  lsisas1068: "lsisas1068",
  pvscsi: "vmpvscsi",
};

export interface DiskScanInput {
  readonly doc: VmxDocument;
  readonly ctx: VmxContext;
  /** 16, or 65 for virtualHW.version >= 13. */
  readonly scsiBusMaxUnit: number;
}

interface DiskKeys {
  readonly prefix: string;
  readonly bus: DiskBus;
  readonly dst: string;
}

function keyOf(keys: DiskKeys, name: string): string {
  return `${keys.prefix}.${name}`;
}

function endsWithCase(text: string, suffix: string): boolean {
  return text.toLowerCase().endsWith(suffix);
}

function unhandled(keys: DiskKeys, fileName: string | undefined, deviceType: string | undefined): VmxError {
  return new VmxError(
    `Invalid or not yet handled value '${fileName ?? "<null>"}' for VMX entry '${keyOf(keys, "fileName")}' ` +
      `for device type '${deviceType ?? "unknown"}'`,
  );
}

function isCdromOnly(fileName: string | undefined, deviceType: string | undefined): boolean {
  return (
    fileName === undefined ||
    endsWithCase(fileName, ".iso") ||
    fileName === "emptyBackingString" ||
    vmxEquals(deviceType, "atapi-cdrom") ||
    vmxEquals(deviceType, "cdrom-raw") ||
    vmxEquals(deviceType, "cdrom-image") ||
    (vmxEquals(deviceType, "scsi-passthru") && fileName.startsWith("/vmfs/devices/cdrom/"))
  );
}

interface DiskEntries {
  deviceType: string | undefined;
  fileType: string | undefined;
  fileName: string | undefined;
  writeThrough: boolean;
  mode: string | undefined;
}

function hardDisk(input: DiskScanInput, keys: DiskKeys, e: DiskEntries): DiskDef | undefined {
  if (isCdromOnly(e.fileName, e.deviceType)) return undefined;
  const fileName = e.fileName ?? "";
  if (!endsWithCase(fileName, ".vmdk")) throw unhandled(keys, e.fileName, e.deviceType);
  if (e.deviceType !== undefined) {
    const expected = keys.bus === "scsi" ? "scsi-hardDisk" : keys.bus === "ide" ? "ata-hardDisk" : undefined;
    if (expected !== undefined && !vmxEquals(e.deviceType, expected) && !vmxEquals(e.deviceType, "disk")) {
      throw vmxValueError(
        input.doc,
        keyOf(keys, "deviceType"),
        `Expecting VMX entry '${keyOf(keys, "deviceType")}' to be '${expected}' or 'disk' but found '${e.deviceType}'`,
      );
    }
  }
  const disk: DiskDef = { type: "file", device: "disk", bus: keys.bus, dst: keys.dst };
  const source = parseFileName(input.ctx, fileName, false);
  if (source !== undefined) disk.source = source;
  if (e.writeThrough) disk.cache = "writethrough";
  if (e.mode !== undefined && vmxEquals(e.mode, "independent-nonpersistent")) disk.transient = true;
  return disk;
}

function expectCdromImage(input: DiskScanInput, keys: DiskKeys, deviceType: string | undefined): void {
  if (deviceType !== undefined && !vmxEquals(deviceType, "cdrom-image")) {
    throw vmxValueError(
      input.doc,
      keyOf(keys, "deviceType"),
      `Expecting VMX entry '${keyOf(keys, "deviceType")}' to be 'cdrom-image' but found '${deviceType}'`,
    );
  }
}

function blockOrAutodetect(disk: DiskDef, fileName: string | undefined): DiskDef {
  if (fileName !== undefined && fileName.toLowerCase() === "auto detect") {
    disk.startupPolicy = "optional";
  } else if (fileName !== undefined) {
    disk.source = fileName;
  }
  return disk;
}

function cdrom(input: DiskScanInput, keys: DiskKeys, e: DiskEntries): DiskDef | undefined {
  const { fileName, deviceType } = e;
  const base = { bus: keys.bus, dst: keys.dst, readonly: true } as const;
  if (fileName !== undefined && endsWithCase(fileName, ".vmdk")) return undefined;
  if (fileName !== undefined && endsWithCase(fileName, ".iso")) {
    expectCdromImage(input, keys, deviceType);
    const disk: DiskDef = { type: "file", device: "cdrom", ...base };
    const source = parseFileName(input.ctx, fileName, true);
    if (source !== undefined) disk.source = source;
    return disk;
  }
  if (vmxEquals(deviceType, "atapi-cdrom")) {
    return blockOrAutodetect({ type: "block", device: "cdrom", ...base }, fileName);
  }
  if (vmxEquals(deviceType, "cdrom-raw")) {
    return blockOrAutodetect({ type: "block", device: "lun", ...base }, fileName);
  }
  if (keys.bus === "scsi" && vmxEquals(deviceType, "scsi-passthru")) {
    if (fileName === undefined || !fileName.startsWith("/vmfs/devices/cdrom/")) return undefined;
    return { type: "block", device: "lun", ...base, source: fileName };
  }
  if (fileName === "" || fileName === "emptyBackingString") {
    expectCdromImage(input, keys, deviceType);
    return { type: "file", device: "cdrom", ...base };
  }
  throw unhandled(keys, fileName, deviceType);
}

function floppy(input: DiskScanInput, keys: DiskKeys, e: DiskEntries): DiskDef {
  if (vmxEquals(e.fileType, "device")) {
    const disk: DiskDef = { type: "block", device: "floppy", bus: "fdc", dst: keys.dst };
    if (e.fileName !== undefined) disk.source = e.fileName;
    return disk;
  }
  if (vmxEquals(e.fileType, "file")) {
    const disk: DiskDef = { type: "file", device: "floppy", bus: "fdc", dst: keys.dst };
    const source = e.fileName === undefined ? undefined : parseFileName(input.ctx, e.fileName, false);
    if (source !== undefined) disk.source = source;
    return disk;
  }
  throw unhandled(keys, e.fileName, e.deviceType);
}

/** Parses one disk slot as `device`; undefined when the slot is empty or belongs to another device kind. */
function parseDisk(input: DiskScanInput, keys: DiskKeys, device: DiskDevice): DiskDef | undefined {
  const { doc } = input;
  const present = vmxBoolean(doc, keyOf(keys, "present"), false);
  vmxBoolean(doc, keyOf(keys, "startConnected"), true); // validated, not representable
  if (!present) return undefined;
  const deviceType = vmxString(doc, keyOf(keys, "deviceType"));
  const clientDevice = vmxBoolean(doc, keyOf(keys, "clientDevice"), false);
  const mode = vmxString(doc, keyOf(keys, "mode"));
  if (clientDevice) return undefined; // client devices are ignored, as libvirt does
  const entries: DiskEntries = {
    deviceType,
    fileType: vmxString(doc, keyOf(keys, "fileType")),
    fileName: vmxString(doc, keyOf(keys, "fileName")),
    writeThrough: vmxBoolean(doc, keyOf(keys, "writeThrough"), false),
    mode,
  };
  const disk =
    device === "disk" ? hardDisk(input, keys, entries) : device === "cdrom" ? cdrom(input, keys, entries) : floppy(input, keys, entries);
  if (disk === undefined) return undefined;
  const address = defaultDriveAddress(disk, input.scsiBusMaxUnit);
  if (address !== undefined) disk.address = address;
  return disk;
}

function parseDiskOrCdrom(input: DiskScanInput, keys: DiskKeys): DiskDef | undefined {
  return parseDisk(input, keys, "disk") ?? parseDisk(input, keys, "cdrom");
}

/** scsiN.present and scsiN.virtualDev; returns undefined when the controller is absent. */
function scsiController(doc: VmxDocument, index: number): { present: boolean; model?: string } {
  const present = vmxBoolean(doc, `scsi${index}.present`, false);
  if (!present) return { present };
  const key = `scsi${index}.virtualDev`;
  const virtualDev = vmxString(doc, key);
  if (virtualDev === undefined) return { present };
  const model = SCSI_MODELS[virtualDev.toLowerCase()];
  if (model === undefined) {
    throw vmxValueError(
      doc,
      key,
      `Expecting VMX entry '${key}' to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'pvscsi' but found '${virtualDev}'`,
    );
  }
  return { present, model };
}

function lastController(disks: readonly DiskDef[]): number {
  const last = disks[disks.length - 1]?.address;
  return isDriveAddress(last) ? last.controller : 0;
}

function scanScsi(input: DiskScanInput, disks: DiskDef[], controllers: ControllerDef[]): void {
  const models: (string | undefined)[] = [];
  for (let controller = 0; controller < 4; controller++) {
    const c = scsiController(input.doc, controller);
    models.push(c.model);
    if (!c.present) continue;
    for (let unit = 0; unit < input.scsiBusMaxUnit; unit++) {
      if (unit === 7) continue; // the controller's own unit
      const dst = indexToDiskName(controller * 15 + (unit < 7 ? unit : unit - 1), "sd");
      const disk = parseDiskOrCdrom(input, { prefix: `scsi${controller}:${unit}`, bus: "scsi", dst });
      if (disk !== undefined) disks.push(disk);
    }
  }
  if (disks.length === 0) return;
  for (let controller = 0; controller <= lastController(disks); controller++) {
    const def: ControllerDef = { type: "scsi", index: controller };
    const model = models[controller];
    if (model !== undefined) def.model = model;
    controllers.push(def);
  }
}

function scanSata(input: DiskScanInput, disks: DiskDef[], controllers: ControllerDef[]): void {
  const before = disks.length;
  for (let controller = 0; controller < 4; controller++) {
    if (!vmxBoolean(input.doc, `sata${controller}.present`, false)) continue;
    for (let unit = 0; unit < 30; unit++) {
      const dst = indexToDiskName(controller * 30 + unit, "sd");
      const disk = parseDiskOrCdrom(input, { prefix: `sata${controller}:${unit}`, bus: "sata", dst });
      if (disk !== undefined) disks.push(disk);
    }
  }
  if (disks.length === before) return;
  for (let controller = 0; controller <= lastController(disks); controller++) {
    controllers.push({ type: "sata", index: controller });
  }
}

function scanIde(input: DiskScanInput, disks: DiskDef[]): void {
  for (let bus = 0; bus < 2; bus++) {
    for (let unit = 0; unit < 2; unit++) {
      const dst = indexToDiskName(bus * 2 + unit, "hd");
      const disk = parseDiskOrCdrom(input, { prefix: `ide${bus}:${unit}`, bus: "ide", dst });
      if (disk !== undefined) disks.push(disk);
    }
  }
}

function scanFloppies(input: DiskScanInput, disks: DiskDef[]): void {
  for (let unit = 0; unit < 2; unit++) {
    const dst = indexToDiskName(unit, "fd");
    const disk = parseDisk(input, { prefix: `floppy${unit}`, bus: "fdc", dst }, "floppy");
    if (disk !== undefined) disks.push(disk);
  }
}

/** All disks of a .vmx in libvirt's order, plus the SCSI and SATA controllers they need. */
export function parseVmxDisks(input: DiskScanInput): { disks: DiskDef[]; controllers: ControllerDef[] } {
  const disks: DiskDef[] = [];
  const controllers: ControllerDef[] = [];
  scanScsi(input, disks, controllers);
  scanSata(input, disks, controllers);
  scanIde(input, disks);
  scanFloppies(input, disks);
  return { disks, controllers };
}
