/**
 * virsh migrate through vCenter (libvirt's ESX migration, protocol v1):
 *   migrate [--live] DOMAIN DESTURI [MIGRATEURI]
 * DESTURI is the destination's connection URI (vpx://vc/<dc>/<cluster>/<host> or
 * esx://host?vcenter=…): it is opened to Prepare (its vpxmigr:// URI, unless MIGRATEURI gives
 * one) and to Finish (the domain looked up there). DESTURI may also be a vpxmigr:// URI itself
 * (esxvi's shortcut: no destination connection).
 */
import type { Command } from "commander";
import { UnsupportedError } from "../../errors/esxvi-error.js";
import { TaskError } from "../../runtime/faults.js";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { finishMigration, migrationTarget, performMigration, prepareMigration, requireVCenter } from "../../drivers/domain/migrate.js";
import { terminalPrompt } from "../password-prompt.js";
import type { CommandContext } from "../command-context.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine } from "./failures.js";
import { withTaskProgress } from "./task-progress.js";

interface MigrateOptions {
  readonly live?: boolean;
  readonly offline?: boolean;
  readonly persistent?: boolean;
  readonly undefinesource?: boolean;
  readonly paused?: boolean;
  readonly dname?: string;
  readonly json?: boolean;
}

function isMigrationUri(uri: string): boolean {
  return /^vpxmigr:\/\//i.test(uri.trim());
}

async function openDestination(ctx: CommandContext, uri: string): Promise<Connection> {
  const prompt = terminalPrompt();
  return openConnection(uri, {
    credentials: { env: ctx.io.env, ...(prompt !== undefined ? { prompt } : {}) },
    logger: ctx.logger,
    signal: ctx.signal,
  });
}

/** virsh's first error line for a failed migration (the domain lookup's, or the task's). */
function migrateFailure(error: unknown, domain: string, ..._rest: unknown[]): string | undefined {
  return failureLine(
    error,
    domain,
    error instanceof TaskError ? `Could not migrate domain '${domain}', migration task finished with an error` : undefined,
  );
}

export function registerMigrateCommand(program: Command, run: ActionRunner): void {
  program
    .command("migrate")
    .description("migrate domain to another host (through their vCenter)")
    .argument("<domain>", "domain name, id or uuid")
    .argument("<desturi>", "connection URI of the destination host (vpx://… or esx://…?vcenter=…), or a vpxmigr:// URI")
    .argument("[migrateuri]", "migration URI: vpxmigr://<vCenter IP>/<resource pool>/<host system>")
    .option("--live", "live migration (vMotion moves running domains live anyway)")
    .option("--offline", "offline migration: not supported by ESX")
    .option("--persistent", "persist VM on destination (ESX domains always are)")
    .option("--undefinesource", "undefine VM on source (the vCenter moves it)")
    .option("--paused", "do not restart the domain on the destination host (ignored, as libvirt)")
    .option("--dname <name>", "rename to new name during migration: not supported by ESX")
    .option("--json", "print the migration's outcome as JSON")
    .action(
      run(async (ctx, domain: string, destUri: string, migrateUri: string | undefined, opts: MigrateOptions) => {
        if (opts.offline === true)
          throw new UnsupportedError("offline migration is not supported by the ESX driver", { code: "ARGUMENT_UNSUPPORTED" });
        const conn = await ctx.connection();
        requireVCenter(conn);
        const dest = isMigrationUri(destUri) ? undefined : await openDestination(ctx, destUri);
        try {
          const uri = isMigrationUri(destUri) ? destUri : (migrateUri ?? (dest === undefined ? destUri : await prepareMigration(dest)));
          const r = await withTaskProgress(ctx, "Migration", async (t) => {
            // libvirt's checks of the URI (and the new name) come before the domain's lookup.
            const target = await migrationTarget(conn, uri, opts.dname !== undefined ? { dname: opts.dname } : {});
            const d = await lookupDomain(conn, domain, [], { signal: ctx.signal });
            return performMigration(conn, d, target, t);
          });
          const finished = dest === undefined ? undefined : await finishMigration(dest, r.domain.name, { signal: ctx.signal });
          if (opts.json === true) {
            ctx.json({
              domain: r.domain.name,
              uuid: r.domain.uuid,
              uri,
              resourcePool: r.target.resourcePool.value,
              hostSystem: r.target.hostSystem.value,
              destination: finished === undefined ? null : { name: finished.identity.name, uuid: finished.identity.uuid },
            });
          }
        } finally {
          await dest?.close();
        }
      }, migrateFailure),
    );
}
