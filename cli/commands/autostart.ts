/** virsh autostart: mark a domain as autostarted (or not, with --disable) on its host. */
import type { Command } from "commander";
import { setDomainAutostart } from "../../drivers/domain/autostart.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import type { ActionRunner } from "../action-runner.js";
import { failureLine } from "./failures.js";

export function registerAutostartCommand(program: Command, run: ActionRunner): void {
  program
    .command("autostart")
    .description("autostart a domain with its host (HostAutoStartManager); the state shows in dominfo and list --autostart")
    .argument("<domain>", "domain name, id or uuid")
    .option("--disable", "disable autostarting")
    .action(
      run(
        async (ctx, domain: string, o: { disable?: boolean }) => {
          const conn = await ctx.connection();
          const enable = o.disable !== true;
          const d = await lookupDomain(conn, domain, [], { signal: ctx.signal, autostart: true });
          const r = await setDomainAutostart(conn, d, enable, { signal: ctx.signal });
          if (r.enabledDefaults) ctx.logger.log("info", "the host's general autostart option was off: switched it on");
          if (ctx.options.quiet !== true) ctx.out(`Domain '${domain}' ${enable ? "marked" : "unmarked"} as autostarted\n`);
        },
        (error: unknown, domain: string, o: { disable?: boolean }) =>
          failureLine(error, domain, `Failed to ${o.disable === true ? "unmark" : "mark"} domain '${domain}' as autostarted`),
      ),
    );
}
