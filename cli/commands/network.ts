/**
 * Network commands with virsh's names, options, layouts and errors: net-list, net-info,
 * net-uuid, net-name, net-dumpxml, net-define, net-undefine, net-autostart, and net-start /
 * net-destroy / net-create, which libvirt's ESX driver does not implement (a vSwitch is
 * always active). The NETWORK argument is resolved once into a handle (name or UUID).
 */
import type { Command } from "commander";
import { UnsupportedError } from "../../errors/esxvi-error.js";
import { defineNetwork } from "../../drivers/network/define.js";
import type { NetworkListFilters } from "../../drivers/network/list.js";
import { listNetworks } from "../../drivers/network/list.js";
import { lookupNetwork, type NetworkHandle, type NetworkLookupBy } from "../../drivers/network/lookup.js";
import { networkAutostart, networkIsActive, networkIsPersistent, setNetworkAutostart } from "../../drivers/network/state.js";
import { undefineNetwork } from "../../drivers/network/undefine.js";
import { NETWORK_XML_PARTS, networkXmlDesc } from "../../drivers/network/xml-desc.js";
import type { HostNetworkParts } from "../../drivers/network/host-network.js";
import type { CommandContext } from "../command-context.js";
import { formatTable } from "../output/table.js";
import { formatFields } from "../output/templates.js";
import type { ActionRunner } from "../action-runner.js";
import { readInput } from "./domain-xml.js";
import { UsageError } from "./failures.js";
import { objectFailure } from "./object-failures.js";
import type { JsonOption } from "./option-values.js";

const NETWORK_ARG = "network name or uuid";

interface NetListOptions extends JsonOption {
  readonly inactive?: boolean;
  readonly all?: boolean;
  readonly persistent?: boolean;
  readonly transient?: boolean;
  readonly autostart?: boolean;
  readonly noAutostart?: boolean;
  readonly uuid?: boolean;
  readonly name?: boolean;
  readonly table?: boolean;
  readonly title?: boolean;
}

/** A pair of flags where both means "no filter". */
function pair(yes: boolean | undefined, no: boolean | undefined): boolean | undefined {
  if (yes === true && no !== true) return true;
  if (no === true && yes !== true) return false;
  return undefined;
}

/** virsh's cmdNetworkList flags: active by default, --inactive alone, --all both. */
function filtersOf(o: NetListOptions): NetworkListFilters {
  const all = o.all === true;
  const inactiveOnly = o.inactive === true && !all;
  const persistent = pair(o.persistent, o.transient);
  const autostart = pair(o.autostart, o.noAutostart);
  return {
    active: !inactiveOnly,
    inactive: inactiveOnly || all,
    ...(persistent !== undefined ? { persistent } : {}),
    ...(autostart !== undefined ? { autostart } : {}),
  };
}

/** virsh sorts networks by name, case-insensitively. */
function byName(a: NetworkHandle, b: NetworkHandle): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

async function resolve(ctx: CommandContext, selector: string, by?: NetworkLookupBy, parts?: HostNetworkParts): Promise<NetworkHandle> {
  const conn = await ctx.connection();
  return lookupNetwork(conn, selector, {
    signal: ctx.signal,
    ...(by !== undefined ? { by } : {}),
    ...(parts !== undefined ? { parts } : {}),
  });
}

