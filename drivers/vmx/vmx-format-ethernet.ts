/** Domain -> VMX: ethernetN lines (virVMXFormatEthernet). */
import { escapeXml } from "../util/xml-escape.js";
import type { NetDef } from "./domain-model.js";
import { VmxError, VmxUnsupportedError } from "./errors.js";
import { parseMac } from "./mac.js";
import { formatVmxUuid } from "./uuid.js";
import type { VmxWriter } from "./vmx-writer.js";

/** libvirt's virDomainNetModel names; a model outside this list is free-form and not written. */
const KNOWN_NET_MODELS: readonly string[] = [
  "netfront",
  "rtl8139",
  "virtio",
  "e1000",
  "e1000e",
  "igb",
  "virtio-transitional",
  "virtio-non-transitional",
  "usb-net",
  "spapr-vlan",
  "lan9118",
  "scm91c111",
  "vlance",
  "vmxnet",
  "vmxnet2",
  "vmxnet3",
  "Am79C970A",
  "Am79C973",
  "82540EM",
  "82545EM",
  "82543GC",
];

const VMX_NET_MODELS: readonly string[] = ["vlance", "vmxnet", "vmxnet2", "vmxnet3", "e1000", "e1000e"];

function formatModel(w: VmxWriter, prefix: string, model: string | undefined): void {
  if (model === undefined || !KNOWN_NET_MODELS.includes(model)) return;
  if (!VMX_NET_MODELS.includes(model)) {
    throw new VmxError(
      `Expecting domain XML entry 'devices/interface/model' to be 'vlance' or 'vmxnet' or 'vmxnet2' or 'vmxnet3' or 'e1000' or 'e1000e' but found '${model}'`,
    );
  }
  if (model === "vmxnet2") {
    w.line(`${prefix}.virtualDev`, "vmxnet");
    w.line(`${prefix}.features`, "15");
  } else {
    w.line(`${prefix}.virtualDev`, model);
  }
}

function formatConnection(w: VmxWriter, prefix: string, net: NetDef): void {
  switch (net.type) {
    case "bridge":
      w.line(`${prefix}.networkName`, net.bridge ?? "(null)");
      if (net.ifname !== undefined) {
        w.line(`${prefix}.connectionType`, "custom");
        w.line(`${prefix}.vnet`, net.ifname);
      } else {
        w.line(`${prefix}.connectionType`, "bridged");
      }
      return;
    case "user":
      w.line(`${prefix}.connectionType`, "nat");
      return;
    case "null":
      return;
    case "vds": {
      const vds = net.vds;
      if (vds === undefined) throw new VmxError(`Interface ${prefix} of type 'vds' has no switch`);
      w.line(`${prefix}.dvs.switchId`, formatVmxUuid(vds.switchId));
      if (vds.portId !== 0) w.line(`${prefix}.dvs.portId`, vds.portId);
      if (vds.portgroupId !== undefined) w.line(`${prefix}.dvs.portgroupId`, escapeXml(vds.portgroupId));
      if (vds.connectionId !== 0) w.line(`${prefix}.dvs.connectionId`, vds.connectionId);
      return;
    }
    default:
      throw new VmxUnsupportedError(`Unsupported net type '${net.type}'`);
  }
}

interface MacChoice {
  type: "generated" | "static";
  vpx: boolean;
  check: boolean | undefined;
}

/** Address type, vpx flag and check flag derived from the VMware MAC ranges, then overridden. */
function chooseMacType(net: NetDef, bytes: readonly number[]): MacChoice {
  const prefix = ((bytes[0] ?? 0) << 16) | ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0);
  const suffix = ((bytes[3] ?? 0) << 16) | ((bytes[4] ?? 0) << 8) | (bytes[5] ?? 0);
  let choice: MacChoice;
  if (prefix === 0x000c29) choice = { type: "generated", vpx: false, check: undefined };
  else if (prefix === 0x005056 && suffix <= 0x3fffff) choice = { type: "static", vpx: false, check: undefined };
  else if (prefix === 0x005056 && suffix >= 0x800000 && suffix <= 0xbfffff) {
    choice = { type: "generated", vpx: true, check: undefined };
  } else choice = { type: "static", vpx: false, check: false };
  if (net.macType !== undefined) {
    choice.type = net.macType;
    if (net.macType === "generated") choice.check = undefined;
  }
  if (net.macCheck !== undefined) choice.check = net.macCheck;
  return choice;
}

function formatMacLines(w: VmxWriter, prefix: string, net: NetDef): void {
  const bytes = parseMac(net.mac) ?? [0, 0, 0, 0, 0, 0];
  const mac = bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
  const choice = chooseMacType(net, bytes);
  if (choice.type === "generated") {
    w.line(`${prefix}.addressType`, choice.vpx ? "vpx" : "generated");
    w.line(`${prefix}.generatedAddress`, mac);
    if (!choice.vpx) w.line(`${prefix}.generatedAddressOffset`, "0");
  } else {
    w.line(`${prefix}.addressType`, "static");
    w.line(`${prefix}.address`, mac);
  }
  if (choice.check !== undefined) w.line(`${prefix}.checkMACAddress`, choice.check ? "true" : "false");
}

/** Writes ethernetN; at most 4 adapters before virtualHW 7, 10 from then on. */
export function formatEthernet(w: VmxWriter, net: NetDef, index: number, virtualHwVersion: number): void {
  const limit = virtualHwVersion >= 7 ? 9 : 3;
  if (index > limit) throw new VmxError(`Ethernet controller index ${index} out of [0..${limit}] range`);
  const prefix = `ethernet${index}`;
  w.line(`${prefix}.present`, "true");
  formatModel(w, prefix, net.model);
  formatConnection(w, prefix, net);
  formatMacLines(w, prefix, net);
}
