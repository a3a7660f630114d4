/**
 * Snapshot commands, as virsh names and prints them: snapshot-create-as, snapshot-create,
 * snapshot-list (table, --tree, --roots, --leaves, --parent, --name), snapshot-info,
 * snapshot-dumpxml, snapshot-current, snapshot-parent, snapshot-revert, snapshot-delete.
 */
import { readBoundedFile } from "../../runtime/bounded-file.js";
import type { Command } from "commander";
import { EsxviError, InvalidInputError, NotFoundError } from "../../errors/esxvi-error.js";
import { TaskError } from "../../runtime/faults.js";
import { lookupDomain, type DomainHandle } from "../../drivers/domain/lookup.js";
import {
  createSnapshot,
  deleteSnapshot,
  descendantCount,
  domainSnapshots,
  refuseRedefine,
  revertToSnapshot,
  selectSnapshots,
  snapshotCreateDef,
  snapshotXml,
  SNAPSHOT_PATHS,
  type DomainSnapshots,
  type SnapshotNode,
  type SnapshotSelector,
} from "../../drivers/domain/snapshots.js";
import { snapshotCreateAsXml } from "../../drivers/domain/snapshot-xml.js";
import type { CommandContext } from "../command-context.js";
import { formatTable } from "../output/table.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine, virshFailure } from "./failures.js";
import { exclusive, type JsonOption } from "./option-values.js";
import { withTaskProgress } from "./task-progress.js";
import { registerSnapshotEdit } from "./snapshot-edit.js";

/** The domain argument looked up with its snapshot tree, in one retrieval. */
async function lookupSnapshots(ctx: CommandContext, domain: string): Promise<DomainSnapshots & { handle: DomainHandle }> {
  const conn = await ctx.connection();
  const handle = await lookupDomain(conn, domain, SNAPSHOT_PATHS, { signal: ctx.signal });
  return { handle, ...(await domainSnapshots(conn, handle, { signal: ctx.signal })) };
}

interface PickOptions extends JsonOption {
  readonly current?: boolean;
}

/** virsh's "%Y-%m-%d %H:%M:%S %z" in local time (snapshot-list's Creation Time). */
export function formatCreationTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/** vshTreePrint: each root, then its children indented with "+- " and "|" connectors. */
export function formatSnapshotTree(items: readonly { readonly name: string; readonly parent: string | undefined }[]): string {
  let out = "";
  const print = (index: number, last: number, root: boolean, indent: string): void => {
    const name = items[index]?.name ?? "";
    out += `${indent}${root ? "" : "+- "}${name}\n`;
    const own = root ? indent : `${indent}${index === last ? " " : "|"} `;
    const children = items.flatMap((it, i) => (it.parent !== undefined && it.parent === name ? [i] : []));
    const lastChild = children[children.length - 1] ?? -1;
    if (lastChild !== -1) out += `${own}  |\n`;
    for (const c of children) print(c, lastChild, false, `${own}  `);
    if (lastChild === -1 && index === last) out += `${own}\n`;
  };
  items.forEach((it, i) => {
    if (it.parent === undefined) print(i, i, true, "");
  });
  return out;
}

/** virshLookupSnapshot: a snapshot name or --current, not both. */
function pick(name: string | undefined, opts: PickOptions, arg = "snapshotname"): SnapshotSelector {
  if (name !== undefined && opts.current === true) throw new InvalidInputError(`--${arg} and --current are mutually exclusive`);
  if (name !== undefined) return { name };
  if (opts.current === true) return { current: true };
  throw new InvalidInputError(`--${arg} or --current is required`);
}

function snapshotJson(node: SnapshotNode, current: SnapshotNode | undefined): Record<string, unknown> {
  return {
    name: node.name,
    description: node.description ?? null,
    creationTime: node.creationTime,
    state: node.state,
    parent: node.parent?.name ?? null,
    current: node === current,
    children: node.children.length,
    descendants: descendantCount(node),
    quiesced: node.quiesced,
  };
}

/** virsh's vshPrintExtra: informational lines that --quiet leaves out. */
function extra(ctx: CommandContext, text: string): void {
  if (ctx.options.quiet !== true) ctx.out(text);
}

/** virsh's first error line when an operation on a found snapshot fails ("Failed to … snapshot s1"). */
function failedOn(what: string, resolved: () => string | undefined) {
  return (error: unknown, domain: string, ..._rest: unknown[]): string | undefined => {
    // A snapshot that is not there, or a malformed command line, has no line of its own.
    const quiet = error instanceof EsxviError && (error.code === "NO_DOMAIN_SNAPSHOT" || error.code === "INVALID_ARG");
    const name = quiet ? undefined : resolved();
    return failureLine(error, domain, name === undefined ? undefined : `Failed to ${what} snapshot ${name}`);
  };
}