function registerNetworkList(program: Command, run: ActionRunner): void {
  program
    .command("net-list")
    .description("list networks (the host's virtual switches)")
    .option("--inactive", "list inactive networks")
    .option("--all", "list inactive & active networks")
    .option("--persistent", "list persistent networks")
    .option("--transient", "list transient networks")
    .option("--autostart", "list networks with autostart enabled")
    .option("--no-autostart", "list networks with autostart disabled")
    .option("--uuid", "list uuid's only")
    .option("--name", "list network names only")
    .option("--table", "list table (default)")
    .option("--title", "show network title")
    .option("--json", "print JSON")
    .action(
      run(
        async (ctx, raw: NetListOptions) => {
          // commander folds --autostart / --no-autostart into one boolean.
          const o: NetListOptions = { ...raw, ...(raw.autostart === false ? { autostart: false, noAutostart: true } : {}) };
          if ((o.table === true ? 1 : 0) + (o.name === true ? 1 : 0) + (o.uuid === true ? 1 : 0) > 1)
            throw new UsageError("Only one argument from --table, --name and --uuid may be specified.");
          const conn = await ctx.connection();
          const nets = (await listNetworks(conn, filtersOf(o), { signal: ctx.signal })).sort(byName);
          if (o.json === true) {
            return ctx.json(
              nets.map((n) => ({
                name: n.name,
                uuid: n.uuid,
                active: networkIsActive(n),
                persistent: networkIsPersistent(n),
                autostart: networkAutostart(n),
              })),
            );
          }
          if (o.uuid === true) return nets.forEach((n) => ctx.out(`${n.uuid}\n`));
          if (o.name === true) return nets.forEach((n) => ctx.out(`${n.name}\n`));
          const yesNo = (b: boolean): string => (b ? "yes" : "no");
          const header = ["Name", "State", "Autostart", "Persistent", ...(o.title === true ? ["Title"] : [])];
          // ESX networks have no title.
          const rows = nets.map((n) => [
            n.name,
            networkIsActive(n) ? "active" : "inactive",
            yesNo(networkAutostart(n)),
            yesNo(networkIsPersistent(n)),
            ...(o.title === true ? [""] : []),
          ]);
          ctx.out(formatTable(header, rows, { header: ctx.options.quiet !== true }));
        },
        objectFailure("network", () => "Failed to list networks"),
      ),
    );
}

function registerNetworkInfo(program: Command, run: ActionRunner): void {
  program
    .command("net-info")
    .description("network information")
    .argument("<network>", NETWORK_ARG)
    .option("--json", "print JSON")
    .action(
      run(async (ctx, network: string, o: JsonOption) => {
        const n = await resolve(ctx, network);
        const info = {
          name: n.name,
          uuid: n.uuid,
          active: networkIsActive(n),
          persistent: networkIsPersistent(n),
          autostart: networkAutostart(n),
        };
        if (o.json === true) return ctx.json(info);
        const yesNo = (b: boolean): string => (b ? "yes" : "no");
        // No "Bridge:" line: libvirt's ESX driver has no virNetworkGetBridgeName.
        ctx.out(
          formatFields([
            { label: "Name:", value: info.name },
            { label: "UUID:", value: info.uuid },
            { label: "Active:", value: yesNo(info.active) },
            { label: "Persistent:", value: yesNo(info.persistent) },
            { label: "Autostart:", value: yesNo(info.autostart) },
          ]),
        );
      }, objectFailure("network")),
    );

  const identity = [
    { name: "net-uuid", description: "convert a network name to network UUID", arg: "network name", by: { uuid: false }, field: "uuid" },
    { name: "net-name", description: "convert a network UUID to network name", arg: "network uuid", by: { name: false }, field: "name" },
  ] as const;
  for (const c of identity) {
    program
      .command(c.name)
      .description(c.description)
      .argument("<network>", c.arg)
      .option("--json", "print JSON")
      .action(
        run(async (ctx, network: string, o: JsonOption) => {
          const n = await resolve(ctx, network, c.by);
          if (o.json === true) return ctx.json({ name: n.name, uuid: n.uuid });
          ctx.out(`${c.field === "uuid" ? n.uuid : n.name}\n`);
        }, objectFailure("network")),
      );
  }

  program
    .command("net-dumpxml")
    .description("network information in XML (libvirt's network XML of the vSwitch)")
    .argument("<network>", NETWORK_ARG)
    .option("--inactive", "network information of an inactive network (the same on ESX)")
    .option("--json", "print JSON: name, uuid and the XML")
    .action(
      run(async (ctx, network: string, o: JsonOption & { inactive?: boolean }) => {
        const n = await resolve(ctx, network, undefined, NETWORK_XML_PARTS);
        const xml = await networkXmlDesc(await ctx.connection(), n, { signal: ctx.signal });
        if (o.json === true) return ctx.json({ name: n.name, uuid: n.uuid, xml });
        ctx.out(xml);
      }, objectFailure("network")),
    );
}

