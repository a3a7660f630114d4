/**
 * Decode throughput and memory (issue 3 §9): a generated ~30 MiB RetrievePropertiesExResponse
 * of VirtualMachine ObjectContents decoded into typed objects (target >= 60 MiB/s, peak RSS
 * <= 4x the document). The document repeats and varies the 300 real VMs of
 * ../shared/reference/bench/vm-objectcontent-300.xml; without it, a synthetic VM template.
 * Also measures the parser alternatives: fast-xml-parser to an untyped tree, our reader
 * tokenizing only. Run alone: node dist/bench/main.js decode
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { registry } from "../generated/registry.js";
import { readBytes, readText } from "../runtime/http/transport.js";
import { decodeResponse, WIRE_ARRAY_TYPE, XmlReader, XmlWriter } from "../runtime/soap/index.js";
import { REFERENCE } from "../test/support/paths.js";
import type { Figure } from "./report.js";
import { prng } from "../test/util/prng.js";

const MiB = 1 << 20;
/** The size of the generated response. */
export const TARGET_BYTES = 30 * MiB;
const REFERENCE_FILE = process.env["ESXVI_BENCH_SYNTHETIC"] === "1" ? "" : join(REFERENCE, "bench", "vm-objectcontent-300.xml");

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  "<soapenv:Body>\n" +
  '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>\n';
const TAIL = "</returnval></RetrievePropertiesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n";

/** One `<objects>` element per VM, from the reference records (`<ObjectContent>` roots). */
function referenceObjects(): string[] {
  const text = readFileSync(REFERENCE_FILE, "utf8");
  const out: string[] = [];
  for (const part of text.split("<ObjectContent>")) {
    const end = part.lastIndexOf("</ObjectContent>");
    if (end < 0) continue;
    out.push(`<objects>${part.slice(0, end)}</objects>\n`);
  }
  return out;
}

/**
 * Builds the response: the VMs in turn until TARGET_BYTES; copies after the first round get
 * their own managed object id, name and UUIDs so that no two VMs are identical.
 */
export function buildDocument(): { xml: Buffer; vms: number; source: string } {
  const fromReference = REFERENCE_FILE !== "" && existsSync(REFERENCE_FILE);
  const objects = fromReference ? referenceObjects() : synthesizeObjects();
  const parts: string[] = [HEAD];
  let bytes = Buffer.byteLength(HEAD) + Buffer.byteLength(TAIL);
  let vms = 0;
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    for (const o of objects) {
      const vm = round === 0 ? o : vary(o, round);
      parts.push(vm);
      bytes += Buffer.byteLength(vm);
      vms++;
      if (bytes >= TARGET_BYTES) break;
    }
  }
  parts.push(TAIL);
  return { xml: Buffer.from(parts.join(""), "utf8"), vms, source: fromReference ? "reference VMs" : "synthetic VMs" };
}

function vary(o: string, round: number): string {
  return o
    .replace(/(<obj type="VirtualMachine">[^<]*)</, `$1-r${round}<`)
    .replace(
      /<(uuid|instanceUuid)>([0-9a-f]{6})/g,
      (_, tag: string, hex: string) => `<${tag}>${((parseInt(hex, 16) + round) & 0xffffff).toString(16).padStart(6, "0")}`,
    )
    .replace(/(<name>name<\/name>\s*<val[^>]*>)([^<]*)/, `$1$2 (${round})`);
}

// ---------------------------------------------------------------------------------------
// Without the reference data: VMs from a typed template (the property sets a real vCenter
// returns, with realistic counts of devices, extraConfig entries, feature requirements,
// alarm states and files), completed with the required members the template leaves out
// and written by our encoder (xsi:type, as ESX writes it).

type Data = Record<string, unknown>;

/** An empty list that names its wire type (as servers write them), not ArrayOfAnyType. */
function empty(wire: string): unknown[] {
  return Object.defineProperty([], WIRE_ARRAY_TYPE, { value: wire, enumerable: false });
}

