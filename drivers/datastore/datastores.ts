/**
 * The datastores a connection's host sees, as libvirt's esxVI_LookupDatastoreList finds them
 * (HostSystem.datastore), each with its name, the host's mount path and its browser — in one
 * retrieval — and libvirt's lookups in that list: by name and by absolute path.
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import { lookupByType } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";

export interface DatastoreMount {
  readonly ref: MoRef<"Datastore">;
  /** summary.name. */
  readonly name: string;
  /** The mount path on the connection's host (DatastoreHostMount.mountInfo.path), when it has one. */
  readonly mountPath: string | undefined;
  readonly browser: MoRef<"HostDatastoreBrowser"> | undefined;
}

/** The host's datastores with their names, mount paths (for this host) and browsers: one RetrievePropertiesEx. */
export async function lookupDatastores(session: Session, host: MoRef<"HostSystem">, options: CallOptions = {}): Promise<DatastoreMount[]> {
  const found = await lookupByType(session, host, "Datastore", ["summary.name", "host", "browser"], options);
  return found.map((d) => {
    const mount = d.props.host?.find((m) => m.key.value === host.value);
    return {
      ref: d.obj,
      name: d.props["summary.name"] ?? "",
      mountPath: mount?.mountInfo.path,
      browser: d.props.browser,
    };
  });
}

/** libvirt's esxVI_LookupDatastoreByName: exact match on summary.name. */
export function findDatastoreByName(datastores: readonly DatastoreMount[], name: string): DatastoreMount | undefined {
  return datastores.find((d) => d.name === name);
}

/** The same, failing with libvirt's message when there is no such datastore. */
export function requireDatastoreByName(datastores: readonly DatastoreMount[], name: string): DatastoreMount {
  const found = findDatastoreByName(datastores, name);
  if (found === undefined) throw new NotFoundError(`Could not find datastore with name '${name}'`, { code: "NO_STORAGE_POOL" });
  return found;
}

/**
 * libvirt's esxVI_LookupDatastoreByAbsolutePath: the first datastore whose mount path on
 * this host is a prefix of `path`, with the rest of the path after the mount point.
 */
export function findDatastoreByAbsolutePath(
  datastores: readonly DatastoreMount[],
  path: string,
): { datastore: DatastoreMount; rest: string } | undefined {
  for (const datastore of datastores) {
    const mount = datastore.mountPath;
    if (mount === undefined || mount === "" || !path.startsWith(mount)) continue;
    return { datastore, rest: path.slice(mount.length) };
  }
  return undefined;
}
