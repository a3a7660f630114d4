/**
 * Finding domains: the virtual machines of the connection's host (libvirt scope), looked up
 * by id, UUID or name the way virsh resolves a DOMAIN argument, in one retrieval (a UUID
 * goes through FindByUuid). Extra objects (e.g. the autostart manager) can ride along in
 * the same RetrievePropertiesEx.
 */
import { NotFoundError } from "../../runtime/errors.js";
import { retrieveAll, SELECT_SETS } from "../../runtime/property-collector.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";
import { FindByUuid, type ObjectContent, type ObjectSpec, type PropertySpec } from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import { IDENTITY_PROPS, identityFrom, isActive, normalizeUuid, type DomainIdentity } from "./identity.js";

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
export async function retrieveDomains(conn: Connection, paths: readonly string[], options: { only?: MoRef<"VirtualMachine">; also?: readonly AlsoRetrieve[] } & CallOptions = {}): Promise<LookupResult> {
  const vmPaths = [...new Set([...IDENTITY_PROPS, ...paths])];
  const propSet: PropertySpec[] = [{ _typeName: "PropertySpec", type: "VirtualMachine", pathSet: vmPaths }];
  const objectSet: ObjectSpec[] = [
    options.only !== undefined
      ? { _typeName: "ObjectSpec", obj: options.only }
      : { _typeName: "ObjectSpec", obj: conn.inventory.hostSystem.ref, skip: true, selectSet: SELECT_SETS.hostSystemToVm() },
  ];
  for (const a of options.also ?? []) {
    if (!propSet.some((p) => p.type === a.obj.type)) propSet.push({ _typeName: "PropertySpec", type: a.obj.type, pathSet: [...a.paths] });
    objectSet.push({ _typeName: "ObjectSpec", obj: a.obj });
  }
  const found = await retrieveAll(conn.primary, [{ _typeName: "PropertyFilterSpec", propSet, objectSet }], {
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
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

/**
 * Resolves a virsh DOMAIN argument: an id of a running domain when it is a number, else a
 * UUID when it parses as one, else a name (percent-unescaped names compared). Throws
 * NotFoundError (NO_DOMAIN) when nothing matches.
 */
export async function lookupDomain(conn: Connection, selector: string, paths: readonly string[] = [], options: { also?: readonly AlsoRetrieve[] } & CallOptions = {}): Promise<DomainLookup> {
  const uuid = normalizeUuid(selector);
  if (uuid !== undefined && !/^\d+$/.test(selector)) {
    const ref = await FindByUuid(conn.primary.client, { datacenter: conn.inventory.datacenter.ref, uuid, vmSearch: true }, options);
    if (ref !== undefined) {
      const r = await retrieveDomains(conn, paths, { ...options, only: ref as MoRef<"VirtualMachine"> });
      const d = r.domains[0];
      if (d !== undefined) return { ...d, extra: r.extra };
    }
  }
  const r = await retrieveDomains(conn, paths, options);
  const byId = /^\d+$/.test(selector) ? r.domains.find((d) => d.identity.moId === Number(selector) && isActive(d.identity.powerState)) : undefined;
  const match = byId ?? r.domains.find((d) => uuid !== undefined && d.identity.uuid === uuid) ?? r.domains.find((d) => d.identity.name === selector);
  if (match === undefined) {
    const what = /^\d+$/.test(selector) ? `with ID ${selector} or name` : uuid !== undefined ? "with UUID or name" : "with name";
    throw new NotFoundError("NO_DOMAIN", `Domain not found: no domain ${what} '${selector}'`);
  }
  return { ...match, extra: r.extra };
}
