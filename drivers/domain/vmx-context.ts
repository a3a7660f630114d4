/**
 * The VMX converter's context for a connection (libvirt's esxParseVMXFileName,
 * esxFormatVMXFileName and esxAutodetectSCSIControllerModel with their esxVMX_Data), and
 * its offline counterpart for domxml-from/to-native without a connection.
 *
 * The converter's callbacks are synchronous, so what they need from the server is fetched
 * first: the host's datastores (one retrieval, and only when a file name needs them) and,
 * for SCSI controllers of model 'auto', each disk's controller type (datastore browser).
 * Offline, file names map as in libvirt's test harness: "/vmfs/volumes/<ds>/<path>" <->
 * "[<ds>] <path>", other absolute paths stay, names without a directory land in "[?] ?".
 */
import { InternalError } from "../../errors/esxvi-error.js";
import type { ProductLine } from "../../runtime/session.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import {
  findDatastoreByAbsolutePath,
  findDatastoreByName,
  lookupDatastores,
  requireDatastoreByName,
  type DatastoreMount,
} from "../datastore/datastores.js";
import { lookupFileInfo } from "../datastore/file-info.js";
import { parseDatastorePath } from "../util/index.js";
import { isDriveAddress } from "../vmx/domain-model.js";
import { VmxError, type DiskDef, type DomainDef, type VmxContext, type VmxDocument } from "../vmx/index.js";

/** libvirt's folder for file names without a directory when the .vmx has no location (domxml-from-native). */
export const UNKNOWN_VMX_FOLDER = "[?] ?";

const VOLUMES = "/vmfs/volumes/";

/** "[ds] dir" + "file" -> "[ds] dir/file"; a .vmx in the datastore's root folder gives "[ds] file". */
function inFolder(folder: string, fileName: string): string {
  return folder.endsWith("]") ? `${folder} ${fileName}` : `${folder}/${fileName}`;
}

/**
 * esxParseVMXFileName. `datastores` undefined = offline: a "/vmfs/volumes/<ds>/<path>" name
 * is taken at its word, nothing else is known.
 */
