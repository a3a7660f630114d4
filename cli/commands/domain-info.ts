/**
 * Domain information commands, virsh layouts: dominfo, domstate, domuuid, domid, domname,
 * domhostname, domifaddr, domblklist, domiflist, vcpucount, dommemstat.
 */
import type { Command } from "commander";
import { OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import { domainDevices } from "../../drivers/domain/devices.js";
import {
  domainHostname,
  domainInterfaceAddresses,
  HOSTNAME_PATHS,
  INTERFACE_ADDRESS_PATHS,
  type AddressSource,
} from "../../drivers/domain/guest-info.js";
import {
  DOMAIN_INFO_PATHS,
  domainInfo,
  domainMemoryStats,
  domainVcpuCounts,
  MEMORY_STATS_PATHS,
  VCPU_COUNT_PATHS,
} from "../../drivers/domain/info.js";
import { domainId } from "../../drivers/domain/identity.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { DOMAIN_STATE_PATHS, domainState } from "../../drivers/domain/state.js";
import { DOMAIN_XML_PATHS } from "../../drivers/domain/xml-desc.js";
import { formatTable } from "../output/table.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { UsageError, virshFailure } from "./failures.js";
import { exclusive, type JsonOption } from "./option-values.js";

const DOMAIN_ARG = "domain name, id or uuid";

function registerIdentityCommands(program: Command, run: ActionRunner): void {
  // virsh accepts these ways of naming the domain for each (VIRSH_BYID | BYUUID | BYNAME).
  const identity = [
    {
      name: "domuuid",
      description: "convert a domain name or id to domain UUID",
      arg: "domain id or name",
      by: { uuid: false },
      field: "uuid",
    },
    {
      name: "domid",
      description: "convert a domain name or UUID to domain id",
      arg: "domain name or uuid",
      by: { id: false },
      field: "id",
    },
    {
      name: "domname",
      description: "convert a domain id or UUID to domain name",
      arg: "domain id or uuid",
      by: { name: false },
      field: "name",
    },
  ] as const;
  for (const c of identity) {
    program
      .command(c.name)
      .description(c.description)
      .argument("<domain>", c.arg)
      .option("--json", "print JSON")
      .action(
        run(async (ctx, domain: string, opts: JsonOption) => {
          const conn = await ctx.connection();
          const d = await lookupDomain(conn, domain, [], { signal: ctx.signal, by: c.by });
          const id = domainId(d.identity);
          if (opts.json === true) return ctx.json({ id: id ?? null, name: d.identity.name, uuid: d.identity.uuid });
          const value = c.field === "uuid" ? d.identity.uuid : c.field === "name" ? d.identity.name : id === undefined ? "-" : String(id);
          ctx.out(`${value}\n`);
        }, virshFailure()),
      );
  }
}

function registerStateCommands(program: Command, run: ActionRunner): void {
  program
    .command("dominfo")
    .description("domain information")
    .argument("<domain>", DOMAIN_ARG)
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: JsonOption) => {
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, DOMAIN_INFO_PATHS, { signal: ctx.signal, autostart: true });
        const info = await domainInfo(conn, d, { signal: ctx.signal });
        if (opts.json === true) {
          return ctx.json({
            id: info.id ?? null,
            name: info.identity.name,
            uuid: info.identity.uuid,
            osType: info.osType,
            state: info.state,
            vcpus: info.vcpus,
            maxMemoryKiB: info.maxMemoryKiB,
            usedMemoryKiB: info.memoryKiB,
            persistent: info.persistent,
            autostart: info.autostart,
            managedSave: info.managedSave,
          });
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
      }, virshFailure()),
    );

  program
    .command("domstate")
    .description("domain state")
    .argument("<domain>", DOMAIN_ARG)
    .option("--reason", "also print reason for the state")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: JsonOption & { reason?: boolean }) => {
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, DOMAIN_STATE_PATHS, { signal: ctx.signal });
        const s = await domainState(conn, d, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ state: s.state, reason: s.reason });
        ctx.out(opts.reason === true ? `${s.state} (${s.reason})\n` : `${s.state}\n`);
      }, virshFailure()),
    );
}