function registerNetworkChanges(program: Command, run: ActionRunner): void {
  program
    .command("net-define")
    .description("define a network from an XML file: a new vSwitch with its port groups")
    .argument("<file>", "file containing an XML network description")
    .option("--validate", "validate the XML (esxvi always checks what the ESX driver uses)")
    .action(
      run(
        async (ctx, file: string) => {
          const xml = (await readInput(file)).toString("utf8");
          const conn = await ctx.connection();
          const n = await defineNetwork(conn, xml, { signal: ctx.signal });
          if (ctx.options.quiet !== true) ctx.out(`Network ${n.name} defined from ${file}\n`);
        },
        (_e, file: string) => `Failed to define network from ${file}`,
      ),
    );

  program
    .command("net-undefine")
    .description("undefine a network: remove its port groups and its vSwitch")
    .argument("<network>", NETWORK_ARG)
    .action(
      run(
        async (ctx, network: string) => {
          const n = await resolve(ctx, network, undefined, { portgroups: true, networks: true });
          await undefineNetwork(await ctx.connection(), n, { signal: ctx.signal });
          if (ctx.options.quiet !== true) ctx.out(`Network ${network} has been undefined\n`);
        },
        objectFailure("network", (n) => `Failed to undefine network ${n}`),
      ),
    );

  program
    .command("net-autostart")
    .description("autostart a network (always on for a vSwitch: --disable is refused, as libvirt refuses it)")
    .argument("<network>", NETWORK_ARG)
    .option("--disable", "disable autostarting")
    .action(
      run(
        async (ctx, network: string, o: { disable?: boolean }) => {
          const n = await resolve(ctx, network);
          const enable = o.disable !== true;
          setNetworkAutostart(n, enable);
          if (ctx.options.quiet !== true) ctx.out(`Network ${network} ${enable ? "marked" : "unmarked"} as autostarted\n`);
        },
        (e, network: string, o: { disable?: boolean }) =>
          objectFailure("network", (n) => `failed to ${o.disable === true ? "unmark" : "mark"} network ${n} as autostarted`)(e, network),
      ),
    );

  // libvirt's ESX network driver has no networkCreate, networkDestroy, networkCreateXML.
  const notSupported = (fn: string): UnsupportedError =>
    new UnsupportedError(`this function is not supported by the connection driver: ${fn}`);
  program
    .command("net-start")
    .description("start a network (not supported on ESX: a vSwitch is always active)")
    .argument("<network>", NETWORK_ARG)
    .action(
      run(
        async (ctx, network: string) => {
          await resolve(ctx, network);
          throw notSupported("virNetworkCreate");
        },
        objectFailure("network", (n) => `Failed to start network ${n}`),
      ),
    );
  program
    .command("net-destroy")
    .description("destroy (stop) a network (not supported on ESX: a vSwitch is always active)")
    .argument("<network>", NETWORK_ARG)
    .action(
      run(
        async (ctx, network: string) => {
          await resolve(ctx, network);
          throw notSupported("virNetworkDestroy");
        },
        objectFailure("network", (n) => `Failed to destroy network ${n}`),
      ),
    );
  program
    .command("net-create")
    .description("create a transient network from an XML file (not supported on ESX; use net-define)")
    .argument("<file>", "file containing an XML network description")
    .option("--validate", "validate the XML against the schema")
    .action(
      run(
        async (ctx, file: string) => {
          await readInput(file);
          await ctx.connection();
          throw notSupported("virNetworkCreateXML");
        },
        (_e, file: string) => `Failed to create network from ${file}`,
      ),
    );
}

export function registerNetworkCommands(program: Command, run: ActionRunner): void {
  registerNetworkList(program, run);
  registerNetworkInfo(program, run);
  registerNetworkChanges(program, run);
}
