/**
 * Finding the datacenter, compute resource and host system a connection works on, as
 * libvirt does: the first of each on an ESX/GSX host (in one retrieval), or the objects a
 * vpx:// path names, walking folders, datacenters, compute resources and clusters.
 */
import { InvalidInputError, NotFoundError } from "../../runtime/errors.js";
import { retrieveAll, traversal } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";
import type { HostConfigManager, ObjectContent } from "../../generated/index.js";

export interface InventoryContext {
  readonly datacenter: {
    readonly ref: MoRef<"Datacenter">;
    readonly name: string;
    /** Folders included, e.g. "folder1/dc1" (the datacenter path of /folder URLs). */
    readonly path: string;
    readonly vmFolder: MoRef<"Folder">;
    readonly hostFolder: MoRef<"Folder">;
  };
  readonly computeResource: {
    readonly ref: MoRef<"ComputeResource" | "ClusterComputeResource">;
    readonly name: string;
    readonly path: string;
    readonly resourcePool: MoRef<"ResourcePool">;
  };
  readonly hostSystem: {
    readonly ref: MoRef<"HostSystem">;
    readonly name: string;
    readonly inMaintenanceMode: boolean;
    /** The vCenter managing this host, when any. */
    readonly managementServerIp: string | undefined;
    /** The host's manager objects (autostart, network, datastore, storage systems …). */
    readonly configManager: HostConfigManager | undefined;
  };
}

function prop(oc: ObjectContent, name: string): unknown {
  return oc.propSet?.find((p) => p.name === name)?.val;
}

function str(oc: ObjectContent, name: string): string {
  const v = prop(oc, name);
  return typeof v === "string" ? v : "";
}

function ref<T extends string>(oc: ObjectContent, name: string): MoRef<T> | undefined {
  const v = prop(oc, name) as MoRef<T> | undefined;
  return v !== undefined && typeof v === "object" ? v : undefined;
}

const DATACENTER_PROPS = ["name", "vmFolder", "hostFolder"];
const COMPUTE_PROPS = ["name", "resourcePool", "host"];
const HOST_PROPS = ["name", "runtime.inMaintenanceMode", "summary.managementServerIp", "configManager"];

function hostFrom(oc: ObjectContent): InventoryContext["hostSystem"] {
  const ip = str(oc, "summary.managementServerIp");
  const cm = prop(oc, "configManager") as HostConfigManager | undefined;
  return {
    ref: oc.obj as MoRef<"HostSystem">,
    name: str(oc, "name"),
    inMaintenanceMode: prop(oc, "runtime.inMaintenanceMode") === true,
    managementServerIp: ip === "" ? undefined : ip,
    configManager: cm,
  };
}

/** ESX/GSX: the first datacenter, its first compute resource with a resource pool, and its first host — one retrieval. */
export async function lookupHostInventory(session: Session, options?: CallOptions): Promise<InventoryContext> {
  const found = await retrieveAll(
    session,
    [
      {
        _typeName: "PropertyFilterSpec",
        propSet: [
          { _typeName: "PropertySpec", type: "Datacenter", pathSet: DATACENTER_PROPS },
          { _typeName: "PropertySpec", type: "ComputeResource", pathSet: COMPUTE_PROPS },
          { _typeName: "PropertySpec", type: "HostSystem", pathSet: HOST_PROPS },
        ],
        objectSet: [
          {
            _typeName: "ObjectSpec",
            obj: session.serviceContent.rootFolder,
            skip: true,
            selectSet: [
              traversal("rootToDatacenter", "Folder", "childEntity", ["datacenterToHostFolder"]),
              traversal("datacenterToHostFolder", "Datacenter", "hostFolder", ["hostFolderToComputeResource"]),
              traversal("hostFolderToComputeResource", "Folder", "childEntity", ["computeResourceToHost"]),
              traversal("computeResourceToHost", "ComputeResource", "host"),
            ],
          },
        ],
      },
    ],
    options ?? {},
  );
  const dc = found.find((oc) => oc.obj.type === "Datacenter");
  if (dc === undefined) throw new NotFoundError("INTERNAL_ERROR", "Could not retrieve datacenter");
  const cr = found.find((oc) => (oc.obj.type === "ComputeResource" || oc.obj.type === "ClusterComputeResource") && ref(oc, "resourcePool") !== undefined);
  if (cr === undefined) throw new NotFoundError("INTERNAL_ERROR", "Could not retrieve compute resource");
  const hostRefs = (prop(cr, "host") as MoRef[] | undefined) ?? [];
  const host = found.find((oc) => oc.obj.type === "HostSystem" && hostRefs.some((h) => h.value === oc.obj.value));
  if (host === undefined) throw new NotFoundError("INTERNAL_ERROR", "Could not retrieve host system");
  const dcName = str(dc, "name");
  return {
    datacenter: datacenterFrom(dc, dcName),
    computeResource: { ref: cr.obj as MoRef<"ComputeResource">, name: str(cr, "name"), path: `${dcName}/host/${str(cr, "name")}`, resourcePool: ref<"ResourcePool">(cr, "resourcePool") as MoRef<"ResourcePool"> },
    hostSystem: hostFrom(host),
  };
}

