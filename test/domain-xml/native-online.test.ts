/**
 * The domain XML commands against a vCenter (VPX model, vpx://…/DC0/DC0_C0/DC0_C0_H2):
 * domxml-from/to-native with a connection (datastores resolved through the host's mounts,
 * SCSI controller models autodetected through the datastore browser, virtualHW.version of
 * the server) next to the same files offline; dumpxml, define and undefine in a datacenter
 * with a cluster.
 */
import { connectTo } from "../support/connect.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { PowerOffVM_Task, PowerOnVM_Task } from "../../generated/index.js";
import { moRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import { esxvi, simulatorUri, type CliResult } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { inventory, listFolder, writeFile } from "./support.js";

// The cluster's last host: vcsim mounts a datastore shared by several hosts on the last one
// only (Datastore.host lists one DatastoreHostMount), and libvirt needs this host's mount.
const PATH = "DC0/DC0_C0/DC0_C0_H2";
/** A model VM of the cluster (on any of its hosts): its disk tells the datastore browser its controller. */
const MODEL_VM = "DC0_C0_RP0_VM0";
let sim: Simulator;
let conn: Connection;
let uri: string;
const work = mkdtempSync(join(tmpdir(), "esxvi-native-"));

function file(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

function online(args: readonly string[]): Promise<CliResult> {
  return esxvi(sim, args, { uri });
}

const VMX =
  'config.version = "8"\nvirtualHW.version = "10"\ndisplayName = "mapped"\n' +
  'scsi0.present = "true"\nscsi0.virtualDev = "lsilogic"\n' +
  'scsi0:0.present = "true"\nscsi0:0.deviceType = "scsi-hardDisk"\nscsi0:0.fileName = "mapped.vmdk"\n' +
  'scsi0:1.present = "true"\nscsi0:1.deviceType = "scsi-hardDisk"\nscsi0:1.fileName = "/vmfs/volumes/LocalDS_0/shared/data.vmdk"\n' +
  'ide1:0.present = "true"\nide1:0.deviceType = "cdrom-image"\nide1:0.fileName = "/vmfs/volumes/nosuch/install.iso"\n';

function mappedXml(cdromSource: string | undefined): string {
  return `<domain type='vmware'>
  <name>mapped</name>
  <uuid>00000000-0000-0000-0000-000000000000</uuid>
  <memory unit='KiB'>32768</memory>
  <currentMemory unit='KiB'>32768</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='i686'>hvm</type>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <source file='[?] ?/mapped.vmdk'/>
      <target dev='sda' bus='scsi'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='[LocalDS_0] shared/data.vmdk'/>
      <target dev='sdb' bus='scsi'/>
      <address type='drive' controller='0' bus='0' target='0' unit='1'/>
    </disk>
    <disk type='file' device='cdrom'>
${cdromSource === undefined ? "" : `      <source file='${cdromSource}'/>\n`}      <target dev='hdc' bus='ide'/>
      <readonly/>
      <address type='drive' controller='0' bus='1' target='0' unit='0'/>
    </disk>
    <controller type='scsi' index='0' model='lsilogic'/>
    <controller type='ide' index='0'/>
    <video>
      <model type='vmvga' vram='4096' primary='yes'/>
    </video>
  </devices>
</domain>
`;
}

function domainXml(name: string, disk: string, model: string): string {
  return `<domain type='vmware'>
  <name>${name}</name>
  <uuid>564d0000-1111-2222-3333-444455556666</uuid>
  <memory unit='KiB'>4096</memory>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='${disk}'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <controller type='scsi' index='0' model='${model}'/>
  </devices>
</domain>
`;
}

if (requireSimulator("domain XML on vCenter")) {
  test.before(async () => {
    sim = await startSimulator({ model: "vpx" });
    uri = simulatorUri(sim, { path: PATH });
    conn = await connectTo(sim, { path: PATH });
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("domxml-from-native: file names through the host's datastore mounts; a missing datastore empties a CD-ROM and fails a disk (offline: taken at its word)", async () => {
    const vmx = file("mapped.vmx", VMX);
    const on = await online(["domxml-from-native", "vmware-vmx", vmx]);
    assert.is(on.stderr, "");
    assert.is(on.stdout, mappedXml(undefined));
    const off = await esxvi(undefined, ["domxml-from-native", "vmware-vmx", vmx]);
    assert.is(off.stdout, mappedXml("[nosuch] install.iso"));

    const disk = file("missing-disk.vmx", VMX.replace("/vmfs/volumes/LocalDS_0/shared/data.vmdk", "/vmfs/volumes/nosuch/data.vmdk"));
    const failed = await online(["domxml-from-native", "vmware-vmx", disk]);
    assert.is(failed.stdout, "");
    assert.is(
      failed.stderr,
      `error: ${disk}: cannot convert from vmware-vmx\nerror: File name '/vmfs/volumes/nosuch/data.vmdk' refers to non-existing datastore 'nosuch'\n`,
    );
    assert.is(failed.status, 1);
    assert.is((await esxvi(undefined, ["domxml-from-native", "vmware-vmx", disk])).status, 0);
  });

  test("domxml-to-native: the server's virtualHW.version, mount paths, SCSI model 'auto' from the disk's controller", async () => {
    const auto = file("auto.xml", domainXml("auto", `[LocalDS_0] ${MODEL_VM}/disk1.vmdk`, "auto"));
    const r = await online(["domxml-to-native", "vmware-vmx", auto]);
    assert.is(r.stderr, "");
    assert.is(
      r.stdout,
      `.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "10"
guestOS = "other"
uuid.bios = "56 4d 00 00 11 11 22 22-33 33 44 44 55 55 66 66"
displayName = "auto"
memsize = "4"
numvcpus = "1"
scsi0.present = "true"
scsi0.virtualDev = "pvscsi"
scsi0:0.present = "true"
scsi0:0.deviceType = "scsi-hardDisk"
scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/${MODEL_VM}/disk1.vmdk"
floppy0.present = "false"
floppy1.present = "false"
pciBridge0.present = "true"
pciBridge4.present = "true"
pciBridge4.virtualDev = "pcieRootPort"
pciBridge4.functions = "8"
pciBridge5.present = "true"
pciBridge5.virtualDev = "pcieRootPort"
pciBridge5.functions = "8"
pciBridge6.present = "true"
pciBridge6.virtualDev = "pcieRootPort"
pciBridge6.functions = "8"
pciBridge7.present = "true"
pciBridge7.virtualDev = "pcieRootPort"
pciBridge7.functions = "8"
vmci0.present = "true"
`,
    );
    assert.is(r.status, 0);
    const v13 = await online(["domxml-to-native", "vmware-vmx", auto, "--hw-version", "13"]);
    assert.ok(v13.stdout.includes('virtualHW.version = "13"\n'));

    await writeFile(conn, "LocalDS_0", "lonely/lonely.vmdk", "# Disk DescriptorFile\n");
    const errors: [string, string][] = [
      [
        domainXml("lonely", "[LocalDS_0] lonely/lonely.vmdk", "auto"),
        "Could not lookup controller model for '[LocalDS_0] lonely/lonely.vmdk'",
      ],
      [
        domainXml("none", "[LocalDS_0] none/none.vmdk", "auto"),
        "Could not lookup file info for '[LocalDS_0] none/none.vmdk': it does not exist",
      ],
      [domainXml("nosuch", "[nosuch] x/x.vmdk", "lsilogic"), "Could not find datastore with name 'nosuch'"],
    ];
    for (const [xml, message] of errors) {
      const f = file("err.xml", xml);
      const e = await online(["domxml-to-native", "vmware-vmx", f]);
      assert.is(e.stdout, "");
      assert.is(e.stderr, `error: ${message}\n`);
      assert.is(e.status, 1);
    }
  });

  test("dumpxml of a VM on a distributed port group: switchid, portid, portgroupid and connectionid of its bound port", async () => {
    // The standalone host's model VMs (the cluster's last host has none).
    const standalone = await connectTo(sim, { path: "DC0/DC0_H0" });
    const found = await retrieveDomains(standalone, ["config.hardware.device"]).finally(() => standalone.close());
    const vm = found.domains.find((d) => d.identity.name === "DC0_H0_VM1");
    if (vm === undefined) throw new Error("no VM DC0_H0_VM1");
    type Nic = {
      backing?: { _typeName: string; port?: { switchUuid?: string; portKey?: string; portgroupKey?: string; connectionCookie?: number } };
    };
    const port = (vm.props["config.hardware.device"] as Nic[]).find(
      (d) => d.backing?._typeName === "VirtualEthernetCardDistributedVirtualPortBackingInfo",
    )?.backing?.port;
    if (port === undefined) throw new Error("no NIC on a distributed port");
    // The server's binding: a port key and a connection cookie, both non-zero.
    assert.ok(Number(port.portKey) > 0 && (port.connectionCookie ?? 0) > 0, JSON.stringify(port));
    const dump = await esxvi(sim, ["dumpxml", vm.identity.name], { uri: simulatorUri(sim, { path: "DC0/DC0_H0" }) });
    assert.is(dump.stderr, "");
    assert.ok(dump.stdout.includes(`<interface type='vds'>\n      <mac address='`), dump.stdout);
    assert.ok(
      dump.stdout.includes(
        `<source switchid='${port.switchUuid ?? ""}' portid='${port.portKey ?? ""}' portgroupid='${port.portgroupKey ?? ""}' connectionid='${port.connectionCookie ?? ""}'/>`,
      ),
      dump.stdout,
    );
  });

  test("define, dumpxml and undefine through vCenter: on the URI's host in the cluster's pool, the datacenter path in the XML, files kept", async () => {
    await writeFile(conn, "LocalDS_0", "vc/vc.vmdk", "# Disk DescriptorFile\n");
    const xml = file("vc.xml", domainXml("vc domain", "[LocalDS_0] vc/vc.vmdk", "lsilogic"));
    const d = await online(["define", xml]);
    assert.is(d.stderr, "");
    assert.is(d.stdout, `Domain 'vc domain' defined from ${xml}\n`);
    const vm = (await inventory(conn)).get("vc domain");
    assert.is(vm?.vmPathName, "[LocalDS_0] vc/vc domain.vmx");
    assert.is(vm?.powerState, "poweredOff");
    const files = await listFolder(conn, "LocalDS_0", "vc");
    assert.ok(files.includes("vc domain.vmx"), files.join(" "));

    const dump = await online(["dumpxml", "vc domain"]);
    assert.is(dump.stderr, "");
    assert.ok(
      dump.stdout.startsWith(
        "<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>\n  <name>vc domain</name>\n",
      ),
      dump.stdout,
    );
    assert.ok(dump.stdout.includes("<source file='[LocalDS_0] vc/vc.vmdk'/>"));
    assert.ok(
      dump.stdout.endsWith(
        `  <vmware:datacenterpath>DC0</vmware:datacenterpath>\n  <vmware:moref>${vm?.moref ?? ""}</vmware:moref>\n</domain>\n`,
      ),
      dump.stdout,
    );

    // Running: refused, unchanged.
    const ref = moRef("VirtualMachine", vm?.moref ?? "");
    await waitForTask(conn.primary, await PowerOnVM_Task(conn.primary.client, ref, {}));
    const refused = await online(["undefine", "vc domain"]);
    assert.is(refused.stderr, "error: Failed to undefine domain 'vc domain'\nerror: Domain is not suspended or powered off\n");
    assert.is((await inventory(conn)).get("vc domain")?.powerState, "poweredOn");
    await waitForTask(conn.primary, await PowerOffVM_Task(conn.primary.client, ref));

    const u = await online(["undefine", "vc domain"]);
    assert.is(u.stdout, "Domain 'vc domain' has been undefined\n");
    assert.is((await inventory(conn)).has("vc domain"), false);
    assert.equal(await listFolder(conn, "LocalDS_0", "vc"), files);
  });

  test.run();
}
