/**
 * Changes to datastore volumes with libvirt's rules (esxStorageVolCreateXML and friends):
 * a new disk is named "<directory>/<file>.vmdk", format vmdk, thin (allocation 0) or
 * preallocated (allocation = capacity), directory and file escaped as datastore items,
 * the directory made when missing; clone = CopyVirtualDisk_Task, delete, wipe (zero fill),
 * resize (ExtendVirtualDisk_Task, beyond libvirt). Everything is validated before the first
 * change, and a directory made for a disk that then failed is removed again.
 */
import { InvalidInputError, OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import {
  CopyVirtualDisk_Task,
  CreateVirtualDisk_Task,
  DeleteDatastoreFile_Task,
  DeleteVirtualDisk_Task,
  ExtendVirtualDisk_Task,
  MakeDirectory,
  ZeroFillVirtualDisk_Task,
} from "../../generated/storage.js";
import type { Connection } from "../connection/connection.js";
import { lookupFileInfo } from "../datastore/file-info.js";
import { escapeDatastoreItem } from "../util/index.js";
import { mountOf } from "./datastore-pools.js";
import { findVolumeFile, lookupDatastoreVolume } from "./datastore-volumes.js";
import type { DatastorePool, DatastoreVolume } from "./handles.js";
import type { VolumeSpec } from "./storage-xml.js";

export interface ChangeOptions extends CallOptions {
  /** Task progress (0–100). */
  readonly onProgress?: (percent: number) => void;
}

async function runTask(conn: Connection, task: Promise<MoRef<"Task">>, options: ChangeOptions) {
  const ref = await task;
  return waitForTask(conn.primary, ref, {
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: (p: number) => options.onProgress?.(p) } : {}),
    logger: conn.logger,
  });
}

/** A new disk's place: the escaped directory and file, and its datastore path. */
export interface NewDisk {
  readonly directory: string;
  readonly name: string;
  readonly path: string;
  readonly diskType: "thin" | "preallocated";
}

/**
 * libvirt's checks of a volume definition for a new disk in `pool`, in its order, and the
 * escaped name the disk gets. Throws before anything is changed.
 */
export function planNewDisk(pool: DatastorePool, spec: VolumeSpec, forClone = false): NewDisk {
  if (spec.type !== "file") throw new UnsupportedError("Creating non-file volumes is not supported");
  const slash = spec.name.lastIndexOf("/");
  if (slash <= 0 || slash === spec.name.length - 1)
    throw new InvalidInputError(`Volume name '${spec.name}' doesn't have expected format '<directory>/<file>'`);
  const dir = spec.name.slice(0, slash);
  const file = spec.name.slice(slash + 1);
  if (!file.endsWith(".vmdk")) throw new InvalidInputError(`Volume name '${spec.name}' has unsupported suffix, expecting '.vmdk'`);
  const format = spec.format === "" ? "raw" : spec.format;
  if (format !== "vmdk") throw new UnsupportedError(`Creation of ${format} volumes is not supported`);
  let diskType: NewDisk["diskType"] = "thin";
  if (!forClone) {
    if (spec.allocation === spec.capacity) diskType = "preallocated";
    else if (spec.allocation === 0) diskType = "thin";
    else throw new UnsupportedError("Unsupported capacity-to-allocation relation");
  }
  const directory = escapeDatastoreItem(dir);
  const name = `${directory}/${escapeDatastoreItem(file.slice(0, -".vmdk".length))}.vmdk`;
  return { directory, name, path: `[${pool.name}] ${name}`, diskType };
}

function exists(name: string): OperationInvalidError {
  return new OperationInvalidError(`storage volume '${name}' already exists`);
}

/**
 * Makes the directory when it is missing; returns an undo that removes it again (a no-op
 * when it was there before).
 */
async function ensureDirectory(conn: Connection, pool: DatastorePool, directory: string, options: ChangeOptions) {
  const where = `[${pool.name}] ${directory}`;
  const found = await lookupFileInfo(conn.primary, [mountOf(pool)], where, "folder", pickCallOptions(options));
  if (found !== undefined) return async (): Promise<void> => undefined;
  const datacenter = conn.inventory.datacenter.ref;
  await MakeDirectory(conn.primary.client, { name: where, datacenter, createParentDirectories: true }, pickCallOptions(options));
  return async (): Promise<void> => {
    // The undo runs after a failure or an abort: it must not use the caller's (aborted) signal.
    await runTask(conn, DeleteDatastoreFile_Task(conn.primary.client, { name: where, datacenter }), {}).catch(() => undefined);
  };
}

