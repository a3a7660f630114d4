/**
 * The device and guest-network conversions behind domblklist, domiflist and domifaddr, on
 * device lists the simulator cannot produce: libvirt's VMX target names and order (SCSI
 * units past 7, SATA, IDE, floppy, several controllers), every backing kind, interface
 * types and models; and libvirt's reading of guest.net (ipConfig prefixes, IPv6, legacy
 * addresses with prefix 0, disconnected NICs and NICs without a network left out).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { blockDevicesFrom, interfacesFrom } from "../../drivers/domain/devices.js";
import { interfacesFrom as guestInterfacesFrom } from "../../drivers/domain/guest-info.js";
import type { GuestNicInfo } from "../../generated/index.js";

const controllers = [
  { _typeName: "VirtualIDEController", key: 200, busNumber: 0 },
  { _typeName: "VirtualIDEController", key: 201, busNumber: 1 },
  { _typeName: "VirtualSIOController", key: 400, busNumber: 0 },
  { _typeName: "VirtualLsiLogicController", key: 1000, busNumber: 0 },
  { _typeName: "ParaVirtualSCSIController", key: 1001, busNumber: 1 },
  { _typeName: "VirtualAHCIController", key: 15000, busNumber: 0 },
];

function disk(key: number, controllerKey: number, unitNumber: number, fileName: string): unknown {
  return { _typeName: "VirtualDisk", key, controllerKey, unitNumber, backing: { _typeName: "VirtualDiskFlatVer2BackingInfo", fileName } };
}

test("block devices: libvirt's targets and order (SCSI, SATA, IDE, floppy), every backing kind", () => {
  const devices = [
    ...controllers,
    {
      _typeName: "VirtualFloppy",
      key: 8000,
      controllerKey: 400,
      unitNumber: 0,
      backing: { _typeName: "VirtualFloppyImageBackingInfo", fileName: "[ds] boot.flp" },
    },
    {
      _typeName: "VirtualFloppy",
      key: 8001,
      controllerKey: 400,
      unitNumber: 1,
      backing: { _typeName: "VirtualFloppyRemoteDeviceBackingInfo", deviceName: "" },
    },
    {
      _typeName: "VirtualCdrom",
      key: 3002,
      controllerKey: 201,
      unitNumber: 0,
      backing: { _typeName: "VirtualCdromIsoBackingInfo", fileName: "[ds] iso/os.iso" },
    },
    {
      _typeName: "VirtualCdrom",
      key: 3000,
      controllerKey: 200,
      unitNumber: 1,
      backing: { _typeName: "VirtualCdromAtapiBackingInfo", deviceName: "/dev/cdrom", useAutoDetect: false },
    },
    {
      _typeName: "VirtualCdrom",
      key: 3001,
      controllerKey: 200,
      unitNumber: 0,
      backing: { _typeName: "VirtualCdromRemotePassthroughBackingInfo", deviceName: "", exclusive: false },
    },
    {
      _typeName: "VirtualCdrom",
      key: 3003,
      controllerKey: 15000,
      unitNumber: 0,
      backing: { _typeName: "VirtualCdromPassthroughBackingInfo", deviceName: "/vmfs/devices/cdrom/mpx.vmhba0:C0:T0:L0", exclusive: false },
    },
    disk(2005, 1001, 8, "[ds] vm/d5.vmdk"),
    disk(2004, 1001, 0, "[ds] vm/d4.vmdk"),
    disk(2001, 1000, 6, "[ds] vm/d1.vmdk"),
    disk(2000, 1000, 0, "[ds] vm/d0.vmdk"),
    disk(2002, 1000, 8, "[ds] vm/d2.vmdk"),
    disk(2006, 15000, 1, "[ds] vm/d6.vmdk"),
    {
      _typeName: "VirtualDisk",
      key: 2007,
      controllerKey: 1000,
      unitNumber: 15,
      backing: { _typeName: "VirtualDiskRawDiskVer2BackingInfo", deviceName: "/vmfs/devices/disks/naa.1" },
    },
    { _typeName: "VirtualE1000", key: 4000, controllerKey: 100, unitNumber: 7, macAddress: "00:50:56:00:00:01" },
    { _typeName: "VirtualKeyboard", key: 600, controllerKey: 300, unitNumber: 0 },
  ];
  assert.equal(
    blockDevicesFrom(devices).map((d) => [d.bus, d.target, d.type, d.device, d.source ?? "-"].join(" ")),
    [
      "scsi sda file disk [ds] vm/d0.vmdk",
      "scsi sdg file disk [ds] vm/d1.vmdk",
      "scsi sdh file disk [ds] vm/d2.vmdk",
      "scsi sdo block disk /vmfs/devices/disks/naa.1",
      "scsi sdp file disk [ds] vm/d4.vmdk",
      "scsi sdw file disk [ds] vm/d5.vmdk",
      "sata sda block lun /vmfs/devices/cdrom/mpx.vmhba0:C0:T0:L0",
      "sata sdb file disk [ds] vm/d6.vmdk",
      "ide hda block cdrom -",
      "ide hdb block cdrom /dev/cdrom",
      "ide hdc file cdrom [ds] iso/os.iso",
      "fdc fda file floppy [ds] boot.flp",
      "fdc fdb block floppy -",
    ],
  );
  assert.equal(blockDevicesFrom([]), []);
  // A device on a controller the list does not hold is left out rather than misnamed.
  assert.equal(blockDevicesFrom([disk(1, 999, 0, "[ds] x.vmdk")]), []);
});

test("interfaces: device order, libvirt's types (bridge on a port group, vds on a distributed port) and models", () => {
  const nics = [
    {
      _typeName: "VirtualVmxnet3",
      key: 4001,
      macAddress: "00:50:56:00:00:02",
      backing: {
        _typeName: "VirtualEthernetCardDistributedVirtualPortBackingInfo",
        port: { switchUuid: "x", portgroupKey: "dvportgroup-1" },
      },
    },
    {
      _typeName: "VirtualE1000",
      key: 4000,
      macAddress: "00:50:56:00:00:01",
      backing: { _typeName: "VirtualEthernetCardNetworkBackingInfo", deviceName: "VM Network" },
    },
    {
      _typeName: "VirtualPCNet32",
      key: 4002,
      macAddress: "00:50:56:00:00:03",
      backing: { _typeName: "VirtualEthernetCardNetworkBackingInfo", deviceName: "Lab" },
    },
    {
      _typeName: "VirtualE1000e",
      key: 4003,
      backing: { _typeName: "VirtualEthernetCardOpaqueNetworkBackingInfo", opaqueNetworkId: "n", opaqueNetworkType: "nsx" },
    },
    { _typeName: "VirtualVmxnet2", key: 4004, macAddress: "00:50:56:00:00:05" },
    { _typeName: "VirtualVmxnet", key: 4005, macAddress: "00:50:56:00:00:06" },
    { _typeName: "VirtualSriovEthernetCard", key: 4006, macAddress: "00:50:56:00:00:07" },
    { _typeName: "VirtualDisk", key: 2000 },
  ];
  assert.equal(
    interfacesFrom(nics).map((i) => [i.type, i.source ?? "-", i.model ?? "-", i.mac ?? "-"].join(" ")),
    [
      "bridge VM Network e1000 00:50:56:00:00:01",
      "vds - vmxnet3 00:50:56:00:00:02",
      "bridge Lab vlance 00:50:56:00:00:03",
      "ethernet - e1000e -",
      "ethernet - vmxnet2 00:50:56:00:00:05",
      "ethernet - vmxnet 00:50:56:00:00:06",
      "ethernet - - 00:50:56:00:00:07",
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
