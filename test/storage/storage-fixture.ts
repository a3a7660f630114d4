/**
 * What the storage suites share: a simulator with an NFS datastore and a software iSCSI HBA,
 * and the full listing of a datastore (every file
 * and folder, to compare before and after a refused change).
 */
import type { Connection } from "../../drivers/connection/connection.js";
import { finished } from "../../drivers/datastore/file-info.js";
import { listDatastorePools } from "../../drivers/storage/datastore-pools.js";
import { SearchDatastoreSubFolders_Task, type HostDatastoreBrowserSearchResults } from "../../generated/index.js";
import { startSimulator, type Simulator } from "../support/vcsim.js";

export const ISCSI_TARGET = "iqn.2024-01.org.example.vcsim:target0";

export function startStorageSimulator(): Promise<Simulator> {
  return startSimulator({ model: "esx", vms: 1, extraArgs: ["-nfs", "-iscsi"] });
}

/** Every file and folder of a datastore with its size, sorted: "dir/file 123". */
export async function datastoreListing(conn: Connection, datastore: string): Promise<string[]> {
  const pool = (await listDatastorePools(conn)).find((p) => p.name === datastore);
  if (pool?.browser === undefined) throw new Error(`no datastore ${datastore}`);
  const task = await SearchDatastoreSubFolders_Task(conn.primary.client, pool.browser, {
    datastorePath: `[${datastore}]`,
    searchSpec: {
      _typeName: "HostDatastoreBrowserSearchSpec",
      details: { _typeName: "FileQueryFlags", fileType: true, fileSize: true, modification: false },
    },
  });
  const info = await finished(conn.primary, task, {});
  const result = info.result as unknown;
  const folders: HostDatastoreBrowserSearchResults[] = Array.isArray(result)
    ? (result as HostDatastoreBrowserSearchResults[])
    : ((Object.values(result as object).find(Array.isArray) as HostDatastoreBrowserSearchResults[] | undefined) ?? []);
  const out: string[] = [];
  for (const f of folders) {
    const dir = (f.folderPath ?? "").replace(/^\[[^\]]*\]\s*/, "");
    for (const file of f.file ?? []) out.push(`${dir === "" ? "" : `${dir}/`}${file.path} ${String(file.fileSize ?? 0)}`);
  }
  return out.sort();
}
