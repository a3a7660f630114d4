/**
 * File information on a datastore, as libvirt's esxVI_LookupFileInfoByDatastorePath gets it:
 * SearchDatastore_Task on the datastore's browser for "[ds] dir" with the file name as the
 * match pattern. The task's info is read once right away (short searches are done by then)
 * and only waited for when it is still running.
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import { isFault, TaskError } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import {
  SearchDatastore_Task,
  type AnyFileInfo,
  type AnyFileQuery,
  type HostDatastoreBrowserSearchResults,
  type HostDatastoreBrowserSearchSpec,
} from "../../generated/storage.js";
import type { TaskInfo } from "../../generated/tasks.js";
import { parseDatastorePath } from "../util/index.js";
import { requireDatastoreByName, type DatastoreMount } from "./datastores.js";

/**
 * What to look for: libvirt's two searches (a folder; or a disk, ISO or floppy image, with
 * disk details such as the controller type), or any file at all.
 */
export type FileKind = "folder" | "image" | "any";

function queries(kind: FileKind): AnyFileQuery[] {
  if (kind === "folder") return [{ _typeName: "FolderFileQuery" }];
  if (kind === "any") return [{ _typeName: "FileQuery" }];
  return [
    {
      _typeName: "VmDiskFileQuery",
      details: { _typeName: "VmDiskFileQueryFlags", diskType: true, capacityKb: true, hardwareVersion: true, controllerType: true },
    },
    { _typeName: "IsoImageFileQuery" },
    { _typeName: "FloppyImageFileQuery" },
  ];
}

/** "[ds] dir/file" -> the folder to search ("[ds] dir" or "[ds]") and the file name. */
export function splitDatastorePath(datastorePath: string): { datastore: string; folder: string; file: string } {
  const p = parseDatastorePath(datastorePath);
  const slash = p.directoryAndFile.lastIndexOf("/");
  const dir = slash < 0 ? "" : p.directoryAndFile.slice(0, slash);
  const file = slash < 0 ? p.directoryAndFile : p.directoryAndFile.slice(slash + 1);
  return { datastore: p.datastore, folder: dir === "" ? `[${p.datastore}]` : `[${p.datastore}] ${dir}`, file };
}

function isSearchResults(v: unknown): v is HostDatastoreBrowserSearchResults {
  return typeof v === "object" && v !== null && (v as { _typeName?: unknown })._typeName === "HostDatastoreBrowserSearchResults";
}

/** A task's final info: read once right away, waited for only while it still runs. */
export async function finished(session: Session, task: TaskInfo["task"], options: CallOptions): Promise<TaskInfo> {
  const now = await retrieveOne(session, task, ["info"], options);
  const info = now.props.info;
  if (info?.state === "success") return info;
  if (info?.state === "error") throw new TaskError(info);
  return waitForTask(session, task, options.signal === undefined ? {} : { signal: options.signal });
}

/**
 * The file a datastore path names, or undefined when neither it nor its folder exists.
 * Throws NotFoundError when the datastore is not one of `datastores`.
 */
export async function lookupFileInfo(
  session: Session,
  datastores: readonly DatastoreMount[],
  datastorePath: string,
  kind: FileKind,
  options: CallOptions = {},
): Promise<AnyFileInfo | undefined> {
  const where = splitDatastorePath(datastorePath);
  const datastore = requireDatastoreByName(datastores, where.datastore);
  if (datastore.browser === undefined) throw new NotFoundError(`Datastore '${datastore.name}' has no browser`, { code: "NO_STORAGE_POOL" });
  const searchSpec: HostDatastoreBrowserSearchSpec = {
    _typeName: "HostDatastoreBrowserSearchSpec",
    query: queries(kind),
    details: { _typeName: "FileQueryFlags", fileType: true, fileSize: true, modification: false },
    matchPattern: [where.file],
  };
  const task = await SearchDatastore_Task(session.client, datastore.browser, { datastorePath: where.folder, searchSpec }, options);
  let info: TaskInfo;
  try {
    info = await finished(session, task, options);
  } catch (e) {
    if (isFault(e, "FileNotFound")) return undefined;
    throw e;
  }
  const result = info.result;
  if (!isSearchResults(result)) return undefined;
  return result.file?.find((f) => f.path === where.file);
}
