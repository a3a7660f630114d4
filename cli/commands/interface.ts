/**
 * Interface commands with virsh's names, options, layouts and errors: iface-list, iface-name,
 * iface-mac, iface-dumpxml. Interfaces are the host's physical NICs; the INTERFACE argument
 * is resolved once into a handle (a MAC address when it parses as one, else a name).
 */
import type { Command } from "commander";
import { interfaceIsActive, interfaceXmlDesc } from "../../drivers/interface/xml-desc.js";
import { listInterfaces, lookupInterface, type InterfaceHandle, type InterfaceLookupBy } from "../../drivers/interface/lookup.js";
import type { CommandContext } from "../command-context.js";
import { formatTable } from "../output/table.js";
import type { ActionRunner } from "../action-runner.js";
import { objectFailure } from "./object-failures.js";
import type { JsonOption } from "./option-values.js";

async function resolve(ctx: CommandContext, selector: string, by?: InterfaceLookupBy): Promise<InterfaceHandle> {
  const conn = await ctx.connection();
  return lookupInterface(conn, selector, { signal: ctx.signal, ...(by !== undefined ? { by } : {}) });
}

export function registerInterfaceCommands(program: Command, run: ActionRunner): void {
  program
    .command("iface-list")
    .description("list physical host interfaces (the host's physical NICs)")
    .option("--inactive", "list inactive interfaces")
    .option("--all", "list inactive & active interfaces")
    .option("--json", "print JSON")
    .action(
      run(
        async (ctx, o: JsonOption & { inactive?: boolean; all?: boolean }) => {
          const conn = await ctx.connection();
          const all = await listInterfaces(conn, { signal: ctx.signal });
          // Every physical NIC is active: --inactive alone lists none.
          const shown = (o.inactive === true && o.all !== true ? [] : all).sort((a, b) => {
            const x = a.name.toLowerCase();
            const y = b.name.toLowerCase();
            return x < y ? -1 : x > y ? 1 : 0;
          });
          if (o.json === true)
            return ctx.json(shown.map((i) => ({ name: i.name, state: interfaceIsActive(i) ? "active" : "inactive", mac: i.mac })));
          const rows = shown.map((i) => [i.name, interfaceIsActive(i) ? "active" : "inactive", i.mac]);
          ctx.out(formatTable(["Name", "State", "MAC Address"], rows, { header: ctx.options.quiet !== true }));
        },
        objectFailure("interface", () => "Failed to list interfaces"),
      ),
    );

  const identity = [
    {
      name: "iface-name",
      description: "convert an interface MAC address to interface name",
      arg: "interface mac",
      by: { name: false },
      field: "name",
    },
    {
      name: "iface-mac",
      description: "convert an interface name to interface MAC address",
      arg: "interface name",
      by: { mac: false },
      field: "mac",
    },
  ] as const;
  for (const c of identity) {
    program
      .command(c.name)
      .description(c.description)
      .argument("<interface>", c.arg)
      .option("--json", "print JSON")
      .action(
        run(async (ctx, iface: string, o: JsonOption) => {
          const i = await resolve(ctx, iface, c.by);
          if (o.json === true) return ctx.json({ name: i.name, mac: i.mac });
          ctx.out(`${c.field === "name" ? i.name : i.mac}\n`);
        }, objectFailure("interface")),
      );
  }

  program
    .command("iface-dumpxml")
    .description("interface information in XML (IPv4 as libvirt writes it, and IPv6)")
    .argument("<interface>", "interface name or MAC address")
    .option("--inactive", "show inactive defined XML (without addresses from DHCP or autoconfiguration)")
    .option("--json", "print JSON: name, mac and the XML")
    .action(
      run(async (ctx, iface: string, o: JsonOption & { inactive?: boolean }) => {
        const i = await resolve(ctx, iface);
        const xml = interfaceXmlDesc(i, { inactive: o.inactive === true });
        if (o.json === true) return ctx.json({ name: i.name, mac: i.mac, xml });
        ctx.out(xml);
      }, objectFailure("interface")),
    );
}