function registerGuestCommands(program: Command, run: ActionRunner): void {
  program
    .command("domhostname")
    .description("print the domain's hostname (reported by VMware Tools)")
    .argument("<domain>", DOMAIN_ARG)
    .option("--source <source>", "address source: 'agent' (VMware Tools, the only one on ESX)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: JsonOption & { source?: string }) => {
        if (opts.source !== undefined && opts.source !== "agent" && opts.source !== "lease")
          throw new UsageError(`Unknown data source '${opts.source}'`);
        const conn = await ctx.connection();
        if (opts.source === "lease")
          throw new UnsupportedError("ESX reports the guest's hostname through VMware Tools only (--source agent)", {
            code: "ARGUMENT_UNSUPPORTED",
          });
        const d = await lookupDomain(conn, domain, HOSTNAME_PATHS, { signal: ctx.signal });
        const h = await domainHostname(conn, d, { signal: ctx.signal });
        if (opts.json === true) return ctx.json({ hostname: h.hostname });
        ctx.out(`${h.hostname}\n`);
      }, virshFailure("failed to get hostname")),
    );

  program
    .command("domifaddr")
    .description("get network interfaces' addresses for a running domain (reported by VMware Tools)")
    .argument("<domain>", DOMAIN_ARG)
    .argument("[interface]", "network interface name (the network it is on)")
    .option("--interface <name>", "network interface name")
    .option("--full", "always display names and MACs of interfaces")
    .option("--source <source>", "address source: 'lease', 'agent', or 'arp' (ESX: agent, the default here)")
    .option("--json", "print JSON")
    .action(
      run(
        async (
          ctx,
          domain: string,
          ifacePositional: string | undefined,
          opts: JsonOption & { interface?: string; full?: boolean; source?: string },
        ) => {
          const source = opts.source ?? "agent";
          if (source !== "lease" && source !== "agent" && source !== "arp") throw new UsageError(`Unknown data source '${source}'`);
          const wanted = opts.interface ?? ifacePositional;
          const conn = await ctx.connection();
          const d = await lookupDomain(conn, domain, INTERFACE_ADDRESS_PATHS, { signal: ctx.signal });
          const r = await domainInterfaceAddresses(conn, d, source as AddressSource, { signal: ctx.signal });
          const ifaces = r.interfaces.filter((i) => wanted === undefined || i.name === wanted);
          if (opts.json === true) return ctx.json(ifaces.map((i) => ({ name: i.name, hwaddr: i.hwaddr ?? null, addresses: i.addresses })));
          let out = ` ${"Name".padEnd(10)} ${"MAC address".padEnd(20)} ${"Protocol".padEnd(8)}     Address\n${"-".repeat(49)}${"-".repeat(30)}\n`;
          for (const i of ifaces) {
            if (i.addresses.length === 0) {
              out += ` ${i.name.padEnd(10)} ${(i.hwaddr ?? "N/A").padEnd(17)}    ${"N/A".padEnd(12)} N/A\n`;
              continue;
            }
            i.addresses.forEach((a, j) => {
              const addr = `${a.type.padEnd(12)} ${a.address}/${a.prefix}`;
              out +=
                opts.full === true || j === 0
                  ? ` ${i.name.padEnd(10)} ${(i.hwaddr ?? "").padEnd(17)}    ${addr}\n`
                  : ` ${"-".padEnd(10)} ${"-".padEnd(17)}    ${addr}\n`;
            });
          }
          ctx.out(out);
        },
        virshFailure("Failed to query for interfaces addresses"),
      ),
    );
}

function registerDeviceCommands(program: Command, run: ActionRunner): void {
  program
    .command("domblklist")
    .description("list all domain blocks (from the domain XML)")
    .argument("<domain>", DOMAIN_ARG)
    .option("--inactive", "get inactive rather than running configuration (the same on ESX)")
    .option("--details", "additionally display the type and device value")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: JsonOption & { details?: boolean; inactive?: boolean }) => {
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, DOMAIN_XML_PATHS, { signal: ctx.signal });
        const { disks } = await domainDevices(conn, d, { signal: ctx.signal });
        if (opts.json === true)
          return ctx.json(disks.map((d) => ({ type: d.type, device: d.device, bus: d.bus, target: d.target, source: d.source ?? null })));
        const header = opts.details === true ? ["Type", "Device", "Target", "Source"] : ["Target", "Source"];
        const rows = disks.map((d) =>
          opts.details === true ? [d.type, d.device, d.target, d.source ?? "-"] : [d.target, d.source ?? "-"],
        );
        ctx.out(formatTable(header, rows, { header: ctx.options.quiet !== true }));
      }, virshFailure()),
    );

  program
    .command("domiflist")
    .description("list all domain virtual interfaces (from the domain XML)")
    .argument("<domain>", DOMAIN_ARG)
    .option("--inactive", "get inactive rather than running configuration (the same on ESX)")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, opts: JsonOption & { inactive?: boolean }) => {
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, DOMAIN_XML_PATHS, { signal: ctx.signal });
        const { interfaces } = await domainDevices(conn, d, { signal: ctx.signal });
        if (opts.json === true)
          return ctx.json(
            interfaces.map((i) => ({
              interface: i.target ?? null,
              type: i.type,
              source: i.source ?? null,
              model: i.model ?? null,
              mac: i.mac ?? null,
            })),
          );
        const rows = interfaces.map((i) => [i.target ?? "-", i.type, i.source ?? "-", i.model ?? "-", i.mac ?? "-"]);
        ctx.out(formatTable(["Interface", "Type", "Source", "Model", "MAC"], rows, { header: ctx.options.quiet !== true }));
      }, virshFailure()),
    );
}

