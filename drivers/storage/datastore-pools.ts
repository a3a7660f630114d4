/**
 * The datastore backend's pools (libvirt's esxStorageBackendVMFS): the datastores of the
 * connection's host, all in one retrieval with what pool-info and pool-dumpxml need; UUID =
 * MD5 of the host's mount path; type dir, netfs or fs by the datastore's info.
 */
import { lookupByType } from "../../runtime/property-collector.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import { RefreshDatastore } from "../../generated/storage.js";
import type { AnyDatastoreInfo } from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import type { DatastoreMount } from "../datastore/datastores.js";
import type { DatastorePool, PoolType } from "./handles.js";
import { md5Uuid } from "./md5-uuid.js";

const POOL_PROPS = ["summary", "info", "host", "browser"] as const;

/** libvirt's pool type for a datastore's info: Local -> dir, Nas -> netfs, Vmfs -> fs. */
export function poolTypeOf(info: AnyDatastoreInfo | undefined): PoolType {
  const t = info?._wireType ?? info?._typeName;
  if (t === "NasDatastoreInfo") return "netfs";
  if (t === "VmfsDatastoreInfo") return "fs";
  return "dir";
}

/** Every datastore of the host as a pool handle: one RetrievePropertiesEx. */
export async function listDatastorePools(conn: Connection, options: CallOptions = {}): Promise<DatastorePool[]> {
  const host = conn.inventory.hostSystem.ref;
  const found = await lookupByType(conn.primary, host, "Datastore", POOL_PROPS, pickCallOptions(options));
  return found.flatMap((d): DatastorePool[] => {
    const summary = d.props.summary;
    if (summary === undefined) return [];
    const mountPath = d.props.host?.find((m) => m.key.value === host.value)?.mountInfo.path;
    return [
      {
        kind: "datastore",
        ref: d.obj,
        name: summary.name,
        uuid: md5Uuid(mountPath ?? summary.url),
        type: poolTypeOf(d.props.info),
        mountPath,
        browser: d.props.browser,
        summary,
        info: d.props.info,
      },
    ];
  });
}

/** The pool as the datastore helpers of drivers/datastore take it. */
export function mountOf(pool: DatastorePool): DatastoreMount {
  return { ref: pool.ref, name: pool.name, mountPath: pool.mountPath, browser: pool.browser };
}

/** libvirt's storagePoolRefresh: RefreshDatastore. */
export async function refreshDatastorePool(conn: Connection, pool: DatastorePool, options: CallOptions = {}): Promise<void> {
  await RefreshDatastore(conn.primary.client, pool.ref, pickCallOptions(options));
}
