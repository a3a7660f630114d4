/**
 * Finding domains: the virtual machines of the connection's host (libvirt scope), looked up
 * by id, UUID or name the way virsh resolves a DOMAIN argument, in one retrieval (a UUID
 * goes through FindByUuid). A lookup returns a handle: the VM's reference, its identity and
 * the properties asked for, typed by their paths; extra objects (the host, its autostart
 * manager) can ride along in the same RetrievePropertiesEx. Operations take the handle and
 * read what they need from it; each exports the paths it reads, to be asked for in the
 * lookup (a handle without them costs the operation one retrieval of the missing ones).
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import { isFault } from "../../runtime/faults.js";
import { retrieveAll, SELECT_SETS, type ManagedPropertyPath, type PathValue } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { FindByUuid } from "../../generated/core.js";
import type { ManagedObjectTypes } from "../../generated/managed.js";
import type { ObjectContent, ObjectSpec, PropertyFilterSpec, PropertySpec } from "../../generated/property-collector.js";
import type { Connection } from "../connection/connection.js";
import { parseUuid } from "../vmx/uuid.js";
import { autostartRetrieval } from "./autostart-state.js";
import { IDENTITY_PROPS, identityFrom, isActive, type DomainIdentity } from "./identity.js";

type IdentityPath = (typeof IDENTITY_PROPS)[number];

/** A property path of a VirtualMachine (a misspelled one does not compile; editors complete them). */
export type VmPath = ManagedPropertyPath<"VirtualMachine">;

/** A VM's properties by path, each typed as the VirtualMachine's property set declares it. */
export type DomainProps<P extends string> = { readonly [K in P]?: PathValue<ManagedObjectTypes["VirtualMachine"], K> };

export interface FoundDomain<P extends string = string> {
  readonly identity: DomainIdentity;
  /** Every property retrieved, by path (a property the VM does not have set is absent). */
  readonly props: DomainProps<P | IdentityPath>;
}

/** Another object to retrieve in the same call. */
export interface AlsoRetrieve {
  readonly obj: MoRef;
  readonly paths: readonly string[];
}

export interface LookupResult {
  readonly domains: readonly FoundDomain[];
  /** The extra objects' properties, by moref value. */
  readonly extra: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

function propsOf(oc: ObjectContent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of oc.propSet ?? []) out[p.name] = p.val;
  return out;
}

/**
 * Retrieves `paths` (plus the identity properties) of the host's VMs — or of one VM when
 * `only` is given — and the `also` objects, in one RetrievePropertiesEx.
 */
export async function retrieveDomains<const P extends VmPath = never>(
  conn: Connection,
  paths: readonly P[],
  options: { only?: MoRef<"VirtualMachine">; also?: readonly AlsoRetrieve[] } & CallOptions = {},
): Promise<{ readonly domains: readonly FoundDomain<P>[]; readonly extra: LookupResult["extra"] }> {
  const vmPaths = [...new Set<string>([...IDENTITY_PROPS, ...paths])];
  const propSet: PropertySpec[] = [{ _typeName: "PropertySpec", type: "VirtualMachine", pathSet: vmPaths }];
  const objectSet: ObjectSpec[] = [
    options.only !== undefined
      ? { _typeName: "ObjectSpec", obj: options.only }
      : { _typeName: "ObjectSpec", obj: conn.inventory.hostSystem.ref, skip: true, selectSet: SELECT_SETS.hostSystemToVm() },
  ];
  for (const a of options.also ?? []) {
    const same = propSet.find((p) => p.type === a.obj.type);
    if (same === undefined) propSet.push({ _typeName: "PropertySpec", type: a.obj.type, pathSet: [...a.paths] });
    else same.pathSet = [...new Set([...(same.pathSet ?? []), ...a.paths])];
    // An object already in the set (e.g. the host the VM search starts from) is reported instead of skipped.
    const existing = objectSet.find((o) => o.obj.type === a.obj.type && o.obj.value === a.obj.value);
    if (existing === undefined) objectSet.push({ _typeName: "ObjectSpec", obj: a.obj });
    else existing.skip = false;
  }
  const spec: PropertyFilterSpec = { _typeName: "PropertyFilterSpec", propSet, objectSet };
  const found = await retrieveAll(conn.primary, [spec], pickCallOptions(options)).catch((e: unknown) => {
    // One VM that is no longer there: no domain found (the server refuses the whole filter).
    if (options.only !== undefined && isFault(e, "ManagedObjectNotFound")) return [];
    throw e;
  });
  const domains: FoundDomain<P>[] = [];
  const extra = new Map<string, Record<string, unknown>>();
  for (const oc of found) {
    const props = propsOf(oc);
    if (oc.obj.type === "VirtualMachine")
      domains.push({ identity: identityFrom(oc.obj as MoRef<"VirtualMachine">, props), props: props as DomainProps<P | IdentityPath> });
    else extra.set(oc.obj.value, props);
  }
  return { domains, extra };
}