export function parseVmxFileName(
  datastores: readonly DatastoreMount[] | undefined,
  vmxFolder: string,
  fileName: string,
  allowMissing: boolean,
): string | undefined {
  if (!fileName.includes("/") && !fileName.includes("\\")) return inFolder(vmxFolder, fileName);
  const mounted = datastores === undefined ? undefined : findDatastoreByAbsolutePath(datastores, fileName);
  if (mounted !== undefined) {
    const rest = mounted.rest.replace(/^[/\\]+/, "").replace(/\\/g, "/");
    return `[${mounted.datastore.name}] ${rest}`;
  }
  if (fileName.startsWith(VOLUMES)) {
    // strtok: the datastore is the first non-empty "/"-separated item, the path the rest.
    const m = /^\/*([^/]+)\/(.+)$/.exec(fileName.slice(VOLUMES.length));
    if (m === null) throw new VmxError(`File name '${fileName}' doesn't have expected format '/vmfs/volumes/<datastore>/<path>'`);
    const [, name = "", path = ""] = m;
    if (datastores !== undefined && findDatastoreByName(datastores, name) === undefined) {
      if (allowMissing) return undefined;
      throw new VmxError(`File name '${fileName}' refers to non-existing datastore '${name}'`);
    }
    return `[${name}] ${path}`;
  }
  if (fileName.startsWith("/")) return fileName;
  throw new VmxError(`Could not handle file name '${fileName}'`);
}

/** esxFormatVMXFileName. `datastores` undefined = offline: "[ds] path" -> "/vmfs/volumes/ds/path". */
export function formatVmxFileName(datastores: readonly DatastoreMount[] | undefined, source: string): string {
  if (source.startsWith("[")) {
    const p = parseDatastorePath(source);
    if (datastores === undefined) return `${VOLUMES}${p.datastore}/${p.directoryAndFile}`;
    const ds = requireDatastoreByName(datastores, p.datastore);
    const mount = ds.mountPath;
    if (mount === undefined || mount === "") throw new InternalError(`Could not lookup host mount of datastore '${ds.name}'`);
    const separator = mount.includes("\\") ? "\\" : "/";
    let end = mount.length;
    while (end > 0 && mount[end - 1] === separator) end--;
    const path = separator === "/" ? p.directoryAndFile : p.directoryAndFile.replace(/\//g, separator);
    return `${mount.slice(0, end)}${separator}${path}`;
  }
  if (source.startsWith("/")) return source;
  throw new VmxError(`Could not handle file name '${source}'`);
}

/** The vmware: namespace data dumpxml adds. */
export interface VmxIdentity {
  readonly datacenterPath?: string;
  readonly moref?: string;
}

/** A context for VMX -> domain: file names relative to `vmxFolder` ("[ds] dir"). */
export function parseContext(datastores: readonly DatastoreMount[] | undefined, vmxFolder: string, identity: VmxIdentity = {}): VmxContext {
  return {
    parseFileName: (fileName, allowMissing) => parseVmxFileName(datastores, vmxFolder, fileName, allowMissing),
    ...(identity.datacenterPath !== undefined ? { datacenterPath: identity.datacenterPath } : {}),
    ...(identity.moref !== undefined ? { moref: identity.moref } : {}),
  };
}

/** A disk libvirt can autodetect a controller model from: a file-based SCSI hard disk on a datastore. */
function detectable(disk: DiskDef): disk is DiskDef & { source: string } {
  return disk.device === "disk" && disk.bus === "scsi" && disk.type === "file" && disk.source !== undefined && disk.source.startsWith("[");
}

/**
 * A context for domain -> VMX. `scsiModels` maps disk sources to the controller model the
 * datastore reports for them; without it (offline) a controller of model 'auto' is an error.
 */
export function formatContext(datastores: readonly DatastoreMount[] | undefined, scsiModels?: ReadonlyMap<string, string>): VmxContext {
  return {
    formatFileName: (source) => formatVmxFileName(datastores, source),
    autodetectScsiControllerModel: (disk) => {
      if (scsiModels === undefined) {
        throw new VmxError(
          `Cannot autodetect the SCSI controller model of disk '${disk.dst}' without a connection: give the controller a model`,
        );
      }
      const model = detectable(disk) ? scsiModels.get(disk.source) : undefined;
      if (model === undefined) {
        throw new VmxError(`Cannot autodetect the SCSI controller model from disk '${disk.dst}': it is not a file on a datastore`);
      }
      return model;
    },
  };
}

/** VmDiskFileInfo.controllerType -> libvirt's SCSI controller model. */
const CONTROLLER_MODELS: Readonly<Record<string, string>> = {
  virtualbuslogiccontroller: "buslogic",
  virtuallsilogiccontroller: "lsilogic",
  virtuallsilogicsascontroller: "lsisas1068",
  paravirtualscsicontroller: "vmpvscsi",
};

/** The disks whose controller model must be autodetected (SCSI controllers of model 'auto'). */
function disksToDetect(def: DomainDef): (DiskDef & { source: string })[] {
  const auto = new Set(def.controllers.filter((c) => c.type === "scsi" && c.model === "auto").map((c) => c.index));
  return def.disks.filter(
    (d): d is DiskDef & { source: string } => detectable(d) && isDriveAddress(d.address) && auto.has(d.address.controller),
  );
}

/** Whether any file name in the .vmx has a directory part (and so needs the datastore list). */
function needsDatastores(doc: VmxDocument): boolean {
  return doc.entries.some((e) => e.key.toLowerCase().endsWith(".filename") && (e.value.includes("/") || e.value.includes("\\")));
}

/** esxParseVMXFileName's context on a connection; the datastores are read only when a file name needs them. */
export async function connectionParseContext(
  conn: Connection,
  doc: VmxDocument,
  vmxFolder: string,
  identity: VmxIdentity = {},
  options: CallOptions = {},
): Promise<VmxContext> {
  const datastores = needsDatastores(doc) ? await lookupDatastores(conn.primary, conn.inventory.hostSystem.ref, options) : [];
  return parseContext(datastores, vmxFolder, identity);
}

export interface ConnectionFormatContext {
  readonly ctx: VmxContext;
  /** The host's datastores (define needs them again). */
  readonly datastores: readonly DatastoreMount[];
}

/**
 * esxFormatVMXFileName and esxAutodetectSCSIControllerModel on a connection: one retrieval
 * of the datastores, plus one datastore search per disk on a SCSI controller of model 'auto'.
 */
export async function connectionFormatContext(
  conn: Connection,
  def: DomainDef,
  options: CallOptions = {},
): Promise<ConnectionFormatContext> {
  const datastores = await lookupDatastores(conn.primary, conn.inventory.hostSystem.ref, options);
  const models = new Map<string, string>();
  for (const disk of disksToDetect(def)) {
    if (models.has(disk.source)) continue;
    const info = await lookupFileInfo(conn.primary, datastores, disk.source, "image", options);
    if (info === undefined) throw new InternalError(`Could not lookup file info for '${disk.source}': it does not exist`);
    const type = info._typeName === "VmDiskFileInfo" ? info.controllerType : undefined;
    if (type === undefined) throw new InternalError(`Could not lookup controller model for '${disk.source}'`);
    const model = CONTROLLER_MODELS[type.toLowerCase()];
    if (model === undefined) throw new InternalError(`Found unexpected controller model '${type}' for disk '${disk.source}'`);
    models.set(disk.source, model);
  }
  return { ctx: formatContext(datastores, models), datastores };
}

/**
 * libvirt's esxVI_ProductVersionToDefaultVirtualHWVersion: the virtualHW.version of a VMX
 * written for this server (GSX 7; ESX/VPX 3.x/2.x 4, 4.x 7, 5.0-5.1 9, 5.5 10, 6.x 10,
 * anything newer 8, as libvirt 11.3.0 maps it).
 */
export function defaultVirtualHwVersion(productLine: ProductLine, productVersion: number): number {
  if (productLine === "gsx") return 7;
  const major = Math.floor(productVersion / 1_000_000);
  const minor = Math.floor(productVersion / 1_000) % 1_000;
  if (major === 3 && productLine === "esx") return 4;
  if (major === 2 && productLine === "vpx") return 4;
  if (major === 4) return 7;
  if (major === 5) return minor < 5 ? 9 : 10;
  if (major === 6) return 10;
  return 8;
}
