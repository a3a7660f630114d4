/**
 * Finding domains: the virtual machines of the connection's host (libvirt scope), looked up
 * by id, UUID or name the way virsh resolves a DOMAIN argument, in one retrieval (a UUID
 * goes through FindByUuid). Extra objects (e.g. the autostart manager) can ride along in
 * the same RetrievePropertiesEx.
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import { retrieveAll, SELECT_SETS } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { FindByUuid } from "../../generated/core.js";
import type { ObjectContent, ObjectSpec, PropertySpec } from "../../generated/property-collector.js";
import type { Connection } from "../connection/connection.js";
import { parseUuid } from "../vmx/uuid.js";
import { IDENTITY_PROPS, identityFrom, isActive, type DomainIdentity } from "./identity.js";

export interface FoundDomain {
  readonly identity: DomainIdentity;
  /** Every property retrieved, by path. */
  readonly props: Readonly<Record<string, unknown>>;
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
export async function retrieveDomains(
  conn: Connection,
  paths: readonly string[],
  options: { only?: MoRef<"VirtualMachine">; also?: readonly AlsoRetrieve[] } & CallOptions = {},
): Promise<LookupResult> {
  const vmPaths = [...new Set([...IDENTITY_PROPS, ...paths])];
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
  const found = await retrieveAll(conn.primary, [{ _typeName: "PropertyFilterSpec", propSet, objectSet }], pickCallOptions(options));
  const domains: FoundDomain[] = [];
  const extra = new Map<string, Record<string, unknown>>();
  for (const oc of found) {
    const props = propsOf(oc);
    if (oc.obj.type === "VirtualMachine") domains.push({ identity: identityFrom(oc.obj as MoRef<"VirtualMachine">, props), props });
    else extra.set(oc.obj.value, props);
  }
  return { domains, extra };
}

export interface DomainLookup extends FoundDomain {
  readonly extra: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** Which ways of naming a domain a command accepts (virsh's VIRSH_BYID / BYUUID / BYNAME). */
export interface LookupBy {
  readonly id?: boolean;
  readonly uuid?: boolean;
  readonly name?: boolean;
}

/**
 * Resolves a virsh DOMAIN argument as virsh does: an id of an active domain when it is a
 * non-negative number, else a UUID when it is a 36-character UUID (FindByUuid in the
 * datacenter, as libvirt), else a name (percent-unescaped names compared) — each only when
 * `by` allows it (default: all three). One RetrievePropertiesEx (two for a UUID, or with
 * `narrow`: the identities of all VMs first, then `paths` of the one found, for properties
 * too large to fetch for every VM). Throws NotFoundError (NO_DOMAIN) when nothing matches.
 */
export async function lookupDomain(
  conn: Connection,
  selector: string,
  paths: readonly string[] = [],
  options: { also?: readonly AlsoRetrieve[]; by?: LookupBy; narrow?: boolean } & CallOptions = {},
): Promise<DomainLookup> {
  const by = { id: options.by?.id ?? true, uuid: options.by?.uuid ?? true, name: options.by?.name ?? true };
  const call = { ...pickCallOptions(options), ...(options.also !== undefined ? { also: options.also } : {}) };
  const numeric = /^\d+$/.test(selector);
  const uuid = by.uuid && selector.length === 36 ? parseUuid(selector) : undefined;
  if (uuid !== undefined) {
    const ref = await FindByUuid(conn.primary.client, { datacenter: conn.inventory.datacenter.ref, uuid, vmSearch: true }, options);
    if (ref !== undefined) {
      const r = await retrieveDomains(conn, paths, { ...call, only: ref as MoRef<"VirtualMachine"> });
      const d = r.domains[0];
      if (d !== undefined) return { ...d, extra: r.extra };
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
  if (!narrow) return { ...match, extra: r.extra };
  const one = await retrieveDomains(conn, paths, { ...call, only: match.identity.ref });
  const d = one.domains[0];
  if (d === undefined) throw notFound(selector, by);
  return { ...d, extra: one.extra };
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
