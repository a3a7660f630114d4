/**
 * Domain information commands on the simulator (ESX model, the five prepared domains of
 * helpers.ts), virsh's exact layouts and errors: lookups by id, UUID and name as each of
 * domuuid / domid / domname accepts them (names percent-unescaped), dominfo, domstate with
 * vSphere's reason, vcpucount (the VM's own counts), dommemstat (quickStats), domhostname
 * and domifaddr (VMware Tools' guest facts), domblklist and domiflist (the domain XML's devices); the
 * SOAP calls (one retrieval after connecting, FindByUuid too for a UUID; the device
 * lists too: the VM's .vmx path, then the .vmx over HTTP); --json and --help.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import type { GuestNicInfo } from "../../generated/index.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { methodCalls, prepareDomains, RENAMED, RENAMED_DOMAIN } from "./helpers.js";

let sim: Simulator;
let conn: Connection;
let uuid: Record<string, string>;
let devices: Record<string, unknown[]>;
let guestNet: Record<string, GuestNicInfo[]>;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command and checks its SOAP calls: connect, `retrievals` more (+ FindByUuid), Logout. */
async function run(args: readonly string[], opts: { retrievals?: number; findByUuid?: boolean } = {}): Promise<Run> {
  await sim.control.resetStats();
  const r = await esxvi(sim, args);
  const want: Record<string, number> = { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 1 + (opts.retrievals ?? 1), Logout: 1 };
  if (opts.findByUuid === true) want["FindByUuid"] = 1;
  assert.equal(await methodCalls(sim), want, args.join(" "));
  return r;
}

function ok(stdout: string): Run {
  return { status: 0, stdout, stderr: "" };
}

function failed(...lines: string[]): Run {
  return { status: 1, stdout: "", stderr: lines.map((l) => `error: ${l}\n`).join("") };
}

function u(name: string): string {
  const v = uuid[name];
  if (v === undefined) throw new Error(`no uuid for ${name}`);
  return v;
}

