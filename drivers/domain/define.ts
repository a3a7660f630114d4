/**
 * virsh define (libvirt's esxDomainDefineXMLFlags): parse the domain XML, refuse a name with
 * a newline and an existing VM with the same UUID or name, format the VMX for the server's
 * virtualHW.version, put it beside the first file-based .vmdk disk as
 * escapeDatastoreItem(name).vmx, upload it and register it (RegisterVM_Task into the
 * datacenter's VM folder, with the compute resource's pool and the host).
 *
 * Unlike libvirt, nothing is left half-done: an existing .vmx is never overwritten (checked
 * before the upload), and when the registration fails the uploaded .vmx is deleted again.
 */
import { AbortError, EsxviError, InternalError, InvalidInputError, OperationInvalidError } from "../../errors/esxvi-error.js";
import { uploadFile } from "../../runtime/datastore-files.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { isFault } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { FindByUuid } from "../../generated/core.js";
import { DeleteDatastoreFile_Task } from "../../generated/storage.js";
import { RegisterVM_Task } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import { lookupFileInfo } from "../datastore/file-info.js";
import { escapeDatastoreItem, parseDatastorePath } from "../util/index.js";
import { domainToVmx, parseDomainXml, type DiskDef, type DomainDef } from "../vmx/index.js";
import { retrieveDomains } from "./lookup.js";
import { connectionFormatContext, defaultVirtualHwVersion } from "./vmx-context.js";

/** The longest file name (in bytes) a datastore holds (VMFS, NFS and vSAN: 255). */
export const MAX_DATASTORE_FILE_NAME_BYTES = 255;

export interface DefineOptions extends CallOptions {
  /** RegisterVM_Task progress (0–100). */
  readonly onProgress?: (percent: number) => void;
}

export interface DefinedDomain {
  readonly ref: MoRef<"VirtualMachine">;
  readonly name: string;
  readonly uuid: string;
  /** Where the .vmx went, "[ds] dir/file.vmx". */
  readonly vmxPath: string;
}

/** libvirt's virXMLCheckIllegalChars("name", name, "\n"). */
function checkName(name: string): void {
  if (name.includes("\n")) throw new InvalidInputError("invalid char in name: 0x0a", { code: "XML_ERROR" });
}

async function checkNotExisting(conn: Connection, def: DomainDef, name: string, options: CallOptions): Promise<void> {
  const [byUuid, all] = await Promise.all([
    FindByUuid(conn.primary.client, { datacenter: conn.inventory.datacenter.ref, uuid: def.uuid, vmSearch: true }, options),
    retrieveDomains(conn, [], options),
  ]);
  const clash = byUuid !== undefined || all.domains.some((d) => d.identity.uuid === def.uuid || d.identity.name === name);
  if (clash) throw new OperationInvalidError("Domain already exists, editing existing domains is not supported yet", { code: "DOM_EXIST" });
}

/** The first file-based hard disk decides where the .vmx goes (libvirt's rule), with libvirt's messages. */
function vmxLocation(def: DomainDef): { datastore: string; directory: string } {
  if (def.disks.length === 0) {
    throw new InvalidInputError("Domain XML doesn't contain any disks, cannot deduce datastore and path for VMX file");
  }
  const disk: DiskDef | undefined = def.disks.find((d) => d.device === "disk" && d.type === "file");
  if (disk === undefined) {
    throw new InvalidInputError("Domain XML doesn't contain any file-based harddisks, cannot deduce datastore and path for VMX file");
  }
  const src = disk.source;
  if (src === undefined) {
    throw new InvalidInputError("First file-based harddisk has no source, cannot deduce datastore and path for VMX file");
  }
  const p = parseDatastorePath(src);
  if (!src.toLowerCase().endsWith(".vmdk")) {
    throw new InvalidInputError(`Expecting source '${src}' of first file-based harddisk to be a VMDK image`);
  }
  // "[ds] disk.vmdk" has no directory: the .vmx goes to the datastore's root (libvirt would
  // take the disk's file name for a directory).
  return { datastore: p.datastore, directory: p.directory === p.directoryAndFile ? "" : p.directory };
}

