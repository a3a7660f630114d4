/**
 * libvirt 11.3.0's golden VMX corpus, both directions, byte for byte; and for every case
 * the round trip through VMX keeps the domain model (as far as VMX can carry it).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainToVmx, formatDomainXml, parseDomainXml, parseVmx, vmxToDomain } from "../../drivers/vmx/index.js";
import { LIBVIRT_DIR, missingReference } from "../support/paths.js";
import { harnessContext, loadManifest, runCorpus, summary, type CaseResult } from "./corpus-runner.js";
import { vmxProjection } from "./model-projection.js";

const skip = missingReference(LIBVIRT_DIR);
const dir = LIBVIRT_DIR;

function failures(results: readonly CaseResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => `${r.direction} ${r.name}:\n${r.detail ?? ""}`)
    .join("\n\n");
}

if (skip !== undefined) {
  console.log(`VMX corpus: ${skip}`);
} else {
  const manifest = loadManifest(dir);

  test("golden corpus, byte for byte in both directions", () => {
    const report = runCorpus(dir);
    console.log(`VMX corpus vmx2xml: ${summary(report.vmx2xml)}`);
    console.log(`VMX corpus xml2vmx: ${summary(report.xml2vmx)}`);
    assert.ok(report.vmx2xml.length > 0 && report.xml2vmx.length > 0, "the manifest lists cases");
    assert.is(failures([...report.vmx2xml, ...report.xml2vmx]), "");
  });

  test("shouldFail cases are rejected with a VMX_ERROR naming the file", () => {
    for (const entry of manifest.vmx2xml.filter((e) => e.shouldFail)) {
      const vmx = readFileSync(join(dir, "vmx2xml", `${entry.name}.vmx`));
      assert.throws(
        () => vmxToDomain(parseVmx(vmx), harnessContext(entry.name)),
        (e: unknown) => e instanceof Error && "code" in e && e.code === "VMX_ERROR" && /missing/.test(e.message),
        entry.name,
      );
    }
  });

  test("xml -> vmx -> xml keeps the domain model for every xml2vmx case", () => {
    let checked = 0;
    for (const entry of manifest.xml2vmx) {
      const ctx = harnessContext(entry.input);
      const xml = readFileSync(join(dir, "xml2vmx", `xml2vmx-${entry.input}.xml`), "utf8");
      const original = parseDomainXml(xml);
      const vmx = domainToVmx(original, ctx, entry.virtualHWVersion);
      const back = vmxToDomain(parseVmx(vmx), ctx);
      assert.equal(vmxProjection(back), vmxProjection(original), entry.input);
      // ... and the XML written for it parses back to the same model, a fixed point.
      const again = parseDomainXml(formatDomainXml(back));
      assert.equal(vmxProjection(again), vmxProjection(back), `${entry.input} (XML re-parse)`);
      const settled = domainToVmx(back, ctx, entry.virtualHWVersion);
      assert.is(domainToVmx(again, ctx, entry.virtualHWVersion), settled, `${entry.input} (VMX fixed point)`);
      checked++;
    }
    console.log(`VMX round trip xml -> vmx -> xml: ${checked} cases keep their model`);
  });

  test("vmx -> xml -> vmx: the formatted XML parses back to the same model", () => {
    let checked = 0;
    let formatted = 0;
    for (const entry of manifest.vmx2xml.filter((e) => !e.shouldFail)) {
      const ctx = harnessContext(entry.name);
      const doc = parseVmx(readFileSync(join(dir, "vmx2xml", `${entry.name}.vmx`)));
      const def = vmxToDomain(doc, ctx);
      const reparsed = parseDomainXml(formatDomainXml(def));
      assert.equal(vmxProjection(reparsed), vmxProjection(def), entry.name);
      checked++;
      const hw = Number(doc.get("virtualHW.version")?.value ?? "4");
      let vmx: string;
      try {
        vmx = domainToVmx(def, ctx, hw);
      } catch {
        continue; // e.g. SATA disks, which libvirt cannot write back to VMX
      }
      assert.equal(vmxProjection(vmxToDomain(parseVmx(vmx), ctx)), vmxProjection(def), `${entry.name} (VMX)`);
      formatted++;
    }
    console.log(`VMX round trip vmx -> xml: ${checked} models kept; ${formatted} also survive vmx -> vmx`);
  });
}

test.run();