function datacenterFrom(dc: ObjectContent, path: string): InventoryContext["datacenter"] {
  return {
    ref: dc.obj as MoRef<"Datacenter">,
    name: str(dc, "name"),
    path,
    vmFolder: ref<"Folder">(dc, "vmFolder") as MoRef<"Folder">,
    hostFolder: ref<"Folder">(dc, "hostFolder") as MoRef<"Folder">,
  };
}

/** The direct children of a folder with the properties needed to walk a path. */
async function children(session: Session, folder: MoRef, options?: CallOptions): Promise<ObjectContent[]> {
  return retrieveAll(
    session,
    [
      {
        _typeName: "PropertyFilterSpec",
        propSet: [
          { _typeName: "PropertySpec", type: "Folder", pathSet: ["name"] },
          { _typeName: "PropertySpec", type: "Datacenter", pathSet: DATACENTER_PROPS },
          { _typeName: "PropertySpec", type: "ComputeResource", pathSet: COMPUTE_PROPS },
        ],
        objectSet: [{ _typeName: "ObjectSpec", obj: folder, skip: true, selectSet: [traversal("folderToChildEntity", "Folder", "childEntity")] }],
      },
    ],
    options ?? {},
  );
}

/** vpx: walks `[<folder>/...]<datacenter>/[<folder>/...]<computeresource>[/<hostsystem>]` as libvirt does. */
export async function lookupInventoryByPath(session: Session, path: readonly string[], options?: CallOptions): Promise<InventoryContext> {
  const whole = path.join("/");
  let i = 0;
  let root: MoRef = session.serviceContent.rootFolder;
  const dcPath: string[] = [];
  let dc: ObjectContent | undefined;
  while (dc === undefined) {
    const item = path[i];
    if (item === undefined) throw new InvalidInputError(`Path '${whole}' does not specify a datacenter`);
    const kids = await children(session, root, options);
    const match = kids.find((k) => str(k, "name") === item && (k.obj.type === "Folder" || k.obj.type === "Datacenter"));
    if (match === undefined) throw new NotFoundError("INTERNAL_ERROR", `Path '${whole}' does not specify a datacenter: '${item}' is neither a folder nor a datacenter`);
    dcPath.push(item);
    i++;
    if (match.obj.type === "Datacenter") dc = match;
    else root = match.obj;
  }
  const datacenter = datacenterFrom(dc, dcPath.join("/"));
  root = datacenter.hostFolder;
  const crPath: string[] = [];
  let cr: ObjectContent | undefined;
  while (cr === undefined) {
    const item = path[i];
    if (item === undefined) throw new InvalidInputError(`Path '${whole}' does not specify a compute resource`);
    const kids = await children(session, root, options);
    const match = kids.find((k) => str(k, "name") === item && k.obj.type !== "Datacenter");
    if (match === undefined) throw new NotFoundError("INTERNAL_ERROR", `Path '${whole}' does not specify a compute resource: '${item}' is neither a folder nor a compute resource`);
    crPath.push(item);
    i++;
    if (match.obj.type === "Folder") root = match.obj;
    else cr = match;
  }
  const crName = str(cr, "name");
  const hostRefs = (prop(cr, "host") as MoRef<"HostSystem">[] | undefined) ?? [];
  const hosts = await retrieveAll(session, [{ _typeName: "PropertyFilterSpec", propSet: [{ _typeName: "PropertySpec", type: "HostSystem", pathSet: HOST_PROPS }], objectSet: hostRefs.map((h) => ({ _typeName: "ObjectSpec" as const, obj: h })) }], options ?? {});
  let hostName: string;
  if (cr.obj.type === "ClusterComputeResource") {
    const item = path[i];
    if (item === undefined) throw new InvalidInputError(`Path '${whole}' does not specify a host system`);
    hostName = item;
    i++;
  } else {
    hostName = path[i] ?? crName;
    if (path[i] !== undefined) i++;
  }
  if (i < path.length) throw new InvalidInputError(`Path '${whole}' ends with an excess item`);
  const host = hosts.find((h) => str(h, "name") === hostName);
  if (host === undefined) throw new NotFoundError("INTERNAL_ERROR", `Could not find host system specified in '${whole}'`);
  const resourcePool = ref<"ResourcePool">(cr, "resourcePool");
  if (resourcePool === undefined) throw new NotFoundError("INTERNAL_ERROR", `compute resource '${crName}' has no resource pool`);
  return {
    datacenter,
    computeResource: { ref: cr.obj as MoRef<"ComputeResource">, name: crName, path: [...dcPath, "host", ...crPath].join("/"), resourcePool },
    hostSystem: hostFrom(host),
  };
}
