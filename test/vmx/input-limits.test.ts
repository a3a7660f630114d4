/**
 * Numbers and shapes from input never become unbounded work: a shared-folder count of
 * 2^63 - 1, disk controller indexes at and beyond the limit of implicit controllers, a
 * DOCTYPE with nested entities, and character references that name no XML character.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MAX_IMPLICIT_CONTROLLERS } from "../../drivers/vmx/domain-post-parse.js";
import { DomainXmlError, parseDomainXml, vmxToDomainXml } from "../../drivers/vmx/index.js";
import { harnessContext } from "./corpus-runner.js";

const VMX = [
  'config.version = "8"',
  'virtualHW.version = "4"',
  'displayName = "sf"',
  'memsize = "4"',
  'isolation.tools.hgfs.disable = "false"',
  "",
].join("\n");

function folder(n: number, guest: string): string {
  return [
    `sharedFolder${n}.present = "true"`,
    `sharedFolder${n}.enabled = "true"`,
    `sharedFolder${n}.hostPath = "/h${n}"`,
    `sharedFolder${n}.guestName = "${guest}"`,
    "",
  ].join("\n");
}

function targets(xml: string): string[] {
  return [...xml.matchAll(/<target dir='([^']*)'\/>/g)].map((m) => m[1] ?? "");
}

test("sharedFolder.maxNum of 2^63 - 1 looks only at the folders the file has, in order", () => {
  const vmx = `${VMX}sharedFolder.maxNum = "9223372036854775807"\n${folder(7, "g7")}${folder(0, "g0")}${folder(1234567890123, "big")}`;
  assert.equal(targets(vmxToDomainXml(vmx, harnessContext("limits"))), ["g0", "g7", "big"]);
});

test("sharedFolder.maxNum still bounds the numbers used, as libvirt's loop does", () => {
  const vmx = `${VMX}sharedFolder.maxNum = "7"\n${folder(6, "g6")}${folder(7, "g7")}sharedFolder9.enabled = "bad"\n`;
  assert.equal(targets(vmxToDomainXml(vmx, harnessContext("limits"))), ["g6"]);
  // Within maxNum, a bad value of a folder without .present is still an error, as in the loop.
  assert.throws(
    () => vmxToDomainXml(`${VMX}sharedFolder.maxNum = "10"\nsharedFolder9.enabled = "bad"\n`, harnessContext("limits")),
    /must represent a boolean value/,
  );
});

function domainWithDisk(controller: number): string {
  return (
    "<domain type='vmware'><name>d</name><uuid>564d9bef-acd9-b4e0-c8f0-aeb8b7d2f5e5</uuid><memory>4096</memory><os><type>hvm</type></os>" +
    "<devices><disk type='file' device='disk'><source file='[ds] d/d.vmdk'/><target dev='sda' bus='scsi'/>" +
    `<address type='drive' controller='${controller}' bus='0' target='0' unit='0'/></disk></devices></domain>`
  );
}

test("implicit controllers: up to the limit they are made, beyond it the address is refused", () => {
  const def = parseDomainXml(domainWithDisk(MAX_IMPLICIT_CONTROLLERS - 1));
  assert.is(def.controllers.filter((c) => c.type === "scsi").length, MAX_IMPLICIT_CONTROLLERS);
  for (const index of [MAX_IMPLICIT_CONTROLLERS, 999_999_999]) {
    assert.throws(
      () => parseDomainXml(domainWithDisk(index)),
      (e: unknown) =>
        e instanceof DomainXmlError &&
        e.message ===
          `disk address controller index ${index} is out of range for a scsi controller (at most ${MAX_IMPLICIT_CONTROLLERS - 1})`,
    );
  }
});

test("a DOCTYPE is refused: no VM is ever named from entity text", () => {
  const lol = '<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;">]>';
  assert.throws(
    () => parseDomainXml(`${lol}${domainWithDisk(0).replace("<name>d</name>", "<name>&lol9;</name>")}`),
    (e: unknown) => e instanceof DomainXmlError && e.message === "XML error: DOCTYPE declarations are not accepted in domain XML",
  );
  // An entity name with digits is no more literal text than any other.
  assert.throws(
    () => parseDomainXml(domainWithDisk(0).replace("<name>d</name>", "<name>&lol9;</name>")),
    (e: unknown) => e instanceof DomainXmlError && e.message === "Unknown XML entity '&lol9;'",
  );
});

test("character references beyond U+10FFFF, to surrogates or to NUL are XML errors; an empty document too", () => {
  for (const ref of ["&#x110000;", "&#xD800;", "&#0;", "&#99999999999999999999;"]) {
    assert.throws(
      () => parseDomainXml(domainWithDisk(0).replace("<name>d</name>", `<name>a${ref}</name>`)),
      (e: unknown) => e instanceof DomainXmlError && e.message === `XML error: invalid character reference '${ref}'`,
      ref,
    );
  }
  assert.throws(
    () => parseDomainXml(""),
    (e: unknown) => e instanceof DomainXmlError && e.message === "XML error: the document is empty",
  );
});

test("a name of 1,000,000 characters is a clear result, not a stack overflow", () => {
  const def = parseDomainXml(domainWithDisk(0).replace("<name>d</name>", `<name>${"n".repeat(1_000_000)}</name>`));
  assert.is(def.name?.length, 1_000_000);
});

test.run();