/** The first error line of a failed create: names the snapshot, the domain and that the task failed. */
function createFailure(error: unknown, domain: string, name: string | undefined): string | undefined {
  return failureLine(
    error,
    domain,
    error instanceof TaskError ? `Could not create snapshot${name === undefined ? "" : ` '${name}'`} of domain '${domain}'` : undefined,
  );
}

interface CreateOptions {
  readonly diskOnly?: boolean;
  readonly quiesce?: boolean;
  readonly halt?: boolean;
  readonly live?: boolean;
  readonly noMetadata?: boolean;
  readonly validate?: boolean;
}

async function create(ctx: CommandContext, domain: string, xml: string, opts: CreateOptions, from: string | undefined): Promise<void> {
  const conn = await ctx.connection();
  const r = await withTaskProgress(ctx, "Snapshot", async (t) => {
    // libvirt reads the snapshot XML before it looks the domain up.
    snapshotCreateDef(xml);
    const d = await lookupDomain(conn, domain, SNAPSHOT_PATHS, { signal: ctx.signal });
    return createSnapshot(conn, d, xml, {
      ...t,
      diskOnly: opts.diskOnly === true,
      quiesce: opts.quiesce === true,
      halt: opts.halt === true,
    });
  });
  extra(ctx, from === undefined ? `Domain snapshot ${r.name} created\n` : `Domain snapshot ${r.name} created from '${from}'\n`);
}

function registerCreate(program: Command, run: ActionRunner): void {
  let snapshotName: string | undefined;
  program
    .command("snapshot-create-as")
    .description("create a snapshot from a set of args")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[name]", "name of snapshot")
    .argument("[description]", "description of snapshot")
    .option("--name <name>", "name of snapshot")
    .option("--description <description>", "description of snapshot")
    .option("--print-xml", "print XML document rather than create")
    .option("--disk-only", "capture disk state but not vm state")
    .option("--quiesce", "quiesce guest's file systems")
    .option("--halt", "halt domain after snapshot is created (powered off)")
    .option("--live", "take a live snapshot (vSphere snapshots a running domain live anyway)")
    .option("--no-metadata", "take snapshot but create no metadata (ESX keeps none anyway)")
    .option("--validate", "validate the XML against the schema")
    .option(
      "--diskspec <diskspec...>",
      "disk attributes: disk[,snapshot=type][,driver=type][,stype=type][,file=name] (ESX takes no disk list)",
    )
    .action(
      run(
        async (
          ctx,
          domain: string,
          posName: string | undefined,
          posDescription: string | undefined,
          opts: CreateOptions & { name?: string; description?: string; printXml?: boolean; diskspec?: string[]; metadata?: boolean },
        ) => {
          const name = opts.name ?? posName;
          const description = opts.description ?? posDescription;
          if (opts.metadata === false && opts.printXml === true)
            throw new InvalidInputError("--print-xml is incompatible with --no-metadata");
          snapshotName = name;
          const xml = snapshotCreateAsXml(name, description, opts.diskspec ?? []);
          if (opts.printXml === true) return ctx.out(`${xml}\n`);
          await create(ctx, domain, xml, opts, undefined);
        },
        (error, domain: string) => createFailure(error, domain, snapshotName),
      ),
    );

  program
    .command("snapshot-create")
    .description("create a snapshot from XML")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[xmlfile]", "domain snapshot XML")
    .option("--disk-only", "capture disk state but not vm state")
    .option("--quiesce", "quiesce guest's file systems")
    .option("--halt", "halt domain after snapshot is created (powered off)")
    .option("--live", "take a live snapshot (vSphere snapshots a running domain live anyway)")
    .option("--no-metadata", "take snapshot but create no metadata (ESX keeps none anyway)")
    .option("--validate", "validate the XML against the schema")
    .action(
      run(
        async (ctx, domain: string, file: string | undefined, opts: CreateOptions) => {
          snapshotName = undefined;
          let xml = "<domainsnapshot/>";
          if (file !== undefined) {
            try {
              xml = (await readBoundedFile(file, `the file '${file}'`, 10 << 20)).toString("utf8");
            } catch (e) {
              // The system's reason (ENOENT …) under virsh's line; a file too large says so itself.
              const reason = e instanceof InvalidInputError && e.cause !== undefined ? e.cause : e;
              throw new InvalidInputError(`Failed to open file '${file}'`, { cause: reason });
            }
          }
          await create(ctx, domain, xml, opts, file);
        },
        (error, domain: string) => createFailure(error, domain, undefined),
      ),
    );
}

interface ListOptions extends JsonOption {
  readonly parent?: boolean;
  readonly roots?: boolean;
  readonly leaves?: boolean;
  readonly noLeaves?: boolean;
  readonly tree?: boolean;
  readonly name?: boolean;
  readonly metadata?: boolean;
  readonly noMetadata?: boolean;
  readonly from?: string;
  readonly current?: boolean;
  readonly descendants?: boolean;
}

