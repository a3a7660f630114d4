/**
 * The property collector: RetrievePropertiesEx with ContinueRetrievePropertiesEx paging (no
 * object lost past the first page), libvirt's traversal specs, container views, and typed
 * results (property path → value typed from the managed object's property set).
 */
import { AbortError, InternalError } from "../errors/esxvi-error.js";
import { isFault } from "./faults.js";
import type { Session } from "./session.js";
import { moRef, pickCallOptions, type AnyPrimitive, type CallOptions, type MoRef, type TypedPrimitive } from "./soap/index.js";
import {
  CancelRetrievePropertiesEx,
  ContinueRetrievePropertiesEx,
  CreateContainerView,
  DestroyView,
  RetrievePropertiesEx,
  type AnySelectionSpec,
  type MissingProperty,
  type ObjectContent,
  type ObjectSpec,
  type PropertyFilterSpec,
  type RetrieveResult,
  type TraversalSpec,
} from "../generated/property-collector.js";
import type { ManagedObjectType, ManagedObjectTypes } from "../generated/managed.js";

/** The value at a dotted property path of a managed object's property set. */
export type PathValue<O, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof O
    ? PathValue<NonNullable<O[H]>, R>
    : unknown
  : P extends keyof O
    ? NonNullable<O[P]>
    : unknown;

/** Values the property collector does not traverse into: a path ends at them. */
type PathLeaf = AnyPrimitive | MoRef | TypedPrimitive | readonly unknown[];

/** Depth counter for PropertyPath: Prev[D] is D - 1. */
type Prev = [never, 0, 1, 2, 3];

/**
 * Every dotted property path of a property set, to a bounded depth (four names by default):
 * `"config"`, `"config.hardware"`, `"config.hardware.numCPU"`, … A path must exist, so a
 * misspelled one does not compile, and an editor completes them. Paths do not go into lists
 * or references; through a slot that admits subtypes, only the base type's members.
 */
export type PropertyPath<O, D extends number = 3> = [D] extends [never]
  ? never
  : {
      [K in Exclude<keyof O, "_typeName" | "_wireType"> & string]-?: NonNullable<O[K]> extends PathLeaf
        ? K
        : K | `${K}.${PropertyPath<NonNullable<O[K]>, Prev[D]>}`;
    }[Exclude<keyof O, "_typeName" | "_wireType"> & string];

/** The property paths of a managed object type. */
export type ManagedPropertyPath<T extends ManagedObjectType> = PropertyPath<ManagedObjectTypes[T]>;

/** One retrieved object: its reference, the properties that came back, and those that did not. */
export interface Retrieved<T extends ManagedObjectType, P extends string> {
  readonly obj: MoRef<T>;
  readonly props: { readonly [K in P]?: PathValue<ManagedObjectTypes[T], K> };
  readonly missing: readonly MissingProperty[];
}

export interface RetrieveOptions extends CallOptions {
  /** Objects per page; the server may send fewer (default: the server's choice). */
  readonly maxObjects?: number;
}

/**
 * Runs RetrievePropertiesEx and follows its tokens to the last page. A server that lost the
 * session may answer with every property missing as NotAuthenticated instead of a fault
 * (vcsim does): then the session is re-established and the retrieval runs once more.
 */
export async function retrieveAll(
  session: Session,
  specSet: PropertyFilterSpec[],
  options: RetrieveOptions = {},
): Promise<ObjectContent[]> {
  const found = await retrievePages(session, specSet, options);
  if (!found.some((oc) => oc.missingSet?.some((m) => isFault(m, "NotAuthenticated")) === true)) return found;
  await session.ensureSession(options.signal !== undefined ? { signal: options.signal } : {});
  return retrievePages(session, specSet, options);
}

