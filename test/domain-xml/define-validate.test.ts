/**
 * define --validate: the domain XML checked against what the VMX converter reads (esxvi's
 * stand-in for libvirt's RNG schema). Every domain XML libvirt's converter writes (the golden
 * vmx2xml outputs and xml2vmx inputs) validates; an element or attribute the converter does
 * not read is reported as libxml2's RelaxNG validation reports it, naming it and its parent.
 * On the simulator: a valid definition is defined, an invalid one leaves the server unchanged.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DomainXmlSchemaError, validateDomainXml } from "../../drivers/vmx/domain-xml-validate.js";
import { esxvi } from "../support/cli.js";
import { connectTo } from "../support/connect.js";
import { LIBVIRT_DIR, missingReference } from "../support/paths.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { writeFile } from "./support.js";

const work = mkdtempSync(join(tmpdir(), "esxvi-validate-"));
const PREFIX = "XML document failed to validate against schema: Unable to validate doc against the VMX converter's domain XML\n";

function domainXml(name: string, extra: { root?: string; disk?: string; devices?: string } = {}): string {
  return `<domain type='vmware'${extra.root ?? ""}>
  <name>${name}</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'${extra.disk ?? ""}>
      <source file='[LocalDS_0] ${name}/${name}.vmdk'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <controller type='scsi' index='0' model='lsilogic'/>
${extra.devices ?? ""}  </devices>
</domain>
`;
}

function rejected(xml: string): DomainXmlSchemaError {
  try {
    validateDomainXml(xml);
  } catch (e) {
    if (e instanceof DomainXmlSchemaError) return e;
    throw e;
  }
  throw new Error("validated");
}

test("every domain XML of libvirt's converter validates (the golden cases)", () => {
  const skip = missingReference(LIBVIRT_DIR);
  if (skip !== undefined) return console.log(skip);
  let n = 0;
  for (const dir of ["vmx2xml", "xml2vmx"]) {
    for (const f of readdirSync(join(LIBVIRT_DIR, dir)).filter((x) => x.endsWith(".xml"))) {
      validateDomainXml(readFileSync(join(LIBVIRT_DIR, dir, f), "utf8"));
      n++;
    }
  }
  assert.is(n, 107);
});

test("an unread element or attribute is named with its parent, libxml2's words", () => {
  validateDomainXml(domainXml("ok"));
  const el = rejected(domainXml("x", { devices: "    <rng model='virtio'><backend model='random'/></rng>\n" }));
  assert.is(el.message, `${PREFIX}Extra element rng in interleave\nElement devices failed to validate content`);
  assert.is(el.path, "/domain/devices/rng");
  assert.is(el.code, "XML_ERROR");
  const attr = rejected(domainXml("x", { disk: " snapshot='external'" }));
  assert.is(attr.message, `${PREFIX}Invalid attribute snapshot for element disk`);
  assert.is(attr.path, "/domain/devices/disk/@snapshot");
  assert.is(rejected(domainXml("x", { root: " id='7' bogus='1'" })).path, "/domain/@bogus");
  // A value the parser refuses is the parser's own error.
  assert.throws(() => validateDomainXml(domainXml("x").replace("<vcpu>1</vcpu>", "<vcpu>x</vcpu>")), /vcpu/);
});

if (requireSimulator("define --validate")) {
  let sim: Simulator;

  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1 });
    const conn = await connectTo(sim);
    try {
      for (const n of ["good", "bad"])
        await writeFile(conn, "LocalDS_0", `${n}/${n}.vmdk`, '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\n');
    } finally {
      await conn.close();
    }
  });

  test.after(async () => {
    await sim.stop();
  });

  const list = async (): Promise<string> => (await esxvi(sim, ["list", "--all", "--name"])).stdout;

  test("a valid definition is defined; an invalid one is refused with the validation error and nothing changes", async () => {
    const before = await list();
    assert.is(before, "ha-host_VM0\n");
    const bad = join(work, "bad.xml");
    writeFileSync(bad, domainXml("bad", { devices: "    <watchdog model='i6300esb'/>\n" }));
    assert.equal(await esxvi(sim, ["define", "--validate", bad]), {
      status: 1,
      stdout: "",
      stderr:
        `error: Failed to define domain from ${bad}\n` +
        `error: ${PREFIX}Extra element watchdog in interleave\nElement devices failed to validate content\n`,
    });
    assert.is(await list(), before);
    const good = join(work, "good.xml");
    writeFileSync(good, domainXml("good"));
    assert.equal(await esxvi(sim, ["define", "--validate", good]), {
      status: 0,
      stdout: `Domain 'good' defined from ${good}\n`,
      stderr: "",
    });
    assert.equal((await list()).split("\n").sort(), ["", "good", "ha-host_VM0"]);
  });
}

test.run();
