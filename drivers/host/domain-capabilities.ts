/**
 * libvirt's domain capabilities for an ESX connection (virConnectGetDomainCapabilities, which
 * libvirt's ESX driver lacks), built from the host's own config options: the compute
 * resource's EnvironmentBrowser tells the virtual hardware versions the host runs (the
 * machine types, vmx-NN, its default one), what a VM of that version can have
 * (QueryConfigOptionEx for the host: vCPU counts, firmware of the guest descriptors, the
 * controllers and devices offered) and how many logical CPUs the host gives VMs
 * (QueryConfigTarget). What a domain XML can ask for is what the host offers and the VMX
 * converter writes: disks, CD-ROMs and floppies on IDE, floppy and SCSI controllers, VNC
 * graphics, a vmvga video card, BIOS or EFI firmware; CPU modes, memory backing, host
 * devices and the rest are reported unsupported. Formatted as virDomainCapsFormat does.
 * One retrieval, then the three queries together.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { retrieveAll } from "../../runtime/property-collector.js";
import type { CallOptions, MoRef } from "../../runtime/soap/index.js";
import { pickCallOptions } from "../../runtime/soap/index.js";
import {
  QueryConfigOptionDescriptor,
  QueryConfigOptionEx,
  QueryConfigTarget,
  type AnyVirtualDeviceOption,
  type HostCpuIdInfo,
  type VirtualMachineConfigOption,
} from "../../generated/index.js";
import type { Connection } from "../connection/connection.js";
import { escapeXml } from "../util/xml-escape.js";
import { VIRT_TYPES } from "../vmx/domain-xml-parse.js";
import { supportsLongMode, type HostArch } from "./capabilities.js";

/** The ESXi program that runs a VM (its <emulator>, as libvirt has none for ESX). */
export const VMX_PATH = "/bin/vmx";

/** libvirt's architecture names (virArch) beyond the two ESX runs. */
const ARCHES = new Set([
  "none",
  "alpha",
  "armv6l",
  "armv7l",
  "armv7b",
  "aarch64",
  "cris",
  "i686",
  "ia64",
  "lm32",
  "loongarch64",
  "m68k",
  "microblaze",
  "microblazeel",
  "mips",
  "mipsel",
  "mips64",
  "mips64el",
  "openrisc",
  "parisc",
  "parisc64",
  "ppc",
  "ppcle",
  "ppc64",
  "ppc64le",
  "ppcemb",
  "riscv32",
  "riscv64",
  "s390",
  "s390x",
  "sh4",
  "sh4eb",
  "sparc",
  "sparc64",
  "unicore32",
  "x86_64",
  "xtensa",
  "xtensaeb",
]);

export interface DomainCapabilitiesQuery extends CallOptions {
  /** virsh --virttype: only "vmware". */
  readonly virttype?: string;
  /** virsh --emulatorbin: only the host's VMX program. */
  readonly emulatorbin?: string;
  /** virsh --arch: i686, or x86_64 on a host with long mode. */
  readonly arch?: string;
  /** virsh --machine: a virtual hardware version the host runs (vmx-13); default: the host's default one. */
  readonly machine?: string;
}

/** A virtual hardware version of the host (QueryConfigOptionDescriptor). */
export interface MachineType {
  readonly name: string;
  readonly description: string | undefined;
  readonly default: boolean;
  readonly createSupported: boolean;
}

export interface DomainCapabilities {
  readonly path: string;
  readonly domain: "vmware";
  readonly machine: string;
  readonly arch: HostArch;
  readonly vcpuMax: number;
  /** Values in libvirt's enum order. */
  readonly firmware: readonly string[];
  readonly diskDevices: readonly string[];
  readonly diskBuses: readonly string[];
  readonly graphicsTypes: readonly string[];
  readonly videoModels: readonly string[];
  /** Every machine type the host offers (not part of libvirt's XML). */
  readonly machines: readonly MachineType[];
}

function checkQuery(q: DomainCapabilitiesQuery): void {
  if (q.virttype !== undefined && q.virttype !== "vmware") {
    if (!VIRT_TYPES.includes(q.virttype)) throw new InvalidInputError(`invalid argument: unknown virttype: ${q.virttype}`);
    throw new InvalidInputError(`invalid argument: virttype '${q.virttype}' is not supported by the ESX driver, only 'vmware'`);
  }
  if (q.emulatorbin !== undefined && q.emulatorbin !== VMX_PATH) {
    throw new InvalidInputError(`invalid argument: emulator binary '${q.emulatorbin}' is not the host's ('${VMX_PATH}')`);
  }
  if (q.arch !== undefined && !ARCHES.has(q.arch)) throw new InvalidInputError(`invalid argument: unknown architecture: ${q.arch}`);
}

