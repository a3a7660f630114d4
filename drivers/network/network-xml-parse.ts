/**
 * Network XML read as libvirt's virNetworkDefParseString reads what the ESX driver uses —
 * name, uuid, <forward> (mode and interface pool), <bandwidth> and <portgroup> (with its
 * <vlan> and <bandwidth>) — with libvirt's messages; other elements are ignored, as the
 * driver ignores them. The document goes through the project's XML tree reader; a DOCTYPE is
 * refused (no entity declarations from input).
 */
import { InvalidInputError, UnsupportedError } from "../../errors/esxvi-error.js";
import { parseUuid } from "../vmx/uuid.js";
import { child, childrenNamed, parseXmlTree, type XmlElement } from "../vmx/xml-tree.js";
import {
  FORWARD_MODES,
  type Bandwidth,
  type BandwidthRate,
  type ForwardInterface,
  type ForwardMode,
  type NetworkDef,
  type PortGroupDef,
} from "./network-def.js";

function xmlError(message: string): InvalidInputError<"XML_ERROR"> {
  return new InvalidInputError(message, { code: "XML_ERROR" });
}

function unsupported(message: string): UnsupportedError<"CONFIG_UNSUPPORTED"> {
  return new UnsupportedError(message, { code: "CONFIG_UNSUPPORTED" });
}

/** virStrToLong_ullp: a non-negative decimal integer. */
function parseUnsigned(text: string): bigint | undefined {
  const t = text.trim();
  if (!/^\+?\d+$/.test(t)) return undefined;
  const n = BigInt(t);
  return n <= 0xffffffffffffffffn ? n : undefined;
}

function parseRate(el: XmlElement): BandwidthRate {
  const value = (attr: string): bigint => {
    const text = el.attrs[attr];
    if (text === undefined) return 0n;
    const n = parseUnsigned(text);
    if (n === undefined) throw unsupported(`could not convert bandwidth ${attr} value '${text}'`);
    return n;
  };
  const a = el.attrs;
  if (a["average"] === undefined && a["floor"] === undefined) throw xmlError("Missing mandatory average or floor attributes");
  if ((a["peak"] !== undefined || a["burst"] !== undefined) && a["average"] === undefined)
    throw unsupported("'peak' and 'burst' require 'average' attribute");
  return { average: value("average"), peak: value("peak"), burst: value("burst"), floor: value("floor") };
}

/** virNetDevBandwidthParse without floor support (networks on ESX have no floor). */
function parseBandwidth(el: XmlElement): Bandwidth | undefined {
  const inbound = childrenNamed(el, "inbound");
  const outbound = childrenNamed(el, "outbound");
  if (inbound.length > 1) throw xmlError("Only one child <inbound> element allowed");
  if (outbound.length > 1) throw xmlError("Only one child <outbound> element allowed");
  const inRate = inbound[0] === undefined ? undefined : parseRate(inbound[0]);
  const outRate = outbound[0] === undefined ? undefined : parseRate(outbound[0]);
  if (inRate !== undefined && inRate.floor !== 0n) throw unsupported("floor attribute is not supported for this config");
  if (outRate !== undefined && outRate.floor !== 0n) throw unsupported("'floor' attribute allowed only in <inbound> element");
  if (inRate === undefined && outRate === undefined) return undefined;
  return { ...(inRate !== undefined ? { inbound: inRate } : {}), ...(outRate !== undefined ? { outbound: outRate } : {}) };
}

/** virNetDevVlanParse: <vlan [trunk='yes']><tag id='N'/>…</vlan>. */
function parseVlan(el: XmlElement): { tags: number[]; trunk: boolean } {
  const tags = childrenNamed(el, "tag").map((t) => {
    const text = t.attrs["id"];
    const n = text === undefined ? undefined : parseUnsigned(text);
    if (n === undefined) throw xmlError("missing or invalid vlan tag id attribute");
    if (n > 4095n) throw xmlError(`vlan tag id ${n} too large (maximum 4095)`);
    return Number(n);
  });
  if (tags.length === 0) throw xmlError("missing tag id - each <vlan> must have at least one <tag id='n'/> subelement");
  const trunkText = el.attrs["trunk"];
  if (trunkText !== undefined && trunkText !== "yes" && trunkText !== "no")
    throw xmlError(`Attribute 'trunk' in <vlan> must be 'yes' or 'no', not '${trunkText}'`);
  const trunk = trunkText === "yes";
  if (!trunk && tags.length > 1 && trunkText === "no")
    throw xmlError("invalid \"trunk='no'\" setting in <vlan> - trunk='no' is only allowed with a single vlan tag");
  return { tags, trunk: trunk || tags.length > 1 };
}

