/**
 * The parts of libvirt's virDomainDefPostParse that matter for VMX domains, applied after
 * both the VMX parser and the domain XML parser: capability checks (hvm guests on i686 or
 * x86_64, domain type vmware), drive addresses, implicit disk controllers, the console
 * that aliases the first serial port and the primary video device.
 */
import { defaultDriveAddress } from "./disk-address.js";
import { isDriveAddress, type ChrDef, type ControllerDef, type DiskBus, type DomainDef } from "./domain-model.js";
import { DomainXmlError } from "./errors.js";
import { EsxviError } from "../../errors/esxvi-error.js";

/** Host capabilities of the converter: hvm guests for these architectures, domain type vmware. */
export const SUPPORTED_ARCHES: readonly string[] = ["i686", "x86_64"];

export function checkCapabilities(def: DomainDef, makeError: (message: string) => EsxviError): void {
  if (def.os.type !== "hvm") {
    throw makeError(`No guest options available for os type '${def.os.type}'`);
  }
  if (!SUPPORTED_ARCHES.includes(def.os.arch)) {
    throw makeError(`No guest options available for arch '${def.os.arch}'`);
  }
  if (def.virtType !== "vmware") {
    throw makeError(`No guest options available for domain type '${def.virtType}' and arch '${def.os.arch}'`);
  }
}

export function assignDiskAddresses(def: DomainDef, scsiBusMaxUnit: number): void {
  for (const disk of def.disks) {
    if (disk.address !== undefined) continue;
    const address = defaultDriveAddress(disk, scsiBusMaxUnit);
    if (address !== undefined) disk.address = address;
  }
}

/**
 * The most controllers of one type a domain may get implicitly: far more than any VMX
 * can hold (4 SCSI, 2 IDE, 4 SATA, 1 floppy), so that an address such as
 * controller='999999999' is refused instead of making a billion controllers.
 */
export const MAX_IMPLICIT_CONTROLLERS = 256;

function addDiskControllers(def: DomainDef, type: string, bus: DiskBus): void {
  let max = -1;
  for (const disk of def.disks) {
    if (disk.bus !== bus || !isDriveAddress(disk.address)) continue;
    if (disk.address.controller > max) max = disk.address.controller;
  }
  if (max >= MAX_IMPLICIT_CONTROLLERS) {
    throw new DomainXmlError(
      `disk address controller index ${max} is out of range for a ${type} controller (at most ${MAX_IMPLICIT_CONTROLLERS - 1})`,
    );
  }
  const present = new Set(def.controllers.filter((c) => c.type === type).map((c) => c.index));
  for (let index = 0; index <= max; index++) {
    if (!present.has(index)) def.controllers.push({ type, index } satisfies ControllerDef);
  }
}

/** virDomainDefAddImplicitControllers for the disk buses, in libvirt's order. */
export function addImplicitControllers(def: DomainDef): void {
  addDiskControllers(def, "scsi", "scsi");
  addDiskControllers(def, "fdc", "fdc");
  addDiskControllers(def, "ide", "ide");
  addDiskControllers(def, "sata", "sata");
}

function sameSource(a: ChrDef, b: ChrDef): boolean {
  return JSON.stringify(a.source) === JSON.stringify(b.source);
}

/** virDomainDefAddConsoleCompat for hvm guests: console[0] aliases serial[0]. */
export function addConsoleCompat(def: DomainDef): void {
  const first = def.consoles[0];
  if (first !== undefined && (first.targetType === "serial" || first.targetType === undefined)) {
    if (def.serials.length === 0) {
      def.serials.push({ source: first.source, port: 0 });
    } else if (def.serials[0] !== undefined && !sameSource(def.serials[0], first)) {
      def.consoles[0] = { source: { type: "null" }, port: 0, targetType: "serial" };
      return;
    }
    def.consoles[0] = { ...first, targetType: "serial" };
    return;
  }
  const serial = def.serials[0];
  if (serial !== undefined && serial.targetType === undefined) {
    def.consoles.unshift({ source: serial.source, port: serial.port, targetType: "serial" });
  }
}

/** Default video type and RAM, the implicit video of graphical domains, the primary flag. */
export function fixVideos(def: DomainDef): void {
  if (def.videos.length === 0 && def.graphics.length > 0) {
    def.videos.push({ type: "vmvga", vram: 4096, heads: 1, primary: false });
  }
  for (const video of def.videos) {
    if (video.type === "default") video.type = "vmvga";
  }
  const first = def.videos[0];
  if (first !== undefined && first.type !== "none") first.primary = true;
}

/** Everything above, in libvirt's order. */
export function postParseDomain(def: DomainDef, scsiBusMaxUnit: number, makeError: (message: string) => EsxviError): void {
  checkCapabilities(def, makeError);
  assignDiskAddresses(def, scsiBusMaxUnit);
  addConsoleCompat(def);
  addImplicitControllers(def);
  fixVideos(def);
}
