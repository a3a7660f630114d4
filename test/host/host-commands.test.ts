/**
 * Host commands on the simulator (ESX model), virsh's exact layouts: version, uri,
 * hostname, nodeinfo, capabilities, freecell, sysinfo, nodememstats, nodecpustats; their
 * --json; one RetrievePropertiesEx each after connecting (three calls after Login with
 * Logout); the options ESX cannot serve refused with a clear error; --help on each.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

/** Runs a command; asserts the SOAP calls it made: connect (3), its own retrievals, Logout. */
async function run(args: readonly string[], retrievals = 1): Promise<{ status: number; stdout: string; stderr: string }> {
  await sim.control.resetStats();
  const r = await esxvi(sim, args);
  assert.equal(
    await methodCalls(),
    { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 1 + retrievals, Logout: 1 },
    args.join(" "),
  );
  return r;
}

const HOST_UUID = "e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70";

if (requireSimulator("host commands")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("version: virsh's four lines, the hypervisor's version from the server (no call)", async () => {
    const r = await run(["version"], 0);
    assert.equal(r, {
      status: 0,
      stderr: "",
      stdout: "Compiled against library: esxvi 0.1.0\nUsing library: esxvi 0.1.0\nUsing API: ESX 0.1.0\nRunning hypervisor: ESX 6.5.0\n",
    });
    const j = await run(["version", "--json"], 0);
    assert.equal(JSON.parse(j.stdout), {
      library: "0.1.0",
      api: "ESX",
      hypervisor: "ESX",
      hypervisorVersion: "6.5.0",
      hypervisorVersionNumber: 6_005_000,
      fullName: "VMware ESXi 6.5.0 build-5969303",
    });
  });

  test("hostname: dnsConfig host name and domain name", async () => {
    assert.equal(await run(["hostname"]), { status: 0, stdout: "localhost.localdomain\n", stderr: "" });
    assert.equal(JSON.parse((await run(["hostname", "--json"])).stdout), { hostname: "localhost.localdomain" });
  });

  test("nodeinfo: libvirt's figures in virsh's %-20s layout", async () => {
    const r = await run(["nodeinfo"]);
    assert.is(
      r.stdout,
      [
        "CPU model:           Intel Core i7-3615QM CPU @ 2.30",
        "CPU(s):              2",
        "CPU frequency:       3591 MHz",
        "CPU socket(s):       2",
        "Core(s) per socket:  1",
        "Thread(s) per core:  1",
        "NUMA cell(s):        1",
        "Memory size:         4193780 KiB",
        "",
      ].join("\n"),
    );
    assert.equal(JSON.parse((await run(["nodeinfo", "--json"])).stdout), {
      model: "Intel Core i7-3615QM CPU @ 2.30",
      memory: 4193780,
      cpus: 2,
      mhz: 3591,
      nodes: 1,
      sockets: 2,
      cores: 1,
      threads: 1,
    });
  });

  test("capabilities: libvirt's XML for ESX (x86_64 by long mode, host UUID, vpxmigr, hvm guests), then virsh's newline", async () => {
    const r = await run(["capabilities"]);
    assert.is(r.status, 0);
    assert.is(
      r.stdout,
      `<capabilities>

  <host>
    <uuid>${HOST_UUID}</uuid>
    <cpu>
      <arch>x86_64</arch>
    </cpu>
    <power_management/>
    <iommu support='no'/>
    <migration_features>
      <live/>
      <uri_transports>
        <uri_transport>vpxmigr</uri_transport>
      </uri_transports>
    </migration_features>
  </host>

  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'>
      <wordsize>32</wordsize>
      <domain type='vmware'/>
    </arch>
  </guest>

  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <domain type='vmware'/>
    </arch>
  </guest>

</capabilities>

`,
    );
    const j = JSON.parse((await run(["capabilities", "--json"])).stdout) as { hostUuid: string; arch: string; guests: { arch: string }[] };
    assert.equal([j.hostUuid, j.arch, j.guests.map((g) => g.arch)], [HOST_UUID, "x86_64", ["i686", "x86_64"]]);
  });

  test("freecell: hardware.memorySize less quickStats.overallMemoryUsage, as libvirt's nodeGetFreeMemory (not the pool's unreserved memory)", async () => {
    // vcsim's host: 4,294,430,720 bytes (4193780 KiB), 1404 MiB in use; its pool has 984064 KiB unreserved.
    const freeBytes = 4_294_430_720 - 1404 * 1024 * 1024;
    assert.equal(await run(["freecell"]), { status: 0, stdout: `Total: ${freeBytes / 1024} KiB\n`, stderr: "" });
    assert.equal(JSON.parse((await run(["freecell", "--json"])).stdout), { freeBytes, freeKiB: 2_756_084 });
    for (const args of [
      ["freecell", "--all"],
      ["freecell", "--cellno", "0"],
    ]) {
      const r = await run(args, 0);
      assert.equal(
        r,
        {
          status: 1,
          stdout: "",
          stderr:
            "error: this function is not supported by the connection driver: virNodeGetCellsFreeMemory (ESX reports no free memory per NUMA cell)\n",
        },
        args.join(" "),
      );
    }
    const both = await esxvi(sim, ["freecell", "--all", "--cellno", "0"]);
    assert.equal(both, { status: 1, stdout: "", stderr: "error: Options --all and --cellno are mutually exclusive\n" });
  });

  test("sysinfo: SMBIOS-style XML from the host's hardware info", async () => {
    const r = await run(["sysinfo"]);
    assert.is(
      r.stdout,
      `<sysinfo type='smbios'>
  <bios>
    <entry name='version'>6.00</entry>
    <entry name='date'>07/02/2015</entry>
  </bios>
  <system>
    <entry name='manufacturer'>VMware, Inc.</entry>
    <entry name='product'>VMware Virtual Platform</entry>
    <entry name='serial'>VMware-56 4d 8d e8 1e 9f a1 3e-71 fa 13 a8 e1 a7 fd 70</entry>
    <entry name='uuid'>${HOST_UUID}</entry>
  </system>
  <chassis>
    <entry name='asset'>No Asset Tag</entry>
  </chassis>
${`  <processor>
    <entry name='type'>Central Processor</entry>
    <entry name='manufacturer'>intel</entry>
    <entry name='signature'>Type 0, Family 6, Model 45, Stepping 7</entry>
    <entry name='version'>Intel(R) Xeon(R) CPU E5-1620 0 @ 3.60GHz</entry>
    <entry name='external_clock'>115 MHz</entry>
    <entry name='max_speed'>3591 MHz</entry>
  </processor>
`.repeat(2)}  <memory_device>
    <entry name='size'>4095 MB</entry>
  </memory_device>
  <oemStrings>
    <entry>[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]</entry>
    <entry>Welcome to the Virtual Machine</entry>
  </oemStrings>
</sysinfo>
`,
    );
    const j = JSON.parse((await run(["sysinfo", "--json"])).stdout) as { system: Record<string, string>; processors: unknown[] };
    assert.equal([j.system["manufacturer"], j.system["uuid"], j.processors.length], ["VMware, Inc.", HOST_UUID, 2]);
  });

  test("nodememstats: total and free memory from quickStats, virsh's %-7s: %20llu KiB", async () => {
    const r = await run(["nodememstats"]);
    assert.equal(r, { status: 0, stderr: "", stdout: "total  :              4193780 KiB\nfree   :              2756084 KiB\n" });
    assert.equal(JSON.parse((await run(["nodememstats", "--json"])).stdout), { totalKiB: 4193780, freeKiB: 2756084 });
    assert.equal(await run(["nodememstats", "--cell", "-1"]), r);
    const cell = await run(["nodememstats", "--cell", "0"], 0);
    assert.equal(cell, {
      status: 1,
      stdout: "",
      stderr:
        "error: Unable to get memory stats\nerror: Invalid cell number 0: vSphere reports statistics for the whole host only (use no --cell or -1)\n",
    });
  });

  test("nodecpustats: utilization from quickStats (67 of 2 × 2294 MHz), as virsh's --percent lines", async () => {
    const r = await run(["nodecpustats"]);
    assert.equal(r, { status: 0, stderr: "", stdout: "usage:              1%\nidle:              99%\n" });
    assert.equal(await run(["nodecpustats", "--percent"]), r);
    assert.equal(JSON.parse((await run(["nodecpustats", "--json"])).stdout), { utilizationPercent: 1, usageMhz: 67, capacityMhz: 4588 });
    const cpu = await run(["nodecpustats", "--cpu", "1"], 0);
    assert.equal(cpu, {
      status: 1,
      stdout: "",
      stderr:
        "error: Unable to get node cpu stats\nerror: Invalid cpu number 1: vSphere reports statistics for the whole host only (use no --cpu or -1)\n",
    });
    const malformed = await esxvi(sim, ["nodecpustats", "--cpu", "x"]);
    assert.equal(malformed, { status: 1, stdout: "", stderr: "error: Numeric value 'x' for <cpu> option is malformed or out of range\n" });
  });

  test("--help on every host command, exit 0, nothing sent", async () => {
    await sim.control.resetStats();
    for (const c of ["version", "uri", "hostname", "nodeinfo", "capabilities", "freecell", "sysinfo", "nodememstats", "nodecpustats"]) {
      const r = await esxvi(sim, [c, "--help"]);
      assert.is(r.status, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: esxvi ${c} \\[options\\]`), c);
      assert.match(r.stdout, /--json/, c);
    }
    assert.equal(await methodCalls(), {});
  });

  test.run();
}