interface VcpuCountOptions extends JsonOption {
  readonly maximum?: boolean;
  readonly active?: boolean;
  readonly live?: boolean;
  readonly config?: boolean;
  readonly current?: boolean;
  readonly guest?: boolean;
}

function registerCountCommands(program: Command, run: ActionRunner): void {
  program
    .command("vcpucount")
    .description("domain vcpu counts: the VM's own count (libvirt reports the host's maximum)")
    .argument("<domain>", DOMAIN_ARG)
    .option("--maximum", "get maximum count of vcpus")
    .option("--active", "get number of currently active vcpus")
    .option("--live", "get value from running domain")
    .option("--config", "get value to be used on next boot")
    .option("--current", "get value according to current domain state")
    .option("--guest", "retrieve vcpu count from the guest instead of the hypervisor")
    .option("--json", "print JSON")
    .action(
      run(async (ctx, domain: string, raw: VcpuCountOptions) => {
        const all =
          raw.maximum !== true &&
          raw.active !== true &&
          raw.live !== true &&
          raw.config !== true &&
          raw.current !== true &&
          raw.guest !== true;
        // virsh: --current alone is the pre-0.9.4 spelling of --active.
        const current = raw.current === true && (raw.maximum === true || raw.active === true);
        exclusive("live", raw.live, "config", raw.config);
        exclusive("current", current, "live", raw.live);
        exclusive("current", current, "config", raw.config);
        exclusive("active", raw.active, "maximum", raw.maximum);
        exclusive("guest", raw.guest, "config", raw.config);
        const conn = await ctx.connection();
        const d = await lookupDomain(conn, domain, VCPU_COUNT_PATHS, { signal: ctx.signal });
        const c = await domainVcpuCounts(conn, d, { signal: ctx.signal });
        if (raw.guest === true) throw new UnsupportedError("Failed to retrieve vCPU count from the guest: ESX does not report it");
        if (raw.live === true && !c.active) throw new OperationInvalidError("domain is not running");
        if (raw.json === true) {
          return ctx.json({
            maximumConfig: c.vcpus,
            currentConfig: c.vcpus,
            ...(c.active ? { maximumLive: c.vcpus, currentLive: c.vcpus } : {}),
          });
        }
        if (!all) return ctx.out(`${c.vcpus}\n`);
        const line = (which: string, state: string): string => `${which.padEnd(12)} ${state.padEnd(12)} ${String(c.vcpus).padStart(3)}\n`;
        ctx.out(
          line("maximum", "config") +
            (c.active ? line("maximum", "live") : "") +
            line("current", "config") +
            (c.active ? line("current", "live") : ""),
        );
      }, virshFailure()),
    );

  program
    .command("dommemstat")
    .description("get memory statistics for a running domain (from its quick stats), in KiB")
    .argument("<domain>", DOMAIN_ARG)
    .option("--period <seconds>", "period in seconds to set collection (not supported by ESX)")
    .option("--config", "affect next boot")
    .option("--live", "affect running domain")
    .option("--current", "affect current domain")
    .option("--json", "print JSON")
    .action(
      run(
        async (ctx, domain: string, opts: JsonOption & { period?: string; config?: boolean; live?: boolean; current?: boolean }) => {
          exclusive("current", opts.current, "live", opts.live);
          exclusive("current", opts.current, "config", opts.config);
          const conn = await ctx.connection();
          const d = await lookupDomain(conn, domain, opts.period === undefined ? MEMORY_STATS_PATHS : [], { signal: ctx.signal });
          if (opts.period !== undefined)
            throw new UnsupportedError("this function is not supported by the connection driver: virDomainSetMemoryStatsPeriod");
          const m = await domainMemoryStats(conn, d, { signal: ctx.signal });
          if (opts.json === true)
            return ctx.json({ ...Object.fromEntries(m.stats.map((s) => [s.tag, s.value])), quickStatsMiB: m.quickStats });
          ctx.out(m.stats.map((s) => `${s.tag} ${s.value}\n`).join(""));
        },
        virshFailure((domain) => `Failed to get memory statistics for domain ${domain}`),
      ),
    );
}

export function registerDomainInfoCommands(program: Command, run: ActionRunner): void {
  registerStateCommands(program, run);
  registerIdentityCommands(program, run);
  registerGuestCommands(program, run);
  registerDeviceCommands(program, run);
  registerCountCommands(program, run);
}
