/** Host commands: capabilities, freecell, sysinfo, nodememstats, nodecpustats (virsh layouts). */
import type { Command } from "commander";
import { UnsupportedError } from "../../errors/esxvi-error.js";
import { capabilities, formatCapabilitiesXml } from "../../drivers/host/capabilities.js";
import { freeMemory, nodeCpuStats, nodeMemoryStats } from "../../drivers/host/node-stats.js";
import { formatSysinfoXml, sysinfo } from "../../drivers/host/sysinfo.js";
import type { ActionRunner } from "../action-runner.js";
import { virshFailure } from "./failures.js";
import { exclusive, parseIntOption, type JsonOption } from "./option-values.js";

/** An optional int option (vshCommandOptInt). */
function intOption(value: string | undefined, name: string): number | undefined {
  return value === undefined ? undefined : parseIntOption(value, name);
}

export function registerHostCommands(program: Command, run: ActionRunner): void {
  program
    .command("capabilities")
    .description("capabilities: the hypervisor's capabilities XML (host UUID and arch, migration, guests)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await ctx.connection();
        const caps = await capabilities(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json(caps);
        ctx.out(`${formatCapabilitiesXml(caps)}\n`);
      }, virshFailure("failed to get capabilities")),
    );

  program
    .command("freecell")
    .description("NUMA free memory: the host's memory size less its memory in use (as libvirt)")
    .option("--cellno <cell>", "NUMA cell number")
    .option("--all", "show free memory for all NUMA cells")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption & { cellno?: string; all?: boolean }) => {
        exclusive("all", opts.all, "cellno", opts.cellno !== undefined);
        intOption(opts.cellno, "cellno");
        const conn = await ctx.connection();
        if (opts.all === true || opts.cellno !== undefined) {
          throw new UnsupportedError(
            "this function is not supported by the connection driver: virNodeGetCellsFreeMemory (ESX reports no free memory per NUMA cell)",
          );
        }
        const bytes = await freeMemory(conn, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ freeBytes: bytes, freeKiB: Math.floor(bytes / 1024) });
        ctx.out(`Total: ${Math.floor(bytes / 1024)} KiB\n`);
      }, virshFailure()),
    );

  program
    .command("sysinfo")
    .description("print the hypervisor sysinfo: SMBIOS-style XML from the host's hardware information")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption) => {
        const conn = await ctx.connection();
        const info = await sysinfo(conn, { signal: ctx.signal });
        if (opts.json === true) {
          const entries = (e: readonly (readonly [string, string | undefined])[] | undefined): Record<string, string> | undefined =>
            e === undefined ? undefined : Object.fromEntries(e.filter((x): x is readonly [string, string] => x[1] !== undefined));
          return ctx.json({
            bios: entries(info.bios),
            system: entries(info.system),
            chassis: entries(info.chassis),
            processors: info.processors.map(entries),
            memoryDevices: info.memoryDevices.map(entries),
            oemStrings: info.oemStrings,
          });
        }
        ctx.out(formatSysinfoXml(info));
      }, virshFailure("failed to get sysinfo")),
    );

  program
    .command("nodememstats")
    .description("prints memory stats of the node (host-wide, from its quick stats), in kilobytes")
    .option("--cell <cell>", "prints specified cell statistics only (ESX: -1, all cells, only)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption & { cell?: string }) => {
        const cell = intOption(opts.cell, "cell");
        const conn = await ctx.connection();
        const s = await nodeMemoryStats(conn, cell, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ totalKiB: s.total, freeKiB: s.free });
        ctx.out(`${"total".padEnd(7)}: ${String(s.total).padStart(20)} KiB\n${"free".padEnd(7)}: ${String(s.free).padStart(20)} KiB\n`);
      }, virshFailure("Unable to get memory stats")),
    );

  program
    .command("nodecpustats")
    .description("prints cpu stats of the node: utilization from the host's quick stats, in percent")
    .option("--cpu <cpu>", "prints specified cpu statistics only (ESX: host-wide only)")
    .option("--percent", "prints by percentage (ESX reports only utilization, always as percentages)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, opts: JsonOption & { cpu?: string; percent?: boolean }) => {
        const cpu = intOption(opts.cpu, "cpu");
        const conn = await ctx.connection();
        const s = await nodeCpuStats(conn, cpu, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ utilizationPercent: s.utilization, usageMhz: s.usageMhz, capacityMhz: s.capacityMhz });
        ctx.out(
          `${"usage:".padEnd(15)} ${String(s.utilization).padStart(5)}%\n${"idle:".padEnd(15)} ${String(100 - s.utilization).padStart(5)}%\n`,
        );
      }, virshFailure("Unable to get node cpu stats")),
    );
}
