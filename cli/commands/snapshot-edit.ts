/**
 * virsh snapshot-edit: the snapshot's XML in an editor. Unchanged, nothing happens (virsh's
 * "not changed" line); changed, virsh redefines the snapshot, which libvirt's ESX driver
 * refuses (vSphere has no way to redefine a snapshot), and so does esxvi, with its error.
 */
import type { Command } from "commander";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainSnapshots, refuseRedefine, snapshotXml, SNAPSHOT_PATHS } from "../../drivers/domain/snapshots.js";
import { editText } from "../editor.js";
import type { ActionRunner } from "../action-runner.js";
import { virshFailure } from "./failures.js";
import { exclusive } from "./option-values.js";

interface EditOptions {
  readonly current?: boolean;
  readonly rename?: boolean;
  readonly clone?: boolean;
}

export function registerSnapshotEdit(program: Command, run: ActionRunner): void {
  program
    .command("snapshot-edit")
    .description("edit XML for a snapshot (ESX cannot redefine one: only an unchanged document succeeds)")
    .argument("<domain>", "domain name, id or uuid")
    .argument("[snapshotname]", "snapshot name")
    .option("--current", "also set edited snapshot as current")
    .option("--rename", "allow renaming an existing snapshot")
    .option("--clone", "allow cloning to new name")
    .action(
      run(async (ctx, domain: string, name: string | undefined, opts: EditOptions) => {
        exclusive("rename", opts.rename, "clone", opts.clone);
        const conn = await ctx.connection();
        const handle = await lookupDomain(conn, domain, SNAPSHOT_PATHS, { signal: ctx.signal });
        const { domain: d, tree } = await domainSnapshots(conn, handle, { signal: ctx.signal });
        const node = tree.resolve(name === undefined ? { current: true } : { name });
        const xml = snapshotXml(d, node);
        const edited = editText(xml, ctx.io.env);
        if (edited === xml) {
          if (ctx.options.quiet !== true) ctx.out(`Snapshot ${node.name} XML configuration not changed.\n`);
          return;
        }
        refuseRedefine(opts.current === true && name !== undefined);
      }, virshFailure()),
    );
}
