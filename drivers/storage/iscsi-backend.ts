/**
 * The iSCSI backend (libvirt's esxStorageBackendISCSI): pools are the static targets of the
 * host's software iSCSI HBA (name = target IQN, UUID = MD5 of it), volumes are the LUNs the
 * host's SCSI topology shows behind each target (name = ScsiLun.deviceName, path =
 * HostScsiDisk.devicePath, key = MD5 of ScsiLun.uuid), refresh = RescanHba. One retrieval of
 * the host's storage devices gives all of it. Volumes cannot be created, cloned, deleted,
 * wiped or resized here (libvirt: not supported).
 */
import { UnsupportedError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import { RescanHba } from "../../generated/storage.js";
import type { AnyHostHostBusAdapter, AnyScsiLun, HostStorageDeviceInfo } from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import { toNumber } from "../util/index.js";
import type { IscsiLun, IscsiPool, IscsiVolume } from "./handles.js";
import { md5Uuid } from "./md5-uuid.js";

function isSoftwareIscsi(hba: AnyHostHostBusAdapter): hba is AnyHostHostBusAdapter & {
  _typeName: "HostInternetScsiHba";
} {
  return hba._typeName === "HostInternetScsiHba" && hba.isSoftwareBased;
}

function lunOf(lun: AnyScsiLun): IscsiLun {
  const disk = lun._typeName === "HostScsiDisk" ? lun : undefined;
  const capacity = disk === undefined ? 0 : (toNumber(disk.capacity.block) ?? 0) * disk.capacity.blockSize;
  return { name: lun.deviceName, path: disk?.devicePath ?? lun.deviceName, key: md5Uuid(lun.uuid), capacity, lun };
}

/** The LUNs behind the target named `iqn` in the host's SCSI topology. */
function lunsOf(devices: HostStorageDeviceInfo, hbaKey: string | undefined, iqn: string): IscsiLun[] {
  const byKey = new Map((devices.scsiLun ?? []).map((l) => [l.key ?? "", l]));
  const out: IscsiLun[] = [];
  for (const adapter of devices.scsiTopology?.adapter ?? []) {
    if (hbaKey !== undefined && adapter.adapter !== hbaKey) continue;
    for (const target of adapter.target ?? []) {
      const t = target.transport;
      if (t?._typeName !== "HostInternetScsiTargetTransport" || t.iScsiName !== iqn) continue;
      for (const l of target.lun ?? []) {
        const lun = byKey.get(l.scsiLun);
        if (lun !== undefined) out.push(lunOf(lun));
      }
    }
  }
  return out;
}

/** The static targets of the software iSCSI HBA as pools (none when the host has no such HBA). */
export async function listIscsiPools(conn: Connection, options: CallOptions = {}): Promise<IscsiPool[]> {
  const storageSystem = conn.inventory.hostSystem.configManager?.storageSystem;
  if (storageSystem === undefined) return [];
  const host = await retrieveOne(conn.primary, conn.inventory.hostSystem.ref, ["config.storageDevice"], pickCallOptions(options));
  const devices = host.props["config.storageDevice"];
  if (devices === undefined) return [];
  const pools: IscsiPool[] = [];
  for (const hba of devices.hostBusAdapter ?? []) {
    if (!isSoftwareIscsi(hba)) continue;
    for (const target of hba.configuredStaticTarget ?? []) {
      pools.push({
        kind: "iscsi",
        ref: storageSystem,
        name: target.iScsiName,
        uuid: md5Uuid(target.iScsiName),
        type: "iscsi",
        hbaDevice: hba.device,
        target,
        luns: lunsOf(devices, hba.key, target.iScsiName),
      });
    }
  }
  return pools;
}

export function iscsiVolume(pool: IscsiPool, lun: IscsiLun): IscsiVolume {
  return {
    kind: "iscsi",
    pool,
    name: lun.name,
    path: lun.path,
    key: lun.key,
    type: "block",
    format: "raw",
    capacity: lun.capacity,
    allocation: lun.capacity,
    lun: lun.lun,
  };
}

/** libvirt's storagePoolRefresh for iSCSI: RescanHba on the software HBA (all its targets). */
export async function refreshIscsiPool(conn: Connection, pool: IscsiPool, options: CallOptions = {}): Promise<void> {
  await RescanHba(conn.primary.client, pool.ref, { hbaDevice: pool.hbaDevice }, pickCallOptions(options));
}

/** libvirt's answer to a volume change on an iSCSI pool. */
export function iscsiUnsupported(what: string): UnsupportedError {
  return new UnsupportedError(`this function is not supported by the connection driver: ${what} on an iSCSI pool`);
}