/** The device option kinds of a config option (their wire type names). */
function deviceKinds(option: VirtualMachineConfigOption): Set<string> {
  return new Set(option.hardwareOptions.virtualDeviceOption.map((d: AnyVirtualDeviceOption) => d._typeName as string));
}

const SCSI_CONTROLLERS = [
  "VirtualSCSIControllerOption",
  "VirtualBusLogicControllerOption",
  "VirtualLsiLogicControllerOption",
  "VirtualLsiLogicSASControllerOption",
  "ParaVirtualSCSIControllerOption",
];

/** What a domain of this config option can have, as the VMX converter writes it. */
function devicesOf(option: VirtualMachineConfigOption): Pick<DomainCapabilities, "firmware" | "diskDevices" | "diskBuses" | "videoModels"> {
  const kinds = deviceKinds(option);
  const firmware = new Set<string>();
  for (const g of option.guestOSDescriptor) for (const f of g.supportedFirmware ?? ["bios"]) firmware.add(f);
  const pick = (pairs: readonly (readonly [string, boolean])[]): string[] => pairs.filter(([, ok]) => ok).map(([v]) => v);
  return {
    firmware: pick([
      ["bios", firmware.has("bios")],
      ["efi", firmware.has("efi")],
    ]),
    diskDevices: pick([
      ["disk", kinds.has("VirtualDiskOption")],
      ["cdrom", kinds.has("VirtualCdromOption")],
      ["floppy", kinds.has("VirtualFloppyOption")],
    ]),
    diskBuses: pick([
      ["ide", kinds.has("VirtualIDEControllerOption")],
      ["fdc", kinds.has("VirtualFloppyOption")],
      ["scsi", SCSI_CONTROLLERS.some((k) => kinds.has(k))],
    ]),
    videoModels: pick([["vmvga", kinds.has("VirtualVideoCardOption")]]),
  };
}

export async function domainCapabilities(conn: Connection, query: DomainCapabilitiesQuery = {}): Promise<DomainCapabilities> {
  checkQuery(query);
  const call = pickCallOptions(query);
  const session = conn.primary;
  const { computeResource, hostSystem } = conn.inventory;
  const found = await retrieveAll(
    session,
    [
      {
        _typeName: "PropertyFilterSpec",
        propSet: [
          { _typeName: "PropertySpec", type: "ComputeResource", pathSet: ["environmentBrowser"] },
          { _typeName: "PropertySpec", type: "HostSystem", pathSet: ["hardware.cpuFeature"] },
        ],
        objectSet: [
          { _typeName: "ObjectSpec", obj: computeResource.ref },
          { _typeName: "ObjectSpec", obj: hostSystem.ref },
        ],
      },
    ],
    call,
  );
  const value = (obj: MoRef, name: string): unknown =>
    found.find((oc) => oc.obj.value === obj.value && oc.obj.type === obj.type)?.propSet?.find((p) => p.name === name)?.val;
  const browser = value(computeResource.ref, "environmentBrowser") as MoRef<"EnvironmentBrowser"> | undefined;
  if (browser === undefined) {
    throw new InvalidInputError(`invalid argument: compute resource '${computeResource.name}' has no environment browser`);
  }
  const longMode = supportsLongMode((value(hostSystem.ref, "hardware.cpuFeature") as HostCpuIdInfo[] | undefined) ?? []) ?? false;
  const arches: HostArch[] = longMode ? ["x86_64", "i686"] : ["i686"];
  const arch = (query.arch ?? arches[0]) as HostArch;
  if (!arches.includes(arch)) throw new InvalidInputError(`invalid argument: the host does not run '${query.arch ?? ""}' guests`);

  const host = hostSystem.ref;
  const [descriptors, option, target] = await Promise.allSettled([
    QueryConfigOptionDescriptor(session.client, browser, call),
    QueryConfigOptionEx(
      session.client,
      browser,
      {
        spec: {
          _typeName: "EnvironmentBrowserConfigOptionQuerySpec",
          host,
          ...(query.machine !== undefined ? { key: query.machine } : {}),
        },
      },
      call,
    ),
    QueryConfigTarget(session.client, browser, { host }, call),
  ]);
  if (descriptors.status === "rejected") throw descriptors.reason;
  const machines: MachineType[] = descriptors.value
    .filter((d) => d.runSupported !== false)
    .map((d) => ({
      name: d.key,
      description: d.description,
      default: d.defaultConfigOption === true,
      createSupported: d.createSupported !== false,
    }));
  if (query.machine !== undefined && !machines.some((m) => m.name === query.machine)) {
    throw new InvalidInputError(
      `invalid argument: the host has no machine type '${query.machine}' (it runs ${machines.map((m) => m.name).join(", ")})`,
    );
  }
  if (option.status === "rejected") throw option.reason;
  if (target.status === "rejected") throw target.reason;
  if (option.value === undefined)
    throw new InvalidInputError(`invalid argument: the host has no config option for '${query.machine ?? "its default machine"}'`);
  const opt = option.value;
  const cpus = Math.max(0, ...opt.hardwareOptions.numCPU);
  const hostCpus = Math.min(target.value?.numCpus ?? cpus, target.value?.maxCpusPerHost ?? cpus);
  return {
    path: VMX_PATH,
    domain: "vmware",
    machine: opt.version,
    arch,
    vcpuMax: Math.min(cpus, hostCpus),
    ...devicesOf(opt),
    graphicsTypes: ["vnc"],
    machines,
  };
}