/**
 * A domain as a lookup found it: its reference and identity (name, UUID, id, power state as
 * of the lookup), the VM properties retrieved with it (typed by path) and the other objects'
 * properties that came in the same retrieval. Operations take a handle; the state it holds
 * is the lookup's (refreshDomain reads it again).
 */
export interface DomainHandle<P extends string = string> extends FoundDomain<P> {
  readonly ref: MoRef<"VirtualMachine">;
  /** The VM paths the retrieval asked for (the identity's included), set on the VM or not. */
  readonly paths: readonly string[];
  /** The extra objects' properties (the host, its autostart manager), by moref value. */
  readonly extra: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** Which ways of naming a domain a command accepts (virsh's VIRSH_BYID / BYUUID / BYNAME). */
export interface LookupBy {
  readonly id?: boolean;
  readonly uuid?: boolean;
  readonly name?: boolean;
}

export interface LookupOptions extends CallOptions {
  /** Other objects to retrieve in the same call (their properties land in `extra`). */
  readonly also?: readonly AlsoRetrieve[];
  /** Also the host's autostart configuration (read by domainInfo and setDomainAutostart). */
  readonly autostart?: boolean;
  /** Also these properties of the connection's host (setDomainVcpus reads SET_VCPUS_HOST_PATHS). */
  readonly hostPaths?: readonly string[];
  /** The ways of naming the domain accepted (default: all three). */
  readonly by?: LookupBy;
  /** Find the VM by its identity first, then retrieve `paths` of that VM only (for properties too large to fetch for every VM). */
  readonly narrow?: boolean;
}

/** The `also` objects of a lookup's options. */
function alsoOf(conn: Connection, options: LookupOptions): AlsoRetrieve[] {
  const also = [...(options.also ?? [])];
  const auto = options.autostart === true ? autostartRetrieval(conn) : undefined;
  if (auto !== undefined) also.push(auto);
  if (options.hostPaths !== undefined && options.hostPaths.length > 0)
    also.push({ obj: conn.inventory.hostSystem.ref, paths: options.hostPaths });
  return also;
}

/** The paths a handle holds for each `paths` asked for: one array for the handles of a listing, not one each. */
const handlePaths = new WeakMap<readonly string[], readonly string[]>();

function handleOf<P extends string>(found: FoundDomain<P>, paths: readonly string[], extra: LookupResult["extra"]): DomainHandle<P> {
  let all = handlePaths.get(paths);
  if (all === undefined) {
    all = [...new Set<string>([...IDENTITY_PROPS, ...paths])];
    handlePaths.set(paths, all);
  }
  return { ref: found.identity.ref, identity: found.identity, props: found.props, paths: all, extra };
}

/**
 * Resolves a virsh DOMAIN argument as virsh does: an id of an active domain when it is a
 * non-negative number, else a UUID when it is a 36-character UUID (FindByUuid in the
 * datacenter, as libvirt), else a name (percent-unescaped names compared) — each only when
 * `by` allows it (default: all three). One RetrievePropertiesEx (two for a UUID, or with
 * `narrow`: the identities of all VMs first, then `paths` of the one found). Resolves with the
 * domain's handle holding `paths`; throws NotFoundError (NO_DOMAIN) when nothing matches.
 */
export async function lookupDomain<const P extends VmPath = never>(
  conn: Connection,
  selector: string,
  paths: readonly P[] = [],
  options: LookupOptions = {},
): Promise<DomainHandle<P>> {
  const by = { id: options.by?.id ?? true, uuid: options.by?.uuid ?? true, name: options.by?.name ?? true };
  const also = alsoOf(conn, options);
  const call = { ...pickCallOptions(options), ...(also.length > 0 ? { also } : {}) };
  const numeric = /^\d+$/.test(selector);
  const uuid = by.uuid && selector.length === 36 ? parseUuid(selector) : undefined;
  if (uuid !== undefined) {
    const ref = await FindByUuid(conn.primary.client, { datacenter: conn.inventory.datacenter.ref, uuid, vmSearch: true }, options);
    if (ref !== undefined) {
      const r = await retrieveDomains(conn, paths, { ...call, only: ref as MoRef<"VirtualMachine"> });
      const d = r.domains[0];
      if (d !== undefined) return handleOf(d, paths, r.extra);
    }
    if (!by.name) throw notFound(selector, by);
  }
  if (!(by.id && numeric) && !by.name) throw notFound(selector, by);
  // narrow: find the VM by its identity first, then retrieve the (large) paths of that VM only.
  const narrow = options.narrow === true && paths.length > 0;
  const r = await retrieveDomains(conn, narrow ? [] : paths, narrow ? pickCallOptions(options) : call);
  const byId =
    by.id && numeric ? r.domains.find((d) => d.identity.moId === Number(selector) && isActive(d.identity.powerState)) : undefined;
  const match = byId ?? (by.name ? r.domains.find((d) => d.identity.name === selector) : undefined);
  if (match === undefined) throw notFound(selector, by);
  if (!narrow) return handleOf(match as FoundDomain<P>, paths, r.extra);
  const one = await retrieveDomains(conn, paths, { ...call, only: match.identity.ref });
  const d = one.domains[0];
  if (d === undefined) throw notFound(selector, by);
  return handleOf(d, paths, one.extra);
}

/** The handle of a domain found by retrieveDomains (a listing), holding the paths it was retrieved with. */
export function domainHandle<P extends string>(
  found: FoundDomain<P>,
  paths: readonly P[],
  extra: LookupResult["extra"] = new Map(),
): DomainHandle<P> {
  return handleOf(found, paths, extra);
}

/** The domain's identity and `paths` (plus the options' extra objects) read again, in one retrieval. */
export async function refreshDomain<const P extends VmPath = never>(
  conn: Connection,
  domain: DomainHandle<string>,
  paths: readonly P[] = [],
  options: Omit<LookupOptions, "by" | "narrow"> = {},
): Promise<DomainHandle<P>> {
  const also = alsoOf(conn, options);
  const r = await retrieveDomains(conn, paths, { ...pickCallOptions(options), only: domain.ref, ...(also.length > 0 ? { also } : {}) });
  const d = r.domains[0];
  if (d === undefined) throw goneError(domain.identity);
  return handleOf(d, paths, r.extra);
}

/**
 * The handle with `paths` and the `also` objects an operation reads: the handle itself when
 * its lookup retrieved them all, else the missing ones retrieved now with the identity (one
 * call), the rest of the handle kept. Operations call it; a program may, to fill a handle.
 */
export async function withDomainData<const P extends VmPath = never>(
  conn: Connection,
  domain: DomainHandle<string>,
  paths: readonly P[],
  options: { also?: readonly AlsoRetrieve[] } & CallOptions = {},
): Promise<DomainHandle<P>> {
  const have = new Set(domain.paths);
  const missing = paths.filter((p) => !have.has(p));
  const also = (options.also ?? []).filter((a) => {
    const got = domain.extra.get(a.obj.value);
    return got === undefined || a.paths.some((p) => !(p in got));
  });
  if (missing.length === 0 && also.length === 0) return domain as DomainHandle<P>;
  const r = await retrieveDomains(conn, missing, { ...pickCallOptions(options), only: domain.ref, also });
  const d = r.domains[0];
  if (d === undefined) throw goneError(domain.identity);
  const extra = new Map(domain.extra);
  for (const [k, v] of r.extra) extra.set(k, { ...extra.get(k), ...v });
  // The identity came again with the missing paths: the handle holds the newer one.
  return {
    ...domain,
    identity: d.identity,
    props: { ...domain.props, ...d.props } as DomainProps<P | IdentityPath>,
    paths: [...have, ...missing],
    extra,
  } as DomainHandle<P>;
}

/** A handle's domain is no longer on the server. */
function goneError(identity: DomainIdentity): NotFoundError<"NO_DOMAIN"> {
  return new NotFoundError(`Domain not found: no domain with UUID '${identity.uuid}'`, { code: "NO_DOMAIN" });
}

/**
 * The session and VM reference for an operation libvirt runs through the vCenter (destroy,
 * undefine, migrate): the primary session and the domain's own reference, or on an
 * esx://…?vcenter=… connection the vCenter's session and the VM found there by UUID.
 */
export async function domainViaVCenter(
  conn: Connection,
  identity: DomainIdentity,
  options: CallOptions = {},
): Promise<{ session: Session; vm: MoRef<"VirtualMachine"> }> {
  const vc = conn.vcenter;
  const inventory = conn.vcenterInventory;
  if (vc === undefined || vc === conn.primary || inventory === undefined) return { session: conn.primary, vm: identity.ref };
  const ref = await FindByUuid(vc.client, { datacenter: inventory.datacenter.ref, uuid: identity.uuid, vmSearch: true }, options);
  if (ref === undefined)
    throw new NotFoundError(`Domain not found: the vCenter has no domain with UUID '${identity.uuid}'`, { code: "NO_DOMAIN" });
  return { session: vc, vm: ref as MoRef<"VirtualMachine"> };
}

function notFound(selector: string, by: Required<LookupBy>): NotFoundError<"NO_DOMAIN"> {
  const numeric = /^\d+$/.test(selector);
  const uuid = selector.length === 36 && parseUuid(selector) !== undefined;
  // With names accepted: the ways this selector was tried; without: the ways accepted.
  const kinds = by.name
    ? [by.id && numeric ? "ID" : undefined, by.uuid && uuid ? "UUID" : undefined, "name"]
    : [by.id ? "ID" : undefined, by.uuid ? "UUID" : undefined];
  const tried = kinds.filter((k) => k !== undefined);
  const what = tried.length <= 1 ? (tried[0] ?? "") : `${tried.slice(0, -1).join(", ")} or ${tried[tried.length - 1] ?? ""}`;
  return new NotFoundError(`Domain not found: no domain with ${what} '${selector}'`, { code: "NO_DOMAIN" });
}
