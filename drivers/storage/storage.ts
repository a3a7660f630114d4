/**
 * The storage driver's facade (libvirt's esxStorageDriver): pools of both backends
 * (datastores first, then iSCSI targets), lookups that return handles, and every volume
 * operation dispatched on the handle's backend. The CLI resolves a selector once and passes
 * the handle on.
 */
import { InvalidInputError, NotFoundError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { parseDatastorePath } from "../util/index.js";
import { parseUuid } from "../vmx/uuid.js";
import { listDatastorePools, refreshDatastorePool } from "./datastore-pools.js";
import {
  cloneDatastoreVolume,
  createDatastoreVolume,
  deleteDatastoreVolume,
  resizeDatastoreVolume,
  wipeDatastoreVolume,
  type ChangeOptions,
} from "./datastore-volume-changes.js";
import { listDatastoreVolumes, lookupDatastoreVolume, volumeKey, volumeNotFound } from "./datastore-volumes.js";
import type { DatastorePool, StoragePool, StorageVolume, VolumeEntry } from "./handles.js";
import { iscsiUnsupported, iscsiVolume, listIscsiPools, refreshIscsiPool } from "./iscsi-backend.js";
import { parseVolumeXml } from "./storage-xml.js";

export type { ChangeOptions } from "./datastore-volume-changes.js";

/** Every pool: the host's datastores, then the static targets of its software iSCSI HBA. */
export async function listPools(conn: Connection, options: CallOptions = {}): Promise<StoragePool[]> {
  return [...(await listDatastorePools(conn, options)), ...(await listIscsiPools(conn, options))];
}

function poolNotFound(what: string, value: string): NotFoundError<"NO_STORAGE_POOL"> {
  return new NotFoundError(`Storage pool not found: no storage pool with matching ${what} '${value}'`, { code: "NO_STORAGE_POOL" });
}

async function findPool(conn: Connection, match: (p: StoragePool) => boolean, options: CallOptions): Promise<StoragePool | undefined> {
  const ds = (await listDatastorePools(conn, options)).find(match);
  if (ds !== undefined) return ds;
  return (await listIscsiPools(conn, options)).find(match);
}

export async function lookupPoolByName(conn: Connection, name: string, options: CallOptions = {}): Promise<StoragePool> {
  const p = await findPool(conn, (x) => x.name === name, options);
  if (p === undefined) throw poolNotFound("name", name);
  return p;
}

export async function lookupPoolByUuid(conn: Connection, uuid: string, options: CallOptions = {}): Promise<StoragePool> {
  const want = parseUuid(uuid);
  const p = want === undefined ? undefined : await findPool(conn, (x) => x.uuid === want, options);
  if (p === undefined) throw poolNotFound("uuid", uuid);
  return p;
}

/** virsh's pool selector: a UUID when it parses as one (and a pool has it), else a name. */
export async function lookupPool(conn: Connection, selector: string, options: CallOptions = {}): Promise<StoragePool> {
  const uuid = parseUuid(selector);
  const p =
    (uuid !== undefined ? await findPool(conn, (x) => x.uuid === uuid, options) : undefined) ??
    (await findPool(conn, (x) => x.name === selector, options));
  if (p === undefined) throw poolNotFound("name", selector);
  return p;
}

/** libvirt's storagePoolRefresh: RefreshDatastore, or RescanHba for an iSCSI target. */
export async function refreshPool(conn: Connection, pool: StoragePool, options: CallOptions = {}): Promise<void> {
  if (pool.kind === "datastore") await refreshDatastorePool(conn, pool, options);
  else await refreshIscsiPool(conn, pool, options);
}

/** libvirt's storagePoolSetAutostart: ESX pools always start with the host; turning that off is refused. */
export function setPoolAutostart(_pool: StoragePool, enabled: boolean): void {
  if (!enabled) throw new InvalidInputError("Cannot deactivate storage pool autostart");
}

/** The volumes of a pool: one search for a datastore, nothing more for an iSCSI target. */
export async function listVolumes(conn: Connection, pool: StoragePool, options: CallOptions = {}): Promise<VolumeEntry[]> {
  if (pool.kind === "datastore") return listDatastoreVolumes(conn.primary, pool, pickCallOptions(options));
  return pool.luns.map((l) => {
    const v = iscsiVolume(pool, l);
    return { name: v.name, path: v.path, type: v.type, format: v.format, capacity: v.capacity, allocation: v.allocation };
  });
}

/** libvirt's storageVolLookupByName. */
export async function lookupVolume(conn: Connection, pool: StoragePool, name: string, options: CallOptions = {}): Promise<StorageVolume> {
  if (pool.kind === "datastore") return lookupDatastoreVolume(conn, pool, name, options);
  const lun = pool.luns.find((l) => l.name === name);
  if (lun === undefined) throw volumeNotFound("name", name);
  return iscsiVolume(pool, lun);
}

/** libvirt's storageVolLookupByPath: "[ds] dir/file" on a datastore, "/…" a LUN's device path. */
export async function lookupVolumeByPath(conn: Connection, path: string, options: CallOptions = {}): Promise<StorageVolume> {
  if (path.startsWith("[")) {
    const p = parseDatastorePath(path);
    const pool = (await listDatastorePools(conn, options)).find((d) => d.name === p.datastore);
    if (pool === undefined) throw volumeNotFound("path", path);
    return lookupDatastoreVolume(conn, pool, p.directoryAndFile, options).catch((e: unknown) => {
      throw e instanceof NotFoundError ? volumeNotFound("path", path) : e;
    });
  }
  if (path.startsWith("/")) {
    for (const pool of await listIscsiPools(conn, options)) {
      const lun = pool.luns.find((l) => l.path === path);
      if (lun !== undefined) return iscsiVolume(pool, lun);
    }
    throw volumeNotFound("path", path);
  }
  throw new InvalidInputError(`Unexpected volume path format: ${path}`);
}

/**
 * libvirt's storageVolLookupByKey: a path-shaped key by path; else a LUN key; else a disk
 * UUID, found as libvirt does: every disk of every datastore, QueryVirtualDiskUuid each.
 */
export async function lookupVolumeByKey(conn: Connection, key: string, options: CallOptions = {}): Promise<StorageVolume> {
  if (key.startsWith("[")) return lookupVolumeByPath(conn, key, options);
  for (const pool of await listIscsiPools(conn, options)) {
    const lun = pool.luns.find((l) => l.key === key);
    if (lun !== undefined) return iscsiVolume(pool, lun);
  }
  const want = parseUuid(key);
  if (want !== undefined) {
    for (const pool of await listDatastorePools(conn, options)) {
      for (const entry of await listDatastoreVolumes(conn.primary, pool, pickCallOptions(options))) {
        if (entry.format !== "vmdk") continue;
        const file = { _typeName: "VmDiskFileInfo" as const, path: entry.name };
        if ((await volumeKey(conn, entry.path, file, options)) === want) return lookupDatastoreVolume(conn, pool, entry.name, options);
      }
    }
  }
  throw volumeNotFound("key", key);
}

function datastorePoolFor(pool: StoragePool, what: string): DatastorePool {
  if (pool.kind === "iscsi") throw iscsiUnsupported(what);
  return pool;
}

/** libvirt's storageVolCreateXML. */
export async function createVolume(conn: Connection, pool: StoragePool, xml: string, options: ChangeOptions = {}): Promise<StorageVolume> {
  const ds = datastorePoolFor(pool, "virStorageVolCreateXML");
  return createDatastoreVolume(conn, ds, parseVolumeXml(xml), options);
}

/** libvirt's storageVolCreateXMLFrom: a copy of `source` named by the XML. */
export async function createVolumeFrom(
  conn: Connection,
  pool: StoragePool,
  xml: string,
  source: StorageVolume,
  options: ChangeOptions = {},
): Promise<StorageVolume> {
  const ds = datastorePoolFor(pool, "virStorageVolCreateXMLFrom");
  if (source.kind === "iscsi") throw iscsiUnsupported("virStorageVolCreateXMLFrom");
  return cloneDatastoreVolume(conn, ds, parseVolumeXml(xml), source, options);
}

export async function deleteVolume(conn: Connection, vol: StorageVolume, options: ChangeOptions = {}): Promise<void> {
  if (vol.kind === "iscsi") throw iscsiUnsupported("virStorageVolDelete");
  await deleteDatastoreVolume(conn, vol, options);
}

export async function wipeVolume(conn: Connection, vol: StorageVolume, options: ChangeOptions = {}): Promise<void> {
  if (vol.kind === "iscsi") throw iscsiUnsupported("virStorageVolWipe");
  await wipeDatastoreVolume(conn, vol, options);
}

export async function resizeVolume(conn: Connection, vol: StorageVolume, capacity: number, options: ChangeOptions = {}): Promise<void> {
  if (vol.kind === "iscsi") throw iscsiUnsupported("virStorageVolResize");
  await resizeDatastoreVolume(conn, vol, capacity, options);
}

/** The volume as it is now (after a change): looked up again by its name in its pool. */
export async function reloadVolume(conn: Connection, vol: StorageVolume, options: CallOptions = {}): Promise<StorageVolume> {
  if (vol.kind === "iscsi") return vol;
  return lookupDatastoreVolume(conn, vol.pool, vol.name, options);
}