async function retrievePages(session: Session, specSet: PropertyFilterSpec[], options: RetrieveOptions): Promise<ObjectContent[]> {
  const call = pickCallOptions(options);
  const first = await RetrievePropertiesEx(
    session.client,
    { specSet, options: { _typeName: "RetrieveOptions", ...(options.maxObjects !== undefined ? { maxObjects: options.maxObjects } : {}) } },
    call,
  );
  const out: ObjectContent[] = [];
  let page: RetrieveResult | undefined = first;
  while (page !== undefined) {
    // One by one: spreading a page of many objects into push() overflows the call stack.
    for (const o of page.objects) out.push(o);
    const token = page.token;
    if (token === undefined) break;
    try {
      if (options.signal?.aborted === true) throw new AbortError("the property retrieval was aborted", { cause: options.signal.reason });
      page = await ContinueRetrievePropertiesEx(session.client, { token }, call);
    } catch (e) {
      // The rest of the result set is still held by the server: release it (best effort).
      if (e instanceof AbortError)
        await CancelRetrievePropertiesEx(session.client, { token }, { timeoutMs: 10_000 }).catch(() => undefined);
      throw e;
    }
  }
  return out;
}

/** A TraversalSpec in libvirt's form: named, not skipping, optionally with nested selections by name. */
export function traversal(name: string, type: string, path: string, selectNames: readonly string[] = []): TraversalSpec {
  return {
    _typeName: "TraversalSpec",
    name,
    type,
    path,
    skip: false,
    ...(selectNames.length > 0 ? { selectSet: selectNames.map((n) => ({ _typeName: "SelectionSpec" as const, name: n })) } : {}),
  };
}

/** libvirt's prebuilt selection sets (esx_vi.c, esxVI_Context_Connect). */
export const SELECT_SETS = {
  folderToChildEntity: (): AnySelectionSpec[] => [traversal("folderToChildEntity", "Folder", "childEntity")],
  hostSystemToParent: (): AnySelectionSpec[] => [traversal("hostSystemToParent", "HostSystem", "parent")],
  hostSystemToVm: (): AnySelectionSpec[] => [traversal("hostSystemToVm", "HostSystem", "vm")],
  hostSystemToDatastore: (): AnySelectionSpec[] => [traversal("hostSystemToDatastore", "HostSystem", "datastore")],
  computeResourceToHost: (): AnySelectionSpec[] => [traversal("computeResourceToHost", "ComputeResource", "host")],
  computeResourceToParentToParent: (): AnySelectionSpec[] => [
    traversal("managedEntityToParent", "ManagedEntity", "parent"),
    traversal("computeResourceToParent", "ComputeResource", "parent", ["managedEntityToParent"]),
  ],
  datacenterToNetwork: (): AnySelectionSpec[] => [traversal("datacenterToNetwork", "Datacenter", "network")],
} as const;

const COMPUTE_RESOURCES = new Set(["ComputeResource", "ClusterComputeResource"]);

/** libvirt's choice of traversal for a lookup of `type` objects from `root` (esxVI_LookupObjectContentByType). */
export function selectSetFor(rootType: string, type: string): AnySelectionSpec[] | undefined {
  if (rootType === type && rootType !== "Folder") return undefined;
  if (rootType === "Folder" && (type === "Folder" || type === "Datacenter" || COMPUTE_RESOURCES.has(type)))
    return SELECT_SETS.folderToChildEntity();
  if (COMPUTE_RESOURCES.has(rootType) && type === "HostSystem") return SELECT_SETS.computeResourceToHost();
  if (COMPUTE_RESOURCES.has(rootType) && type === "Datacenter") return SELECT_SETS.computeResourceToParentToParent();
  if (rootType === "HostSystem" && COMPUTE_RESOURCES.has(type)) return SELECT_SETS.hostSystemToParent();
  if (rootType === "HostSystem" && type === "VirtualMachine") return SELECT_SETS.hostSystemToVm();
  if (rootType === "HostSystem" && type === "Datastore") return SELECT_SETS.hostSystemToDatastore();
  if (rootType === "Datacenter" && type === "Network") return SELECT_SETS.datacenterToNetwork();
  throw new InternalError(`Invalid lookup of '${type}' from '${rootType}'`);
}