function registerList(program: Command, run: ActionRunner): void {
  program
    .command("snapshot-list")
    .description("list snapshots for a domain")
    .argument("<domain>", "domain name, id or uuid")
    .option("--parent", "add a column showing parent snapshot")
    .option("--roots", "list only snapshots without parents")
    .option("--leaves", "list only snapshots without children")
    .option("--no-leaves", "list only snapshots that are not leaves (with children)")
    .option("--metadata", "list only snapshots that have metadata that would prevent undefine (ESX: none)")
    .option("--no-metadata", "list only snapshots that have no metadata managed by libvirt (ESX: all)")
    .option("--tree", "list snapshots in a tree")
    .option("--from <name>", "limit list to children of given snapshot")
    .option("--current", "limit list to children of current snapshot")
    .option("--descendants", "with --from, list all descendants")
    .option("--name", "list snapshot names only")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, raw: ListOptions & { leaves?: boolean; metadata?: boolean }) => {
        // commander turns --no-leaves / --no-metadata into leaves=false / metadata=false.
        const o: ListOptions = {
          ...raw,
          leaves: raw.leaves === true,
          noLeaves: raw.leaves === false,
          metadata: raw.metadata === true,
          noMetadata: raw.metadata === false,
        };
        exclusive("tree", o.tree, "name", o.name);
        exclusive("parent", o.parent, "roots", o.roots);
        exclusive("parent", o.parent, "tree", o.tree);
        exclusive("roots", o.roots, "tree", o.tree);
        exclusive("roots", o.roots, "from", o.from !== undefined);
        exclusive("roots", o.roots, "current", o.current);
        if (o.tree === true) {
          for (const [flag, set] of [
            ["leaves", o.leaves],
            ["no-leaves", o.noLeaves],
          ] as const) {
            if (set === true) throw new InvalidInputError(`--${flag} and --tree are mutually exclusive`);
          }
        }
        if (o.descendants === true && o.from === undefined && o.current !== true)
          throw new InvalidInputError("--descendants requires either --from or --current");
        const start = o.from !== undefined || o.current === true ? pick(o.from, o, "from") : undefined;
        const { tree } = await lookupSnapshots(ctx, domain);
        const from = start === undefined ? undefined : tree.resolve(start);
        // ESX keeps no libvirt metadata: --metadata lists nothing. A tree from a snapshot shows all
        // its descendants under it (virsh adds it as the one entry without a parent).
        const filters = {
          roots: o.roots === true,
          leaves: o.leaves === true,
          noLeaves: o.noLeaves === true,
          ...(from !== undefined ? { from, descendants: o.descendants === true || o.tree === true } : {}),
        };
        const nodes = o.metadata === true ? [] : selectSnapshots(tree, filters);
        if (o.json === true) return ctx.json(nodes.map((n) => snapshotJson(n, tree.current)));
        if (o.tree === true) {
          const items =
            from === undefined || o.metadata === true ? nodes : selectSnapshots(tree, {}).filter((n) => n === from || nodes.includes(n));
          return ctx.out(formatSnapshotTree(items.map((n) => ({ name: n.name, parent: n === from ? undefined : n.parent?.name }))));
        }
        if (o.name === true) return ctx.out(nodes.map((n) => `${n.name}\n`).join(""));
        const header = o.parent === true ? ["Name", "Creation Time", "State", "Parent"] : ["Name", "Creation Time", "State"];
        const rows = nodes.map((n) => {
          const row = [n.name, formatCreationTime(n.creationTime), n.state];
          return o.parent === true ? [...row, n.parent?.name ?? ""] : row;
        });
        ctx.out(formatTable(header, rows, { header: ctx.options.quiet !== true }));
      }, virshFailure()),
    );
}

