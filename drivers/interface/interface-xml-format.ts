/**
 * A physical NIC's interface XML as libvirt's ESX interface driver writes it (through
 * virInterfaceDefFormat): type ethernet, the device name, start mode onboot, the IPv4
 * protocol (DHCP and/or the static address with its prefix; with --inactive a DHCP lease's
 * address is left out), the MAC. The driver zeroes the protocol, so DHCP is written as
 * <dhcp peerdns='no'/>. Where libvirt leaves a FIXME, esxvi adds the IPv6 protocol:
 * autoconfiguration, DHCPv6 and the addresses (with --inactive only the manual ones).
 */
import { InternalError } from "../../errors/esxvi-error.js";
import type { HostIpConfig, PhysicalNic } from "../../generated/network.js";
import { XmlWriter } from "../vmx/xml-writer.js";

interface Protocol {
  readonly family: "ipv4" | "ipv6";
  readonly autoconf: boolean;
  readonly dhcp: boolean;
  readonly ips: readonly { readonly address: string; readonly prefix: number }[];
}

/** virSocketAddrGetNumNetmaskBits: the prefix length of a contiguous IPv4 mask, -1 otherwise. */
function netmaskBits(mask: string): number {
  const parts = mask.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new InternalError(`Cannot parse IPv4 netmask '${mask}'`);
  const bits = parts.reduce((acc, p) => acc * 256 + Number(p), 0);
  const binary = bits.toString(2).padStart(32, "0");
  return /^1*0*$/.test(binary) ? (binary.indexOf("0") === -1 ? 32 : binary.indexOf("0")) : -1;
}

function ipv4Protocol(ip: HostIpConfig, inactive: boolean): Protocol | undefined {
  const dhcp = ip.dhcp;
  const hasAddress = (ip.ipAddress ?? "") !== "" && (ip.subnetMask ?? "") !== "";
  if (!dhcp && !hasAddress) return undefined;
  const ips = hasAddress && !(dhcp && inactive) ? [{ address: ip.ipAddress ?? "", prefix: netmaskBits(ip.subnetMask ?? "") }] : [];
  return { family: "ipv4", autoconf: false, dhcp, ips };
}

function ipv6Protocol(ip: HostIpConfig, inactive: boolean): Protocol | undefined {
  const v6 = ip.ipV6Config;
  if (v6 === undefined) return undefined;
  const autoconf = v6.autoConfigurationEnabled === true;
  const dhcp = v6.dhcpV6Enabled === true;
  // Inactive: what is configured, not what autoconfiguration or DHCPv6 gave.
  const addresses = (v6.ipV6Address ?? []).filter((a) => !inactive || a.origin === undefined || a.origin === "manual");
  if (!autoconf && !dhcp && addresses.length === 0) return undefined;
  return { family: "ipv6", autoconf, dhcp, ips: addresses.map((a) => ({ address: a.ipAddress, prefix: a.prefixLength })) };
}

export function formatInterfaceXml(nic: PhysicalNic, options: { inactive?: boolean } = {}): string {
  const inactive = options.inactive === true;
  const ip = nic.spec.ip;
  const protocols = ip === undefined ? [] : [ipv4Protocol(ip, inactive), ipv6Protocol(ip, inactive)].filter((p) => p !== undefined);
  const w = new XmlWriter();
  w.open(
    "interface",
    [
      ["type", "ethernet"],
      ["name", nic.device],
    ],
    () => {
      w.empty("start", [["mode", "onboot"]]);
      for (const p of protocols) {
        w.open("protocol", [["family", p.family]], () => {
          if (p.autoconf) w.empty("autoconf");
          if (p.dhcp) w.empty("dhcp", [["peerdns", "no"]]);
          for (const a of p.ips)
            w.empty("ip", [
              ["address", a.address],
              ["prefix", a.prefix !== 0 ? a.prefix : undefined],
            ]);
        });
      }
      w.empty("mac", [["address", nic.mac]]);
    },
  );
  return w.toString();
}
