/**
 * Finding the datacenter, compute resource and host system a connection works on, as
 * libvirt does: the first of each on an ESX/GSX host (in one retrieval), or the objects a
 * vpx:// path names, walking folders, datacenters, compute resources and clusters.
 */
import { InternalError, InvalidInputError } from "../../errors/esxvi-error.js";
import { retrieveAll, traversal } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";
import { FindByIp } from "../../generated/core.js";
import type { HostConfigManager } from "../../generated/host.js";
import type { ObjectContent } from "../../generated/property-collector.js";

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
  if (dc === undefined) throw new InternalError("Could not retrieve datacenter");
  const cr = found.find(
    (oc) => (oc.obj.type === "ComputeResource" || oc.obj.type === "ClusterComputeResource") && ref(oc, "resourcePool") !== undefined,
  );
  if (cr === undefined) throw new InternalError("Could not retrieve compute resource");
  const hostRefs = (prop(cr, "host") as MoRef[] | undefined) ?? [];
  const host = found.find((oc) => oc.obj.type === "HostSystem" && hostRefs.some((h) => h.value === oc.obj.value));
  if (host === undefined) throw new InternalError("Could not retrieve host system");
  const dcName = str(dc, "name");
  return {
    datacenter: datacenterFrom(dc, dcName),
    computeResource: {
      ref: cr.obj as MoRef<"ComputeResource">,
      name: str(cr, "name"),
      path: str(cr, "name"),
      resourcePool: ref<"ResourcePool">(cr, "resourcePool") as MoRef<"ResourcePool">,
    },
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
        objectSet: [
          { _typeName: "ObjectSpec", obj: folder, skip: true, selectSet: [traversal("folderToChildEntity", "Folder", "childEntity")] },
        ],
      },
    ],
    options ?? {},
  );
}

function named(kids: readonly ObjectContent[], name: string, types: readonly string[]): ObjectContent | undefined {
  return kids.find((k) => types.includes(k.obj.type) && str(k, "name") === name);
}

const COMPUTE_TYPES = ["ComputeResource", "ClusterComputeResource"];

/**
 * Walks `path` from item `start` below `root`: an item naming a folder becomes the new root,
 * the first naming an object of `types` ends the walk. Returns that object (undefined when
 * the path ran out), the items walked and the index of the next item.
 */
async function walk(
  session: Session,
  root: MoRef,
  path: readonly string[],
  start: number,
  types: readonly string[],
  options: CallOptions | undefined,
): Promise<{ found: ObjectContent | undefined; items: string[]; next: number }> {
  const items: string[] = [];
  let i = start;
  let found: ObjectContent | undefined;
  while (found === undefined && i < path.length) {
    const item = path[i] ?? "";
    const kids = await children(session, root, options);
    const folder = named(kids, item, ["Folder"]);
    if (folder !== undefined) root = folder.obj;
    else found = named(kids, item, types);
    items.push(item);
    i++;
  }
  return { found, items, next: i };
}

/**
 * vpx: walks `[<folder>/...]<datacenter>/[<folder>/...]<computeresource>[/<hostsystem>]` as
 * libvirt's esxVI_Context_LookupManagedObjectsByPath does: each item is tried as a folder
 * (the new lookup root), else as a datacenter (then a compute resource); an item that is
 * neither is passed over; a cluster needs one more item, the host name; a standalone compute
 * resource's host is the one of the same name. `pathText` is the path as errors quote it.
 */