/** escapeDatastoreItem(name).vmx, refused when the datastore cannot hold a file of that name. */
function vmxFileName(name: string): string {
  const file = `${escapeDatastoreItem(name)}.vmx`;
  const bytes = Buffer.byteLength(file, "utf8");
  if (bytes > MAX_DATASTORE_FILE_NAME_BYTES) {
    throw new InvalidInputError(
      `Domain name '${name}' is too long for a datastore: its file name '${file}' has ${bytes} bytes, a datastore holds at most ${MAX_DATASTORE_FILE_NAME_BYTES}`,
    );
  }
  return file;
}

/** Deletes the uploaded .vmx; returns why it could not, or undefined. */
async function removeUploaded(conn: Connection, vmxPath: string): Promise<string | undefined> {
  try {
    const task = await DeleteDatastoreFile_Task(conn.primary.client, { name: vmxPath, datacenter: conn.inventory.datacenter.ref });
    await waitForTask(conn.primary, task);
    return undefined;
  } catch (e) {
    if (isFault(e, "FileNotFound")) return undefined;
    return e instanceof Error ? e.message : String(e);
  }
}

async function register(conn: Connection, vmxPath: string, options: DefineOptions): Promise<MoRef<"VirtualMachine">> {
  const inv = conn.inventory;
  const task = await RegisterVM_Task(
    conn.primary.client,
    inv.datacenter.vmFolder,
    { path: vmxPath, asTemplate: false, pool: inv.computeResource.resourcePool, host: inv.hostSystem.ref },
    pickCallOptions(options),
  );
  // The VM does not exist before the task ends, so no question can block it (libvirt looks
  // one up by UUID while waiting and finds nothing).
  const info = await waitForTask(conn.primary, task, {
    autoAnswer: conn.autoAnswer,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    logger: conn.logger,
  });
  const vm = info.result;
  if (typeof vm !== "object" || vm === null || (vm as { type?: unknown }).type !== "VirtualMachine") {
    throw new InternalError(`RegisterVM_Task for ${vmxPath} returned no virtual machine`);
  }
  return vm as MoRef<"VirtualMachine">;
}

export async function defineDomain(conn: Connection, xml: string, options: DefineOptions = {}): Promise<DefinedDomain> {
  const call = pickCallOptions(options);
  const def = parseDomainXml(xml);
  const name = def.name ?? "";
  checkName(name);
  await checkNotExisting(conn, def, name, call);

  const hw = defaultVirtualHwVersion(conn.primary.productLine, conn.primary.productVersion);
  const { ctx, datastores } = await connectionFormatContext(conn, def, call);
  const vmx = domainToVmx(def, ctx, hw);

  const where = vmxLocation(def);
  const file = vmxFileName(name);
  const inDatastore = where.directory === "" ? file : `${where.directory}/${file}`;
  const vmxPath = `[${where.datastore}] ${inDatastore}`;
  if ((await lookupFileInfo(conn.primary, datastores, vmxPath, "any", call)) !== undefined) {
    throw new OperationInvalidError(`File ${vmxPath} already exists on the datastore; not overwriting it`);
  }

  try {
    await uploadFile(
      conn.primary,
      { datastore: where.datastore, path: inDatastore, datacenterPath: conn.inventory.datacenter.path },
      vmx,
      call,
    );
  } catch (e) {
    // A failed PUT may have left part of a file.
    await removeUploaded(conn, vmxPath);
    throw new InternalError(`Could not upload the VMX file to ${vmxPath}`, { cause: e });
  }

  let ref: MoRef<"VirtualMachine">;
  try {
    ref = await register(conn, vmxPath, options);
  } catch (e) {
    if (e instanceof AbortError) {
      throw new AbortError(`stopped waiting for the registration of ${vmxPath}; it may still complete on the server`, { cause: e });
    }
    const notRemoved = await removeUploaded(conn, vmxPath);
    throw new EsxviError(
      e instanceof EsxviError ? e.code : "TASK_FAILED",
      `Could not define domain${notRemoved === undefined ? "" : ` (and the uploaded ${vmxPath} could not be removed: ${notRemoved})`}`,
      { cause: e },
    );
  }
  return { ref, name, uuid: def.uuid, vmxPath };
}
