/**
 * domcapabilities on the simulator (ESX model; the launcher answers the EnvironmentBrowser's
 * config option queries as an ESXi 6.5 host): libvirt's domain capabilities XML exactly, for
 * the host's default machine type and for older ones (vmx-07: no EFI), --json with every
 * machine type, one retrieval and the three queries, and the refusals of what ESX does not
 * run (virsh's "failed to get emulator capabilities" line first).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;

function xml(machine: string, arch: string, firmware: readonly string[]): string {
  return [
    "<domainCapabilities>",
    "  <path>/bin/vmx</path>",
    "  <domain>vmware</domain>",
    `  <machine>${machine}</machine>`,
    `  <arch>${arch}</arch>`,
    "  <vcpu max='2'/>",
    "  <iothreads supported='no'/>",
    "  <os supported='yes'>",
    "    <enum name='firmware'>",
    ...firmware.map((f) => `      <value>${f}</value>`),
    "    </enum>",
    "    <loader supported='no'/>",
    "  </os>",
    "  <cpu>",
    "    <mode name='host-passthrough' supported='no'/>",
    "    <mode name='maximum' supported='no'/>",
    "    <mode name='host-model' supported='no'/>",
    "    <mode name='custom' supported='no'/>",
    "  </cpu>",
    "  <memoryBacking supported='no'/>",
    "  <devices>",
    "    <disk supported='yes'>",
    "      <enum name='diskDevice'>",
    "        <value>disk</value>",
    "        <value>cdrom</value>",
    "        <value>floppy</value>",
    "      </enum>",
    "      <enum name='bus'>",
    "        <value>ide</value>",
    "        <value>fdc</value>",
    "        <value>scsi</value>",
    "      </enum>",
    "    </disk>",
    "    <graphics supported='yes'>",
    "      <enum name='type'>",
    "        <value>vnc</value>",
    "      </enum>",
    "    </graphics>",
    "    <video supported='yes'>",
    "      <enum name='modelType'>",
    "        <value>vmvga</value>",
    "      </enum>",
    "    </video>",
    "    <hostdev supported='no'/>",
    "    <rng supported='no'/>",
    "    <filesystem supported='no'/>",
    "    <tpm supported='no'/>",
    "  </devices>",
    "  <features>",
    "    <gic supported='no'/>",
    "    <vmcoreinfo supported='no'/>",
    "    <genid supported='no'/>",
    "    <backingStoreInput supported='no'/>",
    "    <backup supported='no'/>",
    "    <sev supported='no'/>",
    "  </features>",
    "</domainCapabilities>",
    "",
    "",
  ].join("\n");
}

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

function fails(r: { status: number; stdout: string; stderr: string }, message: string): void {
  assert.equal(r, { status: 1, stdout: "", stderr: `error: failed to get emulator capabilities\nerror: ${message}\n` });
}

if (requireSimulator("domcapabilities")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("the host's default machine type (vmx-13): libvirt's XML; one retrieval and the three config queries", async () => {
    await sim.control.resetStats();
    const r = await esxvi(sim, ["domcapabilities"]);
    assert.equal(r, { status: 0, stderr: "", stdout: xml("vmx-13", "x86_64", ["bios", "efi"]) });
    assert.equal(await methodCalls(), {
      RetrieveServiceContent: 1,
      Login: 1,
      RetrievePropertiesEx: 2,
      QueryConfigOptionDescriptor: 1,
      QueryConfigOptionEx: 1,
      QueryConfigTarget: 1,
      Logout: 1,
    });
    assert.equal(await esxvi(sim, ["domcapabilities", "--virttype", "vmware", "--emulatorbin", "/bin/vmx", "--arch", "x86_64"]), r);
    assert.equal(await esxvi(sim, ["domcapabilities", "--machine", "vmx-13"]), r);
  });

  test("--machine vmx-07 (BIOS only) and --machine vmx-10, --arch i686", async () => {
    assert.equal(await esxvi(sim, ["domcapabilities", "--machine", "vmx-07", "--arch", "i686"]), {
      status: 0,
      stderr: "",
      stdout: xml("vmx-07", "i686", ["bios"]),
    });
    assert.equal(await esxvi(sim, ["domcapabilities", "--machine", "vmx-10"]), {
      status: 0,
      stderr: "",
      stdout: xml("vmx-10", "x86_64", ["bios", "efi"]),
    });
  });

  test("--json: the same facts and every machine type of the host", async () => {
    const r = await esxvi(sim, ["domcapabilities", "--json"]);
    assert.is(r.status, 0, r.stderr);
    const machine = (name: string, description: string, create = true, isDefault = false) => ({
      name,
      description,
      default: isDefault,
      createSupported: create,
    });
    assert.equal(JSON.parse(r.stdout), {
      path: "/bin/vmx",
      domain: "vmware",
      machine: "vmx-13",
      arch: "x86_64",
      vcpuMax: 2,
      firmware: ["bios", "efi"],
      diskDevices: ["disk", "cdrom", "floppy"],
      diskBuses: ["ide", "fdc", "scsi"],
      videoModels: ["vmvga"],
      graphicsTypes: ["vnc"],
      machines: [
        machine("vmx-04", "ESX 3.x virtual machine", false),
        machine("vmx-07", "ESX/ESXi 4.x virtual machine"),
        machine("vmx-08", "ESXi 5.0 virtual machine"),
        machine("vmx-09", "ESXi 5.1 virtual machine"),
        machine("vmx-10", "ESXi 5.5 virtual machine"),
        machine("vmx-11", "ESXi 6.0 virtual machine"),
        machine("vmx-13", "ESXi 6.5 virtual machine", true, true),
      ],
    });
  });

  test("what ESX does not run is refused; unknown names as libvirt reports them", async () => {
    await sim.control.resetStats();
    fails(
      await esxvi(sim, ["domcapabilities", "--virttype", "kvm"]),
      "invalid argument: virttype 'kvm' is not supported by the ESX driver, only 'vmware'",
    );
    fails(await esxvi(sim, ["domcapabilities", "--virttype", "bogus"]), "invalid argument: unknown virttype: bogus");
    fails(await esxvi(sim, ["domcapabilities", "--arch", "sparc9"]), "invalid argument: unknown architecture: sparc9");
    fails(
      await esxvi(sim, ["domcapabilities", "--emulatorbin", "/usr/bin/qemu-system-x86_64"]),
      "invalid argument: emulator binary '/usr/bin/qemu-system-x86_64' is not the host's ('/bin/vmx')",
    );
    // Checked before any call to the host.
    assert.is((await methodCalls())["RetrievePropertiesEx"], 4);
    fails(await esxvi(sim, ["domcapabilities", "--arch", "aarch64"]), "invalid argument: the host does not run 'aarch64' guests");
    fails(
      await esxvi(sim, ["domcapabilities", "--machine", "pc-i440fx-7.2"]),
      "invalid argument: the host has no machine type 'pc-i440fx-7.2' (it runs vmx-04, vmx-07, vmx-08, vmx-09, vmx-10, vmx-11, vmx-13)",
    );
  });

  test("domcapabilities --help and help domcapabilities", async () => {
    const r = await esxvi(undefined, ["domcapabilities", "--help"]);
    assert.is(r.status, 0);
    assert.ok(r.stdout.startsWith("Usage: esxvi domcapabilities [options]"), r.stdout);
    const h = await esxvi(undefined, ["help", "domcapabilities"]);
    assert.is(h.status, 0, h.stderr);
    assert.ok(
      h.stdout.includes(
        "  SYNOPSIS\n    domcapabilities [--virttype <virttype>] [--emulatorbin <emulatorbin>] [--arch <arch>] [--machine <machine>] [--json]\n",
      ),
      h.stdout,
    );
    assert.ok((await esxvi(undefined, ["help", "host"])).stdout.includes("    domcapabilities "));
  });
}

test.run();