function registerReaders(program: Command, run: ActionRunner): void {
  program
    .command("snapshot-info")
    .description("snapshot information")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "snapshot name")
    .option("--current", "info on current snapshot")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, name: string | undefined, opts: PickOptions) => {
        const which = pick(name, opts);
        const { domain: d, tree } = await lookupSnapshots(ctx, domain);
        const node = tree.resolve(which);
        const info = {
          name: node.name,
          domain: d.name,
          current: node === tree.current,
          state: node.state,
          location: "internal",
          parent: node.parent?.name ?? null,
          children: node.children.length,
          descendants: descendantCount(node),
          metadata: false,
        };
        if (opts.json === true) return ctx.json(info);
        ctx.out(
          formatFields([
            { label: "Name:", value: info.name },
            { label: "Domain:", value: info.domain },
            { label: "Current:", value: info.current ? "yes" : "no" },
            { label: "State:", value: info.state },
            { label: "Location:", value: info.location },
            { label: "Parent:", value: info.parent ?? "-" },
            { label: "Children:", value: info.children },
            { label: "Descendants:", value: info.descendants },
            { label: "Metadata:", value: info.metadata ? "yes" : "no" },
          ]),
        );
      }, virshFailure()),
    );

  program
    .command("snapshot-dumpxml")
    .description("dump XML for a domain snapshot")
    .argument("<domain>", "domain name, id or uuid")
    .argument("<snapshotname>", "snapshot name")
    .option("--security-info", "include security sensitive information in XML dump (ESX: nothing more)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, name: string, opts: JsonOption) => {
        const { domain: d, tree } = await lookupSnapshots(ctx, domain);
        const node = tree.resolve({ name });
        if (opts.json === true) return ctx.json({ ...snapshotJson(node, tree.current), domainUuid: d.uuid });
        ctx.out(snapshotXml(d, node));
      }, virshFailure()),
    );

  program
    .command("snapshot-current")
    .description("get or set the current snapshot (ESX cannot set it: vSphere makes a snapshot current by reverting to it)")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "name of existing snapshot to make current")
    .option("--name", "list the name, rather than the full xml")
    .option("--security-info", "include security sensitive information in XML dump (ESX: nothing more)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, snapshotname: string | undefined, opts: JsonOption & { name?: boolean }) => {
        exclusive("name", opts.name, "snapshotname", snapshotname !== undefined);
        const { domain: d, tree } = await lookupSnapshots(ctx, domain);
        if (snapshotname !== undefined) {
          tree.resolve({ name: snapshotname });
          refuseRedefine(true);
        }
        const node = tree.current;
        if (node === undefined) throw new NotFoundError(`domain '${domain}' has no current snapshot`, { code: "NO_DOMAIN_SNAPSHOT" });
        if (opts.json === true) return ctx.json(snapshotJson(node, node));
        ctx.out(opts.name === true ? `${node.name}\n` : snapshotXml(d, node));
      }, virshFailure()),
    );

  program
    .command("snapshot-parent")
    .description("get the name of the parent of a snapshot")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "find parent of snapshot name")
    .option("--current", "find parent of current snapshot")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, name: string | undefined, opts: PickOptions) => {
        const which = pick(name, opts);
        const { tree } = await lookupSnapshots(ctx, domain);
        const node = tree.resolve(which);
        if (opts.json === true) return ctx.json({ snapshot: node.name, parent: node.parent?.name ?? null });
        if (node.parent === undefined) throw new NotFoundError(`snapshot '${node.name}' has no parent`, { code: "NO_DOMAIN_SNAPSHOT" });
        ctx.out(`${node.parent.name}\n`);
      }, virshFailure()),
    );
}

function registerChanges(program: Command, run: ActionRunner): void {
  let reverted: string | undefined;
  program
    .command("snapshot-revert")
    .description("revert a domain to a snapshot")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "snapshot name")
    .option("--current", "revert to current snapshot")
    .action(
      run(
        async (ctx, domain: string, name: string | undefined, opts: PickOptions) => {
          reverted = undefined;
          const which = pick(name, opts);
          const { handle, tree } = await lookupSnapshots(ctx, domain);
          const node = tree.resolve(which);
          reverted = node.name;
          const conn = await ctx.connection();
          const r = await withTaskProgress(ctx, "Revert", (t) => revertToSnapshot(conn, handle, node, t));
          extra(ctx, `Domain snapshot ${r.snapshot.name} reverted\n`);
        },
        failedOn("revert", () => reverted),
      ),
    );

  let deleted: string | undefined;
  program
    .command("snapshot-delete")
    .description("delete a domain snapshot")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "snapshot name")
    .option("--current", "delete current snapshot")
    .option("--children", "delete snapshot and all children")
    .option("--metadata", "delete only libvirt metadata, leaving snapshot contents behind (ESX: nothing to delete)")
    .action(
      run(
        async (ctx, domain: string, name: string | undefined, opts: PickOptions & { children?: boolean; metadata?: boolean }) => {
          deleted = undefined;
          const which = pick(name, opts);
          const { handle, tree } = await lookupSnapshots(ctx, domain);
          const node = tree.resolve(which);
          deleted = node.name;
          const conn = await ctx.connection();
          const r = await withTaskProgress(ctx, "Delete", (t) =>
            deleteSnapshot(conn, handle, node, { ...t, children: opts.children === true, metadataOnly: opts.metadata === true }),
          );
          extra(ctx, `Domain snapshot ${r.snapshot.name} deleted\n`);
        },
        failedOn("delete", () => deleted),
      ),
    );
}

export function registerSnapshotCommands(program: Command, run: ActionRunner): void {
  registerCreate(program, run);
  registerList(program, run);
  registerReaders(program, run);
  registerChanges(program, run);
  registerSnapshotEdit(program, run);
}