const ref = (type: string, value: string): Data => ({ _typeName: "ManagedObjectReference", type, value });
const hex = (rnd: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
const uuid = (rnd: () => number): string => `${hex(rnd, 8)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 12)}`;

/** A value for a required member the template leaves out. */
function placeholder(type: string): unknown {
  switch (registry.kindOf(type)) {
    case "primitive":
      return (
        (
          {
            Boolean: false,
            Byte: 0,
            Short: 0,
            Int: 0,
            Long: 0n,
            Float: 0,
            Double: 0,
            DateTime: new Date(0),
            Binary: new Uint8Array(0),
          } as Data
        )[type] ?? ""
      );
    case "moref":
      return ref("ManagedEntity", "unset");
    case "object":
      return complete({ _typeName: type });
    default:
      return "";
  }
}

/** Fills the required members a template object leaves out, recursively. */
function complete<T>(v: T): T {
  if (Array.isArray(v)) {
    for (const x of v) complete(x);
    return v;
  }
  if (!isObj(v) || v instanceof Date || v instanceof Uint8Array) return v;
  const type = v["_typeName"];
  if (typeof type !== "string" || registry.object(type) === undefined) return v;
  const o = v as Data;
  for (const m of registry.membersOf(type)) {
    if (o[m.name] === undefined) {
      if (m.required) o[m.name] = m.list ? [placeholder(m.type)] : placeholder(m.type);
    } else {
      complete(o[m.name]);
    }
  }
  return v;
}

function syntheticVm(i: number): Data {
  const rnd = prng(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const id = `vm-${1000 + i}`;
  const name = `${pick(["web", "db", "app", "build", "cache", "mail", "vpn", "ci"])}-${pick(["prod", "test", "dev"])}-${String(i).padStart(3, "0")}`;
  const ds = ref("Datastore", `datastore-${10 + (i % 4)}`);
  const dsName = `ds-${pick(["ssd", "nfs", "vsan"])}-${i % 4}`;
  const dir = `[${dsName}] ${name}`;
  const host = ref("HostSystem", `host-${20 + (i % 8)}`);
  const numCPU = pick([1, 2, 4, 8]);
  const memoryMB = pick([1024, 2048, 4096, 8192, 16384]);
  const disks = 1 + Math.floor(rnd() * 4);
  const nics = 1 + Math.floor(rnd() * 3);
  const when = new Date(Date.UTC(2023, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28), 8, 30, 0, 123));
  const vmUuid = uuid(rnd);
  const instanceUuid = uuid(rnd);
  const conn = (connected: boolean): Data => ({
    _typeName: "VirtualDeviceConnectInfo",
    startConnected: connected,
    allowGuestControl: true,
    connected,
    status: "ok",
  });
  const info = (label: string, summary: string): Data => ({ _typeName: "Description", label, summary });
  const devices: Data[] = [
    { _typeName: "VirtualIDEController", key: 200, deviceInfo: info("IDE 0", "IDE 0"), busNumber: 0, device: [3000] },
    { _typeName: "VirtualIDEController", key: 201, deviceInfo: info("IDE 1", "IDE 1"), busNumber: 1 },
    {
      _typeName: "VirtualPS2Controller",
      key: 300,
      deviceInfo: info("PS2 controller 0", "PS2 controller 0"),
      busNumber: 0,
      device: [600, 700],
    },
    {
      _typeName: "VirtualPCIController",
      key: 100,
      deviceInfo: info("PCI controller 0", "PCI controller 0"),
      busNumber: 0,
      device: [500, 12000, 1000, 4000],
    },
    { _typeName: "VirtualSIOController", key: 400, deviceInfo: info("SIO controller 0", "SIO controller 0"), busNumber: 0 },
    { _typeName: "VirtualKeyboard", key: 600, deviceInfo: info("Keyboard", "Keyboard"), controllerKey: 300, unitNumber: 0 },
    {
      _typeName: "VirtualPointingDevice",
      key: 700,
      deviceInfo: info("Pointing device", "Pointing device; Device"),
      backing: {
        _typeName: "VirtualPointingDeviceDeviceBackingInfo",
        deviceName: "",
        useAutoDetect: false,
        hostPointingDevice: "autodetect",
      },
      controllerKey: 300,
      unitNumber: 1,
    },
    {
      _typeName: "VirtualMachineVideoCard",
      key: 500,
      deviceInfo: info("Video card ", "Video card"),
      controllerKey: 100,
      unitNumber: 0,
      videoRamSizeInKB: 4096,
      numDisplays: 1,
      useAutoDetect: false,
      enable3DSupport: false,
      use3dRenderer: "automatic",
      graphicsMemorySizeInKB: 262144,
    },
    {
      _typeName: "VirtualMachineVMCIDevice",
      key: 12000,
      deviceInfo: info(
        "VMCI device",
        "Device on the virtual machine PCI bus that provides support for the virtual machine communication interface",
      ),
      slotInfo: { _typeName: "VirtualDevicePciBusSlotInfo", pciSlotNumber: 33 },
      controllerKey: 100,
      unitNumber: 17,
      id: -1,
      allowUnrestrictedCommunication: false,
      filterEnable: true,
    },
    {
      _typeName: "ParaVirtualSCSIController",
      key: 1000,
      deviceInfo: info("SCSI controller 0", "VMware paravirtual SCSI"),
      slotInfo: { _typeName: "VirtualDevicePciBusSlotInfo", pciSlotNumber: 160 },
      controllerKey: 100,
      unitNumber: 3,
      busNumber: 0,
      device: Array.from({ length: disks }, (_, d) => 2000 + d),
      hotAddRemove: true,
      sharedBus: "noSharing",
      scsiCtlrUnitNumber: 7,
    },
    {
      _typeName: "VirtualCdrom",
      key: 3000,
      deviceInfo: info("CD/DVD drive 1", "Remote device"),
      backing: { _typeName: "VirtualCdromRemotePassthroughBackingInfo", deviceName: "", useAutoDetect: false, exclusive: false },
      connectable: conn(false),
      controllerKey: 200,
      unitNumber: 0,
    },
  ];
  const files: Data[] = [];
  let fileKey = 0;
  const file = (fname: string, type: string, size: bigint): number => {
    files.push({
      _typeName: "VirtualMachineFileLayoutExFileInfo",
      key: fileKey,
      name: `${dir}/${fname}`,
      type,
      size,
      uniqueSize: size,
      accessible: true,
    });
    return fileKey++;
  };
  file(`${name}.vmx`, "config", 3210n);
  file(`${name}.nvram`, "nvram", 270840n);
  file(`${name}.vmsd`, "snapshotList", 0n);
  const diskLayout: Data[] = [];
  const guestDisks: Data[] = [];
  let committed = 0n;
  for (let d = 0; d < disks; d++) {
    const capacity = BigInt(pick([16, 40, 80, 200, 500])) * 1024n * 1024n * 1024n;
    committed += capacity / 3n;
    const base = d === 0 ? name : `${name}_${d}`;
    devices.push({
      _typeName: "VirtualDisk",
      key: 2000 + d,
      deviceInfo: info(`Hard disk ${d + 1}`, `${capacity / 1024n} KB`),
      backing: {
        _typeName: "VirtualDiskFlatVer2BackingInfo",
        fileName: `${dir}/${base}.vmdk`,
        datastore: ds,
        diskMode: "persistent",
        split: false,
        writeThrough: false,
        thinProvisioned: rnd() < 0.5,
        eagerlyScrub: false,
        uuid: `6000C29${hex(rnd, 1)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 4)}-${hex(rnd, 12)}`,
        contentId: hex(rnd, 32),
        digestEnabled: false,
        sharing: "sharingNone",
      },
      controllerKey: 1000,
      unitNumber: d,
      capacityInKB: capacity / 1024n,
      capacityInBytes: capacity,
      shares: { _typeName: "SharesInfo", shares: 1000, level: "normal" },
      storageIOAllocation: {
        _typeName: "StorageIOAllocationInfo",
        limit: -1n,
        shares: { _typeName: "SharesInfo", shares: 1000, level: "normal" },
        reservation: 0,
      },
      nativeUnmanagedLinkedClone: false,
    });
    const desc = file(`${base}.vmdk`, "diskDescriptor", 640n);
    const ext = file(`${base}-flat.vmdk`, "diskExtent", capacity / 3n);
    diskLayout.push({
      _typeName: "VirtualMachineFileLayoutExDiskLayout",
      key: 2000 + d,
      chain: [{ _typeName: "VirtualMachineFileLayoutExDiskUnit", fileKey: [desc, ext] }],
    });
    guestDisks.push({
      _typeName: "GuestDiskInfo",
      diskPath: d === 0 ? "/" : `/data${d}`,
      capacity: (capacity * 9n) / 10n,
      freeSpace: capacity / 2n,
      filesystemType: "ext4",
      mappings: [{ _typeName: "GuestInfoVirtualDiskMapping", key: 2000 + d }],
    });
  }
  const guestNics: Data[] = [];
  const ips: string[] = [];
  for (let n = 0; n < nics; n++) {
    const mac = `00:50:56:${hex(rnd, 2)}:${hex(rnd, 2)}:${hex(rnd, 2)}`;
    const ip = `10.${i % 200}.${n}.${10 + (i % 240)}`;
    ips.push(ip);
    devices.push({
      _typeName: "VirtualVmxnet3",
      key: 4000 + n,
      deviceInfo: info(`Network adapter ${n + 1}`, `DVSwitch: 50 1d ${hex(rnd, 2)} ${hex(rnd, 2)}`),
      backing: {
        _typeName: "VirtualEthernetCardDistributedVirtualPortBackingInfo",
        port: {
          _typeName: "DistributedVirtualSwitchPortConnection",
          switchUuid: `50 1d ${hex(rnd, 2)} 4f 8e 3b 52 1c-${hex(rnd, 2)} 0a 9d 63 c5 82 47 11`,
          portgroupKey: `dvportgroup-${30 + n}`,
          portKey: String(100 + i),
          connectionCookie: Math.floor(rnd() * 2e9),
        },
      },
      connectable: { ...conn(true), migrateConnect: "unset" },
      slotInfo: { _typeName: "VirtualDevicePciBusSlotInfo", pciSlotNumber: 192 + n * 32 },
      controllerKey: 100,
      unitNumber: 7 + n,
      addressType: "assigned",
      macAddress: mac,
      wakeOnLanEnabled: true,
      resourceAllocation: {
        _typeName: "VirtualEthernetCardResourceAllocation",
        reservation: 0n,
        share: { _typeName: "SharesInfo", shares: 50, level: "normal" },
        limit: -1n,
      },
      uptCompatibilityEnabled: true,
    });
    guestNics.push({
      _typeName: "GuestNicInfo",
      network: `pg-vlan-${100 + n}`,
      ipAddress: [ip, `fe80::250:56ff:fe${hex(rnd, 2)}:${hex(rnd, 4)}`],
      macAddress: mac,
      connected: true,
      deviceConfigId: 4000 + n,
    });
  }
  for (const log of ["vmware.log", "vmware-1.log", "vmware-2.log", "vmware-3.log", "vmware-4.log", "vmware-5.log"])
    file(log, "log", BigInt(100000 + Math.floor(rnd() * 900000)));
  file(`${name}-${hex(rnd, 8)}.vswp`, "swap", BigInt(memoryMB) * 1048576n);
  file(`vmx-${name}-${hex(rnd, 8)}.vswp`, "uwswap", 89128960n);
  const extraConfig: Data[] = [];
  const options: [string, string][] = [
    ["nvram", `${name}.nvram`],
    ["svga.present", "TRUE"],
    ["pciBridge0.present", "TRUE"],
    ["virtualHW.productCompatibility", "hosted"],
    ["tools.guest.desktop.autolock", "FALSE"],
    ["migrate.hostLog", `${name}-${hex(rnd, 8)}.hlog`],
    ["sched.cpu.latencySensitivity", "normal"],
    ["numa.autosize.cookie", String(numCPU * 10001)],
    ["sched.swap.derivedName", `${dir}/${name}-${hex(rnd, 8)}.vswp`],
    ["guestinfo.vmtools.description", "open-vm-tools 12.1.5 build 20735119"],
    ["guestinfo.driver.vmxnet3.version", "1.6.0.0-k-NAPI"],
    [
      "guestinfo.detailed.data",
      `architecture='X86' bitness='64' distroName='Ubuntu' distroVersion='22.04' familyName='Linux' kernelVersion='5.15.0-${70 + (i % 20)}-generic' prettyName='Ubuntu 22.04.3 LTS'`,
    ],
  ];
  for (let p = 0; p < 8; p++)
    options.push(
      [`pciBridge${4 + p}.virtualDev`, "pcieRootPort"],
      [`pciBridge${4 + p}.functions`, "8"],
      [`pciBridge${4 + p}.pciSlotNumber`, String(21 + p)],
    );
  for (let n = 0; n < nics; n++) options.push([`ethernet${n}.pciSlotNumber`, String(192 + n * 32)]);
  for (let k = 0; k < 12; k++)
    options.push([`monitor.phys_bits_used.${k}`, String(43 + k)], [`cpuid.coresPerSocket.${k}`, String(1 + (k % 4))]);
  for (const [key, value] of options) extraConfig.push({ _typeName: "OptionValue", key, value });
  const features = [
    "cpuid.SSE3",
    "cpuid.PCLMULQDQ",
    "cpuid.SSSE3",
    "cpuid.FMA",
    "cpuid.CMPXCHG16B",
    "cpuid.PCID",
    "cpuid.SSE41",
    "cpuid.SSE42",
    "cpuid.MOVBE",
    "cpuid.POPCNT",
    "cpuid.AES",
    "cpuid.XSAVE",
    "cpuid.AVX",
    "cpuid.F16C",
    "cpuid.RDRAND",
    "cpuid.SS",
    "cpuid.FSGSBASE",
    "cpuid.BMI1",
    "cpuid.AVX2",
    "cpuid.SMEP",
    "cpuid.BMI2",
    "cpuid.ENFSTRG",
    "cpuid.INVPCID",
    "cpuid.RDSEED",
    "cpuid.ADX",
    "cpuid.SMAP",
    "cpuid.CLFLUSHOPT",
    "cpuid.XSAVEOPT",
    "cpuid.XSAVEC",
    "cpuid.XSAVES",
    "cpuid.LAHF64",
    "cpuid.ABM",
    "cpuid.3DNPREFETCH",
    "cpuid.NX",
    "cpuid.1GPAGE",
    "cpuid.RDTSCP",
    "cpuid.LM",
    "cpuid.Intel",
    "cpuid.IBRS",
    "cpuid.STIBP",
    "cpuid.SSBD",
    "cpuid.MDCLEAR",
    "cpuid.FCMD",
    "misc.cpuidfaulting",
    "hv.capable",
    "vpmc.microarchitecture.skylake",
    "vpmc.numGenCtrs",
    "vpmc.numFixedCtrs",
    "vpmc.genWidth",
    "vpmc.fixedWidth",
    "vpmc.version",
    "vpmc.genctr.0",
    "vpmc.genctr.1",
    "vpmc.genctr.2",
    "vpmc.genctr.3",
    "vpmc.fixedctr.0",
    "vpmc.fixedctr.1",
    "vpmc.fixedctr.2",
    "vpmc.cycles",
    "vpmc.instr",
  ];
  const requirement = (type: string): Data[] =>
    features.map((f, k) => ({
      _typeName: type,
      key: f,
      featureName: f,
      value: k % 7 === 0 ? `Num:Min:${0x30 + k}` : k % 5 === 0 ? "Max:1" : "Bool:Min:1",
    }));
  const alarms: Data[] = Array.from({ length: 23 }, (_, k) => ({
    _typeName: "AlarmState",
    key: `alarm-${k + 1}.${id}`,
    entity: ref("VirtualMachine", id),
    alarm: ref("Alarm", `alarm-${k + 1}`),
    overallStatus: k === 7 ? "yellow" : "gray",
    time: when,
    acknowledged: false,
  }));
  const booleans = (type: string): Data => {
    const o: Data = { _typeName: type };
    for (const m of registry.membersOf(type)) if (m.type === "Boolean") o[m.name] = rnd() < 0.8;
    return o;
  };
  const allocation = (limit: bigint): Data => ({
    _typeName: "ResourceAllocationInfo",
    reservation: 0n,
    expandableReservation: false,
    limit,
    shares: { _typeName: "SharesInfo", shares: numCPU * 1000, level: "normal" },
    overheadLimit: -1n,
  });
  const runtime: Data = {
    _typeName: "VirtualMachineRuntimeInfo",
    device: Array.from({ length: nics }, (_, n) => ({
      _typeName: "VirtualMachineDeviceRuntimeInfo",
      runtimeState: {
        _typeName: "VirtualMachineDeviceRuntimeInfoVirtualEthernetCardRuntimeState",
        vmDirectPathGen2Active: false,
        vmDirectPathGen2InactiveReasonVm: ["vmNptIncompatibleAdapterType"],
        vmDirectPathGen2InactiveReasonOther: ["vmNptIncompatibleNetwork"],
        reservationStatus: "success",
        attachmentStatus: "ok",
      },
      key: 4000 + n,
    })),
    host,
    connectionState: "connected",
    powerState: rnd() < 0.85 ? "poweredOn" : "poweredOff",
    faultToleranceState: "notConfigured",
    toolsInstallerMounted: false,
    bootTime: when,
    memoryOverhead: 0n,
    maxCpuUsage: numCPU * 2394,
    maxMemoryUsage: memoryMB,
    numMksConnections: 0,
    recordReplayState: "inactive",
    onlineStandby: false,
    consolidationNeeded: false,
    featureRequirement: requirement("VirtualMachineFeatureRequirement"),
    featureMask: [],
    paused: false,
    snapshotInBackground: false,
    instantCloneFrozen: false,
    suspendedToMemory: false,
  };
  const config: Data = {
    _typeName: "VirtualMachineConfigInfo",
    changeVersion: when.toISOString(),
    modified: new Date(0),
    name,
    guestFullName: "Ubuntu Linux (64-bit)",
    version: "vmx-19",
    uuid: vmUuid,
    createDate: when,
    instanceUuid,
    npivTemporaryDisabled: true,
    template: false,
    guestId: "ubuntu64Guest",
    alternateGuestName: "",
    annotation: i % 3 === 0 ? `Owner: team-${i % 7} & ops <on-call>\nTicket: OPS-${4000 + i} — café` : "",
    files: {
      _typeName: "VirtualMachineFileInfo",
      vmPathName: `${dir}/${name}.vmx`,
      snapshotDirectory: `${dir}/`,
      suspendDirectory: `${dir}/`,
      logDirectory: `${dir}/`,
    },
    tools: {
      _typeName: "ToolsConfigInfo",
      toolsVersion: 12325,
      toolsInstallType: "guestToolsTypeOpenVMTools",
      afterPowerOn: true,
      afterResume: true,
      beforeGuestStandby: true,
      beforeGuestShutdown: true,
      toolsUpgradePolicy: "manual",
      syncTimeWithHostAllowed: true,
      syncTimeWithHost: false,
    },
    flags: {
      _typeName: "VirtualMachineFlagInfo",
      enableLogging: true,
      useToe: false,
      runWithDebugInfo: false,
      monitorType: "release",
      htSharing: "any",
      snapshotDisabled: false,
      snapshotLocked: false,
      diskUuidEnabled: true,
      virtualMmuUsage: "automatic",
      virtualExecUsage: "hvAuto",
      snapshotPowerOffBehavior: "powerOff",
      recordReplayEnabled: false,
      faultToleranceType: "unset",
      cbrcCacheEnabled: false,
      vvtdEnabled: false,
      vbsEnabled: false,
    },
    consolePreferences: {
      _typeName: "VirtualMachineConsolePreferences",
      powerOnWhenOpened: false,
      enterFullScreenOnPowerOn: false,
      closeOnPowerOffOrSuspend: false,
    },
    defaultPowerOps: {
      _typeName: "VirtualMachineDefaultPowerOpInfo",
      powerOffType: "soft",
      suspendType: "hard",
      resetType: "soft",
      defaultPowerOffType: "soft",
      defaultSuspendType: "hard",
      defaultResetType: "soft",
      standbyAction: "checkpoint",
    },
    hardware: {
      _typeName: "VirtualHardware",
      numCPU,
      numCoresPerSocket: 1,
      memoryMB,
      virtualICH7MPresent: false,
      virtualSMCPresent: false,
      device: devices,
    },
    cpuAllocation: allocation(-1n),
    memoryAllocation: allocation(-1n),
    latencySensitivity: { _typeName: "LatencySensitivity", level: "normal" },
    memoryHotAddEnabled: false,
    cpuHotAddEnabled: false,
    cpuHotRemoveEnabled: false,
    hotPlugMemoryLimit: BigInt(memoryMB),
    extraConfig,
    datastoreUrl: [
      { _typeName: "VirtualMachineConfigInfoDatastoreUrlPair", name: dsName, url: `/vmfs/volumes/${hex(rnd, 8)}-${hex(rnd, 8)}` },
    ],
    swapPlacement: "inherit",
    bootOptions: {
      _typeName: "VirtualMachineBootOptions",
      bootDelay: 0n,
      enterBIOSSetup: false,
      efiSecureBootEnabled: false,
      bootRetryEnabled: false,
      bootRetryDelay: 10000n,
      networkBootProtocol: "ipv4",
    },
    vAssertsEnabled: false,
    changeTrackingEnabled: rnd() < 0.5,
    firmware: "bios",
    maxMksConnections: -1,
    guestAutoLockEnabled: false,
    memoryReservationLockedToMax: false,
    initialOverhead: {
      _typeName: "VirtualMachineConfigInfoOverheadInfo",
      initialMemoryReservation: 366469120n,
      initialSwapReservation: 89128960n,
    },
    nestedHVEnabled: false,
    vPMCEnabled: false,
    scheduledHardwareUpgradeInfo: {
      _typeName: "ScheduledHardwareUpgradeInfo",
      upgradePolicy: "never",
      scheduledHardwareUpgradeStatus: "none",
    },
    vFlashCacheReservation: 0n,
    messageBusTunnelEnabled: false,
    guestIntegrityInfo: { _typeName: "VirtualMachineGuestIntegrityInfo", enabled: false },
    migrateEncryption: "opportunistic",
    sgxInfo: { _typeName: "VirtualMachineSgxInfo", epcSize: 0n, flcMode: "unlocked" },
    ftEncryptionMode: "ftEncryptionOpportunistic",
    guestMonitoringModeInfo: { _typeName: "VirtualMachineGuestMonitoringModeInfo" },
    sevEnabled: false,
    pmemFailoverEnabled: false,
  };
  const vmRef = ref("VirtualMachine", id);
  const summary: Data = {
    _typeName: "VirtualMachineSummary",
    vm: vmRef,
    runtime: { ...runtime, device: undefined, featureRequirement: requirement("VirtualMachineFeatureRequirement") },
    guest: {
      _typeName: "VirtualMachineGuestSummary",
      guestId: "ubuntu64Guest",
      guestFullName: "Ubuntu Linux (64-bit)",
      toolsStatus: "toolsOk",
      toolsVersionStatus: "guestToolsUnmanaged",
      toolsVersionStatus2: "guestToolsUnmanaged",
      toolsRunningStatus: "guestToolsRunning",
      hostName: name,
      ipAddress: ips[0] ?? "",
      hwVersion: "vmx-19",
    },
    config: {
      _typeName: "VirtualMachineConfigSummary",
      name,
      template: false,
      vmPathName: `${dir}/${name}.vmx`,
      memorySizeMB: memoryMB,
      cpuReservation: 0,
      memoryReservation: 0,
      numCpu: numCPU,
      numEthernetCards: nics,
      numVirtualDisks: disks,
      uuid: vmUuid,
      instanceUuid,
      guestId: "ubuntu64Guest",
      guestFullName: "Ubuntu Linux (64-bit)",
      annotation: config["annotation"],
      installBootRequired: false,
      tpmPresent: false,
      numVmiopBackings: 0,
      hwVersion: "vmx-19",
    },
    storage: { _typeName: "VirtualMachineStorageSummary", committed, uncommitted: committed * 2n, unshared: committed, timestamp: when },
    quickStats: {
      _typeName: "VirtualMachineQuickStats",
      overallCpuUsage: Math.floor(rnd() * 2000),
      overallCpuDemand: Math.floor(rnd() * 2000),
      overallCpuReadiness: 0,
      guestMemoryUsage: Math.floor(memoryMB * rnd()),
      hostMemoryUsage: memoryMB,
      guestHeartbeatStatus: "green",
      distributedCpuEntitlement: 42,
      distributedMemoryEntitlement: memoryMB / 2,
      staticCpuEntitlement: 2394,
      staticMemoryEntitlement: memoryMB,
      grantedMemory: memoryMB,
      privateMemory: memoryMB - 12,
      sharedMemory: 0,
      swappedMemory: 0,
      balloonedMemory: 0,
      consumedOverheadMemory: 36,
      ftLogBandwidth: -1,
      ftSecondaryLatency: -1,
      ftLatencyStatus: "gray",
      compressedMemory: 0n,
      uptimeSeconds: Math.floor(rnd() * 9e6),
      ssdSwappedMemory: 0n,
    },
    overallStatus: "green",
  };
  const guest: Data = {
    _typeName: "GuestInfo",
    toolsStatus: "toolsOk",
    toolsVersionStatus: "guestToolsUnmanaged",
    toolsVersionStatus2: "guestToolsUnmanaged",
    toolsRunningStatus: "guestToolsRunning",
    toolsVersion: "12325",
    toolsInstallType: "guestToolsTypeOpenVMTools",
    guestId: "ubuntu64Guest",
    guestFamily: "linuxGuest",
    guestFullName: "Ubuntu Linux (64-bit)",
    hostName: name,
    ipAddress: ips[0] ?? "",
    net: guestNics,
    disk: guestDisks,
    screen: { _typeName: "GuestScreenInfo", width: 1280, height: 800 },
    guestState: "running",
    appHeartbeatStatus: "appStatusGray",
    guestKernelCrashed: false,
    appState: "none",
    guestOperationsReady: true,
    interactiveGuestOperationsReady: false,
    guestStateChangeSupported: true,
    hwVersion: "vmx-19",
  };
  const props: [string, unknown][] = [
    ["alarmActionsEnabled", true],
    ["availableField", empty("ArrayOfCustomFieldDef")],
    ["capability", booleans("VirtualMachineCapability")],
    ["config", config],
    ["configIssue", empty("ArrayOfEvent")],
    ["configStatus", "green"],
    ["customValue", empty("ArrayOfCustomFieldValue")],
    ["datastore", [ds]],
    ["declaredAlarmState", alarms],
    [
      "disabledMethod",
      [
        "MakePrimaryVM_Task",
        "TerminateFaultTolerantVM_Task",
        "ResetVM_Task",
        "StartRecording_Task",
        "StopRecording_Task",
        "StartReplaying_Task",
        "StopReplaying_Task",
        "MountToolsInstaller",
        "CreateSecondaryVM_Task",
        "PowerOnVM_Task",
      ],
    ],
    ["effectiveRole", [-1]],
    ["environmentBrowser", ref("EnvironmentBrowser", `envbrowser-${1000 + i}`)],
    ["guest", guest],
    ["guestHeartbeatStatus", "green"],
    [
      "layout",
      {
        _typeName: "VirtualMachineFileLayout",
        configFile: [`${name}.nvram`, `${name}.vmsd`],
        logFile: ["vmware.log", "vmware-1.log"],
        disk: diskLayout.map((d, k) => ({
          _typeName: "VirtualMachineFileLayoutDiskLayout",
          key: d["key"],
          diskFile: [`${dir}/${k === 0 ? name : `${name}_${k}`}.vmdk`],
        })),
        swapFile: `${dir}/${name}.vswp`,
      },
    ],
    ["layoutEx", { _typeName: "VirtualMachineFileLayoutEx", file: files, disk: diskLayout, timestamp: when }],
    ["name", name],
    ["network", Array.from({ length: nics }, (_, n) => ref("DistributedVirtualPortgroup", `dvportgroup-${30 + n}`))],
    ["overallStatus", "green"],
    ["parent", ref("Folder", `group-v${3 + (i % 5)}`)],
    ["permission", empty("ArrayOfPermission")],
    ["recentTask", empty("ArrayOfManagedObjectReference")],
    [
      "resourceConfig",
      {
        _typeName: "ResourceConfigSpec",
        entity: vmRef,
        changeVersion: when.toISOString(),
        lastModified: when,
        cpuAllocation: allocation(-1n),
        memoryAllocation: allocation(-1n),
      },
    ],
    ["resourcePool", ref("ResourcePool", `resgroup-${8 + (i % 3)}`)],
    ["rootSnapshot", empty("ArrayOfManagedObjectReference")],
    ["runtime", runtime],
    [
      "storage",
      {
        _typeName: "VirtualMachineStorageInfo",
        perDatastoreUsage: [
          { _typeName: "VirtualMachineUsageOnDatastore", datastore: ds, committed, uncommitted: committed * 2n, unshared: committed },
        ],
        timestamp: when,
      },
    ],
    ["summary", summary],
    ["tag", empty("ArrayOfTag")],
    ["triggeredAlarmState", empty("ArrayOfAlarmState")],
    ["value", empty("ArrayOfCustomFieldValue")],
  ];
  return {
    _typeName: "ObjectContent",
    obj: vmRef,
    propSet: props.map(([name, val]) => ({ _typeName: "DynamicProperty", name, val: complete(val) })),
  };
}

/** Without the reference data: 64 VMs built from the template and written by our encoder. */
function synthesizeObjects(): string[] {
  const enc = registry.encoder("ObjectContent");
  const out: string[] = [];
  for (let i = 0; i < 64; i++) {
    const w = new XmlWriter();
    enc(w, "objects", syntheticVm(i), `vm ${i}`);
    out.push(`${w.out}\n`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// What the decoded result looks like

interface Obj {
  readonly [k: string]: unknown;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function at(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split(".")) v = isObj(v) ? v[k] : undefined;
  return v;
}

export interface Census {
  objects: number;
  vms: number;
  /** Objects decoded generically (`_wireType` on the generic type), by wire type. */
  generic: Map<string, number>;
  /** Objects of a known base decoded for an unknown subtype, by wire type. */
  unknownSubtypes: Map<string, number>;
}

/** Walks the result, counting objects and those the bindings did not type. */
function census(result: unknown): Census {
  const c: Census = { objects: 0, vms: 0, generic: new Map(), unknownSubtypes: new Map() };
  const generic = registry.options.genericType;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isObj(v) || v instanceof Date || v instanceof Uint8Array) return;
    c.objects++;
    const wire = v["_wireType"];
    if (typeof wire === "string") {
      const m = v["_typeName"] === generic ? c.generic : c.unknownSubtypes;
      m.set(wire, (m.get(wire) ?? 0) + 1);
    } else if (v["_typeName"] === generic) {
      c.generic.set("(untyped)", (c.generic.get("(untyped)") ?? 0) + 1);
    }
    for (const k in v) walk(v[k]);
  };
  walk(result);
  c.vms = isObj(result) && Array.isArray(result["objects"]) ? result["objects"].length : 0;
  return c;
}

/** Throws unless the result is typed the way the bindings promise. */
function checkTyped(result: unknown, vms: number): void {
  const objects = isObj(result) ? result["objects"] : undefined;
  if (!Array.isArray(objects) || objects.length !== vms)
    throw new Error(`expected ${vms} ObjectContents, got ${Array.isArray(objects) ? objects.length : "none"}`);
  const props = (oc: unknown): Map<string, unknown> => {
    const m = new Map<string, unknown>();
    const set = isObj(oc) ? oc["propSet"] : undefined;
    if (Array.isArray(set)) for (const p of set) if (isObj(p) && typeof p["name"] === "string") m.set(p["name"], p["val"]);
    return m;
  };
  let disks = 0;
  for (const oc of objects) {
    const p = props(oc);
    const config = p.get("config");
    if (config === undefined) continue;
    const expect = (what: string, ok: boolean): void => {
      if (!ok) throw new Error(`not typed: ${what} of ${String(at(oc, "obj.value"))}`);
    };
    expect("config", at(config, "_typeName") === "VirtualMachineConfigInfo");
    expect("config.hardware.numCPU", typeof at(config, "hardware.numCPU") === "number");
    expect("config.changeVersion", typeof at(config, "changeVersion") === "string");
    const summary = p.get("summary");
    expect("summary.storage.committed", typeof at(summary, "storage.committed") === "bigint");
    const boot = at(p.get("runtime"), "bootTime");
    expect("runtime.bootTime", boot === undefined || boot instanceof Date);
    const devices = at(config, "hardware.device");
    expect("config.hardware.device", Array.isArray(devices));
    for (const d of devices as unknown[]) {
      expect("a device", typeof at(d, "_typeName") === "string" && typeof at(d, "key") === "number");
      if (at(d, "_typeName") === "VirtualDisk") {
        disks++;
        expect("VirtualDisk.capacityInBytes", typeof at(d, "capacityInBytes") === "bigint" || at(d, "capacityInBytes") === undefined);
        expect("VirtualDisk.backing", typeof at(d, "backing._typeName") === "string");
      }
    }
  }
  if (disks === 0) throw new Error("no VirtualDisk decoded");
}

// ---------------------------------------------------------------------------------------
// Throughput

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * Median MiB/s of `runs` runs of fn after `warm` warm-up runs: by the clock, and per
 * second of the process's CPU time (GC threads included), which other load on the
 * machine disturbs less.
 */
function rates(bytes: number, fn: () => unknown, warm = 2, runs = 7): { wall: number; cpu: number } {
  for (let i = 0; i < warm; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(bytes / MiB / (ms / 1000));
    cpu.push(bytes / MiB / ((c.user + c.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function throughput(bytes: number, fn: () => unknown, warm = 2, runs = 7): number {
  return rates(bytes, fn, warm, runs).wall;
}

/** Our reader over the whole document, every element and text visited, nothing decoded. */
function tokenizeOnly(xml: Uint8Array): number {
  const r = new XmlReader(xml);
  r.root();
  let elements = 1;
  const walk = (): void => {
    while (r.nextChild()) {
      elements++;
      if (r.hasChildElements()) walk();
      else r.readText();
    }
  };
  walk();
  return elements;
}

// ---------------------------------------------------------------------------------------
// Peak RSS in a fresh process, from the bytes as undici delivers a body (64 KiB Buffer
// chunks): through a string (readText, what the client does today) or as bytes (readBytes).

type Pipeline = "string" | "bytes";

interface RssReport {
  /** Node with the bindings and the HTTP transport (undici) loaded: where the measurement starts. */
  baseline: number;
  peak: number;
  heapUsed: number;
  vms: number;
}

/**
 * Peak resident memory of this process since `resetPeak()`: VmHWM of /proc/self/status
 * (getrusage's maxRSS would include the parent's peak, which a spawned child inherits).
 */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m === null ? process.resourceUsage().maxRSS * 1024 : Number(m[1]) * 1024;
}

/** Resets VmHWM to the current RSS (Linux); false where that is not possible. */
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

async function rssChild(file: string, pipeline: Pipeline): Promise<void> {
  await registry.loadAll();
  const method = registry.method("RetrievePropertiesEx");
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  resetPeak();
  const body = createReadStream(file, { highWaterMark: 64 * 1024 });
  const doc = pipeline === "string" ? await readText(body, 1 << 30, "bench") : await readBytes(body, 1 << 30, "bench");
  const result = decodeResponse(registry, method, doc);
  const report: RssReport = {
    baseline,
    peak: peakRss(),
    heapUsed: process.memoryUsage().heapUsed,
    vms: isObj(result) && Array.isArray(result["objects"]) ? result["objects"].length : 0,
  };
  process.stdout.write(JSON.stringify(report));
}

function measureRss(file: string, pipeline: Pipeline): RssReport {
  const r = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--rss-child", file, pipeline], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`RSS child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RssReport;
}

/** Median over `runs` fresh processes: baseline, peak and ratios as figures. */
function rssFigures(file: string, pipeline: Pipeline, size: number, vms: number, runs: number): Figure[] {
  const reports = Array.from({ length: runs }, () => measureRss(file, pipeline));
  for (const r of reports) if (r.vms !== vms) throw new Error(`RSS child decoded ${r.vms} VMs, expected ${vms}`);
  const peak = median(reports.map((r) => r.peak));
  const baseline = median(reports.map((r) => r.baseline));
  const heap = median(reports.map((r) => r.heapUsed));
  const label = pipeline === "string" ? "chunks -> string (readText) -> typed" : "chunks -> Buffer (readBytes) -> typed";
  return [
    { name: `decode: RSS ${label}: baseline (bindings, transport)`, value: Math.round(baseline / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: peak`, value: Math.round(peak / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: heap used after`, value: Math.round(heap / MiB), unit: "MiB" },
    { name: `decode: RSS ${label}: peak / document`, value: Number((peak / size).toFixed(2)), unit: "x", target: "<= 4" },
    {
      name: `decode: RSS ${label}: (peak - baseline) / document`,
      value: Number(((peak - baseline) / size).toFixed(2)),
      unit: "x",
      target: "<= 4",
    },
  ];
}

// ---------------------------------------------------------------------------------------

/** Median MiB/s of turning the body's 64 KiB chunks into a string or one Buffer. */
async function bodyThroughput(bytes: Buffer, read: (body: Readable) => Promise<unknown>): Promise<number> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(Buffer.from(bytes.subarray(i, i + 64 * 1024)));
  const rates: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await read(Readable.from(chunks, { objectMode: true }));
    rates.push(bytes.length / MiB / ((performance.now() - t0) / 1000));
  }
  return median(rates.slice(2));
}

/** Decodes once, checks the result is typed and counts what was decoded generically. */
function typingFigures(bytes: Buffer, vms: number): Figure[] {
  const result = decodeResponse(registry, registry.method("RetrievePropertiesEx"), bytes);
  checkTyped(result, vms);
  const c = census(result);
  const generic = [...c.generic.values()].reduce((a, b) => a + b, 0);
  const out: Figure[] = [
    { name: "decode: objects decoded (typed checks passed)", value: c.objects, unit: "objects" },
    { name: "decode: objects decoded generically (target 0)", value: generic, unit: "objects" },
  ];
  const unknown = [...c.generic.entries(), ...c.unknownSubtypes.entries()].sort((a, b) => b[1] - a[1]);
  for (const [t, n] of unknown.slice(0, 10)) out.push({ name: `decode:   not in schema/: ${t}`, value: n, unit: "objects" });
  return out;
}

export async function benchDecode(): Promise<Figure[]> {
  await registry.loadAll();
  const method = registry.method("RetrievePropertiesEx");
  const { xml: bytes, vms, source } = buildDocument();
  const size = bytes.length;
  const out: Figure[] = [{ name: `decode: document (${vms} ${source})`, value: Number((size / MiB).toFixed(1)), unit: "MiB" }];
  out.push(...typingFigures(bytes, vms));
  const typed = rates(size, () => decodeResponse(registry, method, bytes), 2, 9);
  out.push({ name: "decode: typed, from the body's bytes", value: typed.wall, unit: "MiB/s", target: ">= 60" });
  out.push({ name: "decode: typed, from the body's bytes, per CPU second", value: typed.cpu, unit: "MiB/s" });
  out.push({ name: "decode: alternative: own reader, tokenizing only", value: throughput(size, () => tokenizeOnly(bytes)), unit: "MiB/s" });
  out.push({
    name: "decode: body chunks -> Buffer (readBytes)",
    value: await bodyThroughput(bytes, (b) => readBytes(b, 1 << 30, "bench")),
    unit: "MiB/s",
  });
  out.push({
    name: "decode: body chunks -> string (readText)",
    value: await bodyThroughput(bytes, (b) => readText(b, 1 << 30, "bench")),
    unit: "MiB/s",
  });
  {
    const xml = bytes.toString("utf8");
    out.push({
      name: "decode: typed, from a string",
      value: throughput(size, () => decodeResponse(registry, method, xml)),
      unit: "MiB/s",
      target: ">= 60",
    });
    const { XMLParser } = await import("fast-xml-parser");
    // What a SOAP decoder would need from it: attributes (xsi:type, MoRef type), text kept as text.
    const fxp = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });
    out.push({
      name: "decode: alternative: fast-xml-parser, untyped tree",
      value: throughput(size, () => fxp.parse(xml), 1, 3),
      unit: "MiB/s",
    });
  }

  const dir = mkdtempSync(join(tmpdir(), "esxvi-bench-decode-"));
  try {
    const file = join(dir, "response.xml");
    writeFileSync(file, bytes);
    out.push(...rssFigures(file, "bytes", size, vms, 7));
    out.push(...rssFigures(file, "string", size, vms, 7));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[2] === "--rss-child" && import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await rssChild(process.argv[3] ?? "", process.argv[4] === "string" ? "string" : "bytes");
}