function spec(
  type: string,
  paths: readonly string[],
  obj: MoRef,
  selectSet: AnySelectionSpec[] | undefined,
  skip: boolean,
): PropertyFilterSpec {
  const objectSpec: ObjectSpec = { _typeName: "ObjectSpec", obj, skip, ...(selectSet !== undefined ? { selectSet } : {}) };
  return {
    _typeName: "PropertyFilterSpec",
    propSet: [{ _typeName: "PropertySpec", type, ...(paths.length > 0 ? { pathSet: [...paths] } : { all: false }) }],
    objectSet: [objectSpec],
  };
}

function toRetrieved<T extends ManagedObjectType, P extends string>(oc: ObjectContent): Retrieved<T, P> {
  const props: Record<string, unknown> = {};
  for (const p of oc.propSet ?? []) props[p.name] = p.val;
  return { obj: oc.obj as MoRef<T>, props: props as Retrieved<T, P>["props"], missing: oc.missingSet ?? [] };
}

/**
 * Retrieves properties of the `type` objects reachable from `root` with libvirt's traversal
 * (or the object itself when root is of that type), typed by the property paths asked for.
 */
export async function lookupByType<T extends ManagedObjectType, const P extends ManagedPropertyPath<T>>(
  session: Session,
  root: MoRef,
  type: T,
  paths: readonly P[],
  options: RetrieveOptions = {},
): Promise<Retrieved<T, P>[]> {
  const selectSet = selectSetFor(root.type, type);
  // With a traversal the root itself is skipped; the server returns the objects of `type`
  // and of its subtypes (a ClusterComputeResource for ComputeResource, a portgroup for Network).
  const found = await retrieveAll(session, [spec(type, paths, root, selectSet, selectSet !== undefined)], options);
  return found.map((oc) => toRetrieved<T, P>(oc));
}

/** Properties of one object, typed. Throws NotFoundError when the server does not return it. */
export async function retrieveOne<T extends ManagedObjectType, const P extends ManagedPropertyPath<T>>(
  session: Session,
  obj: MoRef<T>,
  paths: readonly P[],
  options: RetrieveOptions = {},
): Promise<Retrieved<T, P>> {
  const [found] = await retrieveAll(session, [spec(obj.type, paths, obj, undefined, false)], options);
  if (found === undefined) throw new InternalError(`could not look up ${obj.type} '${obj.value}'`);
  return toRetrieved<T, P>(found);
}

/** Properties of several objects of one type in one call, in the order the server answers. */
export async function retrieveMany<T extends ManagedObjectType, const P extends ManagedPropertyPath<T>>(
  session: Session,
  type: T,
  objs: readonly MoRef<T>[],
  paths: readonly P[],
  options: RetrieveOptions = {},
): Promise<Retrieved<T, P>[]> {
  if (objs.length === 0) return [];
  const filter: PropertyFilterSpec = {
    _typeName: "PropertyFilterSpec",
    propSet: [{ _typeName: "PropertySpec", type, pathSet: [...paths] }],
    objectSet: objs.map((obj) => ({ _typeName: "ObjectSpec", obj })),
  };
  return (await retrieveAll(session, [filter], options)).map((oc) => toRetrieved<T, P>(oc));
}

/**
 * Retrieves properties of every `type` object under `container` through a container view
 * (recursive by default), destroying the view afterwards.
 */
export async function retrieveFromView<T extends ManagedObjectType, const P extends ManagedPropertyPath<T>>(
  session: Session,
  container: Parameters<typeof CreateContainerView>[1]["container"],
  type: T,
  paths: readonly P[],
  options: RetrieveOptions & { readonly recursive?: boolean } = {},
): Promise<Retrieved<T, P>[]> {
  const view = await CreateContainerView(session.client, { container, type: [type], recursive: options.recursive ?? true }, options);
  try {
    const viewSpec = spec(type, paths, view, [traversal("viewToObject", "ContainerView", "view")], true);
    return (await retrieveAll(session, [viewSpec], options)).map((oc) => toRetrieved<T, P>(oc));
  } finally {
    await DestroyView(session.client, view).catch(() => undefined);
  }
}

/** The reference to a managed object of a known type and id. */
export function ref<T extends ManagedObjectType>(type: T, value: string): MoRef<T> {
  return moRef(type, value);
}
