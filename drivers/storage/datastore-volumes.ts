/**
 * The datastore backend's volumes: disks (.vmdk descriptors), ISO and floppy images on a
 * datastore, listed with one SearchDatastoreSubFolders_Task (nothing per file), looked up by
 * name, path or key, with libvirt's keys (the disk UUID from QueryVirtualDiskUuid, else the
 * path) and sizes (a disk: capacityKb × 1024 and fileSize; an image: fileSize twice).
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import type { Session } from "../../runtime/session.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import { QueryVirtualDiskUuid, SearchDatastoreSubFolders_Task } from "../../generated/storage.js";
import type { AnyFileInfo, AnyFileQuery, HostDatastoreBrowserSearchResults } from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import { finished, lookupFileInfo } from "../datastore/file-info.js";
import { parseDatastorePath, toNumber } from "../util/index.js";
import { mountOf } from "./datastore-pools.js";
import type { DatastorePool, DatastoreVolume, VolumeEntry, VolumeFormat } from "./handles.js";
import { reformatDiskUuid } from "./md5-uuid.js";

/** libvirt's volume queries: disks (with their capacity), ISO and floppy images. */
export const VOLUME_QUERIES: AnyFileQuery[] = [
  {
    _typeName: "VmDiskFileQuery",
    details: { _typeName: "VmDiskFileQueryFlags", diskType: true, capacityKb: true, hardwareVersion: false, thin: true },
  },
  { _typeName: "IsoImageFileQuery" },
  { _typeName: "FloppyImageFileQuery" },
];

function typeOf(file: AnyFileInfo): string {
  return file._wireType ?? file._typeName;
}

export function formatOf(file: AnyFileInfo): VolumeFormat {
  const t = typeOf(file);
  if (t === "VmDiskFileInfo") return "vmdk";
  if (t === "IsoImageFileInfo") return "iso";
  return "raw";
}

export function isDisk(file: AnyFileInfo): boolean {
  return typeOf(file) === "VmDiskFileInfo";
}

/** libvirt's storageVolGetInfo sizes: a disk's capacity and allocated size, else the file size twice. */
export function sizesOf(file: AnyFileInfo): { capacity: number; allocation: number } {
  const size = toNumber(file.fileSize) ?? 0;
  if (file._typeName === "VmDiskFileInfo") return { capacity: (toNumber(file.capacityKb) ?? 0) * 1024, allocation: size };
  return { capacity: size, allocation: size };
}

function isResults(v: unknown): v is HostDatastoreBrowserSearchResults {
  return typeof v === "object" && v !== null && (v as { _typeName?: unknown })._typeName === "HostDatastoreBrowserSearchResults";
}

/** The folder results of a SearchDatastoreSubFolders_Task result (an ArrayOf… value). */
function resultsOf(result: unknown): HostDatastoreBrowserSearchResults[] {
  if (Array.isArray(result)) return result.filter(isResults);
  if (typeof result === "object" && result !== null) {
    for (const v of Object.values(result)) if (Array.isArray(v)) return v.filter(isResults);
  }
  return [];
}

/** "[ds] dir/sub" -> "dir/sub"; "[ds]" -> "". */
function folderOf(folderPath: string | undefined): string {
  if (folderPath === undefined) return "";
  return parseDatastorePath(folderPath).directoryAndFile.replace(/\/+$/, "");
}

/** Every volume of a datastore pool: one SearchDatastoreSubFolders_Task and its result. */
export async function listDatastoreVolumes(session: Session, pool: DatastorePool, options: CallOptions = {}): Promise<VolumeEntry[]> {
  if (pool.browser === undefined) throw new NotFoundError(`Datastore '${pool.name}' has no browser`, { code: "NO_STORAGE_POOL" });
  const task = await SearchDatastoreSubFolders_Task(
    session.client,
    pool.browser,
    {
      datastorePath: `[${pool.name}]`,
      searchSpec: {
        _typeName: "HostDatastoreBrowserSearchSpec",
        query: VOLUME_QUERIES,
        details: { _typeName: "FileQueryFlags", fileType: true, fileSize: true, modification: false, fileOwner: false },
      },
    },
    pickCallOptions(options),
  );
  const info = await finished(session, task, pickCallOptions(options));
  const out: VolumeEntry[] = [];
  for (const folder of resultsOf(info.result)) {
    const dir = folderOf(folder.folderPath);
    for (const file of folder.file ?? []) {
      const name = dir === "" ? file.path : `${dir}/${file.path}`;
      out.push({ name, path: `[${pool.name}] ${name}`, type: "file", format: formatOf(file), ...sizesOf(file) });
    }
  }
  return out;
}

/** libvirt's key of a datastore volume: the disk's UUID, else (or when it has none) the path. */
export async function volumeKey(conn: Connection, path: string, file: AnyFileInfo, options: CallOptions = {}): Promise<string> {
  if (!isDisk(file)) return path;
  const raw = await QueryVirtualDiskUuid(
    conn.primary.client,
    { name: path, datacenter: conn.inventory.datacenter.ref },
    pickCallOptions(options),
  );
  return reformatDiskUuid(raw) ?? path;
}

/** The file of a volume name in a pool, or undefined (SearchDatastore_Task with the name as pattern). */
export async function findVolumeFile(
  conn: Connection,
  pool: DatastorePool,
  name: string,
  options: CallOptions = {},
): Promise<AnyFileInfo | undefined> {
  const file = await lookupFileInfo(conn.primary, [mountOf(pool)], `[${pool.name}] ${name}`, "image", pickCallOptions(options));
  return file === undefined || typeOf(file) === "FileInfo" || typeOf(file) === "FolderFileInfo" ? undefined : file;
}

export function volumeNotFound(what: string, value: string): NotFoundError<"NO_STORAGE_VOL"> {
  return new NotFoundError(`Storage volume not found: no storage vol with matching ${what} '${value}'`, { code: "NO_STORAGE_VOL" });
}

/** libvirt's storageVolLookupByName: the volume `name` ("dir/file") of the pool, with its key. */
export async function lookupDatastoreVolume(
  conn: Connection,
  pool: DatastorePool,
  name: string,
  options: CallOptions = {},
): Promise<DatastoreVolume> {
  const file = await findVolumeFile(conn, pool, name, options);
  if (file === undefined) throw volumeNotFound("name", name);
  return volumeHandle(conn, pool, name, file, options);
}

export async function volumeHandle(
  conn: Connection,
  pool: DatastorePool,
  name: string,
  file: AnyFileInfo,
  options: CallOptions = {},
): Promise<DatastoreVolume> {
  const path = `[${pool.name}] ${name}`;
  const key = await volumeKey(conn, path, file, options);
  return { kind: "datastore", pool, name, path, key, type: "file", format: formatOf(file), ...sizesOf(file), file };
}
