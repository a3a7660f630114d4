/**
 * virsh domcapabilities [--virttype] [--emulatorbin] [--arch] [--machine]: libvirt's domain
 * capabilities XML from the host's config options (libvirt's ESX driver has no such call).
 */
import type { Command } from "commander";
import { domainCapabilities, formatDomainCapabilitiesXml } from "../../drivers/host/domain-capabilities.js";
import type { ActionRunner } from "../action-runner.js";
import { virshFailure } from "./failures.js";
import type { JsonOption } from "./option-values.js";

interface DomCapabilitiesOptions extends JsonOption {
  readonly virttype?: string;
  readonly emulatorbin?: string;
  readonly arch?: string;
  readonly machine?: string;
}

export function registerDomainCapabilitiesCommand(program: Command, run: ActionRunner): void {
  program
    .command("domcapabilities")
    .description("domain capabilities: what a domain can have on the host (its virtual hardware versions and devices)")
    .option("--virttype <virttype>", "virtualization type: vmware")
    .option("--emulatorbin <emulatorbin>", "path to emulator binary: the host's /bin/vmx")
    .option("--arch <arch>", "domain architecture: x86_64 or i686")
    .option("--machine <machine>", "machine type: a virtual hardware version of the host (vmx-13; default: the host's default)")
    .option("--json", "print JSON, with every machine type of the host")
    .action(
      run(async (ctx, opts: DomCapabilitiesOptions) => {
        const conn = await ctx.connection();
        const caps = await domainCapabilities(conn, {
          signal: ctx.signal,
          ...(opts.virttype !== undefined ? { virttype: opts.virttype } : {}),
          ...(opts.emulatorbin !== undefined ? { emulatorbin: opts.emulatorbin } : {}),
          ...(opts.arch !== undefined ? { arch: opts.arch } : {}),
          ...(opts.machine !== undefined ? { machine: opts.machine } : {}),
        });
        if (opts.json === true) return ctx.json(caps);
        ctx.out(`${formatDomainCapabilitiesXml(caps)}\n`);
      }, virshFailure("failed to get emulator capabilities")),
    );
}
