/** Domain information commands: dominfo. */
import type { Command } from "commander";
import { domainInfo } from "../../drivers/domain/info.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../program.js";
import { domainLookupFailure } from "./failures.js";

export function registerDomainInfoCommands(program: Command, run: ActionRunner): void {
  program
    .command("dominfo")
    .description("domain information")
    .argument("<domain>", "domain name, id or uuid")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: { json?: boolean }) => {
        const conn = await ctx.connection();
        const info = await domainInfo(conn, domain, { signal: ctx.signal });
        if (opts.json === true) {
          return ctx.json({ id: info.id ?? null, name: info.identity.name, uuid: info.identity.uuid, osType: info.osType, state: info.state, vcpus: info.vcpus, maxMemoryKiB: info.maxMemoryKiB, usedMemoryKiB: info.memoryKiB, persistent: info.persistent, autostart: info.autostart, managedSave: info.managedSave });
        }
        ctx.out(
          formatFields([
            { label: "Id:", value: info.id === undefined ? "-" : info.id },
            { label: "Name:", value: info.identity.name },
            { label: "UUID:", value: info.identity.uuid },
            { label: "OS Type:", value: info.osType },
            { label: "State:", value: info.state },
            { label: "CPU(s):", value: info.vcpus },
            ...(info.cpuTimeNs > 0 ? [{ label: "CPU time:", value: `${(info.cpuTimeNs / 1e9).toFixed(1)}s` }] : []),
            { label: "Max memory:", value: `${info.maxMemoryKiB} KiB` },
            { label: "Used memory:", value: `${info.memoryKiB} KiB` },
            { label: "Persistent:", value: info.persistent ? "yes" : "no" },
            { label: "Autostart:", value: info.autostart ? "enable" : "disable" },
            { label: "Managed save:", value: info.managedSave ? "yes" : "no" },
          ]),
        );
      }, domainLookupFailure),
    );
}
