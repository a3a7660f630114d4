/**
 * The device and guest-network conversions behind domblklist, domiflist and domifaddr, on
 * definitions the simulator cannot produce: virsh's reading of the domain XML's disks and
 * interfaces (order, sources, targets, interface types and models); and libvirt's reading of guest.net (ipConfig prefixes, IPv6, legacy
 * addresses with prefix 0, disconnected NICs and NICs without a network left out).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { blockDevicesOf, interfacesOf } from "../../drivers/domain/devices.js";
import { parseDomainXml } from "../../drivers/vmx/index.js";
import { interfacesFrom as guestInterfacesFrom } from "../../drivers/domain/guest-info.js";
import type { GuestNicInfo } from "../../generated/index.js";

const XML = `<domain type='vmware'>
  <name>d</name>
  <memory>1024</memory>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='[ds] vm/d0.vmdk'/><target dev='sdb' bus='scsi'/></disk>
    <disk type='file' device='disk'><source file='[ds] vm/d1.vmdk'/><target dev='sda' bus='scsi'/></disk>
    <disk type='block' device='cdrom'><source dev='/dev/cdrom'/><target dev='hdc' bus='ide'/></disk>
    <disk type='block' device='cdrom'><target dev='hdd' bus='ide'/></disk>
    <disk type='file' device='floppy'><source file='[ds] boot.flp'/><target dev='fda' bus='fdc'/></disk>
    <interface type='bridge'><mac address='00:50:56:00:00:01'/><source bridge='VM Network'/><target dev='vmnet7'/><model type='e1000'/></interface>
    <interface type='vds'><mac address='00:50:56:00:00:02'/><source switchid='00000000-0000-0000-0000-000000000001' portid='12' portgroupid='dvportgroup-1' connectionid='5'/><model type='vmxnet3'/></interface>
    <interface type='network'><mac address='00:50:56:00:00:03'/><source network='default'/></interface>
    <interface type='user'><mac address='00:50:56:00:00:04'/></interface>
  </devices>
</domain>`;

test("block devices: the domain XML's disks in libvirt's order (by bus, then target), virsh's source (file or dev, '-' for none)", () => {
  const def = parseDomainXml(XML);
  assert.equal(
    blockDevicesOf(def).map((d) => [d.bus, d.target, d.type, d.device, d.source ?? "-"].join(" ")),
    [
      "scsi sda file disk [ds] vm/d1.vmdk",
      "scsi sdb file disk [ds] vm/d0.vmdk",
      "ide hdc block cdrom /dev/cdrom",
      "ide hdd block cdrom -",
      "fdc fda file floppy [ds] boot.flp",
    ],
  );
  assert.equal(blockDevicesOf({ disks: [] }), []);
});

test("interfaces: the domain XML's interfaces, virsh's source (bridge|dev|network|name|path; none for vds) and target", () => {
  const def = parseDomainXml(XML);
  assert.equal(
    interfacesOf(def).map((i) => [i.target ?? "-", i.type, i.source ?? "-", i.model ?? "-", i.mac ?? "-"].join(" ")),
    [
      "vmnet7 bridge VM Network e1000 00:50:56:00:00:01",
      "- vds - vmxnet3 00:50:56:00:00:02",
      "- network default - 00:50:56:00:00:03",
      "- user - - 00:50:56:00:00:04",
    ],
  );
});

test("guest.net as libvirt's domainInterfaceAddresses reads it", () => {
  const nics: GuestNicInfo[] = [
    {
      _typeName: "GuestNicInfo",
      network: "VM Network",
      macAddress: "00:50:56:00:00:01",
      connected: true,
      deviceConfigId: 4000,
      ipAddress: ["192.168.1.10", "fe80::1"],
      ipConfig: {
        _typeName: "NetIpConfigInfo",
        ipAddress: [
          { _typeName: "NetIpConfigInfoIpAddress", ipAddress: "192.168.1.10", prefixLength: 24 },
          { _typeName: "NetIpConfigInfoIpAddress", ipAddress: "fe80::250:56ff:fe00:1", prefixLength: 64 },
          { _typeName: "NetIpConfigInfoIpAddress", ipAddress: "not-an-address", prefixLength: 8 },
        ],
      },
    },
    {
      _typeName: "GuestNicInfo",
      network: "Lab",
      macAddress: "00:50:56:00:00:02",
      connected: true,
      deviceConfigId: 4001,
      ipAddress: ["10.0.0.5"],
    },
    {
      _typeName: "GuestNicInfo",
      network: "Down",
      macAddress: "00:50:56:00:00:03",
      connected: false,
      deviceConfigId: 4002,
      ipAddress: ["10.0.0.6"],
    },
    { _typeName: "GuestNicInfo", macAddress: "00:50:56:00:00:04", connected: true, deviceConfigId: 4003, ipAddress: ["10.0.0.7"] },
    { _typeName: "GuestNicInfo", network: "Empty", connected: true, deviceConfigId: 4004 },
  ];
  assert.equal(guestInterfacesFrom(nics), [
    {
      name: "VM Network",
      hwaddr: "00:50:56:00:00:01",
      addresses: [
        { type: "ipv4", address: "192.168.1.10", prefix: 24 },
        { type: "ipv6", address: "fe80::250:56ff:fe00:1", prefix: 64 },
      ],
    },
    { name: "Lab", hwaddr: "00:50:56:00:00:02", addresses: [{ type: "ipv4", address: "10.0.0.5", prefix: 0 }] },
    { name: "Empty", hwaddr: undefined, addresses: [] },
  ]);
});

test.run();
