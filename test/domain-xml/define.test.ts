/**
 * define on the simulator (ESX model): the VMX beside the first .vmdk as
 * escapeDatastoreItem(name).vmx, registered and read back; libvirt's refusals (existing
 * name or UUID, newline, disks) and esxvi's (a name the datastore cannot hold, an existing
 * .vmx) change nothing on the server; a failed registration leaves no .vmx behind.
 */
import { connectTo } from "../support/connect.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { defineDomain } from "../../drivers/domain/define.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { inventory, listFolder, readFile, writeFile } from "./support.js";

let sim: Simulator;
let conn: Connection;
const work = mkdtempSync(join(tmpdir(), "esxvi-define-"));

const NAME = 'a/b "c"|*';
/** esxUtil_EscapeDatastoreItem(NAME): Windows specials to "_", "/" to "%2f", "%" base64-escaped. */
const ESCAPED = "a+JQ-2fb _c___";
const UUID = "11112222-3333-4444-5555-666677778888";

function domainXml(o: { name: string; uuid?: string; disks?: string }): string {
  const disks =
    o.disks ??
    `    <disk type='file' device='disk'>
      <source file='[LocalDS_0] web/web.vmdk'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <controller type='scsi' index='0' model='lsilogic'/>
`;
  return `<domain type='vmware'>
  <name>${o.name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")}</name>
${o.uuid === undefined ? "" : `  <uuid>${o.uuid}</uuid>\n`}  <memory unit='KiB'>65536</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
${disks}  </devices>
</domain>
`;
}

let counter = 0;
function xmlFile(text: string): string {
  const path = join(work, `domain-${++counter}.xml`);
  writeFileSync(path, text);
  return path;
}

/** Runs define and checks it failed with exactly these error lines. */
async function refused(xml: string, ...lines: string[]): Promise<void> {
  const file = xmlFile(xml);
  const r = await esxvi(sim, ["define", file]);
  assert.is(r.stdout, "");
  assert.is(r.stderr, [`Failed to define domain from ${file}`, ...lines].map((l) => `error: ${l}\n`).join(""));
  assert.is(r.status, 1);
}

async function snapshot(dirs: readonly string[]): Promise<{ vms: string[]; files: Record<string, string[]> }> {
  const vms = [...(await inventory(conn)).entries()].map(([name, v]) => `${name} ${v.uuid} ${v.powerState} ${v.vmPathName}`).sort();
  const files: Record<string, string[]> = {};
  for (const d of dirs) files[d] = await listFolder(conn, "LocalDS_0", d);
  return { vms, files };
}