export async function lookupInventoryByPath(
  session: Session,
  path: readonly string[],
  pathText: string,
  options?: CallOptions,
): Promise<InventoryContext> {
  if (path.length === 0) throw new InvalidInputError(`Path '${pathText}' does not specify a datacenter`);
  const dcWalk = await walk(session, session.serviceContent.rootFolder, path, 0, ["Datacenter"], options);
  const dc = dcWalk.found;
  if (dc === undefined) throw new InternalError(`Could not find datacenter specified in '${pathText}'`);
  if (dcWalk.next >= path.length) throw new InvalidInputError(`Path '${pathText}' does not specify a compute resource`);
  const datacenter = datacenterFrom(dc, dcWalk.items.join("/"));
  const crWalk = await walk(session, datacenter.hostFolder, path, dcWalk.next, COMPUTE_TYPES, options);
  const cr = crWalk.found;
  let i = crWalk.next;
  if (cr === undefined) throw new InternalError(`Could not find compute resource specified in '${pathText}'`);
  const resourcePool = ref<"ResourcePool">(cr, "resourcePool");
  if (resourcePool === undefined) throw new InternalError("Could not retrieve resource pool");
  let hostName = path[i - 1] ?? "";
  if (cr.obj.type === "ClusterComputeResource") {
    const item = path[i];
    if (item === undefined) throw new InvalidInputError(`Path '${pathText}' does not specify a host system`);
    hostName = item;
    i++;
  }
  if (i < path.length) throw new InvalidInputError(`Path '${pathText}' ends with an excess item`);
  const hostRefs = (prop(cr, "host") as MoRef<"HostSystem">[] | undefined) ?? [];
  const hosts =
    hostRefs.length === 0
      ? []
      : await retrieveAll(
          session,
          [
            {
              _typeName: "PropertyFilterSpec",
              propSet: [{ _typeName: "PropertySpec", type: "HostSystem", pathSet: HOST_PROPS }],
              objectSet: hostRefs.map((h) => ({ _typeName: "ObjectSpec" as const, obj: h })),
            },
          ],
          options ?? {},
        );
  const host = hosts.find((h) => str(h, "name") === hostName);
  if (host === undefined) throw new InternalError(`Could not find host system specified in '${pathText}'`);
  return {
    datacenter,
    computeResource: { ref: cr.obj as MoRef<"ComputeResource">, name: str(cr, "name"), path: crWalk.items.join("/"), resourcePool },
    hostSystem: hostFrom(host),
  };
}

/**
 * esx://…?vcenter=…: the host system of the vCenter whose IP address is the host's
 * (FindByIp), its compute resource and its datacenter (libvirt's
 * esxVI_Context_LookupManagedObjectsByHostSystemIp), in one retrieval up the parent chain.
 */
export async function lookupInventoryByHostIp(session: Session, ip: string, options?: CallOptions): Promise<InventoryContext> {
  const hostRef = await FindByIp(session.client, { ip, vmSearch: false }, options);
  if (hostRef === undefined) throw new InternalError(`Could not find a host system with IP address '${ip}' in the vCenter`);
  const found = await retrieveAll(
    session,
    [
      {
        _typeName: "PropertyFilterSpec",
        propSet: [
          { _typeName: "PropertySpec", type: "HostSystem", pathSet: HOST_PROPS },
          { _typeName: "PropertySpec", type: "ComputeResource", pathSet: [...COMPUTE_PROPS, "parent"] },
          { _typeName: "PropertySpec", type: "Datacenter", pathSet: [...DATACENTER_PROPS, "parent"] },
          { _typeName: "PropertySpec", type: "Folder", pathSet: ["name", "parent"] },
        ],
        objectSet: [
          {
            _typeName: "ObjectSpec",
            obj: hostRef,
            selectSet: [
              traversal("hostSystemToParent", "HostSystem", "parent", ["managedEntityToParent"]),
              traversal("managedEntityToParent", "ManagedEntity", "parent", ["managedEntityToParent"]),
            ],
          },
        ],
      },
    ],
    options ?? {},
  );
  const host = found.find((oc) => oc.obj.type === "HostSystem");
  const cr = found.find((oc) => COMPUTE_TYPES.includes(oc.obj.type));
  const dc = found.find((oc) => oc.obj.type === "Datacenter");
  if (host === undefined) throw new InternalError("Could not retrieve host system");
  if (cr === undefined) throw new InternalError("Could not retrieve compute resource");
  if (dc === undefined) throw new InternalError("Could not retrieve datacenter");
  const resourcePool = ref<"ResourcePool">(cr, "resourcePool");
  if (resourcePool === undefined) throw new InternalError("Could not retrieve resource pool");
  const byValue = new Map(found.map((oc) => [oc.obj.value, oc]));
  const rootValue = session.serviceContent.rootFolder.value;
  const dcPath = [str(dc, "name")];
  for (let p = ref<"Folder">(dc, "parent"); p !== undefined && p.value !== rootValue;) {
    const folder = byValue.get(p.value);
    if (folder === undefined) break;
    dcPath.unshift(str(folder, "name"));
    p = ref<"Folder">(folder, "parent");
  }
  return {
    datacenter: datacenterFrom(dc, dcPath.join("/")),
    computeResource: { ref: cr.obj as MoRef<"ComputeResource">, name: str(cr, "name"), path: str(cr, "name"), resourcePool },
    hostSystem: hostFrom(host),
  };
}
