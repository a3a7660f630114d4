/** VMX -> domain: ethernetN network adapters (virVMXParseEthernet). */
import type { NetDef } from "./domain-model.js";
import { VmxError } from "./errors.js";
import { formatMac, parseMac } from "./mac.js";
import { parseUuid } from "./uuid.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBoolean, vmxEquals, vmxLong, vmxRequiredString, vmxString, vmxValueError } from "./vmx-values.js";

/** VMX virtualDev values (lowercase) and their libvirt model names. */
const NET_MODELS: Readonly<Record<string, string>> = {
  vlance: "vlance",
  vmxnet: "vmxnet",
  vmxnet3: "vmxnet3",
  e1000: "e1000",
  e1000e: "e1000e",
};

/** The highest N of any "ethernetN.*" key; -1 when there is none. Rejects keys without an index. */
export function highestEthernetIndex(doc: VmxDocument): number {
  let max = -1;
  for (const entry of doc.entries) {
    if (!entry.key.toLowerCase().startsWith("ethernet")) continue;
    const m = /^[ \t\n\v\f\r]*([+-]?\d+)\./.exec(entry.key.slice("ethernet".length));
    const idx = m === null ? -1 : Number(m[1]);
    if (m === null || idx < 0 || idx > 2147483647) {
      throw new VmxError(`failed to parse the index of the VMX key '${entry.key}' (line ${entry.line})`);
    }
    if (idx > max) max = idx;
  }
  return max;
}

function macOf(doc: VmxDocument, key: string): string {
  const text = vmxString(doc, key);
  if (text === undefined) return "00:00:00:00:00:00";
  const bytes = parseMac(text);
  if (bytes === undefined) {
    throw vmxValueError(doc, key, `Expecting VMX entry '${key}' to be MAC address but found '${text}'`);
  }
  return formatMac(bytes);
}

function parseMacEntries(doc: VmxDocument, prefix: string, net: NetDef): void {
  const addressTypeKey = `${prefix}.addressType`;
  const addressType = vmxString(doc, addressTypeKey);
  if (addressType === undefined || vmxEquals(addressType, "generated") || vmxEquals(addressType, "vpx")) {
    net.mac = macOf(doc, `${prefix}.generatedAddress`);
    if (addressType !== undefined) net.macType = "generated";
  } else if (vmxEquals(addressType, "static")) {
    net.mac = macOf(doc, `${prefix}.address`);
    net.macType = "static";
  } else {
    throw vmxValueError(
      doc,
      addressTypeKey,
      `Expecting VMX entry '${addressTypeKey}' to be 'generated' or 'static' or 'vpx' but found '${addressType}'`,
    );
  }
  const check = vmxString(doc, `${prefix}.checkMACAddress`);
  if (check !== undefined) net.macCheck = check === "true";
}

function parseModel(doc: VmxDocument, prefix: string): string | undefined {
  const key = `${prefix}.virtualDev`;
  const virtualDev = vmxString(doc, key);
  const features = vmxLong(doc, `${prefix}.features`, 0);
  if (virtualDev === undefined) return undefined;
  const model = NET_MODELS[virtualDev.toLowerCase()];
  if (model === undefined) {
    throw vmxValueError(
      doc,
      key,
      `Expecting VMX entry '${key}' to be 'vlance' or 'vmxnet' or 'vmxnet3' or 'e1000' or 'e1000e' but found '${virtualDev}'`,
    );
  }
  return model === "vmxnet" && features === 15 ? "vmxnet2" : model;
}

function parseVds(doc: VmxDocument, prefix: string, switchId: string, net: NetDef): void {
  const uuid = parseUuid(switchId);
  if (uuid === undefined) {
    throw vmxValueError(doc, `${prefix}.dvs.switchId`, `Could not parse UUID from string '${switchId}'`);
  }
  net.type = "vds";
  const portgroupId = vmxString(doc, `${prefix}.dvs.portgroupId`);
  const portId = vmxLong(doc, `${prefix}.dvs.portId`, 0);
  const connectionId = vmxLong(doc, `${prefix}.dvs.connectionId`, 0);
  net.vds = { switchId: uuid, portId, connectionId, ...(portgroupId === undefined ? {} : { portgroupId }) };
}

function parseConnection(doc: VmxDocument, prefix: string, net: NetDef): void {
  const typeKey = `${prefix}.connectionType`;
  const connectionType = vmxString(doc, typeKey);
  let networkName: string | undefined;
  let vnet: string | undefined;
  if (connectionType === undefined || vmxEquals(connectionType, "bridged") || vmxEquals(connectionType, "custom")) {
    const key = `${prefix}.networkName`;
    networkName = connectionType === undefined ? vmxString(doc, key) : vmxRequiredString(doc, key);
  }
  if (vmxEquals(connectionType, "custom")) vnet = vmxRequiredString(doc, `${prefix}.vnet`);
  const switchId = vmxString(doc, `${prefix}.dvs.switchId`);
  if (switchId !== undefined) {
    parseVds(doc, prefix, switchId, net);
  } else if (connectionType === undefined && networkName === undefined) {
    net.type = "null";
  } else if (connectionType === undefined || vmxEquals(connectionType, "bridged")) {
    net.type = "bridge";
    if (networkName !== undefined) net.bridge = networkName;
  } else if (vmxEquals(connectionType, "hostonly")) {
    throw vmxValueError(doc, typeKey, `No yet handled value '${connectionType}' for VMX entry '${typeKey}'`);
  } else if (vmxEquals(connectionType, "nat")) {
    net.type = "user";
  } else if (vmxEquals(connectionType, "custom")) {
    net.type = "bridge";
    if (networkName !== undefined) net.bridge = networkName;
    if (vnet !== undefined) net.ifname = vnet;
  } else {
    throw vmxValueError(doc, typeKey, `Invalid value '${connectionType}' for VMX entry '${typeKey}'`);
  }
}

/** Parses ethernetN; undefined when it is not present. */
export function parseVmxEthernet(doc: VmxDocument, index: number): NetDef | undefined {
  const prefix = `ethernet${index}`;
  const present = vmxBoolean(doc, `${prefix}.present`, false);
  vmxBoolean(doc, `${prefix}.startConnected`, true);
  if (!present) return undefined;
  const net: NetDef = { type: "null", mac: "00:00:00:00:00:00" };
  parseMacEntries(doc, prefix, net);
  const model = parseModel(doc, prefix);
  parseConnection(doc, prefix, net);
  if (model !== undefined) net.model = model;
  return net;
}