if (requireSimulator("define")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 2 });
    conn = await connectTo(sim);
    await writeFile(conn, "LocalDS_0", "web/web.vmdk", '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\n');
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("define: the .vmx is escapeDatastoreItem(name).vmx beside the first disk, the VM is registered with the right name and config", async () => {
    assert.equal(await listFolder(conn, "LocalDS_0", "web"), ["web.vmdk"]);
    const file = xmlFile(domainXml({ name: NAME, uuid: UUID }));
    const r = await esxvi(sim, ["define", file]);
    assert.is(r.stderr, "");
    assert.is(r.stdout, `Domain '${NAME}' defined from ${file}\n`);
    assert.is(r.status, 0);

    const vm = (await inventory(conn)).get(NAME);
    assert.equal(vm === undefined ? undefined : { uuid: vm.uuid, powerState: vm.powerState, vmPathName: vm.vmPathName }, {
      uuid: UUID,
      powerState: "poweredOff",
      vmPathName: `[LocalDS_0] web/${ESCAPED}.vmx`,
    });
    // The uploaded VMX is what domxml-to-native gives for this server (virtualHW.version 10 for ESXi 6.5).
    const vmx = await readFile(conn, "LocalDS_0", `web/${ESCAPED}.vmx`);
    const native = await esxvi(sim, ["domxml-to-native", "vmware-vmx", file]);
    assert.is(vmx, native.stdout);
    assert.ok(native.stdout.includes('virtualHW.version = "10"\n'));
    assert.ok(native.stdout.includes('displayName = "a%2fb |22c|22|7c*"\n'));
    assert.ok(native.stdout.includes('scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/web/web.vmdk"\n'));
    assert.ok((await listFolder(conn, "LocalDS_0", "web")).includes(`${ESCAPED}.vmx`));

    const info = await esxvi(sim, ["dominfo", UUID]);
    assert.match(info.stdout, /^Name: +a\/b "c"\|\*$/m);
    assert.match(info.stdout, /^CPU\(s\): +2$/m);
    assert.match(info.stdout, /^Max memory: +65536 KiB$/m);
    assert.match(info.stdout, /^State: +shut off$/m);

    const dump = await esxvi(sim, ["dumpxml", NAME]);
    assert.is(
      dump.stdout,
      `<domain type='vmware' xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'>
  <name>a/b &quot;c&quot;|*</name>
  <uuid>${UUID}</uuid>
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
      <source file='[LocalDS_0] web/web.vmdk'/>
      <target dev='sda' bus='scsi'/>
      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
    </disk>
    <controller type='scsi' index='0' model='lsilogic'/>
    <video>
      <model type='vmvga' vram='4096' primary='yes'/>
    </video>
  </devices>
  <vmware:datacenterpath>ha-datacenter</vmware:datacenterpath>
  <vmware:moref>${(await inventory(conn)).get(NAME)?.moref ?? ""}</vmware:moref>
</domain>
`,
    );
  });

  test("an existing name or UUID: libvirt's refusal, nothing uploaded", async () => {
    const before = await snapshot(["web", ""]);
    await refused(
      domainXml({ name: NAME, uuid: "99990000-0000-0000-0000-000000000001" }),
      "Domain already exists, editing existing domains is not supported yet",
    );
    await refused(domainXml({ name: "other name", uuid: UUID }), "Domain already exists, editing existing domains is not supported yet");
    await refused(domainXml({ name: "ha-host_VM0" }), "Domain already exists, editing existing domains is not supported yet");
    assert.equal(await snapshot(["web", ""]), before);
  });

  test("a .vmx already at the target path is not overwritten", async () => {
    await writeFile(conn, "LocalDS_0", "web/taken.vmx", "# not ours\n");
    const before = await snapshot(["web"]);
    await refused(domainXml({ name: "taken" }), "File [LocalDS_0] web/taken.vmx already exists on the datastore; not overwriting it");
    assert.equal(await snapshot(["web"]), before);
    assert.is(await readFile(conn, "LocalDS_0", "web/taken.vmx"), "# not ours\n");
  });

  test("a name the datastore cannot hold, a newline, no usable disk: clear errors, nothing changed", async () => {
    const before = await snapshot(["web", ""]);
    const long = "x".repeat(300);
    await refused(
      domainXml({ name: long }),
      `Domain name '${long}' is too long for a datastore: its file name '${long}.vmx' has 304 bytes, a datastore holds at most 255`,
    );
    await refused(domainXml({ name: "two\nlines" }), "invalid char in name: 0x0a");
    await refused(
      domainXml({ name: "nodisk", disks: "" }),
      "Domain XML doesn't contain any disks, cannot deduce datastore and path for VMX file",
    );
    await refused(
      domainXml({
        name: "cdrom",
        disks:
          "    <disk type='file' device='cdrom'>\n      <source file='[LocalDS_0] iso/x.iso'/>\n      <target dev='hdc' bus='ide'/>\n    </disk>\n",
      }),
      "Domain XML doesn't contain any file-based harddisks, cannot deduce datastore and path for VMX file",
    );
    await refused(
      domainXml({
        name: "elsewhere",
        disks:
          "    <disk type='file' device='disk'>\n      <source file='[nosuch] x/x.vmdk'/>\n      <target dev='hda' bus='ide'/>\n    </disk>\n",
      }),
      "Could not find datastore with name 'nosuch'",
    );
    const broken = "<domain type='vmware'><name>broken</name>";
    await refused(broken, await xmlError(broken));
    assert.equal(await snapshot(["web", ""]), before);
  });

  test("a registration that fails leaves no .vmx behind", async () => {
    // 250 characters fit in a .vmx name (254 bytes) but not in the "<name>.nvram" the
    // simulator then needs (256 bytes): RegisterVM_Task fails with InvalidArgument.
    const name = "r".repeat(250);
    const disks =
      "    <disk type='file' device='disk'>\n      <source file='[LocalDS_0] ha-host_VM1/disk1.vmdk'/>\n      <target dev='sda' bus='scsi'/>\n    </disk>\n";
    const before = await snapshot(["ha-host_VM1"]);
    assert.ok(before.files["ha-host_VM1"]?.includes("vmware.log"));
    await refused(domainXml({ name, disks }), "Could not define domain", "InvalidArgument - *types.InvalidArgument");
    assert.equal(await snapshot(["ha-host_VM1"]), before);
  });

  test("SOAP calls of a define", async () => {
    await writeFile(conn, "LocalDS_0", "calls/calls.vmdk", "# Disk DescriptorFile\n");
    const before = conn.calls;
    const defined = await defineDomain(
      conn,
      domainXml({
        name: "calls",
        disks:
          "    <disk type='file' device='disk'>\n      <source file='[LocalDS_0] calls/calls.vmdk'/>\n      <target dev='hda' bus='ide'/>\n    </disk>\n",
      }),
    );
    // FindByUuid + VM list, datastores, SearchDatastore_Task + its info, RegisterVM_Task + the
    // task waiter (collector, filter, one wait, destroy); the .vmx goes over HTTP.
    assert.is(conn.calls - before, 10);
    assert.is(defined.vmxPath, "[LocalDS_0] calls/calls.vmx");
    assert.ok((await inventory(conn)).has("calls"));
  });

  test.run();
}

/** The message the XML parser gives for a document (domxml-to-native's second error line). */
async function xmlError(xml: string): Promise<string> {
  const r = await esxvi(undefined, ["domxml-to-native", "vmware-vmx", xmlFile(xml)]);
  return r.stderr.split("\n")[1]?.replace(/^error: /, "") ?? "";
}
