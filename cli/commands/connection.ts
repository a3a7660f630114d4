/** Connection commands: version, uri, hostname, nodeinfo (virsh layouts). */
import type { Command } from "commander";
import { hostname, hypervisorVersion, nodeInfo } from "../../drivers/host/host-info.js";
import { formatFields, formatVersion } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { VERSION } from "../version.js";
import { virshFailure } from "./failures.js";
import type { JsonOption } from "./option-values.js";

export function registerConnectionCommands(program: Command, run: ActionRunner): void {
  program
    .command("version")
    .description("show version: esxvi's and the hypervisor's (virsh version)")
    .option("--daemon", "report daemon version too (esxvi talks to the server directly: its own version)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption & { daemon?: boolean }) => {
        const conn = await ctx.connection();
        const v = hypervisorVersion(conn);
        if (opts.json === true)
          return ctx.json({
            library: VERSION,
            api: "ESX",
            hypervisor: v.type,
            hypervisorVersion: v.text,
            hypervisorVersionNumber: v.number,
            fullName: v.fullName,
          });
        ctx.out(formatVersion({ library: VERSION, api: "ESX", hypervisor: v.type, hypervisorVersion: v.text }));
        if (opts.daemon === true) ctx.out(`Running against daemon: ${VERSION}\n`);
      }, virshFailure()),
    );

  program
    .command("uri")
    .description("print the hypervisor canonical URI")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await ctx.connection();
        if (opts.json === true) return ctx.json({ uri: conn.uri.text });
        ctx.out(`${conn.uri.text}\n`);
      }, virshFailure("failed to get URI")),
    );

  program
    .command("hostname")
    .description("print the hypervisor hostname")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await ctx.connection();
        const name = await hostname(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ hostname: name });
        ctx.out(`${name}\n`);
      }, virshFailure("failed to get hostname")),
    );

  program
    .command("nodeinfo")
    .description("node information: CPU model, counts, frequency, NUMA cells, memory")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await ctx.connection();
        const n = await nodeInfo(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json(n);
        ctx.out(
          formatFields(
            [
              { label: "CPU model:", value: n.model },
              { label: "CPU(s):", value: n.cpus },
              ...(n.mhz > 0 ? [{ label: "CPU frequency:", value: `${n.mhz} MHz` }] : []),
              { label: "CPU socket(s):", value: n.sockets },
              { label: "Core(s) per socket:", value: n.cores },
              { label: "Thread(s) per core:", value: n.threads },
              { label: "NUMA cell(s):", value: n.nodes },
              { label: "Memory size:", value: `${n.memory} KiB` },
            ],
            20,
          ),
        );
      }, virshFailure("failed to get node information")),
    );
}