function parsePortGroup(el: XmlElement): PortGroupDef {
  const name = el.attrs["name"];
  if (name === undefined) throw xmlError("Missing required name attribute in portgroup");
  const bw = child(el, "bandwidth");
  const bandwidth = bw === undefined ? undefined : parseBandwidth(bw);
  const vlanEl = child(el, "vlan");
  const vlan = vlanEl === undefined ? { tags: [], trunk: false } : parseVlan(vlanEl);
  return {
    name,
    isDefault: (el.attrs["default"] ?? "").toLowerCase() === "yes",
    vlanTags: vlan.tags,
    vlanTrunk: vlan.trunk,
    ...(bandwidth !== undefined ? { bandwidth } : {}),
  };
}

function isForwardMode(text: string): text is ForwardMode {
  return (FORWARD_MODES as readonly string[]).includes(text) && text !== "none";
}

/** virNetworkForwardDefParseXML: the mode (default nat) and the interface pool. */
function parseForward(el: XmlElement, network: string): NetworkDef["forward"] {
  const modeText = el.attrs["mode"];
  if (modeText !== undefined && !isForwardMode(modeText)) throw unsupported(`unknown forwarding type '${modeText}'`);
  const mode: ForwardMode = modeText ?? "nat";
  const ifNodes = childrenNamed(el, "interface");
  const addrNodes = childrenNamed(el, "address");
  const pfNodes = childrenNamed(el, "pf");
  const forwardDev = el.attrs["dev"];
  if (forwardDev !== undefined && (addrNodes.length > 0 || pfNodes.length > 0))
    throw xmlError(`the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network ${network}`);
  const interfaces: ForwardInterface[] = [];
  if (ifNodes.length > 0 || forwardDev !== undefined) {
    if (forwardDev !== undefined) interfaces.push({ type: "netdev", dev: forwardDev });
    ifNodes.forEach((node, i) => {
      const dev = node.attrs["dev"];
      if (dev === undefined) throw xmlError(`Missing required dev attribute in <forward> <interface> element of network ${network}`);
      if (i === 0 && forwardDev !== undefined) {
        if (dev !== forwardDev)
          throw xmlError(`<forward dev='${forwardDev}'> must match first <interface dev='${dev}'/> in network ${network}`);
        return;
      }
      if (interfaces.some((x) => x.type === "netdev" && x.dev === dev))
        throw xmlError(`interface '${dev}' can only be listed once in network ${network}`);
      interfaces.push({ type: "netdev", dev });
    });
  } else if (addrNodes.length > 0) {
    for (const node of addrNodes) {
      const type = node.attrs["type"];
      if (type === undefined) throw xmlError(`missing address type in network ${network}`);
      if (type !== "pci") throw unsupported(`unknown address type '${type}' in network ${network}`);
      const a = node.attrs;
      interfaces.push({ type: "pci", address: `${a["domain"] ?? "0"}:${a["bus"] ?? "0"}:${a["slot"] ?? "0"}.${a["function"] ?? "0"}` });
    }
  } else if (pfNodes.length > 1) {
    throw xmlError(`Only one <pf> element is allowed in <forward> of network ${network}`);
  }
  return { mode, interfaces };
}

/** Parses network XML. Throws XML_ERROR / CONFIG_UNSUPPORTED errors naming the element at fault. */
export function parseNetworkXml(xml: string): NetworkDef {
  if (/<!DOCTYPE/i.test(xml)) throw xmlError("XML error: a DOCTYPE declaration is not accepted in network XML");
  let root: XmlElement;
  try {
    root = parseXmlTree(xml);
  } catch (e) {
    throw new InvalidInputError(e instanceof Error ? e.message : String(e), { code: "XML_ERROR", cause: e });
  }
  if (root.name !== "network") throw xmlError(`unexpected root element <${root.name}>, expecting <network>`);
  const nameEl = child(root, "name");
  if (nameEl === undefined || nameEl.text === "") throw xmlError("missing name information: no <name> element in <network>");
  const name = nameEl.text;
  if (name.includes("/")) throw xmlError(`name ${name} cannot contain '/'`);
  const uuidEl = child(root, "uuid");
  let uuid: string | undefined;
  if (uuidEl !== undefined) {
    uuid = parseUuid(uuidEl.text);
    if (uuid === undefined) throw xmlError("malformed uuid element");
  }
  const bw = child(root, "bandwidth");
  const bandwidth = bw === undefined ? undefined : parseBandwidth(bw);
  const portgroups = childrenNamed(root, "portgroup").map(parsePortGroup);
  if (portgroups.filter((p) => p.isDefault).length > 1) throw xmlError(`Multiple default portgroups in network ${name}`);
  const fwd = child(root, "forward");
  const forward = fwd === undefined ? { mode: "none" as const, interfaces: [] } : parseForward(fwd, name);
  return {
    name,
    ...(uuid !== undefined ? { uuid } : {}),
    forward,
    ...(bandwidth !== undefined ? { bandwidth } : {}),
    portgroups,
  };
}
