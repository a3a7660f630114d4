/**
 * Domain snapshots as libvirt's ESX driver handles them: the VM's snapshot tree
 * (snapshot.rootSnapshotList, snapshot.currentSnapshot) read in the same retrieval as the
 * domain lookup (SNAPSHOT_PATHS), snapshots identified by name (the first match depth-first, as
 * esxVI_GetSnapshotTreeByName), no libvirt metadata. Create, revert and delete run as VM
 * tasks: the pre-task check (create), the task, and the waiter with question handling.
 */
import { NotFoundError, OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import type { TaskInfo } from "../../generated/tasks.js";
import {
  CreateSnapshot_Task,
  PowerOffVM_Task,
  RemoveSnapshot_Task,
  RevertToSnapshot_Task,
  type VirtualMachineSnapshotInfo,
  type VirtualMachineSnapshotTree,
} from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import { dateTimeToEpoch } from "../util/index.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";
import { unsupportedFlags } from "./unsupported-flags.js";
import { runDomainTask, waitForDomainTask, type DomainTaskOptions } from "./vm-task.js";
import { formatSnapshotXml, parseSnapshotXml, snapshotStateOf, type SnapshotState } from "./snapshot-xml.js";

export interface SnapshotNode {
  readonly ref: MoRef<"VirtualMachineSnapshot">;
  readonly name: string;
  /** As the server gave it (ESX always gives one, possibly empty). */
  readonly description: string | undefined;
  readonly createTime: Date;
  /** createTime in Unix seconds (libvirt's creationTime). */
  readonly creationTime: number;
  /** The VM's power state when the snapshot was taken. */
  readonly powerState: string;
  readonly state: SnapshotState;
  readonly quiesced: boolean;
  readonly parent: SnapshotNode | undefined;
  readonly children: readonly SnapshotNode[];
}

/** Which snapshot a command means: a name, or the current one (virsh's --current). */
export type SnapshotSelector = { readonly name: string } | { readonly current: true };

function epochOf(date: Date): number {
  const t = date.getTime();
  return Number.isNaN(t) ? 0 : dateTimeToEpoch(date.toISOString());
}

/** A VM's snapshot tree with libvirt's walks over it. */
export class SnapshotTree {
  readonly roots: readonly SnapshotNode[];
  /** Every snapshot, depth first (the order libvirt lists names in). */
  readonly all: readonly SnapshotNode[];
  readonly current: SnapshotNode | undefined;

  private constructor(roots: SnapshotNode[], all: SnapshotNode[], current: SnapshotNode | undefined) {
    this.roots = roots;
    this.all = all;
    this.current = current;
  }

  /** Builds the tree from a VM's `snapshot` property (undefined: no snapshots). */
  static from(info: VirtualMachineSnapshotInfo | undefined): SnapshotTree {
    const all: SnapshotNode[] = [];
    const build = (t: VirtualMachineSnapshotTree, parent: SnapshotNode | undefined): SnapshotNode => {
      const children: SnapshotNode[] = [];
      const createTime = t.createTime instanceof Date ? t.createTime : new Date(Number.NaN);
      const node: SnapshotNode = {
        ref: t.snapshot,
        name: t.name,
        description: typeof t.description === "string" ? t.description : undefined,
        createTime,
        creationTime: epochOf(createTime),
        powerState: t.state,
        state: snapshotStateOf(t.state),
        quiesced: t.quiesced,
        parent,
        children,
      };
      all.push(node);
      for (const c of t.childSnapshotList ?? []) children.push(build(c, node));
      return node;
    };
    const roots = (info?.rootSnapshotList ?? []).map((t) => build(t, undefined));
    const currentRef = info?.currentSnapshot;
    const current = currentRef === undefined ? undefined : all.find((n) => n.ref.value === currentRef.value);
    return new SnapshotTree(roots, all, current);
  }

  /** The first snapshot of that name, depth first (esxVI_GetSnapshotTreeByName). */
  find(name: string): SnapshotNode | undefined {
    return this.all.find((n) => n.name === name);
  }

  /** The named snapshot or the current one; NO_DOMAIN_SNAPSHOT when there is none. */
  resolve(which: SnapshotSelector): SnapshotNode {
    if ("current" in which) {
      if (this.current === undefined)
        throw new NotFoundError("Domain snapshot not found: Domain has no current snapshot", { code: "NO_DOMAIN_SNAPSHOT" });
      return this.current;
    }
    const found = this.find(which.name);
    if (found === undefined)
      throw new NotFoundError(`Domain snapshot not found: Could not find snapshot with name '${which.name}'`, {
        code: "NO_DOMAIN_SNAPSHOT",
      });
    return found;
  }
}

/** How many snapshots are below `node` (all levels). */
export function descendantCount(node: SnapshotNode): number {
  return descendantsOf(node).length;
}

export interface DomainSnapshots {
  readonly domain: DomainIdentity;
  readonly tree: SnapshotTree;
}

/** What the snapshot operations read: the VM's snapshot tree. */
export const SNAPSHOT_PATHS = ["snapshot"] as const;

/** The domain and its snapshot tree, from the handle (looked up with SNAPSHOT_PATHS). */
export async function domainSnapshots(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainSnapshots> {
  const d = await withDomainData(conn, domain, SNAPSHOT_PATHS, options);
  return { domain: d.identity, tree: SnapshotTree.from(d.props["snapshot"]) };
}

export interface SnapshotListFilters {
  /** Only snapshots without a parent (libvirt's LIST_ROOTS). */
  readonly roots?: boolean;
  /** Only snapshots without children (LIST_LEAVES). */
  readonly leaves?: boolean;
  /** Only snapshots with children (LIST_NO_LEAVES). */
  readonly noLeaves?: boolean;
  /** Only the children of this snapshot (virsh --from / --current). */
  readonly from?: SnapshotNode;
  /** With `from`: all its descendants, not only its children (LIST_DESCENDANTS). */
  readonly descendants?: boolean;
}

/** Every snapshot below `node`, depth first. */
export function descendantsOf(node: SnapshotNode): SnapshotNode[] {
  return node.children.flatMap((c) => [c, ...descendantsOf(c)]);
}

/** virsh's order for snapshot lists: names compared case-insensitively (ASCII). */
export function compareSnapshotNames(a: string, b: string): number {
  const x = a.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const y = b.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The snapshots libvirt lists for these filters, in virsh's order. */
export function selectSnapshots(tree: SnapshotTree, filters: SnapshotListFilters = {}): SnapshotNode[] {
  const from = filters.from;
  const pool =
    from !== undefined
      ? filters.descendants === true
        ? descendantsOf(from)
        : from.children
      : filters.roots === true
        ? tree.roots
        : tree.all;
  return pool
    .filter((n) => (filters.leaves !== true || n.children.length === 0) && (filters.noLeaves !== true || n.children.length > 0))
    .sort((a, b) => compareSnapshotNames(a.name, b.name));
}

/** libvirt's snapshot XML for a node of the tree. */
export function snapshotXml(domain: DomainIdentity, node: SnapshotNode): string {
  return formatSnapshotXml({
    name: node.name,
    description: node.description,
    state: node.state,
    parent: node.parent?.name,
    creationTime: node.creationTime,
    domainUuid: domain.uuid,
  });
}

export interface CreateSnapshotOptions extends DomainTaskOptions {
  /** Disk state only, no memory (virsh --disk-only; CreateSnapshot_Task memory=false). */
  readonly diskOnly?: boolean;
  /** Quiesce the guest's file systems (needs VMware Tools). */
  readonly quiesce?: boolean;
  /** virsh --halt: power the domain off once the snapshot is taken (PowerOffVM_Task when active). */
  readonly halt?: boolean;
}

/** The snapshot XML of a create, read and checked as libvirt does before anything is looked up (no <disks>). */
export function snapshotCreateDef(xml: string): { readonly name: string; readonly description: string | undefined } {
  const def = parseSnapshotXml(xml);
  if (def.diskCount > 0) throw new UnsupportedError("disk snapshots not supported yet", { code: "CONFIG_UNSUPPORTED" });
  return { name: def.name, description: def.description };
}

/**
 * virDomainSnapshotCreateXML on ESX: parse the snapshot XML (snapshotCreateDef), refuse a name
 * the domain already has (checked in the handle's tree, before anything changes), then the
 * pre-task check, CreateSnapshot_Task and the wait (runDomainTask), and with `halt` the
 * power-off. Resolves with the domain and the name.
 */
export async function createSnapshot(
  conn: Connection,
  handle: DomainHandle,
  xml: string,
  options: CreateSnapshotOptions = {},
): Promise<{ domain: DomainIdentity; name: string; task: TaskInfo }> {
  const def = snapshotCreateDef(xml);
  const { domain, tree } = await domainSnapshots(conn, handle, pickCallOptions(options));
  if (tree.find(def.name) !== undefined) throw new OperationInvalidError(`Snapshot '${def.name}' already exists`);
  const task = await runDomainTask(
    conn,
    conn.primary,
    domain.ref,
    (c) =>
      CreateSnapshot_Task(
        conn.primary.client,
        domain.ref,
        {
          name: def.name,
          ...(def.description !== undefined ? { description: def.description } : {}),
          memory: options.diskOnly !== true,
          quiesce: options.quiesce === true,
        },
        c,
      ),
    options,
  );
  if (options.halt === true && domain.powerState !== "poweredOff") {
    await runDomainTask(conn, conn.primary, domain.ref, (c) => PowerOffVM_Task(conn.primary.client, domain.ref, c), options);
  }
  return { domain, name: def.name, task };
}

/**
 * The snapshot (a node of the handle's tree, or found by name or as the current one there),
 * `start`'s task on it and the wait for it; `start` may return undefined to do nothing more.
 */
async function onSnapshot(
  conn: Connection,
  handle: DomainHandle,
  which: SnapshotSelector | SnapshotNode,
  options: DomainTaskOptions,
  start: (snapshot: SnapshotNode, call: CallOptions) => Promise<MoRef<"Task">> | undefined,
): Promise<{ domain: DomainIdentity; snapshot: SnapshotNode }> {
  const call = pickCallOptions(options);
  const snapshot = isNode(which) ? which : (await domainSnapshots(conn, handle, call)).tree.resolve(which);
  const domain = handle.identity;
  const task = await start(snapshot, call);
  if (task !== undefined) await waitForDomainTask(conn, conn.primary, domain.ref, task, options);
  return { domain, snapshot };
}

function isNode(which: SnapshotSelector | SnapshotNode): which is SnapshotNode {
  return "ref" in which;
}

/**
 * virDomainRevertToSnapshot: RevertToSnapshot_Task on the snapshot (a node of the domain's
 * tree, or the named or current one), and the wait.
 */
export async function revertToSnapshot(
  conn: Connection,
  domain: DomainHandle,
  which: SnapshotSelector | SnapshotNode,
  options: DomainTaskOptions = {},
): Promise<{ domain: DomainIdentity; snapshot: SnapshotNode }> {
  return onSnapshot(conn, domain, which, options, (snapshot, call) => RevertToSnapshot_Task(conn.primary.client, snapshot.ref, {}, call));
}

export interface DeleteSnapshotOptions extends DomainTaskOptions {
  /** Also remove the snapshot's descendants (virsh --children). */
  readonly children?: boolean;
  /** libvirt metadata only: ESX keeps none, so nothing is done once the snapshot is found. */
  readonly metadataOnly?: boolean;
}

/** virDomainSnapshotDelete: RemoveSnapshot_Task (removeChildren with --children), and the wait. */
export async function deleteSnapshot(
  conn: Connection,
  domain: DomainHandle,
  which: SnapshotSelector | SnapshotNode,
  options: DeleteSnapshotOptions = {},
): Promise<{ domain: DomainIdentity; snapshot: SnapshotNode }> {
  return onSnapshot(conn, domain, which, options, (snapshot, call) =>
    options.metadataOnly === true
      ? undefined
      : RemoveSnapshot_Task(conn.primary.client, snapshot.ref, { removeChildren: options.children === true }, call),
  );
}

/**
 * What libvirt's ESX driver cannot do to a snapshot: redefine it (virsh snapshot-current NAME
 * and snapshot-edit redefine with VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE, plus CURRENT to make
 * it current). vSphere makes a snapshot current only by reverting to it. Fails as libvirt
 * does once the snapshot is found.
 */
export function refuseRedefine(makeCurrent: boolean): never {
  throw unsupportedFlags("esxDomainSnapshotCreateXML", makeCurrent ? 0x3 : 0x1);
}
