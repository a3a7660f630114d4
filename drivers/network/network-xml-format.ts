/**
 * Network XML written as libvirt's virNetworkDefFormat writes the definitions of the ESX
 * driver: name, uuid, <forward dev=… mode=…> with its interface pool, <bridge stp='off'
 * delay='0'/> for a network without forwarding (the driver leaves stp and delay zero), the
 * network's <bandwidth>, then each <portgroup> with its <vlan> and <bandwidth>.
 */
import { XmlWriter } from "../vmx/xml-writer.js";
import type { Bandwidth, BandwidthRate, NetworkDef, PortGroupDef } from "./network-def.js";

function writeRate(w: XmlWriter, element: string, rate: BandwidthRate | undefined): void {
  // virNetDevBandwidthRateFormat: a rate without average or floor is not written.
  if (rate === undefined || (rate.average === 0n && rate.floor === 0n)) return;
  const v = (n: bigint): string | undefined => (n === 0n ? undefined : n.toString());
  w.empty(element, [
    ["average", v(rate.average)],
    ["peak", v(rate.peak)],
    ["floor", v(rate.floor)],
    ["burst", v(rate.burst)],
  ]);
}

function writeBandwidth(w: XmlWriter, bandwidth: Bandwidth | undefined): void {
  if (bandwidth === undefined) return;
  w.open("bandwidth", [], () => {
    writeRate(w, "inbound", bandwidth.inbound);
    writeRate(w, "outbound", bandwidth.outbound);
  });
}

function writePortGroup(w: XmlWriter, pg: PortGroupDef): void {
  w.open("portgroup", [["name", pg.name], ...(pg.isDefault ? ([["default", "yes"]] as const) : [])], () => {
    if (pg.vlanTags.length > 0) {
      w.open("vlan", pg.vlanTrunk ? [["trunk", "yes"]] : [], () => {
        for (const tag of pg.vlanTags) w.empty("tag", [["id", tag]]);
      });
    }
    writeBandwidth(w, pg.bandwidth);
  });
}

/** The network XML of `def` (its uuid must be set: the ESX driver always has one). */
export function formatNetworkXml(def: NetworkDef & { readonly uuid: string }): string {
  const w = new XmlWriter();
  w.open("network", [], () => {
    w.text("name", def.name);
    w.text("uuid", def.uuid);
    const { mode, interfaces } = def.forward;
    if (mode !== "none") {
      const first = interfaces[0];
      const attrs = [
        ["dev", first?.type === "netdev" ? first.dev : undefined],
        ["mode", mode],
      ] as const;
      if (interfaces.length === 0) w.empty("forward", attrs);
      else
        w.open("forward", attrs, () => {
          for (const i of interfaces) if (i.type === "netdev") w.empty("interface", [["dev", i.dev]]);
        });
    }
    if (mode === "none" || mode === "nat" || mode === "route" || mode === "open") {
      w.empty(
        "bridge",
        mode === "open"
          ? []
          : [
              ["stp", "off"],
              ["delay", 0],
            ],
      );
    }
    writeBandwidth(w, def.bandwidth);
    for (const pg of def.portgroups) writePortGroup(w, pg);
  });
  return w.toString();
}
