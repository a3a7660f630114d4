/**
 * libvirt's checks of the server's AboutInfo (API type, API version, product line and its
 * minimum version) as a given/want table, and product line detection on real ESX and VPX
 * model simulators.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AboutInfo } from "../../generated/index.js";
import { checkAbout, versionNumber, type ProductLine } from "../../runtime/session.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect } from "./helpers.js";

function about(apiType: string, apiVersion: string, version: string, productLineId: string): AboutInfo {
  return {
    _typeName: "AboutInfo",
    name: "test",
    fullName: "test server",
    vendor: "VMware, Inc.",
    version,
    build: "1",
    osType: "vmnix-x86",
    productLineId,
    apiType,
    apiVersion,
  };
}

type Want = { productLine: ProductLine; apiVersion: number; productVersion: number } | { error: string };

const TABLE: readonly [given: [string, string, string, string], want: Want][] = [
  [["HostAgent", "6.5", "6.5.0", "embeddedEsx"], { productLine: "esx", apiVersion: 6_005_000, productVersion: 6_005_000 }],
  [["HostAgent", "4.0", "4.0.0", "esx"], { productLine: "esx", apiVersion: 4_000_000, productVersion: 4_000_000 }],
  [["HostAgent", "2.5", "3.5.0", "esx"], { productLine: "esx", apiVersion: 2_005_000, productVersion: 3_005_000 }],
  [["HostAgent", "7.0.3.0", "7.0.3", "embeddedEsx"], { productLine: "esx", apiVersion: 7_000_003, productVersion: 7_000_003 }],
  [["HostAgent", "2.5", "2.0.1", "gsx"], { productLine: "gsx", apiVersion: 2_005_000, productVersion: 2_000_001 }],
  [["VirtualCenter", "6.5", "6.5.0", "vpx"], { productLine: "vpx", apiVersion: 6_005_000, productVersion: 6_005_000 }],
  [["VirtualCenter", "2.5", "2.5.0", "vpx"], { productLine: "vpx", apiVersion: 2_005_000, productVersion: 2_005_000 }],
  [["HostAgent", "2.5", "1.0.0", "gsx"], { error: "Minimum supported Server/GSX version is 2.0 but found version '1.0.0'" }],
  [["HostAgent", "2.5", "3.0.2", "esx"], { error: "Minimum supported ESX(i) version is 3.5 but found version '3.0.2'" }],
  [["HostAgent", "2.5", "3.0.2", "embeddedEsx"], { error: "Minimum supported ESX(i) version is 3.5 but found version '3.0.2'" }],
  [["VirtualCenter", "2.5", "2.0.0", "vpx"], { error: "Minimum supported vCenter/VPX version is 2.5 but found version '2.0.0'" }],
  [["HostAgent", "2.0", "3.5.0", "esx"], { error: "Minimum supported VI API version is 2.5 but found version '2.0'" }],
  [["Workstation", "6.5", "6.5.0", "ws"], { error: "Expecting VI API type 'HostAgent' or 'VirtualCenter' but found 'Workstation'" }],
  [
    ["HostAgent", "6.5", "6.5.0", "workstation"],
    { error: "Expecting product 'gsx' or 'esx' or 'embeddedEsx' or 'vpx' but found 'workstation'" },
  ],
  [["HostAgent", "six", "6.5.0", "esx"], { error: "Could not parse VI API version 'six'" }],
  [["HostAgent", "6.5", "", "esx"], { error: "Could not parse product version ''" }],
];

test("checkAbout: libvirt's API type, version and product line checks", () => {
  for (const [given, want] of TABLE) {
    const label = given.join(" ");
    let got: Want;
    try {
      got = checkAbout(about(...given));
    } catch (e) {
      assert.is((e as { code?: unknown }).code, "NO_SUPPORT", label);
      got = { error: (e as Error).message };
    }
    assert.equal(got, want, label);
  }
});

test("versionNumber: 1000000 * major + 1000 * minor + micro", () => {
  const table: [string, number][] = [
    ["6.5", 6_005_000],
    ["6.5.0", 6_005_000],
    ["6.7.3", 6_007_003],
    ["7.0.3.0", 7_000_003],
    ["8", 8_000_000],
    ["2.5u2", 2_005_000],
  ];
  for (const [given, want] of table) assert.is(versionNumber(given), want, given);
  assert.throws(() => versionNumber("x.1"), /Could not parse version 'x.1'/);
});

if (requireSimulator("runtime session product lines")) {
  let sim: Simulator;
  test.before(async () => {
    sim = await startSimulator({ model: "vpx", vms: 1 });
  });
  test.after(async () => {
    await sim.stop();
  });

  // The ESX model (esx) is checked in session.test.ts.
  test("product line detection: the VPX model is a vCenter (vpx)", async () => {
    const s = await connect(sim);
    try {
      assert.is(s.productLine, "vpx");
      assert.is(s.about.apiType, "VirtualCenter");
      assert.is(s.about.productLineId, "vpx");
      assert.is(s.about.fullName, "VMware vCenter Server 6.5.0 build-5973321");
      assert.is(s.apiVersion, 6_005_000);
      assert.is(s.productVersion, 6_005_000);
      assert.is(s.ref("sessionManager").value, "SessionManager");
    } finally {
      await s.close();
    }
  });
}

test.run();