async function withDirectory<T>(
  conn: Connection,
  pool: DatastorePool,
  plan: NewDisk,
  options: ChangeOptions,
  body: () => Promise<T>,
): Promise<T> {
  if ((await findVolumeFile(conn, pool, plan.name, options)) !== undefined) throw exists(plan.name);
  const undo = await ensureDirectory(conn, pool, plan.directory, options);
  try {
    return await body();
  } catch (e) {
    await undo();
    throw e;
  }
}

/** libvirt's storageVolCreateXML on a datastore: CreateVirtualDisk_Task. */
export async function createDatastoreVolume(
  conn: Connection,
  pool: DatastorePool,
  spec: VolumeSpec,
  options: ChangeOptions = {},
): Promise<DatastoreVolume> {
  const plan = planNewDisk(pool, spec);
  await withDirectory(conn, pool, plan, options, () =>
    runTask(
      conn,
      CreateVirtualDisk_Task(
        conn.primary.client,
        {
          name: plan.path,
          datacenter: conn.inventory.datacenter.ref,
          spec: {
            _typeName: "FileBackedVirtualDiskSpec",
            diskType: plan.diskType,
            adapterType: "lsiLogic",
            capacityKb: BigInt(Math.ceil(spec.capacity / 1024)),
          },
        },
        pickCallOptions(options),
      ),
      options,
    ),
  );
  return lookupDatastoreVolume(conn, pool, plan.name, options);
}

/** libvirt's storageVolCreateXMLFrom on a datastore: CopyVirtualDisk_Task of `source` to the new name. */
export async function cloneDatastoreVolume(
  conn: Connection,
  pool: DatastorePool,
  spec: VolumeSpec,
  source: DatastoreVolume,
  options: ChangeOptions = {},
): Promise<DatastoreVolume> {
  const plan = planNewDisk(pool, spec, true);
  if (source.format !== "vmdk") throw new UnsupportedError(`Cloning ${source.format} volumes is not supported`);
  const datacenter = conn.inventory.datacenter.ref;
  await withDirectory(conn, pool, plan, options, () =>
    runTask(
      conn,
      CopyVirtualDisk_Task(
        conn.primary.client,
        { sourceName: source.path, sourceDatacenter: datacenter, destName: plan.path, destDatacenter: datacenter, force: false },
        pickCallOptions(options),
      ),
      options,
    ),
  );
  return lookupDatastoreVolume(conn, pool, plan.name, options);
}

/** libvirt's storageVolDelete: DeleteVirtualDisk_Task (a disk) or DeleteDatastoreFile_Task (an image). */
export async function deleteDatastoreVolume(conn: Connection, vol: DatastoreVolume, options: ChangeOptions = {}): Promise<void> {
  const args = { name: vol.path, datacenter: conn.inventory.datacenter.ref };
  const call = pickCallOptions(options);
  await runTask(
    conn,
    vol.format === "vmdk"
      ? DeleteVirtualDisk_Task(conn.primary.client, args, call)
      : DeleteDatastoreFile_Task(conn.primary.client, args, call),
    options,
  );
}

/** libvirt's storageVolWipe: ZeroFillVirtualDisk_Task. */
export async function wipeDatastoreVolume(conn: Connection, vol: DatastoreVolume, options: ChangeOptions = {}): Promise<void> {
  if (vol.format !== "vmdk") throw new UnsupportedError(`Wiping ${vol.format} volumes is not supported`);
  await runTask(
    conn,
    ZeroFillVirtualDisk_Task(conn.primary.client, { name: vol.path, datacenter: conn.inventory.datacenter.ref }, pickCallOptions(options)),
    options,
  );
}

/** vol-resize: ExtendVirtualDisk_Task to `capacity` bytes (ESX grows disks only). */
export async function resizeDatastoreVolume(
  conn: Connection,
  vol: DatastoreVolume,
  capacity: number,
  options: ChangeOptions = {},
): Promise<void> {
  if (vol.format !== "vmdk") throw new UnsupportedError(`Resizing ${vol.format} volumes is not supported`);
  if (capacity < vol.capacity)
    throw new InvalidInputError(`Can't shrink capacity below current capacity unless shrink flag explicitly specified`);
  if (capacity === vol.capacity) return;
  await runTask(
    conn,
    ExtendVirtualDisk_Task(
      conn.primary.client,
      { name: vol.path, datacenter: conn.inventory.datacenter.ref, newCapacityKb: BigInt(Math.ceil(capacity / 1024)), eagerZero: false },
      pickCallOptions(options),
    ),
    options,
  );
}
