/**
 * dumpxml on the simulator (ESX model): the VMX downloaded over /folder and converted with
 * file names mapped through the datastore mounts, the datacenter path and moref in the
 * vmware namespace, the id when not powered off; the SOAP calls it takes.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { DOMAIN_XML_PATHS, domainXmlDesc } from "../../drivers/domain/xml-desc.js";
import { vmxToDomainXml } from "../../drivers/vmx/index.js";
import { PowerOffVM_Task } from "../../generated/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { inventory, readFile, registerVmx, writeFile } from "./support.js";

let sim: Simulator;
let conn: Connection;

const OWN_UUID = "564d12ab-34cd-56ef-0123-456789abcdef";

/** A VMX as an administrator might have written it: Windows-1252, absolute and relative file names, a VNC password. */
function ownVmx(): Buffer {
  const text =
    '.encoding = "windows-1252"\n' +
    'config.version = "8"\n' +
    'virtualHW.version = "10"\n' +
    'displayName = "caf\u00e9 50%25"\n' +
    'annotation = "first|0Asecond"\n' +
    'uuid.bios = "56 4d 12 ab 34 cd 56 ef-01 23 45 67 89 ab cd ef"\n' +
    'guestOS = "other-64"\n' +
    'memsize = "64"\n' +
    'numvcpus = "2"\n' +
    'scsi0.present = "true"\n' +
    'scsi0.virtualDev = "lsilogic"\n' +
    'scsi0:0.present = "true"\n' +
    'scsi0:0.deviceType = "scsi-hardDisk"\n' +
    'scsi0:0.fileName = "own.vmdk"\n' +
    'scsi0:1.present = "true"\n' +
    'scsi0:1.deviceType = "scsi-hardDisk"\n' +
    'scsi0:1.fileName = "/vmfs/volumes/LocalDS_0/shared/data.vmdk"\n' +
    'ide0:0.present = "true"\n' +
    'ide0:0.deviceType = "cdrom-image"\n' +
    'ide0:0.fileName = "/usr/lib/vmware/isoimages/linux.iso"\n' +
    'ide1:0.present = "true"\n' +
    'ide1:0.deviceType = "cdrom-image"\n' +
    'ide1:0.fileName = "/vmfs/volumes/nosuch/install.iso"\n' +
    'ethernet0.present = "true"\n' +
    'ethernet0.virtualDev = "e1000"\n' +
    'ethernet0.networkName = "VM Network"\n' +
    'ethernet0.addressType = "generated"\n' +
    'ethernet0.generatedAddress = "00:0c:29:ab:cd:ef"\n' +
    'RemoteDisplay.vnc.enabled = "true"\n' +
    'RemoteDisplay.vnc.port = "5901"\n' +
    'RemoteDisplay.vnc.password = "s3cret"\n';
  return Buffer.from(text, "latin1");
}

function ownXml(moref: string, passwd: boolean): string {
  return `<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>
  <name>café 50%</name>
  <uuid>${OWN_UUID}</uuid>
  <description>first
second</description>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='[LocalDS_0] own/own.vmdk'/>
      <target dev='sda' bus='scsi'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='[LocalDS_0] shared/data.vmdk'/>
      <target dev='sdb' bus='scsi'/>
      <address type='drive' controller='0' bus='0' target='0' unit='1'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/usr/lib/vmware/isoimages/linux.iso'/>
      <target dev='hda' bus='ide'/>
      <readonly/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
      <readonly/>
      <address type='drive' controller='0' bus='1' target='0' unit='0'/>
    </disk>
    <controller type='scsi' index='0' model='lsilogic'/>
    <controller type='ide' index='0'/>
    <interface type='bridge'>
      <mac address='00:0c:29:ab:cd:ef' type='generated'/>
      <source bridge='VM Network'/>
      <model type='e1000'/>
    </interface>
    <graphics type='vnc' port='5901' autoport='no'${passwd ? " passwd='s3cret'" : ""}>
      <listen type='address'/>
    </graphics>
    <video>
      <model type='vmvga' vram='4096' primary='yes'/>
    </video>
  </devices>
  <vmware:datacenterpath>ha-datacenter</vmware:datacenterpath>
  <vmware:moref>${moref}</vmware:moref>
</domain>
`;
}

let ownMoref = "";