if (requireSimulator("domain information")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 5 });
    conn = await connectTo(sim);
    await prepareDomains(conn);
    const r = await retrieveDomains(conn, ["config.hardware.device", "guest.net"]);
    uuid = Object.fromEntries(r.domains.map((d) => [d.identity.name, d.identity.uuid]));
    devices = Object.fromEntries(r.domains.map((d) => [d.identity.name, d.props["config.hardware.device"] as unknown[]]));
    guestNet = Object.fromEntries(r.domains.map((d) => [d.identity.name, (d.props["guest.net"] as GuestNicInfo[] | undefined) ?? []]));
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("dominfo: virsh's %-15s block for a running and a shut-off domain, one retrieval", async () => {
    const block = (id: string, name: string, state: string): string =>
      [
        `Id:             ${id}`,
        `Name:           ${name}`,
        `UUID:           ${u(name)}`,
        "OS Type:        hvm",
        `State:          ${state}`,
        "CPU(s):         1",
        "Max memory:     32768 KiB",
        "Used memory:    32768 KiB",
        "Persistent:     yes",
        "Autostart:      enable",
        "Managed save:   no",
        "",
      ].join("\n");
    assert.equal(await run(["dominfo", "ha-host_VM0"]), ok(block("9", "ha-host_VM0", "running")));
    assert.equal(await run(["dominfo", "ha-host_VM1"]), ok(block("-", "ha-host_VM1", "shut off")));
    assert.equal(await run(["dominfo", "9"]), ok(block("9", "ha-host_VM0", "running")));
    assert.equal(await run(["dominfo", u("ha-host_VM1")], { findByUuid: true }), ok(block("-", "ha-host_VM1", "shut off")));
    const j = JSON.parse((await run(["dominfo", "--json", "ha-host_VM2"])).stdout) as Record<string, unknown>;
    assert.equal(j, {
      id: 15,
      name: "ha-host_VM2",
      uuid: u("ha-host_VM2"),
      osType: "hvm",
      state: "paused",
      vcpus: 1,
      maxMemoryKiB: 32768,
      usedMemoryKiB: 32768,
      persistent: true,
      autostart: false,
      managedSave: false,
    });
  });

  test("lookups: names are compared unescaped; an inactive domain has no id; unknown domains", async () => {
    const renamed = await run(["domuuid", RENAMED_DOMAIN]);
    assert.equal(renamed, ok(`${u(RENAMED_DOMAIN)}\n`));
    assert.equal(
      await run(["domuuid", RENAMED]),
      failed(`failed to get domain '${RENAMED}'`, `Domain not found: no domain with name '${RENAMED}'`),
    );
    assert.equal(await run(["dominfo", "12"]), failed("failed to get domain '12'", "Domain not found: no domain with ID or name '12'"));
    assert.equal(await run(["dominfo", "nope"]), failed("failed to get domain 'nope'", "Domain not found: no domain with name 'nope'"));
    const unknownUuid = "12345678-1234-1234-1234-123456789abc";
    assert.equal(
      await run(["dominfo", unknownUuid], { findByUuid: true }),
      failed(`failed to get domain '${unknownUuid}'`, `Domain not found: no domain with UUID or name '${unknownUuid}'`),
    );
  });

  test("domuuid (by id or name), domid (by name or UUID), domname (by id or UUID), as virsh accepts them", async () => {
    assert.equal(await run(["domuuid", "9"]), ok(`${u("ha-host_VM0")}\n`));
    assert.equal(await run(["domuuid", "ha-host_VM1"]), ok(`${u("ha-host_VM1")}\n`));
    assert.equal(await run(["domid", "ha-host_VM0"]), ok("9\n"));
    assert.equal(await run(["domid", "ha-host_VM1"]), ok("-\n"));
    assert.equal(await run(["domid", u("ha-host_VM2")], { findByUuid: true }), ok("15\n"));
    assert.equal(await run(["domname", "21"]), ok(`${RENAMED_DOMAIN}\n`));
    assert.equal(await run(["domname", u("ha-host_VM3")], { findByUuid: true, retrievals: 1 }), ok("ha-host_VM3\n"));
    // What each command does not accept is not tried.
    assert.equal(await run(["domid", "9"]), failed("failed to get domain '9'", "Domain not found: no domain with name '9'"));
    assert.equal(
      await run(["domname", "ha-host_VM0"], { retrievals: 0 }),
      failed("failed to get domain 'ha-host_VM0'", "Domain not found: no domain with ID or UUID 'ha-host_VM0'"),
    );
    assert.equal(
      await run(["domuuid", u("ha-host_VM0")]),
      failed(`failed to get domain '${u("ha-host_VM0")}'`, `Domain not found: no domain with name '${u("ha-host_VM0")}'`),
    );
    assert.equal(JSON.parse((await run(["domid", "--json", "ha-host_VM1"])).stdout), {
      id: null,
      name: "ha-host_VM1",
      uuid: u("ha-host_VM1"),
    });
  });

  test("domstate, with vSphere's reason: a guest shutdown, a hard power-off, otherwise unknown", async () => {
    const cases: [string, string][] = [
      ["ha-host_VM0", "running (unknown)"],
      ["ha-host_VM1", "shut off (destroyed)"],
      ["ha-host_VM2", "paused (unknown)"],
      ["ha-host_VM3", "shut off (shutdown)"],
    ];
    for (const [name, state] of cases) {
      assert.equal(await run(["domstate", name]), ok(`${state.replace(/ \(.*\)$/, "")}\n`), name);
      assert.equal(await run(["domstate", "--reason", name]), ok(`${state}\n`), name);
    }
    assert.equal(JSON.parse((await run(["domstate", "--json", "ha-host_VM3"])).stdout), { state: "shut off", reason: "shutdown" });
  });

  test("vcpucount: the VM's own count; live lines only while active; virsh's option rules", async () => {
    const four =
      "maximum      config         1\nmaximum      live           1\ncurrent      config         1\ncurrent      live           1\n";
    assert.equal(await run(["vcpucount", "ha-host_VM0"]), ok(four));
    assert.equal(await run(["vcpucount", "ha-host_VM1"]), ok("maximum      config         1\ncurrent      config         1\n"));
    assert.equal(await run(["vcpucount", "--maximum", "--config", "ha-host_VM1"]), ok("1\n"));
    assert.equal(await run(["vcpucount", "--current", "ha-host_VM0"]), ok("1\n"));
    assert.equal(await run(["vcpucount", "--live", "ha-host_VM1"]), failed("domain is not running"));
    assert.equal(
      await run(["vcpucount", "--guest", "ha-host_VM0"]),
      failed("Failed to retrieve vCPU count from the guest: ESX does not report it"),
    );
    await sim.control.resetStats();
    assert.equal(
      await esxvi(sim, ["vcpucount", "--live", "--config", "ha-host_VM0"]),
      failed("Options --live and --config are mutually exclusive"),
    );
    assert.equal(
      await esxvi(sim, ["vcpucount", "--active", "--maximum", "ha-host_VM0"]),
      failed("Options --active and --maximum are mutually exclusive"),
    );
    assert.equal(await methodCalls(sim), {});
    assert.equal(JSON.parse((await run(["vcpucount", "--json", "ha-host_VM1"])).stdout), { maximumConfig: 1, currentConfig: 1 });
  });

  test("dommemstat: quickStats of a running domain in KiB, virsh's tag lines; refused otherwise", async () => {
    // vcsim VMs have 32 MiB; the launcher reports a quarter active and half consumed.
    assert.equal(await run(["dommemstat", "ha-host_VM0"]), ok("unused 24576\navailable 32768\nactual 32768\nrss 16384\n"));
    assert.equal(
      await run(["dommemstat", "ha-host_VM1"]),
      failed("Failed to get memory statistics for domain ha-host_VM1", "domain is not running"),
    );
    assert.equal(
      await run(["dommemstat", "ha-host_VM2"]),
      failed("Failed to get memory statistics for domain ha-host_VM2", "domain is not running"),
    );
    assert.equal(
      await run(["dommemstat", "--period", "5", "ha-host_VM0"]),
      failed(
        "Failed to get memory statistics for domain ha-host_VM0",
        "this function is not supported by the connection driver: virDomainSetMemoryStatsPeriod",
      ),
    );
    const j = JSON.parse((await run(["dommemstat", "--json", RENAMED_DOMAIN])).stdout) as Record<string, unknown>;
    assert.equal(j, {
      unused: 24576,
      available: 32768,
      actual: 32768,
      rss: 16384,
      quickStatsMiB: { guestMemoryUsage: 8, hostMemoryUsage: 16, privateMemory: 16, grantedMemory: 32, consumedOverheadMemory: 20 },
    });
  });

  test("domhostname: guest.hostName; libvirt's errors without VMware Tools or power", async () => {
    assert.equal(await run(["domhostname", RENAMED_DOMAIN]), ok("web01\n"));
    assert.equal(JSON.parse((await run(["domhostname", "--json", RENAMED_DOMAIN])).stdout), { hostname: "web01" });
    assert.equal(
      await run(["domhostname", "ha-host_VM0"]),
      failed("failed to get hostname", "hostname could not be determined, missing VMware Tools?"),
    );
    assert.equal(await run(["domhostname", "ha-host_VM1"]), failed("failed to get hostname", "Domain is not powered on"));
  });

  test("domifaddr: guest.net as libvirt reads it (network name, MAC, legacy address with prefix 0)", async () => {
    const nic = guestNet[RENAMED_DOMAIN]?.[0];
    const mac = nic?.macAddress ?? "";
    const head =
      " Name       MAC address          Protocol     Address\n-------------------------------------------------------------------------------\n";
    assert.equal(await run(["domifaddr", RENAMED_DOMAIN]), ok(`${head} VM Network ${mac}    ipv4         10.0.0.42/0\n`));
    assert.equal(
      await run(["domifaddr", "--source", "agent", "--full", RENAMED_DOMAIN, "VM Network"]),
      ok(`${head} VM Network ${mac}    ipv4         10.0.0.42/0\n`),
    );
    assert.equal(await run(["domifaddr", "--interface", "other", RENAMED_DOMAIN]), ok(head));
    const vm0mac = guestNet["ha-host_VM0"]?.[0]?.macAddress ?? "";
    assert.equal(await run(["domifaddr", "ha-host_VM0"]), ok(`${head} VM Network ${vm0mac}    N/A          N/A\n`));
    assert.equal(JSON.parse((await run(["domifaddr", "--json", RENAMED_DOMAIN])).stdout), [
      { name: "VM Network", hwaddr: mac, addresses: [{ type: "ipv4", address: "10.0.0.42", prefix: 0 }] },
    ]);
    assert.equal(await run(["domifaddr", "ha-host_VM1"]), failed("Failed to query for interfaces addresses", "Domain is not powered on"));
    assert.equal(
      await run(["domifaddr", "--source", "lease", RENAMED_DOMAIN]),
      failed(
        "Failed to query for interfaces addresses",
        "Unknown IP address data source 0: ESX reports guest addresses through VMware Tools only (source 'agent')",
      ),
    );
    await sim.control.resetStats();
    assert.equal(await esxvi(sim, ["domifaddr", "--source", "dhcp", RENAMED_DOMAIN]), failed("Unknown data source 'dhcp'"));
    assert.equal(await methodCalls(sim), {});
  });

  test("domblklist and domiflist: virsh's tables from the domain's own XML (dumpxml's disks and interfaces, in its order)", async () => {
    const devs = (devices["ha-host_VM0"] ?? []) as { _typeName: string; macAddress?: string }[];
    const mac = devs.find((d) => d._typeName === "VirtualE1000")?.macAddress ?? "";
    const disk = "[LocalDS_0] ha-host_VM0/disk1.vmdk";
    // The domain XML's disks: what virsh reads with its XPaths (target dev, first source attribute).
    const xml = (await esxvi(sim, ["dumpxml", "ha-host_VM0"])).stdout;
    const xmlDisks = [...xml.matchAll(/<disk type='(\w+)' device='(\w+)'>([\s\S]*?)<\/disk>/g)].map((m) => {
      const body = m[3] ?? "";
      const source = /<source (?:file|dev)='([^']*)'/.exec(body)?.[1] ?? "-";
      return [m[1], m[2], /<target dev='(\w+)'/.exec(body)?.[1], source].join(" ");
    });
    // vcsim reports the model VMs' CD-ROM on SCSI 0:0 next to the disk; the .vmx has it on IDE 1:0.
    assert.equal(xmlDisks, [`file disk sda ${disk}`, "block cdrom hdc -"]);
    const runs = { retrievals: 1 };
    assert.equal(
      await run(["domblklist", "ha-host_VM0"], runs),
      ok(` Target   Source\n${"-".repeat(9 + disk.length + 3)}\n sda      ${disk}\n hdc      -\n`),
    );
    assert.equal(
      await run(["domblklist", "--details", "--inactive", "ha-host_VM0"], runs),
      ok(
        ` Type    Device   Target   Source\n${"-".repeat(8 + 9 + 9 + disk.length + 3)}\n file    disk     sda      ${disk}\n block   cdrom    hdc      -\n`,
      ),
    );
    const rows = (await run(["domblklist", "--details", "ha-host_VM0"], runs)).stdout.split("\n").slice(2, -1);
    assert.equal(
      rows.map((r) => r.trim().split(/\s+/).join(" ")),
      xmlDisks,
    );
    assert.equal(JSON.parse((await run(["domblklist", "--json", "ha-host_VM0"], runs)).stdout), [
      { type: "file", device: "disk", bus: "scsi", target: "sda", source: disk },
      { type: "block", device: "cdrom", bus: "ide", target: "hdc", source: null },
    ]);
    assert.ok(xml.includes(`<mac address='${mac}' type='generated'/>\n      <source bridge='VM Network'/>\n      <model type='e1000'/>`));
    assert.equal(
      await run(["domiflist", "ha-host_VM0"], runs),
      ok(
        ` Interface   Type     Source       Model   MAC\n${"-".repeat(12 + 9 + 13 + 8 + mac.length + 3)}\n -           bridge   VM Network   e1000   ${mac}\n`,
      ),
    );
    assert.equal(JSON.parse((await run(["domiflist", "--json", "ha-host_VM0"], runs)).stdout), [
      { interface: null, type: "bridge", source: "VM Network", model: "e1000", mac },
    ]);
  });

  test("--help on every domain information command names its options, exit 0, nothing sent", async () => {
    await sim.control.resetStats();
    const commands: Record<string, string[]> = {
      dominfo: ["--json"],
      domstate: ["--reason", "--json"],
      domuuid: ["--json"],
      domid: ["--json"],
      domname: ["--json"],
      domhostname: ["--source", "--json"],
      domifaddr: ["--interface", "--full", "--source", "--json"],
      domblklist: ["--inactive", "--details", "--json"],
      domiflist: ["--inactive", "--json"],
      vcpucount: ["--maximum", "--active", "--live", "--config", "--current", "--guest", "--json"],
      dommemstat: ["--period", "--config", "--live", "--current", "--json"],
    };
    for (const [command, flags] of Object.entries(commands)) {
      const r = await esxvi(sim, [command, "--help"]);
      assert.is(r.status, 0, command);
      assert.match(r.stdout, new RegExp(`^Usage: esxvi ${command} \\[options\\] <domain>`), command);
      for (const f of flags) assert.ok(r.stdout.includes(f), `${command} ${f}`);
    }
    assert.equal(await methodCalls(sim), {});
  });

  test.run();
}
