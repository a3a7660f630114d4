/**
 * libvirt's capabilities for an ESX connection (esxCapsInit): the host's arch (x86_64 when
 * CPUID 0x80000001 EDX bit 29, long mode, is set in hardware.cpuFeature, else i686), its
 * BIOS UUID (hardware.systemInfo.uuid), migration with the vpxmigr transport, and hvm
 * guests of domain type vmware for i686 and, with long mode, x86_64 — formatted exactly as
 * virCapabilitiesFormatXML does, in one retrieval.
 */
import { InternalError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { HostCpuIdInfo } from "../../generated/core.js";
import type { Connection } from "../connection/connection.js";
import { parseUuid } from "../vmx/uuid.js";

export type HostArch = "x86_64" | "i686";

export interface Capabilities {
  /** Undefined when the host has no valid UUID (libvirt then omits <uuid>). */
  readonly hostUuid: string | undefined;
  readonly arch: HostArch;
  readonly migrateTransports: readonly string[];
  readonly guests: readonly {
    readonly osType: "hvm";
    readonly arch: HostArch;
    readonly wordsize: 32 | 64;
    readonly domainType: "vmware";
  }[];
}

/** CPUID level 0x80000001 as the signed Int ESX reports. */
const EXTENDED_FEATURES_LEVEL = -2147483647;

/**
 * libvirt's esxVI_ParseHostCpuIdInfo for one register: "xxxx:xxxx:…" (39 characters, most
 * significant bit first) → the character of each bit, bit 0 first.
 */
export function parseCpuIdRegister(register: string, name: string): string {
  if (register.length !== 39) throw new InternalError(`HostCpuIdInfo register '${name}' has an unexpected length`);
  let bits = "";
  for (let i = 0; i < 8; i++) {
    for (let k = 0; k < 4; k++) bits += register[38 - (i * 5 + k)] ?? "";
    if (i < 7 && register[38 - (i * 5 + 4)] !== ":") throw new InternalError(`HostCpuIdInfo register '${name}' has an unexpected format`);
  }
  return bits;
}

/** Long mode support from hardware.cpuFeature; undefined when the 0x80000001 leaf is missing. */
export function supportsLongMode(features: readonly HostCpuIdInfo[]): boolean | undefined {
  const leaf = features.find((f) => f.level === EXTENDED_FEATURES_LEVEL);
  if (leaf?.edx === undefined) return undefined;
  const bit = parseCpuIdRegister(leaf.edx, "edx")[29];
  if (bit === "1") return true;
  if (bit === "0") return false;
  throw new InternalError(
    `Bit 29 (Long Mode) of HostSystem property 'hardware.cpuFeature[].edx' with value '${leaf.edx}' has unexpected value '${bit ?? ""}', expecting '0' or '1'`,
  );
}

/** virUUIDParse + virUUIDIsValid: the lowercase UUID, or undefined when unparsable or all bytes equal. */
export function validHostUuid(text: string): string | undefined {
  const uuid = parseUuid(text);
  const bytes = uuid?.replace(/-/g, "").match(/../g) ?? [];
  return bytes.every((b) => b === bytes[0]) ? undefined : uuid;
}

export async function capabilities(conn: Connection, options: CallOptions = {}): Promise<Capabilities> {
  const r = await retrieveOne(conn.primary, conn.inventory.hostSystem.ref, ["hardware.cpuFeature", "hardware.systemInfo.uuid"], options);
  const longMode = supportsLongMode(r.props["hardware.cpuFeature"] ?? []);
  if (longMode === undefined) {
    throw new InternalError(
      "Could not determine long mode support: HostSystem property 'hardware.cpuFeature' has no CPUID level 0x80000001",
    );
  }
  const arch: HostArch = longMode ? "x86_64" : "i686";
  return {
    hostUuid: validHostUuid(r.props["hardware.systemInfo.uuid"] ?? ""),
    arch,
    migrateTransports: ["vpxmigr"],
    guests: [
      { osType: "hvm", arch: "i686", wordsize: 32, domainType: "vmware" },
      ...(longMode ? [{ osType: "hvm" as const, arch: "x86_64" as const, wordsize: 64 as const, domainType: "vmware" as const }] : []),
    ],
  };
}

/** virCapabilitiesFormatXML for what an ESX connection's capabilities hold. */
export function formatCapabilitiesXml(caps: Capabilities): string {
  const lines = ["<capabilities>", "", "  <host>"];
  if (caps.hostUuid !== undefined) lines.push(`    <uuid>${caps.hostUuid}</uuid>`);
  lines.push("    <cpu>", `      <arch>${caps.arch}</arch>`, "    </cpu>", "    <power_management/>", "    <iommu support='no'/>");
  lines.push("    <migration_features>", "      <live/>");
  if (caps.migrateTransports.length > 0) {
    lines.push(
      "      <uri_transports>",
      ...caps.migrateTransports.map((t) => `        <uri_transport>${t}</uri_transport>`),
      "      </uri_transports>",
    );
  }
  lines.push("    </migration_features>", "  </host>", "");
  for (const g of caps.guests) {
    lines.push(
      "  <guest>",
      `    <os_type>${g.osType}</os_type>`,
      `    <arch name='${g.arch}'>`,
      `      <wordsize>${g.wordsize}</wordsize>`,
      `      <domain type='${g.domainType}'/>`,
      "    </arch>",
      "  </guest>",
      "",
    );
  }
  lines.push("</capabilities>");
  return `${lines.join("\n")}\n`;
}
