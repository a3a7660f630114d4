/**
 * Network XML without a server: parse -> format gives libvirt's normalisation, libvirt's
 * element order and quoting; bad XML is refused with a message naming the element at fault;
 * shaping policies and bandwidth convert with libvirt's units.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EsxviError } from "../../errors/esxvi-error.js";
import { bandwidthFromShaping, shapingFromBandwidth } from "../../drivers/network/bandwidth.js";
import { networkUuid } from "../../drivers/network/lookup.js";
import { formatNetworkXml } from "../../drivers/network/network-xml-format.js";
import { parseNetworkXml } from "../../drivers/network/network-xml-parse.js";
import { formatInterfaceXml } from "../../drivers/interface/interface-xml-format.js";
import type { PhysicalNic } from "../../generated/index.js";

const UUID = "11111111-2222-3333-4444-555555555555";

function fails(xml: string, code: string, message: string): void {
  try {
    parseNetworkXml(xml);
  } catch (e) {
    assert.ok(e instanceof EsxviError, String(e));
    assert.is(e.message, message);
    assert.is(e.code, code);
    return;
  }
  assert.unreachable(`accepted: ${xml}`);
}

test("the UUID of a network is the MD5 of the vSwitch key", () => {
  assert.is(networkUuid("key-vim.host.VirtualSwitch-vSwitch0"), "2f467347-8b4e-8655-e7d6-c4c3fb968009");
});

test("parse -> format: libvirt's element order, attribute order, forward dev and empty port groups", () => {
  const def = parseNetworkXml(
    `<?xml version="1.0"?>
<network>
  <portgroup name="b"/>
  <bandwidth><outbound burst="4" average="10"/><inbound average="10" burst="4"/></bandwidth>
  <name>n1</name>
  <forward mode="bridge"><interface dev="vmnic2"/><interface dev="vmnic3"/></forward>
  <portgroup name="a" default="yes"><bandwidth><inbound average="1" peak="2"/><outbound average="1" peak="2"/></bandwidth><vlan><tag id="7"/></vlan></portgroup>
  <ip address="10.0.0.1"/>
</network>`,
  );
  assert.is(
    formatNetworkXml({ ...def, uuid: UUID }),
    `<network>
  <name>n1</name>
  <uuid>${UUID}</uuid>
  <forward dev='vmnic2' mode='bridge'>
    <interface dev='vmnic2'/>
    <interface dev='vmnic3'/>
  </forward>
  <bandwidth>
    <inbound average='10' burst='4'/>
    <outbound average='10' burst='4'/>
  </bandwidth>
  <portgroup name='b'>
  </portgroup>
  <portgroup name='a' default='yes'>
    <vlan>
      <tag id='7'/>
    </vlan>
    <bandwidth>
      <inbound average='1' peak='2'/>
      <outbound average='1' peak='2'/>
    </bandwidth>
  </portgroup>
</network>
`,
  );
});

test("a network without <forward> is written with libvirt's <bridge stp='off' delay='0'/>; forward dev alone is the pool", () => {
  assert.is(
    formatNetworkXml({ ...parseNetworkXml("<network><name>iso</name></network>"), uuid: UUID }),
    `<network>\n  <name>iso</name>\n  <uuid>${UUID}</uuid>\n  <bridge stp='off' delay='0'/>\n</network>\n`,
  );
  assert.equal(parseNetworkXml("<network><name>x</name><forward mode='bridge' dev='vmnic1'/></network>").forward, {
    mode: "bridge",
    interfaces: [{ type: "netdev", dev: "vmnic1" }],
  });
  assert.is(parseNetworkXml("<network><name>x</name><forward/></network>").forward.mode, "nat");
  assert.is(parseNetworkXml(`<network><name>x</name><uuid>${UUID.toUpperCase()}</uuid></network>`).uuid, UUID);
});

test("bad XML: not XML, DOCTYPE, wrong root, missing name, unknown values — each names the element", () => {
  fails("<network><name>x</name>", "XML_ERROR", "XML error at line 1, column 1: Unclosed tag 'network'.");
  fails(
    '<!DOCTYPE network [<!ENTITY x "y">]><network><name>&x;</name></network>',
    "XML_ERROR",
    "XML error: a DOCTYPE declaration is not accepted in network XML",
  );
  fails("<domain><name>x</name></domain>", "XML_ERROR", "unexpected root element <domain>, expecting <network>");
  fails("<network><uuid>" + UUID + "</uuid></network>", "XML_ERROR", "missing name information: no <name> element in <network>");
  fails("<network><name></name></network>", "XML_ERROR", "missing name information: no <name> element in <network>");
  fails("<network><name>a/b</name></network>", "XML_ERROR", "name a/b cannot contain '/'");
  fails("<network><name>x</name><uuid>nope</uuid></network>", "XML_ERROR", "malformed uuid element");
  fails("<network><name>x</name><forward mode='tunnel'/></network>", "CONFIG_UNSUPPORTED", "unknown forwarding type 'tunnel'");
  fails(
    "<network><name>x</name><forward mode='bridge'><interface/></forward></network>",
    "XML_ERROR",
    "Missing required dev attribute in <forward> <interface> element of network x",
  );
  fails(
    "<network><name>x</name><forward dev='a'><interface dev='b'/></forward></network>",
    "XML_ERROR",
    "<forward dev='a'> must match first <interface dev='b'/> in network x",
  );
  fails(
    "<network><name>x</name><forward><interface dev='a'/><interface dev='a'/></forward></network>",
    "XML_ERROR",
    "interface 'a' can only be listed once in network x",
  );
  fails(
    "<network><name>x</name><bandwidth><inbound average='ten'/></bandwidth></network>",
    "CONFIG_UNSUPPORTED",
    "could not convert bandwidth average value 'ten'",
  );
  fails(
    "<network><name>x</name><bandwidth><inbound peak='1'/></bandwidth></network>",
    "XML_ERROR",
    "Missing mandatory average or floor attributes",
  );
  fails(
    "<network><name>x</name><bandwidth><outbound average='1' floor='1'/></bandwidth></network>",
    "CONFIG_UNSUPPORTED",
    "'floor' attribute allowed only in <inbound> element",
  );
  fails("<network><name>x</name><portgroup/></network>", "XML_ERROR", "Missing required name attribute in portgroup");
  fails(
    "<network><name>x</name><portgroup name='p'><vlan><tag id='4096'/></vlan></portgroup></network>",
    "XML_ERROR",
    "vlan tag id 4096 too large (maximum 4095)",
  );
  fails(
    "<network><name>x</name><portgroup name='p'><vlan><tag/></vlan></portgroup></network>",
    "XML_ERROR",
    "missing or invalid vlan tag id attribute",
  );
  fails(
    "<network><name>x</name><portgroup name='p' default='yes'/><portgroup name='q' default='yes'/></network>",
    "XML_ERROR",
    "Multiple default portgroups in network x",
  );
});

test("shaping policy <-> bandwidth with libvirt's units: KiB/s x 8 x 1000 bit/s, KiB x 1024 bytes; off is none", () => {
  const rate = { average: 1000n, peak: 2000n, burst: 512n, floor: 0n };
  const shaping = shapingFromBandwidth({ inbound: rate, outbound: rate });
  assert.equal(shaping, {
    _typeName: "HostNetworkTrafficShapingPolicy",
    enabled: true,
    averageBandwidth: 8_000_000n,
    peakBandwidth: 16_000_000n,
    burstSize: 524_288n,
  });
  assert.equal(bandwidthFromShaping(shaping), { inbound: rate, outbound: rate });
  assert.is(bandwidthFromShaping({ _typeName: "HostNetworkTrafficShapingPolicy", enabled: false, averageBandwidth: 8000n }), undefined);
  assert.is(
    shapingFromBandwidth({
      inbound: { ...rate, average: 0n, peak: 0n, burst: 0n },
      outbound: { ...rate, average: 0n, peak: 0n, burst: 0n },
    }),
    undefined,
  );
  assert.throws(() => shapingFromBandwidth({ inbound: rate }), /Different inbound and outbound bandwidth is unsupported/);
  assert.throws(
    () => shapingFromBandwidth({ inbound: rate, outbound: { ...rate, peak: 1n } }),
    /Different inbound and outbound bandwidth is unsupported/,
  );
});

test("interface XML: IPv4 static and DHCP (address left out with --inactive), IPv6, no IP at all", () => {
  const nic = (ip: PhysicalNic["spec"]["ip"]): PhysicalNic => ({
    _typeName: "PhysicalNic",
    key: "key-vim.host.PhysicalNic-vmnic7",
    device: "vmnic7",
    pci: "0000:00:00.0",
    spec: { _typeName: "PhysicalNicSpec", ...(ip !== undefined ? { ip } : {}) },
    wakeOnLanSupported: false,
    mac: "00:50:56:00:00:07",
  });
  const dhcp = nic({ _typeName: "HostIpConfig", dhcp: true, ipAddress: "10.1.2.3", subnetMask: "255.255.255.128" });
  assert.is(
    formatInterfaceXml(dhcp),
    "<interface type='ethernet' name='vmnic7'>\n  <start mode='onboot'/>\n  <protocol family='ipv4'>\n    <dhcp peerdns='no'/>\n    <ip address='10.1.2.3' prefix='25'/>\n  </protocol>\n  <mac address='00:50:56:00:00:07'/>\n</interface>\n",
  );
  assert.is(
    formatInterfaceXml(dhcp, { inactive: true }),
    "<interface type='ethernet' name='vmnic7'>\n  <start mode='onboot'/>\n  <protocol family='ipv4'>\n    <dhcp peerdns='no'/>\n  </protocol>\n  <mac address='00:50:56:00:00:07'/>\n</interface>\n",
  );
  assert.is(
    formatInterfaceXml(nic({ _typeName: "HostIpConfig", dhcp: false, ipAddress: "", subnetMask: "" })),
    "<interface type='ethernet' name='vmnic7'>\n  <start mode='onboot'/>\n  <mac address='00:50:56:00:00:07'/>\n</interface>\n",
  );
  const v6 = nic({
    _typeName: "HostIpConfig",
    dhcp: false,
    ipV6Config: {
      _typeName: "HostIpConfigIpV6AddressConfiguration",
      autoConfigurationEnabled: true,
      ipV6Address: [
        { _typeName: "HostIpConfigIpV6Address", ipAddress: "2001:db8::1", prefixLength: 64, origin: "manual" },
        { _typeName: "HostIpConfigIpV6Address", ipAddress: "2001:db8::abcd", prefixLength: 64, origin: "linklayer" },
      ],
    },
  });
  assert.is(
    formatInterfaceXml(v6, { inactive: true }),
    "<interface type='ethernet' name='vmnic7'>\n  <start mode='onboot'/>\n  <protocol family='ipv6'>\n    <autoconf/>\n    <ip address='2001:db8::1' prefix='64'/>\n  </protocol>\n  <mac address='00:50:56:00:00:07'/>\n</interface>\n",
  );
});

test.run();
