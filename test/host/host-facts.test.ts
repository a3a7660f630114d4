/**
 * The host facts' pure parts, against libvirt: the CPU model squeeze of nodeGetInfo, CPUID
 * register parsing and the long-mode bit of esxCapsInit, the UUID rule of virUUIDIsValid,
 * virCapabilitiesFormatXML for an i686 host without a UUID, and the sysinfo built from a
 * HostHardwareInfo (entries in libvirt's order, absent ones left out, XML escaped).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatCapabilitiesXml, parseCpuIdRegister, supportsLongMode, validHostUuid } from "../../drivers/host/capabilities.js";
import { squeezeCpuModel } from "../../drivers/host/host-info.js";
import { cpuSignature, formatSysinfoXml, sysinfoFrom } from "../../drivers/host/sysinfo.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import type { HostCpuIdInfo } from "../../generated/index.js";

const LEAF_80000001 = -2147483647;

function leaf(level: number, edx: string): HostCpuIdInfo {
  return { _typeName: "HostCpuIdInfo", level, edx };
}

test("CPU model squeeze: double spaces, (R), (C), (TM) removed left to right, then 31 characters", () => {
  const cases: [string, string][] = [
    ["Intel(R) Core(TM) i7-3615QM CPU @ 2.30GHz", "Intel Core i7-3615QM CPU @ 2.30"],
    ["Intel(R) Xeon(R) CPU E5-1620 0 @ 3.60GHz", "Intel Xeon CPU E5-1620 0 @ 3.60"],
    ["AMD  Opteron(C)   6174", "AMD Opteron 6174"],
    ["short", "short"],
    // libvirt does not look back: "(TM)" formed by a removal before the scan position stays.
    ["(T(R)M)x", "(TM)x"],
  ];
  for (const [given, want] of cases) assert.is(squeezeCpuModel(given), want, given);
});

test("CPUID registers: bit 0 first, libvirt's length and format errors", () => {
  assert.is(parseCpuIdRegister("0010:1000:0001:0000:0000:1000:0000:0001", "edx"), "10000000000100000000100000010100");
  assert.throws(
    () => parseCpuIdRegister("0010:1000", "edx"),
    (e: unknown) => e instanceof EsxviError && e.message === "HostCpuIdInfo register 'edx' has an unexpected length",
  );
  assert.throws(
    () => parseCpuIdRegister("0010-1000-0001-0000-0000-1000-0000-0001", "edx"),
    (e: unknown) => e instanceof EsxviError && e.message === "HostCpuIdInfo register 'edx' has an unexpected format",
  );
});

test("long mode: EDX bit 29 of CPUID 0x80000001; missing leaf; unexpected bit", () => {
  assert.is(
    supportsLongMode([leaf(0, "0000:0000:0000:0000:0000:0000:0000:0000"), leaf(LEAF_80000001, "0010:0000:0000:0000:0000:0000:0000:0000")]),
    true,
  );
  assert.is(supportsLongMode([leaf(LEAF_80000001, "0000:0000:0000:0000:0000:0000:0000:0000")]), false);
  assert.is(supportsLongMode([leaf(1, "1111:1111:1111:1111:1111:1111:1111:1111")]), undefined);
  assert.throws(
    () => supportsLongMode([leaf(LEAF_80000001, "00-0:0000:0000:0000:0000:0000:0000:0000")]),
    (e: unknown) =>
      e instanceof EsxviError &&
      e.message ===
        "Bit 29 (Long Mode) of HostSystem property 'hardware.cpuFeature[].edx' with value '00-0:0000:0000:0000:0000:0000:0000:0000' has unexpected value '-', expecting '0' or '1'",
  );
});

test("host UUIDs: virUUIDParse spellings, all-equal bytes and garbage are no UUID", () => {
  assert.is(validHostUuid("E88D4D56-9F1E-3EA1-71FA-13A8E1A7FD70"), "e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70");
  assert.is(validHostUuid(" e88d4d569f1e3ea171fa13a8e1a7fd70 "), "e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70");
  assert.is(validHostUuid("00000000-0000-0000-0000-000000000000"), undefined);
  assert.is(validHostUuid("ffffffff-ffff-ffff-ffff-ffffffffffff"), undefined);
  assert.is(validHostUuid(""), undefined);
  assert.is(validHostUuid("not-a-uuid"), undefined);
});

test("capabilities XML: an i686 host without a UUID has one guest and no <uuid>", () => {
  const xml = formatCapabilitiesXml({
    hostUuid: undefined,
    arch: "i686",
    migrateTransports: ["vpxmigr"],
    guests: [{ osType: "hvm", arch: "i686", wordsize: 32, domainType: "vmware" }],
  });
  assert.is(
    xml,
    [
      "<capabilities>",
      "",
      "  <host>",
      "    <cpu>",
      "      <arch>i686</arch>",
      "    </cpu>",
      "    <power_management/>",
      "    <iommu support='no'/>",
      "    <migration_features>",
      "      <live/>",
      "      <uri_transports>",
      "        <uri_transport>vpxmigr</uri_transport>",
      "      </uri_transports>",
      "    </migration_features>",
      "  </host>",
      "",
      "  <guest>",
      "    <os_type>hvm</os_type>",
      "    <arch name='i686'>",
      "      <wordsize>32</wordsize>",
      "      <domain type='vmware'/>",
      "    </arch>",
      "  </guest>",
      "",
      "</capabilities>",
      "",
    ].join("\n"),
  );
});

test("processor signatures from CPUID leaf 1 EAX, as dmidecode prints them", () => {
  assert.is(cpuSignature("0000:0000:0000:0010:0000:0110:1101:0111"), "Type 0, Family 6, Model 45, Stepping 7");
  // AMD family 0x17 (15 + extended 8), model 1, stepping 2.
  assert.is(cpuSignature("0000:0000:1000:0000:0000:1111:0001:0010"), "Type 0, Family 23, Model 1, Stepping 2");
  assert.is(cpuSignature("xxxx"), undefined);
});

test("sysinfo from hardware info: libvirt's sections and entry order, escaping, absent entries omitted", () => {
  const info = sysinfoFrom({
    systemInfo: {
      _typeName: "HostSystemInfo",
      vendor: "Dell Inc.",
      model: "PowerEdge R640 <rev A>",
      uuid: "4c4c4544-0044-3010-8052-b4c04f4c4d32",
      serialNumber: "ABC1234",
      otherIdentifyingInfo: [
        {
          _typeName: "HostSystemIdentificationInfo",
          identifierValue: "ABC1234",
          identifierType: { _typeName: "ElementDescription", label: "Service tag", summary: "", key: "ServiceTag" },
        },
        {
          _typeName: "HostSystemIdentificationInfo",
          identifierValue: " CH-99 ",
          identifierType: { _typeName: "ElementDescription", label: "Enclosure", summary: "", key: "EnclosureSerialNumberTag" },
        },
        {
          _typeName: "HostSystemIdentificationInfo",
          identifierValue: "Dell System & 5.0",
          identifierType: { _typeName: "ElementDescription", label: "OEM", summary: "", key: "OemSpecificString" },
        },
      ],
    },
    biosInfo: {
      _typeName: "HostBIOSInfo",
      vendor: "Dell Inc.",
      biosVersion: "2.10.2",
      releaseDate: new Date("2021-03-04T00:00:00Z"),
      majorRelease: 2,
      minorRelease: 10,
    },
    cpuPkg: [
      {
        _typeName: "HostCpuPackage",
        index: 1,
        vendor: "intel",
        hz: 2_100_000_000n,
        busHz: 100_000_000n,
        description: "Intel(R) Xeon(R) Gold 6130",
        threadId: [1],
      },
      {
        _typeName: "HostCpuPackage",
        index: 0,
        vendor: "intel",
        hz: 2_100_000_000n,
        busHz: 100_000_000n,
        description: "Intel(R) Xeon(R) Gold 6130",
        threadId: [0],
      },
    ],
    memorySize: 274877906944n,
  });
  assert.is(
    formatSysinfoXml(info),
    [
      "<sysinfo type='smbios'>",
      "  <bios>",
      "    <entry name='vendor'>Dell Inc.</entry>",
      "    <entry name='version'>2.10.2</entry>",
      "    <entry name='date'>03/04/2021</entry>",
      "    <entry name='release'>2.10</entry>",
      "  </bios>",
      "  <system>",
      "    <entry name='manufacturer'>Dell Inc.</entry>",
      "    <entry name='product'>PowerEdge R640 &lt;rev A&gt;</entry>",
      "    <entry name='serial'>ABC1234</entry>",
      "    <entry name='uuid'>4c4c4544-0044-3010-8052-b4c04f4c4d32</entry>",
      "  </system>",
      "  <chassis>",
      "    <entry name='serial'>CH-99</entry>",
      "  </chassis>",
      "  <processor>",
      "    <entry name='type'>Central Processor</entry>",
      "    <entry name='manufacturer'>intel</entry>",
      "    <entry name='version'>Intel(R) Xeon(R) Gold 6130</entry>",
      "    <entry name='external_clock'>100 MHz</entry>",
      "    <entry name='max_speed'>2100 MHz</entry>",
      "  </processor>",
      "  <processor>",
      "    <entry name='type'>Central Processor</entry>",
      "    <entry name='manufacturer'>intel</entry>",
      "    <entry name='version'>Intel(R) Xeon(R) Gold 6130</entry>",
      "    <entry name='external_clock'>100 MHz</entry>",
      "    <entry name='max_speed'>2100 MHz</entry>",
      "  </processor>",
      "  <memory_device>",
      "    <entry name='size'>262144 MB</entry>",
      "  </memory_device>",
      "  <oemStrings>",
      "    <entry>Dell System &amp; 5.0</entry>",
      "  </oemStrings>",
      "</sysinfo>",
      "",
    ].join("\n"),
  );
  assert.is(formatSysinfoXml(sysinfoFrom({})), "<sysinfo type='smbios'/>\n");
});

test.run();
