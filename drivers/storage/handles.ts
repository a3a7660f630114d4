/**
 * Storage handles: what a lookup returns and what every storage operation takes. A handle
 * carries its identity (name, UUID or key, the VI reference) and the typed properties fetched
 * in the same retrieval, so an operation never resolves a name a second time.
 */
import type { MoRef } from "../../runtime/soap/index.js";
import type {
  AnyDatastoreInfo,
  AnyFileInfo,
  AnyScsiLun,
  DatastoreSummary,
  HostInternetScsiHbaStaticTarget,
} from "../../generated/index.js";

/** libvirt's pool types for ESX: a datastore is dir, netfs or fs by its info; a static target is iscsi. */
export type PoolType = "dir" | "netfs" | "fs" | "iscsi";

/** A datastore of the connection's host (the datastore backend). */
export interface DatastorePool {
  readonly kind: "datastore";
  readonly ref: MoRef<"Datastore">;
  /** summary.name. */
  readonly name: string;
  /** MD5 of the host's mount path, as a UUID (libvirt). */
  readonly uuid: string;
  readonly type: PoolType;
  /** The datastore's mount path on this host (DatastoreHostMount.mountInfo.path). */
  readonly mountPath: string | undefined;
  readonly browser: MoRef<"HostDatastoreBrowser"> | undefined;
  readonly summary: DatastoreSummary;
  readonly info: AnyDatastoreInfo | undefined;
}

/** A LUN behind an iSCSI static target. */
export interface IscsiLun {
  /** ScsiLun.deviceName: the volume's name. */
  readonly name: string;
  /** HostScsiDisk.devicePath (the device name when it is not a disk). */
  readonly path: string;
  /** MD5 of ScsiLun.uuid, as a UUID (libvirt). */
  readonly key: string;
  readonly capacity: number;
  readonly lun: AnyScsiLun;
}

/** A static target of the host's software iSCSI HBA (the iSCSI backend). */
export interface IscsiPool {
  readonly kind: "iscsi";
  /** The host's storage system: RescanHba is called on it. */
  readonly ref: MoRef<"HostStorageSystem">;
  /** The target's IQN. */
  readonly name: string;
  /** MD5 of the IQN, as a UUID (libvirt). */
  readonly uuid: string;
  readonly type: "iscsi";
  readonly hbaDevice: string;
  readonly target: HostInternetScsiHbaStaticTarget;
  /** The target's LUNs, from the host's SCSI topology (same retrieval). */
  readonly luns: readonly IscsiLun[];
}

export type StoragePool = DatastorePool | IscsiPool;

/** libvirt's volume formats for ESX: vmdk disks, iso images, raw (floppy images, LUNs). */
export type VolumeFormat = "vmdk" | "iso" | "raw";

/** A disk, ISO or floppy image on a datastore. */
export interface DatastoreVolume {
  readonly kind: "datastore";
  readonly pool: DatastorePool;
  /** The path inside the datastore: "dir/file.vmdk". */
  readonly name: string;
  /** "[ds] dir/file.vmdk". */
  readonly path: string;
  /** The disk's UUID (QueryVirtualDiskUuid) for a disk, else the path. */
  readonly key: string;
  readonly type: "file";
  readonly format: VolumeFormat;
  readonly capacity: number;
  readonly allocation: number;
  readonly file: AnyFileInfo;
}

/** A LUN of an iSCSI pool. */
export interface IscsiVolume {
  readonly kind: "iscsi";
  readonly pool: IscsiPool;
  readonly name: string;
  readonly path: string;
  readonly key: string;
  readonly type: "block";
  readonly format: "raw";
  readonly capacity: number;
  readonly allocation: number;
  readonly lun: AnyScsiLun;
}

export type StorageVolume = DatastoreVolume | IscsiVolume;

/** A volume as a pool listing shows it (no per-volume calls: no key). */
export interface VolumeEntry {
  readonly name: string;
  readonly path: string;
  readonly type: "file" | "block";
  readonly format: VolumeFormat;
  readonly capacity: number;
  readonly allocation: number;
}
