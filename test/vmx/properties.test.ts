/**
 * Seeded property tests: random domains survive XML -> VMX -> model as far as VMX can
 * carry them, names and descriptions survive every escaping layer, and the XML the
 * formatter writes parses back to the same model.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainToVmx, formatDomainXml, parseDomainXml, parseVmx, vmxToDomain } from "../../drivers/vmx/index.js";
import { escapeXml } from "../../drivers/util/xml-escape.js";
import { prng, randomString, TEST_ALPHABET } from "../util/prng.js";
import { harnessContext } from "./corpus-runner.js";
import { vmxProjection } from "./model-projection.js";

const ctx = harnessContext("properties");

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function randomMac(next: () => number): string {
  const prefix = pick(next, [
    [0x00, 0x0c, 0x29],
    [0x00, 0x50, 0x56],
    [0xaa, 0xbb, 0xcc],
  ]);
  const rest = [0, 0, 0].map(() => Math.floor(next() * 256));
  return [...prefix, ...rest].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

function randomInterface(next: () => number): string {
  const macType = pick(next, ["", " type='generated'", " type='static'"]);
  const check = pick(next, ["", " check='yes'", " check='no'"]);
  const model = pick(next, ["", "<model type='e1000'/>", "<model type='vmxnet2'/>", "<model type='vmxnet3'/>"]);
  const kind = pick(next, ["bridge", "custom", "user", "null"]);
  const source =
    kind === "bridge" || kind === "custom" ? `<source bridge='${escapeXml(randomString(next, [..."abc XYZ-1"], 8) || "net")}'/>` : "";
  const target = kind === "custom" ? "<target dev='vmnet3'/>" : "";
  const type = kind === "custom" ? "bridge" : kind;
  return `<interface type='${type}'><mac address='${randomMac(next)}'${macType}${check}/>${source}${target}${model}</interface>`;
}

function randomDisks(next: () => number): string {
  const out: string[] = [];
  const used = new Set<string>();
  const count = Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    const scsi = next() < 0.6;
    const dst = scsi ? `sd${pick(next, [..."abcdefghijklmnopqr"])}` : `hd${pick(next, [..."abcd"])}`;
    if (used.has(dst)) continue;
    used.add(dst);
    const cdrom = next() < 0.3;
    const file = `[ds${Math.floor(next() * 3)}] dir/f${i}.${cdrom ? "iso" : "vmdk"}`;
    const cache = scsi && !cdrom && next() < 0.3 ? "<driver cache='writethrough'/>" : "";
    out.push(
      `<disk type='file' device='${cdrom ? "cdrom" : "disk"}'>${cache}<source file='${escapeXml(file)}'/>` +
        `<target dev='${dst}' bus='${scsi ? "scsi" : "ide"}'/></disk>`,
    );
  }
  return out.join("");
}

function randomDomainXml(next: () => number): string {
  const vcpus = 1 + Math.floor(next() * 8);
  const memory = 4096 + Math.floor(next() * 4 * 1024 * 1024);
  const current = Math.floor(next() * memory);
  const cpuset = next() < 0.3 ? ` cpuset='0-${vcpus + Math.floor(next() * 4)}'` : "";
  const shares = next() < 0.5 ? `<cputune><shares>${pick(next, [500, 1000, 2000, 1234]) * vcpus}</shares></cputune>` : "";
  const arch = pick(next, ["i686", "x86_64"]);
  const uuid = [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => pick(next, [..."0123456789abcdef"])).join("")).join("-");
  const serial = next() < 0.3 ? "<serial type='pipe'><source path='\\\\.\\pipe\\x'/><target port='0'/></serial>" : "";
  const nets = Array.from({ length: Math.floor(next() * 3) }, () => randomInterface(next)).join("");
  return (
    `<domain type='vmware'><name>${escapeXml(randomString(next, TEST_ALPHABET, 16) || "n")}</name><uuid>${uuid}</uuid>` +
    `<description>${escapeXml(randomString(next, TEST_ALPHABET, 24))}</description>` +
    `<memory unit='KiB'>${memory}</memory><currentMemory unit='KiB'>${current}</currentMemory>` +
    `<vcpu${cpuset}>${vcpus}</vcpu>${shares}<os${next() < 0.2 ? " firmware='efi'" : ""}><type arch='${arch}'>hvm</type></os>` +
    `<devices>${randomDisks(next)}${nets}${serial}</devices></domain>`
  );
}

test("property: random domains keep their VMX-representable model through VMX (seeded)", () => {
  const next = prng(20250502);
  for (let i = 0; i < 500; i++) {
    const xml = randomDomainXml(next);
    const def = parseDomainXml(xml);
    // Not 13+: there 11.3.0 names scsiX:Y disks X*15+Y on a 64-unit bus, so controllers > 0 collide.
    const hw = pick(next, [4, 7, 8, 10]);
    const vmx = domainToVmx(def, ctx, hw);
    const back = vmxToDomain(parseVmx(vmx), ctx);
    assert.equal(vmxProjection(back), vmxProjection(def), xml);
  }
});

test("property: formatted XML parses back to the same model (seeded)", () => {
  const next = prng(7);
  for (let i = 0; i < 300; i++) {
    const def = parseDomainXml(randomDomainXml(next));
    const again = parseDomainXml(formatDomainXml(def));
    assert.equal(again, def);
  }
});

test("property: names and descriptions survive pipe, percent and XML escaping (seeded)", () => {
  const next = prng(99);
  for (let i = 0; i < 1000; i++) {
    const name = randomString(next, TEST_ALPHABET, 20) || "x";
    const description = randomString(next, TEST_ALPHABET, 30);
    const xml =
      `<domain type='vmware'><name>${escapeXml(name)}</name><description>${escapeXml(description)}</description>` +
      "<memory>4096</memory><os><type>hvm</type></os></domain>";
    const vmx = domainToVmx(parseDomainXml(xml), ctx, 4);
    assert.not.match(vmx.split("\n").find((l) => l.startsWith("displayName")) ?? "", /[/\\]|"[^"]*"[^"]*"/);
    const back = vmxToDomain(parseVmx(vmx), ctx);
    assert.is(back.name, name);
    assert.is(back.description, description);
  }
});

test.run();
