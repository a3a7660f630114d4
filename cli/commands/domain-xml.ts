/**
 * Domain XML commands: dumpxml, define, undefine, domxml-from-native, domxml-to-native.
 * The two native conversions work with a connection (-c or a default URI) and without one.
 */
import type { Command } from "commander";
import { EsxviError, InvalidInputError } from "../../errors/esxvi-error.js";
import type { Connection } from "../../drivers/connection/connection.js";
import { defineDomain } from "../../drivers/domain/define.js";
import { domainXmlFromNative, domainXmlToNative } from "../../drivers/domain/native-xml.js";
import { undefineDomain } from "../../drivers/domain/undefine.js";
import { domainXmlDesc } from "../../drivers/domain/xml-desc.js";
import { validateDomainXml } from "../../drivers/vmx/domain-xml-validate.js";
import type { CommandContext } from "../command-context.js";
import type { ActionRunner } from "../action-runner.js";
import { readBoundedFile } from "../../runtime/bounded-file.js";
import { virshFailure } from "./failures.js";
import type { JsonOption } from "./option-values.js";
import { withTaskProgress } from "./task-progress.js";

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EISDIR: "Is a directory",
};

/**
 * virsh's virFileReadAll: the file's bytes, or "Failed to open file '<file>': <reason>"; as
 * virsh, at most 10 MiB (VSH_MAX_XML_FILE), so that /dev/zero is refused, not read.
 */
export async function readInput(file: string): Promise<Buffer> {
  try {
    return await readBoundedFile(file, `the file '${file}'`, 10 << 20);
  } catch (e) {
    if (!(e instanceof InvalidInputError) || !(e.cause instanceof Error)) throw e;
    const code = (e.cause as NodeJS.ErrnoException).code;
    const reason = (code === undefined ? undefined : READ_ERRORS[code]) ?? (e instanceof Error ? e.message : String(e));
    throw new InvalidInputError(`Failed to open file '${file}': ${reason}`);
  }
}

/** The connection when a URI is given (-c, $ESXVI_DEFAULT_URI, $LIBVIRT_DEFAULT_URI), else undefined: offline. */
async function optionalConnection(ctx: CommandContext): Promise<Connection | undefined> {
  return ctx.uri() === undefined ? undefined : ctx.connection();
}

function parseHwVersion(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidInputError(`--hw-version must be a number, not '${text}'`);
  return Number(text);
}

export function registerDomainXmlCommands(program: Command, run: ActionRunner): void {
  program
    .command("dumpxml")
    .description("domain information in XML (the VMX converted as libvirt does)")
    .argument("<domain>", "domain name, id or uuid")
    .option("--inactive", "show inactive defined XML (no id)")
    .option("--security-info", "include security sensitive information in XML dump (VNC password)")
    .option("--json", "print JSON: name, uuid and the XML")
    .action(
      run(async (ctx, domain: string, opts: JsonOption & { inactive?: boolean; securityInfo?: boolean }) => {
        const conn = await ctx.connection();
        const desc = await domainXmlDesc(conn, domain, {
          signal: ctx.signal,
          inactive: opts.inactive === true,
          secure: opts.securityInfo === true,
        });
        if (opts.json === true) return ctx.json({ name: desc.identity.name, uuid: desc.identity.uuid, xml: desc.xml });
        ctx.out(desc.xml);
      }, virshFailure()),
    );

  program
    .command("define")
    .description("define (but don't start) a domain from an XML file: upload its VMX and register it")
    .argument("<file>", "file containing an XML domain description")
    .option("--validate", "validate the XML against what the VMX converter reads (esxvi's schema) before defining")
    .action(
      run(
        async (ctx, file: string, opts: { validate?: boolean }) => {
          const xml = (await readInput(file)).toString("utf8");
          if (opts.validate === true) validateDomainXml(xml);
          const conn = await ctx.connection();
          const defined = await withTaskProgress(ctx, "Registering", (t) => defineDomain(conn, xml, t));
          ctx.out(`Domain '${defined.name}' defined from ${file}\n`);
        },
        (_e, file: string) => `Failed to define domain from ${file}`,
      ),
    );

  program
    .command("undefine")
    .description("undefine a domain: unregister it, its files stay on the datastore")
    .argument("<domain>", "domain name, id or uuid")
    .option("--snapshots-metadata", "accepted as libvirt does: ESX keeps no snapshot metadata outside the VM")
    .action(
      run(
        async (ctx, domain: string) => {
          const conn = await ctx.connection();
          const identity = await undefineDomain(conn, domain, { signal: ctx.signal });
          ctx.out(`Domain '${identity.name}' has been undefined\n`);
        },
        virshFailure((domain) => `Failed to undefine domain '${domain}'`),
      ),
    );

  program
    .command("domxml-from-native")
    .description("convert native config to domain XML (with or without a connection)")
    .argument("<format>", "source config data format: vmware-vmx")
    .argument("<config>", "config data file to import from")
    .option("--json", "print JSON: the XML")
    .action(
      run(
        async (ctx, format: string, file: string, opts: JsonOption) => {
          const bytes = await readInput(file);
          const conn = await optionalConnection(ctx);
          const xml = await domainXmlFromNative(conn, format, bytes, { signal: ctx.signal });
          if (opts.json === true) return ctx.json({ xml });
          ctx.out(xml);
        },
        (e, format: string, file: string) => (isInputError(e) ? `${file}: cannot convert from ${format}` : undefined),
      ),
    );

  program
    .command("domxml-to-native")
    .description("convert domain XML to native config (with or without a connection)")
    .argument("<format>", "target config data format: vmware-vmx")
    .argument("<xml>", "xml data file to export from")
    .option("--hw-version <n>", "virtualHW.version to write (default: the server's, 8 without a connection)")
    .option("--json", "print JSON: the VMX")
    .action(
      run(
        async (ctx, format: string, file: string, opts: JsonOption & { hwVersion?: string }) => {
          const xml = (await readInput(file)).toString("utf8");
          const hw = opts.hwVersion === undefined ? undefined : parseHwVersion(opts.hwVersion);
          const conn = await optionalConnection(ctx);
          const vmx = await domainXmlToNative(conn, format, xml, {
            signal: ctx.signal,
            ...(hw !== undefined ? { virtualHwVersion: hw } : {}),
          });
          if (opts.json === true) return ctx.json({ vmx });
          ctx.out(vmx);
        },
        (e, format: string, file: string) => (isInputError(e) ? `${file}: cannot convert to ${format}` : undefined),
      ),
    );
}

/** Errors about the input file's content (not about reading it or the connection). */
function isInputError(e: unknown): boolean {
  if (!(e instanceof EsxviError)) return false;
  if (e.message.startsWith("Failed to open file")) return false;
  return e.code === "VMX_ERROR" || e.code === "XML_ERROR" || e.code === "CONFIG_UNSUPPORTED" || e.code === "INVALID_ARG";
}
