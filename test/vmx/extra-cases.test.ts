/**
 * Cases beyond the reference manifest, written from libvirt's rules: graphics, vds,
 * passthrough CD-ROMs, network serial clients, super-wide SCSI, the vmware namespace.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainXmlToVmx, vmxToDomainXml, type VmxContext } from "../../drivers/vmx/index.js";
import { harnessContext } from "./corpus-runner.js";

const ctx = harnessContext("extra");
const VMX_HEAD = 'config.version = "8"\nvirtualHW.version = "4"\n';
const XML_HEAD =
  "<domain type='vmware'>\n  <name>test</name>\n  <uuid>00000000-0000-0000-0000-000000000000</uuid>\n" +
  "  <memory unit='KiB'>32768</memory>\n  <currentMemory unit='KiB'>32768</currentMemory>\n" +
  "  <vcpu placement='static'>1</vcpu>\n";
const XML_TAIL_COMMON =
  "  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n" + "  <on_crash>destroy</on_crash>\n";
const VIDEO = "    <video>\n      <model type='vmvga' vram='4096' primary='yes'/>\n    </video>\n";

function domainXml(devices: string, os = "  <os>\n    <type arch='i686'>hvm</type>\n  </os>\n"): string {
  return `${XML_HEAD}${os}${XML_TAIL_COMMON}  <devices>\n${devices}${VIDEO}  </devices>\n</domain>\n`;
}

test("vmx2xml: network serial port as client, raw TCP", () => {
  const vmx = `${VMX_HEAD}serial0.present = "true"\nserial0.fileType = "network"\nserial0.fileName = "tcp://192.168.0.17:42001"\nserial0.network.endPoint = "client"\ndisplayName = "test"\n`;
  const src = "      <source mode='connect' host='192.168.0.17' service='42001'/>\n      <protocol type='raw'/>\n";
  assert.fixture(
    vmxToDomainXml(vmx, ctx),
    domainXml(
      `    <serial type='tcp'>\n${src}      <target port='0'/>\n    </serial>\n` +
        `    <console type='tcp'>\n${src}      <target type='serial' port='0'/>\n    </console>\n`,
    ),
  );
});

test("vmx2xml: unparsable network serial URIs become type null", () => {
  const vmx = `${VMX_HEAD}serial0.present = "true"\nserial0.fileType = "network"\nserial0.fileName = "not a uri"\ndisplayName = "test"\n`;
  assert.fixture(
    vmxToDomainXml(vmx, ctx),
    domainXml(
      "    <serial type='null'>\n      <target port='0'/>\n    </serial>\n" +
        "    <console type='null'>\n      <target type='serial' port='0'/>\n    </console>\n",
    ),
  );
});

test("vmx2xml: smbios, VNC with address, autoport, moref namespace", () => {
  const vmx = `${VMX_HEAD}smbios.reflecthost = "true"\nRemoteDisplay.vnc.enabled = "true"\nRemoteDisplay.vnc.ip = "10.0.0.1"\ndisplayName = "test"\n`;
  const withNs: VmxContext = { ...ctx, moref: "vm-42" };
  const xml = vmxToDomainXml(vmx, withNs);
  assert.ok(xml.startsWith("<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>\n"));
  assert.ok(xml.includes("    <type arch='i686'>hvm</type>\n    <smbios mode='host'/>\n  </os>\n"));
  assert.ok(
    xml.includes(
      "    <graphics type='vnc' port='-1' autoport='yes' listen='10.0.0.1'>\n      <listen type='address' address='10.0.0.1'/>\n    </graphics>\n",
    ),
  );
  assert.ok(xml.endsWith("  </devices>\n  <vmware:moref>vm-42</vmware:moref>\n</domain>\n"));
});

test("vmx2xml: virtualHW 13 allows SCSI units above 15 on controller 0", () => {
  const vmx =
    'config.version = "8"\nvirtualHW.version = "13"\nscsi0.present = "true"\nscsi0.virtualDev = "pvscsi"\n' +
    'scsi0:20.present = "true"\nscsi0:20.fileName = "big.vmdk"\ndisplayName = "test"\n';
  const xml = vmxToDomainXml(vmx, ctx);
  assert.ok(xml.includes("<target dev='sdt' bus='scsi'/>"), xml);
  assert.ok(xml.includes("<address type='drive' controller='0' bus='0' target='0' unit='20'/>"), xml);
  assert.ok(xml.includes("<controller type='scsi' index='0' model='vmpvscsi'/>"), xml);
});

const XML_IN_HEAD =
  "<domain type='vmware'>\n  <name>x</name>\n  <uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid>\n" +
  "  <memory unit='KiB'>4096</memory>\n  <os>\n    <type>hvm</type>\n  </os>\n  <devices>\n";
const VMX_OUT_HEAD =
  '.encoding = "UTF-8"\nconfig.version = "8"\nvirtualHW.version = "4"\nguestOS = "other"\n' +
  'uuid.bios = "56 4d 9b ef ac d9 b4 e0-c8 f0 ae a8 b9 10 35 15"\ndisplayName = "x"\nmemsize = "4"\nnumvcpus = "1"\n';
const NO_FLOPPIES = 'floppy0.present = "false"\nfloppy1.present = "false"\n';

function xml2vmx(devices: string): string {
  return domainXmlToVmx(`${XML_IN_HEAD}${devices}  </devices>\n</domain>\n`, ctx, 4);
}

test("xml2vmx: VNC graphics add the implicit 4 MiB SVGA device", () => {
  assert.fixture(
    xml2vmx("    <graphics type='vnc' port='5903' autoport='no' listen='127.0.0.1' keymap='de' passwd='password'/>\n"),
    VMX_OUT_HEAD +
      'RemoteDisplay.vnc.enabled = "true"\nRemoteDisplay.vnc.port = "5903"\nRemoteDisplay.vnc.ip = "127.0.0.1"\n' +
      'RemoteDisplay.vnc.keymap = "de"\nRemoteDisplay.vnc.password = "password"\n' +
      NO_FLOPPIES +
      'svga.vramSize = "4194304"\n',
  );
});

test("xml2vmx: vds interface", () => {
  assert.fixture(
    xml2vmx(
      "    <interface type='vds'>\n      <mac address='00:50:56:87:65:43'/>\n" +
        "      <source switchid='50 34 26 b2 94 e9 3b 16-1d 68 87 bf ff 4a 54 40' portid='6' portgroupid='dvportgroup-1285' connectionid='408217997'/>\n" +
        "      <model type='e1000e'/>\n    </interface>\n",
    ),
    VMX_OUT_HEAD +
      NO_FLOPPIES +
      'ethernet0.present = "true"\nethernet0.virtualDev = "e1000e"\n' +
      'ethernet0.dvs.switchId = "50 34 26 b2 94 e9 3b 16-1d 68 87 bf ff 4a 54 40"\nethernet0.dvs.portId = "6"\n' +
      'ethernet0.dvs.portgroupId = "dvportgroup-1285"\nethernet0.dvs.connectionId = "408217997"\n' +
      'ethernet0.addressType = "vpx"\nethernet0.generatedAddress = "00:50:56:87:65:43"\n',
  );
});

test("xml2vmx: SCSI passthrough CD-ROM, vmxnet2, autodetected controller model", () => {
  assert.fixture(
    xml2vmx(
      "    <disk type='block' device='lun'>\n      <source dev='/vmfs/devices/cdrom/mpx.vmhba32:C0:T0:L0'/>\n" +
        "      <target dev='sda' bus='scsi'/>\n    </disk>\n" +
        "    <controller type='scsi' index='0' model='auto'/>\n" +
        "    <interface type='bridge'>\n      <mac address='00:50:56:11:22:33'/>\n      <source bridge='VM Network'/>\n" +
        "      <model type='vmxnet2'/>\n    </interface>\n",
    ),
    VMX_OUT_HEAD +
      'scsi0.present = "true"\nscsi0.virtualDev = "lsilogic"\n' +
      'scsi0:0.present = "true"\nscsi0:0.deviceType = "scsi-passthru"\nscsi0:0.fileName = "/vmfs/devices/cdrom/mpx.vmhba32:C0:T0:L0"\n' +
      NO_FLOPPIES +
      'ethernet0.present = "true"\nethernet0.virtualDev = "vmxnet"\nethernet0.features = "15"\n' +
      'ethernet0.networkName = "VM Network"\nethernet0.connectionType = "bridged"\n' +
      'ethernet0.addressType = "static"\nethernet0.address = "00:50:56:11:22:33"\n',
  );
});

test("xml2vmx: VRAM is rounded up to 64 KiB and shares keywords follow the vCPU count", () => {
  const vmx = domainXmlToVmx(
    "<domain type='vmware'><name>x</name><uuid>00000000-0000-0000-0000-000000000000</uuid><memory unit='MiB'>5</memory>" +
      "<currentMemory unit='KiB'>3000</currentMemory><vcpu>2</vcpu><cputune><shares>2000</shares></cputune>" +
      "<os><type arch='x86_64'>hvm</type></os><devices><video><model type='vmvga' vram='4000'/></video></devices></domain>",
    ctx,
    7,
  );
  assert.fixture(
    vmx,
    '.encoding = "UTF-8"\nconfig.version = "8"\nvirtualHW.version = "7"\nguestOS = "other-64"\nuuid.action = "create"\n' +
      'displayName = "x"\nmemsize = "8"\nsched.mem.max = "3"\nnumvcpus = "2"\nsched.cpu.shares = "normal"\n' +
      NO_FLOPPIES +
      'svga.vramSize = "4128768"\nvmci0.present = "true"\n',
  );
});

test.run();
