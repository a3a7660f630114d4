/**
 * virsh list: the host's domains with libvirt's connectListAllDomains filters (active /
 * inactive, state, autostart, snapshots, persistence, managed save), sorted as virsh sorts
 * them, in one (paged) retrieval whatever the number of VMs — the autostart manager's config
 * rides along when an autostart filter needs it. Each entry carries the domain's handle, for
 * operations on it without another lookup.
 */
import type { CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { autostartConfig, autostartRetrieval, isAutostart } from "./autostart-state.js";
import { domainId, isActive, stateOf, type DomainIdentity, type DomainState } from "./identity.js";
import { domainHandle, retrieveDomains, type AlsoRetrieve, type DomainHandle, type VmPath } from "./lookup.js";

export type StateFilter = "running" | "paused" | "shutoff" | "other";

export interface ListFilters {
  /** Active (default), inactive, or both. */
  readonly active?: boolean;
  readonly inactive?: boolean;
  readonly states?: readonly StateFilter[];
  /** true: only autostarted domains; false: only the others. */
  readonly autostart?: boolean;
  /** true: only domains with snapshots; false: only those without. */
  readonly withSnapshot?: boolean;
  /** true: only persistent domains (all of ESX's); false: only transient ones (none). */
  readonly persistent?: boolean;
  /** true: only domains with a managed save image (none on ESX); false: only those without (all). */
  readonly managedSave?: boolean;
}

export interface DomainListEntry {
  readonly identity: DomainIdentity;
  /** The id shown by virsh, undefined ("-") when inactive. */
  readonly id: number | undefined;
  readonly state: DomainState;
  readonly autostart: boolean | undefined;
  readonly hasSnapshot: boolean | undefined;
  /** The domain's handle, as of the listing. */
  readonly handle: DomainHandle;
}

function matchesState(state: DomainState, filter: StateFilter): boolean {
  switch (filter) {
    case "running":
      return state === "running";
    case "paused":
      return state === "paused";
    case "shutoff":
      return state === "shut off";
    case "other":
      return state !== "running" && state !== "paused" && state !== "shut off";
  }
}

/** virsh's order: active domains by id, then inactive ones by name (case-insensitive). */
export function compareDomains(a: DomainListEntry, b: DomainListEntry): number {
  if (a.id !== undefined && b.id !== undefined) return a.id - b.id;
  if (a.id !== undefined) return -1;
  if (b.id !== undefined) return 1;
  const x = a.identity.name.toLowerCase();
  const y = b.identity.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export async function listDomains(conn: Connection, filters: ListFilters = {}, options: CallOptions = {}): Promise<DomainListEntry[]> {
  // libvirt answers these with an empty list without asking the server.
  if (filters.persistent === false || filters.managedSave === true) return [];
  const paths: VmPath[] = [];
  if (filters.withSnapshot !== undefined) paths.push("snapshot.rootSnapshotList");
  const also: AlsoRetrieve[] = [];
  const auto = filters.autostart !== undefined ? autostartRetrieval(conn) : undefined;
  if (auto !== undefined) also.push(auto);
  const { domains, extra } = await retrieveDomains(conn, paths, { ...options, also });
  const config = auto === undefined ? undefined : autostartConfig(conn, extra);
  const wantActive = filters.active ?? !(filters.inactive ?? false);
  const wantInactive = filters.inactive ?? false;
  const out: DomainListEntry[] = [];
  for (const d of domains) {
    const active = isActive(d.identity.powerState);
    if (active ? !wantActive : !wantInactive) continue;
    const state = stateOf(d.identity.powerState);
    if (filters.states !== undefined && filters.states.length > 0 && !filters.states.some((s) => matchesState(state, s))) continue;
    const autostart = filters.autostart === undefined ? undefined : isAutostart(config, d.identity.ref);
    if (filters.autostart !== undefined && autostart !== filters.autostart) continue;
    const roots = d.props["snapshot.rootSnapshotList"];
    const hasSnapshot = filters.withSnapshot === undefined ? undefined : Array.isArray(roots) && roots.length > 0;
    if (filters.withSnapshot !== undefined && hasSnapshot !== filters.withSnapshot) continue;
    out.push({ identity: d.identity, id: domainId(d.identity), state, autostart, hasSnapshot, handle: domainHandle(d, paths, extra) });
  }
  return out.sort(compareDomains);
}
