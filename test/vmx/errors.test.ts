/** Inputs libvirt rejects are rejected with an error naming the key, the value and the line. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainXmlToVmx, parseDomainXml, vmxToDomainXml, type VmxContext } from "../../drivers/vmx/index.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { harnessContext } from "./corpus-runner.js";

const ctx: VmxContext = harnessContext("errors");
const HEAD = 'config.version = "8"\nvirtualHW.version = "4"\n';

function rejects(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    if (!(e instanceof EsxviError)) return false;
    if (e.code !== code || !pattern.test(e.message)) {
      console.log(`got ${e.code}: ${e.message}`);
      return false;
    }
    return true;
  });
}

function vmxRejects(body: string, pattern: RegExp): void {
  rejects(() => vmxToDomainXml(HEAD + body, ctx), "VMX_ERROR", pattern);
}

test("VMX: required and version entries", () => {
  rejects(() => vmxToDomainXml('virtualHW.version = "4"\n', ctx), "VMX_ERROR", /Missing essential config entry 'config.version'/);
  rejects(
    () => vmxToDomainXml('config.version = "7"\nvirtualHW.version = "4"\n', ctx),
    "VMX_ERROR",
    /'config.version' to be 8 but found 7 \(line 1\)/,
  );
  rejects(
    () => vmxToDomainXml('config.version = "8"\nvirtualHW.version = "3"\n', ctx),
    "VMX_ERROR",
    /'virtualHW.version' to be 4 or higher but found 3 \(line 2\)/,
  );
});

test("VMX: values are checked and named with their line", () => {
  vmxRejects('memsize = "30"\n', /'memsize' .*multiple of 4.* found 30 \(line 3\)/);
  vmxRejects('memsize = "lots"\n', /'memsize' must represent an integer value but found 'lots' \(line 3\)/);
  vmxRejects('numvcpus = "0"\n', /'numvcpus' .* found 0 \(line 3\)/);
  vmxRejects(
    'smbios.reflecthost = "yes"\n',
    /'smbios.reflecthost' must represent a boolean value \(true\|false\) but found 'yes' \(line 3\)/,
  );
  vmxRejects('uuid.bios = "56 4d"\n', /Could not parse UUID from string '56 4d' of config entry 'uuid.bios' \(line 3\)/);
  vmxRejects('displayName = "50%"\n', /'displayName' contains invalid escape sequence in '50%' \(line 3\)/);
  vmxRejects('firmware = "bios"\n', /'firmware' has unknown value 'bios' \(line 3\)/);
  vmxRejects('numvcpus = "4"\nsched.cpu.affinity = "0,1"\n', /at least as many values as 'numvcpus' \(4\)/);
  vmxRejects('sched.cpu.shares = "lots"\n', /'sched.cpu.shares' .* found 'lots'/);
  vmxRejects('numvcpus = "2"\ncpuid.coresPerSocket = "4"\n', /smaller than 'numvcpus'/);
});

test("VMX: devices libvirt does not handle", () => {
  vmxRejects('scsi0.present = "true"\nscsi0.virtualDev = "megaraid"\n', /'scsi0.virtualDev' .* found 'megaraid' \(line 4\)/);
  vmxRejects(
    'ide0:0.present = "true"\nide0:0.deviceType = "cdrom-image"\nide0:0.fileName = "disk.img"\n',
    /Invalid or not yet handled value 'disk.img' for VMX entry 'ide0:0.fileName' for device type 'cdrom-image'/,
  );
  vmxRejects(
    'ide0:0.present = "true"\nide0:0.deviceType = "scsi-hardDisk"\nide0:0.fileName = "d.vmdk"\n',
    /'ide0:0.deviceType' to be 'ata-hardDisk' or 'disk' but found 'scsi-hardDisk'/,
  );
  vmxRejects('ethernet0.present = "true"\nethernet0.virtualDev = "rtl8139"\n', /'ethernet0.virtualDev' .* found 'rtl8139' \(line 4\)/);
  vmxRejects(
    'ethernet0.present = "true"\nethernet0.connectionType = "hostonly"\n',
    /No yet handled value 'hostonly' for VMX entry 'ethernet0.connectionType'/,
  );
  vmxRejects('ethernet0.present = "true"\nethernet0.addressType = "random"\n', /'ethernet0.addressType' .* found 'random'/);
  vmxRejects('ethernet0.present = "true"\nethernet0.addressType = "static"\nethernet0.address = "zz"\n', /MAC address but found 'zz'/);
  vmxRejects('ethernet.present = "true"\n', /failed to parse the index of the VMX key 'ethernet.present' \(line 3\)/);
  vmxRejects('serial0.present = "true"\nserial0.fileType = "thread"\n', /'serial0.fileType' .* found 'thread'/);
  vmxRejects('serial0.present = "true"\nserial0.fileType = "network"\nserial0.fileName = "gopher://h:1"\n', /unsupported scheme 'gopher'/);
  vmxRejects('parallel0.present = "true"\nparallel0.fileName = "/dev/lp0"\n', /Missing essential config entry 'parallel0.fileType'/);
  vmxRejects(
    'isolation.tools.hgfs.disable = "false"\nsharedFolder.maxNum = "1"\nsharedFolder0.present = "true"\nsharedFolder0.enabled = "true"\n',
    /Missing essential config entry 'sharedFolder0.hostPath'/,
  );
});

test("VMX: missing files are rejected where libvirt needs them", () => {
  vmxRejects(
    'scsi0.present = "true"\nscsi0:0.present = "true"\nscsi0:0.fileName = "/vmfs/volumes/missing/x.vmdk"\n',
    /Referenced missing file/,
  );
});

const XML_HEAD = "<domain type='vmware'><name>t</name><memory>4096</memory><os><type>hvm</type></os>";

function xmlToVmxRejects(devices: string, code: string, pattern: RegExp, extra = ""): void {
  rejects(() => domainXmlToVmx(`${XML_HEAD}${extra}<devices>${devices}</devices></domain>`, ctx, 4), code, pattern);
}

test("XML: malformed documents and bad values", () => {
  rejects(() => parseDomainXml("<domain type='vmware'>"), "XML_ERROR", /XML error at line 1/);
  rejects(() => parseDomainXml("<vm/>"), "XML_ERROR", /unexpected root element <vm>/);
  rejects(
    () => parseDomainXml("<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>"),
    "XML_ERROR",
    /domain type 'kvm'/,
  );
  rejects(
    () => parseDomainXml("<domain type='vmware'><name>x</name><memory>1</memory><os><type arch='ppc64'>hvm</type></os></domain>"),
    "XML_ERROR",
    /arch 'ppc64'/,
  );
  rejects(
    () => parseDomainXml("<domain type='vmware'><name>x</name><os><type>hvm</type></os></domain>"),
    "XML_ERROR",
    /Memory size must be specified/,
  );
  rejects(() => parseDomainXml(`${XML_HEAD}<uuid>nope</uuid></domain>`), "XML_ERROR", /malformed uuid element 'nope'/);
  rejects(
    () =>
      parseDomainXml(`${XML_HEAD}<devices><interface type='bridge'><mac address='zz'/><source bridge='b'/></interface></devices></domain>`),
    "XML_ERROR",
    /mac address 'zz'/,
  );
  // Character references past U+10FFFF, in text and in attributes: a coded error, not a RangeError.
  rejects(
    () => parseDomainXml(`${XML_HEAD}<description>&#x110000;</description></domain>`),
    "XML_ERROR",
    /^XML error: invalid character reference '&#x110000;'$/,
  );
  rejects(
    () => parseDomainXml(`${XML_HEAD}<uuid a='&#1114112;'/></domain>`),
    "XML_ERROR",
    /^XML error: invalid character reference '&#1114112;'$/,
  );
  assert.is(parseDomainXml(`${XML_HEAD}<description>&#x10FFFF;&#65;</description></domain>`).description, "\u{10FFFF}A");
});

test("XML -> VMX: what VMX cannot express is CONFIG_UNSUPPORTED", () => {
  xmlToVmxRejects("<graphics type='spice'/>", "CONFIG_UNSUPPORTED", /Unsupported graphics type 'spice'/);
  xmlToVmxRejects(
    "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sda' bus='sata'/></disk>",
    "CONFIG_UNSUPPORTED",
    /Unsupported bus type 'sata'/,
  );
  xmlToVmxRejects(
    "<disk type='network' device='disk'><target dev='sda' bus='scsi'/></disk>",
    "CONFIG_UNSUPPORTED",
    /unsupported type 'network'/,
  );
  xmlToVmxRejects(
    "<interface type='network'><mac address='00:0c:29:00:00:01'/><source network='default'/></interface>",
    "CONFIG_UNSUPPORTED",
    /Unsupported net type 'network'/,
  );
  xmlToVmxRejects(
    "<serial type='udp'><source mode='connect' host='h' service='1'/></serial>",
    "CONFIG_UNSUPPORTED",
    /Unsupported character device type 'udp'/,
  );
  xmlToVmxRejects("<video><model type='qxl'/></video>", "CONFIG_UNSUPPORTED", /Unsupported video device type 'qxl'/);
  xmlToVmxRejects(
    "<filesystem type='block'><source dev='/dev/x'/><target dir='t'/></filesystem>",
    "CONFIG_UNSUPPORTED",
    /Only 'mount' filesystem type/,
  );
  xmlToVmxRejects(
    "<disk type='file' device='disk'><driver cache='none'/><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/></disk>",
    "CONFIG_UNSUPPORTED",
    /unsupported cache mode 'none'/,
  );
  xmlToVmxRejects("", "CONFIG_UNSUPPORTED", /'current'/, "<vcpu current='1'>2</vcpu>");
});

test("XML -> VMX: values libvirt rejects", () => {
  xmlToVmxRejects(
    "<disk type='file' device='disk'><source file='[ds] a.img'/><target dev='sda' bus='scsi'/></disk>",
    "VMX_ERROR",
    /unsupported suffix, expecting '.vmdk'/,
  );
  xmlToVmxRejects(
    "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' unit='3'/></disk>",
    "VMX_ERROR",
    /Disk address 0:0:3 doesn't match target device 'sda'/,
  );
  xmlToVmxRejects(
    "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sdbz' bus='scsi'/></disk>",
    "VMX_ERROR",
    /SCSI controller index 5 out of \[0..3\] range/,
  );
  xmlToVmxRejects(
    "<controller type='scsi' index='0' model='virtio-scsi'/><disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/></disk>",
    "VMX_ERROR",
    /found 'virtio-scsi'/,
  );
  xmlToVmxRejects(
    "<interface type='bridge'><mac address='00:0c:29:00:00:01'/><source bridge='b'/><model type='virtio'/></interface>",
    "VMX_ERROR",
    /found 'virtio'/,
  );
  xmlToVmxRejects(
    "<disk type='file' device='disk'><source file='relative.vmdk'/><target dev='sda' bus='scsi'/></disk>",
    "VMX_ERROR",
    /Relative file name 'relative.vmdk'/,
  );
  xmlToVmxRejects(
    "<serial type='dev'><source path='/dev/ttyS4'/><target port='4'/></serial>",
    "VMX_ERROR",
    /Serial port index 4 out of \[0..3\] range/,
  );
});

test.run();
