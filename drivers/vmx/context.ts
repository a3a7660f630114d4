/**
 * The conversion context (libvirt's virVMXContext): how file names in a .vmx map to
 * libvirt disk sources and back, SCSI controller model autodetection, and the
 * datacenter path / MoRef that end up in the `vmware:` namespace.
 */
import type { DiskDef } from "./domain-model.js";
import { VmxError } from "./errors.js";

export interface VmxContext {
  /**
   * Maps a file name from a .vmx to a disk source (e.g. "[datastore] dir/file.vmdk").
   * `allowMissing` is true where a missing file is acceptable (CD-ROM images); return
   * undefined then. Throw to reject the file name.
   */
  parseFileName?(fileName: string, allowMissing: boolean): string | undefined;
  /** Maps a disk source back to a .vmx file name. Throw to reject it. */
  formatFileName?(source: string): string;
  /** Returns the SCSI controller model ("lsilogic", "buslogic", ...) a disk needs. */
  autodetectScsiControllerModel?(disk: DiskDef): string;
  datacenterPath?: string;
  moref?: string;
}

/** ctx.parseFileName, or libvirt's error when the context has none. */
export function parseFileName(ctx: VmxContext, fileName: string, allowMissing: boolean): string | undefined {
  if (ctx.parseFileName === undefined) throw new VmxError("The VMX context has no parseFileName function set");
  return ctx.parseFileName(fileName, allowMissing);
}

/** ctx.formatFileName, or libvirt's error when the context has none. */
export function formatFileName(ctx: VmxContext, source: string): string {
  if (ctx.formatFileName === undefined) throw new VmxError("The VMX context has no formatFileName function set");
  return ctx.formatFileName(source);
}
