/**
 * The host's SMBIOS-style system information, which libvirt's ESX driver does not offer:
 * built from HostSystem.hardware (systemInfo, biosInfo, cpuPkg, memorySize) in one
 * retrieval and formatted as libvirt's virSysinfoFormat lays out <sysinfo type='smbios'>
 * (bios, system, chassis, processor, memory_device, oemStrings; absent entries omitted).
 */
import { retrieveOne } from "../../runtime/property-collector.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { HostBIOSInfo, HostCpuPackage, HostSystemInfo } from "../../generated/host.js";
import { escapeXml } from "../util/index.js";
import type { Connection } from "../connection/connection.js";

/** One SMBIOS section: its entries in libvirt's order; undefined values are left out. */
export type SysinfoEntries = readonly (readonly [name: string, value: string | undefined])[];

export interface Sysinfo {
  readonly bios: SysinfoEntries | undefined;
  readonly system: SysinfoEntries | undefined;
  readonly chassis: SysinfoEntries | undefined;
  readonly processors: readonly SysinfoEntries[];
  readonly memoryDevices: readonly SysinfoEntries[];
  readonly oemStrings: readonly string[];
}

function text(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === "" ? undefined : t;
}

/** dmidecode's date layout, which libvirt reports: MM/DD/YYYY. */
function biosDate(d: Date | undefined): string | undefined {
  if (d === undefined || Number.isNaN(d.getTime())) return undefined;
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/** dmidecode's processor signature from CPUID leaf 1 EAX: "Type t, Family f, Model m, Stepping s". */
export function cpuSignature(eaxBits: string): string | undefined {
  const hex = eaxBits.replace(/:/g, "");
  if (!/^[01]{32}$/.test(hex)) return undefined;
  const eax = parseInt(hex, 2);
  const stepping = eax & 0xf;
  const baseModel = (eax >>> 4) & 0xf;
  const baseFamily = (eax >>> 8) & 0xf;
  const type = (eax >>> 12) & 0x3;
  const extModel = (eax >>> 16) & 0xf;
  const extFamily = (eax >>> 20) & 0xff;
  const family = baseFamily === 0xf ? baseFamily + extFamily : baseFamily;
  const model = baseFamily === 0x6 || baseFamily === 0xf ? (extModel << 4) + baseModel : baseModel;
  return `Type ${type}, Family ${family}, Model ${model}, Stepping ${stepping}`;
}

function identifying(info: HostSystemInfo | undefined, key: string): string[] {
  return (info?.otherIdentifyingInfo ?? [])
    .filter((i) => i.identifierType.key === key)
    .map((i) => i.identifierValue.trim())
    .filter((v) => v !== "");
}

function mhz(hz: bigint | number | undefined): string | undefined {
  if (hz === undefined) return undefined;
  const n = Math.floor(Number(hz) / 1_000_000);
  return n > 0 ? `${n} MHz` : undefined;
}

function present(entries: SysinfoEntries): SysinfoEntries | undefined {
  return entries.some(([, v]) => v !== undefined) ? entries : undefined;
}

export function sysinfoFrom(hw: {
  systemInfo?: HostSystemInfo;
  biosInfo?: HostBIOSInfo;
  cpuPkg?: readonly HostCpuPackage[];
  memorySize?: bigint | number;
}): Sysinfo {
  const sys = hw.systemInfo;
  const bios = hw.biosInfo;
  const release =
    bios?.majorRelease !== undefined && bios.minorRelease !== undefined ? `${bios.majorRelease}.${bios.minorRelease}` : undefined;
  const serial = text(sys?.serialNumber) ?? identifying(sys, "SerialNumberTag")[0] ?? identifying(sys, "ServiceTag")[0];
  const memoryMiB = hw.memorySize === undefined ? 0 : Math.floor(Number(hw.memorySize) / (1024 * 1024));
  return {
    bios: present([
      ["vendor", text(bios?.vendor)],
      ["version", text(bios?.biosVersion)],
      ["date", biosDate(bios?.releaseDate)],
      ["release", release],
    ]),
    system: present([
      ["manufacturer", text(sys?.vendor)],
      ["product", text(sys?.model)],
      ["version", undefined],
      ["serial", serial],
      ["uuid", text(sys?.uuid)],
      ["sku", undefined],
      ["family", undefined],
    ]),
    chassis: present([
      ["manufacturer", undefined],
      ["version", undefined],
      ["serial", identifying(sys, "EnclosureSerialNumberTag")[0]],
      ["asset", identifying(sys, "AssetTag")[0]],
      ["sku", undefined],
    ]),
    processors: (hw.cpuPkg ?? [])
      .slice()
      .sort((a, b) => a.index - b.index)
      .map((p) => {
        const eax = p.cpuFeature?.find((f) => f.level === 1)?.eax;
        return [
          ["socket_destination", undefined],
          ["type", "Central Processor"],
          ["family", undefined],
          ["manufacturer", text(p.vendor)],
          ["signature", eax === undefined ? undefined : cpuSignature(eax)],
          ["version", text(p.description)],
          ["external_clock", mhz(p.busHz)],
          ["max_speed", mhz(p.hz)],
          ["status", undefined],
          ["serial_number", undefined],
          ["part_number", undefined],
        ] as const;
      }),
    memoryDevices: memoryMiB > 0 ? [[["size", `${memoryMiB} MB`]]] : [],
    oemStrings: identifying(sys, "OemSpecificString"),
  };
}

export async function sysinfo(conn: Connection, options: CallOptions = {}): Promise<Sysinfo> {
  const r = await retrieveOne(
    conn.primary,
    conn.inventory.hostSystem.ref,
    ["hardware.systemInfo", "hardware.biosInfo", "hardware.cpuPkg", "hardware.memorySize"],
    options,
  );
  const p = r.props;
  return sysinfoFrom({
    ...(p["hardware.systemInfo"] !== undefined ? { systemInfo: p["hardware.systemInfo"] } : {}),
    ...(p["hardware.biosInfo"] !== undefined ? { biosInfo: p["hardware.biosInfo"] } : {}),
    ...(p["hardware.cpuPkg"] !== undefined ? { cpuPkg: p["hardware.cpuPkg"] } : {}),
    ...(p["hardware.memorySize"] !== undefined ? { memorySize: p["hardware.memorySize"] } : {}),
  });
}

function section(tag: string, entries: SysinfoEntries | undefined): string[] {
  if (entries === undefined) return [];
  return [
    `  <${tag}>`,
    ...entries.filter(([, v]) => v !== undefined).map(([n, v]) => `    <entry name='${n}'>${escapeXml(v ?? "")}</entry>`),
    `  </${tag}>`,
  ];
}

/** virSysinfoFormat of an SMBIOS sysinfo: two-space indentation, one entry per line. */
export function formatSysinfoXml(info: Sysinfo): string {
  const body = [
    ...section("bios", info.bios),
    ...section("system", info.system),
    ...section("chassis", info.chassis),
    ...info.processors.flatMap((p) => section("processor", present(p))),
    ...info.memoryDevices.flatMap((m) => section("memory_device", present(m))),
    ...(info.oemStrings.length > 0
      ? ["  <oemStrings>", ...info.oemStrings.map((s) => `    <entry>${escapeXml(s)}</entry>`), "  </oemStrings>"]
      : []),
  ];
  if (body.length === 0) return "<sysinfo type='smbios'/>\n";
  return `<sysinfo type='smbios'>\n${body.join("\n")}\n</sysinfo>\n`;
}
