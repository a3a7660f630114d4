/**
 * virsh domxml-from-native / domxml-to-native for the "vmware-vmx" format (libvirt's
 * esxConnectDomainXMLFromNative / ToNative), with a connection or without one.
 *
 * With a connection: file names map through the host's datastore mounts, SCSI controllers
 * of model 'auto' are autodetected through the datastore browser, and virtualHW.version
 * follows the server's product version. Without: the offline context of vmx-context.ts,
 * and virtualHW.version 8 (what libvirt picks for every current ESXi and vCenter) unless
 * one is given.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { domainToVmx, formatDomainXml, parseDomainXml, parseVmx, vmxToDomain } from "../vmx/index.js";
import {
  connectionFormatContext,
  connectionParseContext,
  defaultVirtualHwVersion,
  formatContext,
  parseContext,
  UNKNOWN_VMX_FOLDER,
} from "./vmx-context.js";
import { withoutSecrets } from "./xml-desc.js";

/** libvirt's VMX_CONFIG_FORMAT_ARGV. */
export const VMX_FORMAT = "vmware-vmx";

/** virtualHW.version of domxml-to-native without a connection. */
export const OFFLINE_VIRTUAL_HW_VERSION = 8;

function checkFormat(format: string): void {
  if (format !== VMX_FORMAT) throw new InvalidInputError(`Unsupported config format '${format}'`);
}

/** A virtualHW.version the converter accepts (an integer of 4 or more). */
export function checkVirtualHwVersion(version: number): number {
  if (!Number.isInteger(version) || version < 4)
    throw new InvalidInputError(`virtualHW.version must be an integer of 4 or more, not '${version}'`);
  return version;
}

/** VMX (text, or bytes read per their .encoding) -> domain XML, as libvirt formats it (inactive, no secrets). */
export async function domainXmlFromNative(
  conn: Connection | undefined,
  format: string,
  config: string | Uint8Array,
  options: CallOptions = {},
): Promise<string> {
  checkFormat(format);
  const doc = parseVmx(config);
  const ctx =
    conn === undefined
      ? parseContext(undefined, UNKNOWN_VMX_FOLDER)
      : await connectionParseContext(conn, doc, UNKNOWN_VMX_FOLDER, {}, options);
  return formatDomainXml(withoutSecrets(vmxToDomain(doc, ctx)));
}

export interface ToNativeOptions extends CallOptions {
  /** virtualHW.version to write (default: the server's, or 8 offline). */
  readonly virtualHwVersion?: number;
}

/** Domain XML -> VMX. */
export async function domainXmlToNative(
  conn: Connection | undefined,
  format: string,
  xml: string,
  options: ToNativeOptions = {},
): Promise<string> {
  checkFormat(format);
  const def = parseDomainXml(xml);
  const call = pickCallOptions(options);
  if (conn === undefined) {
    const hw = checkVirtualHwVersion(options.virtualHwVersion ?? OFFLINE_VIRTUAL_HW_VERSION);
    return domainToVmx(def, formatContext(undefined), hw);
  }
  const hw = checkVirtualHwVersion(
    options.virtualHwVersion ?? defaultVirtualHwVersion(conn.primary.productLine, conn.primary.productVersion),
  );
  const { ctx } = await connectionFormatContext(conn, def, call);
  return domainToVmx(def, ctx, hw);
}
