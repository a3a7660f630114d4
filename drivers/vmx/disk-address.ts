/**
 * Drive addresses derived from target names (virDomainDiskDefAssignAddress) with the
 * WIDE_SCSI feature the VMX parser config enables.
 */
import { diskNameToIndex } from "./disk-names.js";
import type { DiskDef, DriveAddress } from "./domain-model.js";

/** Units per SCSI bus including the controller's own unit 7: 16, or 65 from virtualHW 13 on. */
export const SCSI_WIDE_BUS_MAX_UNIT = 16;
export const SCSI_SUPER_WIDE_BUS_MAX_UNIT = 65;

/** The default drive address for a disk's target name, or undefined when there is none. */
export function defaultDriveAddress(disk: Pick<DiskDef, "dst" | "bus">, scsiBusMaxUnit: number): DriveAddress | undefined {
  const idx = diskNameToIndex(disk.dst);
  if (idx < 0) return undefined;
  switch (disk.bus) {
    case "scsi": {
      const perController = scsiBusMaxUnit - 1;
      let unit = idx % perController;
      if (unit >= 7) unit++; // unit 7 is the controller itself
      return { type: "drive", controller: Math.floor(idx / perController), bus: 0, target: 0, unit };
    }
    case "ide":
      return { type: "drive", controller: Math.floor(idx / 4), bus: Math.floor((idx % 4) / 2), target: 0, unit: idx % 2 };
    case "fdc":
      return { type: "drive", controller: Math.floor(idx / 2), bus: 0, target: 0, unit: idx % 2 };
    case "sata":
      return { type: "drive", controller: Math.floor(idx / 6), bus: 0, target: 0, unit: idx % 6 };
    default:
      return undefined;
  }
}