function enumXml(name: string, values: readonly string[], indent: string): string[] {
  if (values.length === 0) return [`${indent}<enum name='${name}'/>`];
  return [`${indent}<enum name='${name}'>`, ...values.map((v) => `${indent}  <value>${escapeXml(v)}</value>`), `${indent}</enum>`];
}

/** An item with enums: supported='yes' with them, or supported='no' when it has none to offer. */
function itemXml(name: string, enums: readonly (readonly [string, readonly string[]])[], indent: string): string[] {
  if (enums.length === 0 || enums.every(([, v]) => v.length === 0)) return [`${indent}<${name} supported='no'/>`];
  return [`${indent}<${name} supported='yes'>`, ...enums.flatMap(([n, v]) => enumXml(n, v, `${indent}  `)), `${indent}</${name}>`];
}

/** virDomainCapsFormat for what an ESX host offers. */
export function formatDomainCapabilitiesXml(caps: DomainCapabilities): string {
  const lines = [
    "<domainCapabilities>",
    `  <path>${escapeXml(caps.path)}</path>`,
    `  <domain>${caps.domain}</domain>`,
    `  <machine>${escapeXml(caps.machine)}</machine>`,
    `  <arch>${caps.arch}</arch>`,
  ];
  if (caps.vcpuMax > 0) lines.push(`  <vcpu max='${caps.vcpuMax}'/>`);
  lines.push("  <iothreads supported='no'/>");
  lines.push("  <os supported='yes'>", ...enumXml("firmware", caps.firmware, "    "), "    <loader supported='no'/>", "  </os>");
  lines.push(
    "  <cpu>",
    "    <mode name='host-passthrough' supported='no'/>",
    "    <mode name='maximum' supported='no'/>",
    "    <mode name='host-model' supported='no'/>",
    "    <mode name='custom' supported='no'/>",
    "  </cpu>",
    "  <memoryBacking supported='no'/>",
    "  <devices>",
    ...itemXml(
      "disk",
      [
        ["diskDevice", caps.diskDevices],
        ["bus", caps.diskBuses],
      ],
      "    ",
    ),
    ...itemXml("graphics", [["type", caps.graphicsTypes]], "    "),
    ...itemXml("video", [["modelType", caps.videoModels]], "    "),
    "    <hostdev supported='no'/>",
    "    <rng supported='no'/>",
    "    <filesystem supported='no'/>",
    "    <tpm supported='no'/>",
    "  </devices>",
    "  <features>",
    "    <gic supported='no'/>",
    "    <vmcoreinfo supported='no'/>",
    "    <genid supported='no'/>",
    "    <backingStoreInput supported='no'/>",
    "    <backup supported='no'/>",
    "    <sev supported='no'/>",
    "  </features>",
    "</domainCapabilities>",
  );
  return `${lines.join("\n")}\n`;
}
