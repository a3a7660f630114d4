/**
 * Helpers of the domain XML suites: a Connection to the simulator, datastore folder listings
 * and file reads/writes (to check server state before and after), and domain lookups.
 */
import { type Connection } from "../../drivers/connection/connection.js";
import { lookupDatastores } from "../../drivers/datastore/datastores.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import { readTextFile, uploadFile } from "../../runtime/datastore-files.js";
import { HttpError } from "../../runtime/http/http-errors.js";
import { isFault } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { RegisterVM_Task, SearchDatastore_Task, type HostDatastoreBrowserSearchResults } from "../../generated/index.js";

/** The names of the files in a datastore folder ("[ds] dir"), sorted; [] when the folder does not exist. */
export async function listFolder(conn: Connection, datastore: string, dir: string): Promise<string[]> {
  const ds = (await lookupDatastores(conn.primary, conn.inventory.hostSystem.ref)).find((d) => d.name === datastore);
  if (ds?.browser === undefined) throw new Error(`no datastore ${datastore}`);
  const task = await SearchDatastore_Task(conn.primary.client, ds.browser, {
    datastorePath: dir === "" ? `[${datastore}]` : `[${datastore}] ${dir}`,
    searchSpec: { _typeName: "HostDatastoreBrowserSearchSpec", matchPattern: ["*"] },
  });
  try {
    const info = await waitForTask(conn.primary, task);
    const result = info.result as HostDatastoreBrowserSearchResults | undefined;
    return (result?.file ?? []).map((f) => f.path).sort();
  } catch (e) {
    if (isFault(e, "FileNotFound")) return [];
    throw e;
  }
}

/** A datastore file's text, or undefined when it does not exist. */
export async function readFile(conn: Connection, datastore: string, path: string): Promise<string | undefined> {
  try {
    return await readTextFile(conn.primary, { datastore, path, datacenterPath: conn.inventory.datacenter.path });
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return undefined;
    throw e;
  }
}

export async function writeFile(conn: Connection, datastore: string, path: string, content: string | Buffer): Promise<void> {
  await uploadFile(conn.primary, { datastore, path, datacenterPath: conn.inventory.datacenter.path }, content);
}

/** Registers a .vmx already on the datastore (as an administrator would, not through define); `name` is the vSphere name. */
export async function registerVmx(conn: Connection, vmxPath: string, name?: string): Promise<MoRef<"VirtualMachine">> {
  const inv = conn.inventory;
  const task = await RegisterVM_Task(conn.primary.client, inv.datacenter.vmFolder, {
    path: vmxPath,
    ...(name !== undefined ? { name } : {}),
    asTemplate: false,
    pool: inv.computeResource.resourcePool,
    host: inv.hostSystem.ref,
  });
  const info = await waitForTask(conn.primary, task);
  return info.result as MoRef<"VirtualMachine">;
}

/** name -> { uuid, powerState, moref } of every VM of the connection's host. */
export async function inventory(
  conn: Connection,
): Promise<Map<string, { uuid: string; powerState: string; moref: string; vmPathName: string }>> {
  const r = await retrieveDomains(conn, ["config.files.vmPathName"]);
  const out = new Map<string, { uuid: string; powerState: string; moref: string; vmPathName: string }>();
  for (const d of r.domains) {
    const path = d.props["config.files.vmPathName"];
    out.set(d.identity.name, {
      uuid: d.identity.uuid,
      powerState: d.identity.powerState,
      moref: d.identity.ref.value,
      vmPathName: typeof path === "string" ? path : "",
    });
  }
  return out;
}