if (requireSimulator("dumpxml")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 2 });
    conn = await connectTo(sim);
    await writeFile(conn, "LocalDS_0", "own/own.vmx", ownVmx());
    // The launcher reads a VMX as UTF-8 whatever its .encoding (ESX would not): name the VM here.
    ownMoref = (await registerVmx(conn, "[LocalDS_0] own/own.vmx", "caf\u00e9 50%25")).value;
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("a model VM: the converter's output of its VMX, with id, datacenter path and moref", async () => {
    const vm = (await inventory(conn)).get("ha-host_VM0");
    if (vm === undefined) throw new Error("no ha-host_VM0");
    assert.is(vm.powerState, "poweredOn");
    assert.is(vm.vmPathName, "[LocalDS_0] ha-host_VM0/ha-host_VM0.vmx");
    const vmx = await readFile(conn, "LocalDS_0", "ha-host_VM0/ha-host_VM0.vmx");
    if (vmx === undefined) throw new Error("no .vmx");
    // Its file names have no directory: they are in the .vmx's folder.
    const expected = vmxToDomainXml(vmx, {
      parseFileName: (name) => `[LocalDS_0] ha-host_VM0/${name}`,
      datacenterPath: "ha-datacenter",
      moref: vm.moref,
    }).replace("<domain type='vmware' ", `<domain type='vmware' id='${vm.moref.replace("vm-", "")}' `);
    const r = await esxvi(sim, ["dumpxml", "ha-host_VM0"]);
    assert.is(r.stderr, "");
    assert.is(r.stdout, expected);
    assert.is(r.status, 0);
    assert.ok(
      r.stdout.startsWith(
        `<domain type='vmware' id='${vm.moref.slice(3)}' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>\n  <name>ha-host_VM0</name>\n  <uuid>${vm.uuid}</uuid>\n`,
      ),
    );
    assert.ok(r.stdout.includes("<source file='[LocalDS_0] ha-host_VM0/disk1.vmdk'/>"));
    assert.ok(
      r.stdout.endsWith(
        `  <vmware:datacenterpath>ha-datacenter</vmware:datacenterpath>\n  <vmware:moref>${vm.moref}</vmware:moref>\n</domain>\n`,
      ),
    );

    const inactive = await esxvi(sim, ["dumpxml", "--inactive", "ha-host_VM0"]);
    assert.is(inactive.stdout, expected.replace(/ id='\d+'/, ""));
    const byId = await esxvi(sim, ["dumpxml", vm.moref.slice(3)]);
    assert.is(byId.stdout, expected);
    const json = await esxvi(sim, ["dumpxml", "--json", vm.uuid]);
    assert.equal(JSON.parse(json.stdout), { name: "ha-host_VM0", uuid: vm.uuid, xml: expected });
  });

  test("an administrator's VMX: Windows-1252, file names through the datastore mounts, a missing ISO's datastore, the VNC password only with --security-info", async () => {
    const r = await esxvi(sim, ["dumpxml", OWN_UUID]);
    assert.is(r.stderr, "");
    assert.is(r.stdout, ownXml(ownMoref, false)); // powered off: no id
    assert.is(r.status, 0);
    const secure = await esxvi(sim, ["dumpxml", "--security-info", OWN_UUID]);
    assert.is(secure.stdout, ownXml(ownMoref, true));
  });

  test("SOAP calls: one retrieval by name, FindByUuid + one by UUID, one more when a file name needs the datastores; the VMX over HTTP", async () => {
    let before = conn.calls;
    await domainXmlDesc(conn, await lookupDomain(conn, "ha-host_VM1", DOMAIN_XML_PATHS));
    assert.is(conn.calls - before, 1);
    before = conn.calls;
    await domainXmlDesc(conn, await lookupDomain(conn, OWN_UUID, DOMAIN_XML_PATHS));
    assert.is(conn.calls - before, 3);
  });

  test("a powered-off model VM has no id", async () => {
    const vm = (await inventory(conn)).get("ha-host_VM1");
    if (vm === undefined) throw new Error("no ha-host_VM1");
    await waitForTask(
      conn.primary,
      await PowerOffVM_Task(conn.primary.client, { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: vm.moref }),
    );
    const r = await esxvi(sim, ["dumpxml", "ha-host_VM1"]);
    assert.is(r.status, 0);
    assert.ok(r.stdout.startsWith("<domain type='vmware' xmlns:vmware="), r.stdout.slice(0, 80));
  });

  test("errors: unknown domain, a VMX the converter rejects (file and line named)", async () => {
    const unknown = await esxvi(sim, ["dumpxml", "nope"]);
    assert.is(unknown.stdout, "");
    assert.is(unknown.stderr, "error: failed to get domain 'nope'\nerror: Domain not found: no domain with name 'nope'\n");
    assert.is(unknown.status, 1);

    await writeFile(
      conn,
      "LocalDS_0",
      "bad/bad.vmx",
      'config.version = "8"\nvirtualHW.version = "10"\ndisplayName = "bad"\nmemsize = "30"\n',
    );
    await registerVmx(conn, "[LocalDS_0] bad/bad.vmx");
    const bad = await esxvi(sim, ["dumpxml", "bad"]);
    assert.is(bad.stdout, "");
    assert.is(
      bad.stderr,
      "error: Could not convert [LocalDS_0] bad/bad.vmx of domain 'bad'\nerror: Expecting VMX entry 'memsize' to be an unsigned integer (multiple of 4) but found 30 (line 4)\n",
    );
    assert.is(bad.status, 1);
  });

  test.run();
}
