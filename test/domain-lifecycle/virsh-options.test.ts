/**
 * virsh's options that libvirt's ESX driver refuses or that vSphere allows beyond it, on the
 * simulator (ESX model): start --paused, destroy --graceful and shutdown/reboot --mode other
 * than agent refused with libvirt's unsupported-flags error after the lookup (server
 * unchanged); --mode agent is what ESX does; setmaxmem on a running domain through memory
 * hot add (upwards, within hotPlugMemoryLimit), refused as libvirt when hot add is off;
 * snapshot-create --halt and --live; snapshot-current NAME and a changed snapshot-edit
 * refused as libvirt (no redefine on ESX), an unchanged edit accepted.
 */
import { writeFileSync, mkdtempSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainLifecycle } from "../../drivers/domain/lifecycle.js";
import { domainSnapshots, SNAPSHOT_PATHS, type DomainSnapshots } from "../../drivers/domain/snapshots.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connectTo } from "../support/connect.js";
import { prop, reconfigure, serverState, vmOf } from "./helpers.js";

const VM0 = "ha-host_VM0";
const VM1 = "ha-host_VM1";
let sim: Simulator;
let conn: Connection;
const dir = mkdtempSync(join(tmpdir(), "esxvi-options-"));

async function lookupSnapshots(c: Connection, selector: string): Promise<DomainSnapshots> {
  return domainSnapshots(c, await lookupDomain(c, selector, SNAPSHOT_PATHS));
}

function flagsError(fn: string, flags: number): string {
  return `invalid argument: unsupported flags (0x${flags.toString(16)}) in function ${fn}`;
}

/** A refused command: exit 1, exactly these error lines, nothing changed on the server. */
async function refused(args: readonly string[], ...lines: string[]): Promise<void> {
  const before = await serverState(conn);
  const r = await esxvi(sim, args);
  assert.equal(r, { status: 1, stdout: "", stderr: lines.map((l) => `error: ${l}\n`).join("") }, args.join(" "));
  assert.equal(await serverState(conn), before, args.join(" "));
}

async function powerState(name: string): Promise<unknown> {
  return prop(await serverState(conn), name, "runtime.powerState");
}

if (requireSimulator("virsh options on ESX")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("start --paused, destroy --graceful, shutdown/reboot --mode acpi|initctl|signal|paravirt: libvirt's flags error", async () => {
    await domainLifecycle(conn, "destroy", await lookupDomain(conn, VM1));
    await refused(["start", "--paused", VM1], `Failed to start domain '${VM1}'`, flagsError("esxDomainCreateWithFlags", 1));
    await refused(["destroy", "--graceful", VM0], `Failed to destroy domain '${VM0}'`, flagsError("esxDomainDestroyFlags", 1));
    await refused(["shutdown", "--mode", "acpi", VM0], `Failed to shutdown domain '${VM0}'`, flagsError("esxDomainShutdownFlags", 1));
    await refused(
      ["shutdown", "--mode", "agent,signal", VM0],
      `Failed to shutdown domain '${VM0}'`,
      flagsError("esxDomainShutdownFlags", 8),
    );
    await refused(["reboot", "--mode", "paravirt", VM0], `Failed to reboot domain '${VM0}'`, flagsError("esxDomainReboot", 16));
    await refused(
      ["shutdown", "--mode", "agent,bogus", VM0],
      "Unknown mode agent,bogus value, expecting 'acpi', 'agent', 'initctl', 'signal' or 'paravirt'",
    );
    // An unknown domain is reported first, as virsh looks the domain up before the call.
    await refused(["start", "--paused", "nosuch"], "failed to get domain 'nosuch'", "Domain not found: no domain with name 'nosuch'");
    assert.is(await powerState(VM1), "poweredOff");
  });

  test("shutdown and reboot --mode agent: VMware Tools' guest operations, as without --mode", async () => {
    await sim.control.resetStats();
    assert.equal(await esxvi(sim, ["reboot", "--mode", "agent", VM0]), {
      status: 0,
      stdout: `Domain '${VM0}' is being rebooted\n`,
      stderr: "",
    });
    assert.equal(await esxvi(sim, ["shutdown", "--mode", "agent", VM0]), {
      status: 0,
      stdout: `Domain '${VM0}' is being shutdown\n`,
      stderr: "",
    });
    const calls = (await sim.control.stats()).byMethod;
    assert.equal([calls["RebootGuest"]?.calls, calls["ShutdownGuest"]?.calls], [1, 1]);
    assert.is(await powerState(VM0), "poweredOff");
    await domainLifecycle(conn, "start", await lookupDomain(conn, VM0));
  });

  test("setmaxmem on a running domain: through memory hot add (grows, within its limit), else libvirt's refusal", async () => {
    const vm = vmOf(await serverState(conn), VM0).ref;
    await refused(["setmaxmem", VM0, "64M"], `Unable to change MaxMemorySize of domain '${VM0}'`, "Domain is not powered off");
    await reconfigure(conn, vm, { memoryHotAddEnabled: true });
    assert.equal(await esxvi(sim, ["setmaxmem", VM0, "65000"]), { status: 0, stdout: "", stderr: "" });
    assert.is(prop(await serverState(conn), VM0, "config.hardware.memoryMB"), 64);
    assert.is(await powerState(VM0), "poweredOn");
    await refused(
      ["setmaxmem", VM0, "32M"],
      `Unable to change MaxMemorySize of domain '${VM0}'`,
      "Memory hot add cannot shrink a running domain: 32 MiB is below its 64 MiB",
    );
    await refused(
      ["setmaxmem", VM0, "--config", "128M"],
      `Unable to change MaxMemorySize of domain '${VM0}'`,
      "vSphere applies this setting to the running domain too: use --live (with or without --config), or power the domain off to change its configuration only",
    );
    assert.equal(await esxvi(sim, ["setmaxmem", VM0, "--live", "--config", "128M"]), { status: 0, stdout: "", stderr: "" });
    assert.is(prop(await serverState(conn), VM0, "config.hardware.memoryMB"), 128);
    await reconfigure(conn, vm, { memoryHotAddEnabled: false });
  });

  test("snapshot-create-as --halt powers the domain off after the snapshot; --live is accepted", async () => {
    assert.equal(await esxvi(sim, ["snapshot-create-as", VM0, "live-one", "--live"]), {
      status: 0,
      stdout: "Domain snapshot live-one created\n",
      stderr: "",
    });
    assert.is(await powerState(VM0), "poweredOn");
    assert.equal(await esxvi(sim, ["snapshot-create-as", VM0, "halted", "--halt"]), {
      status: 0,
      stdout: "Domain snapshot halted created\n",
      stderr: "",
    });
    assert.is(await powerState(VM0), "poweredOff");
    const { tree } = await lookupSnapshots(conn, VM0);
    assert.equal(
      tree.all.map((n) => [n.name, n.state]),
      [
        ["live-one", "running"],
        ["halted", "running"],
      ],
    );
    await domainLifecycle(conn, "start", await lookupDomain(conn, VM0));
  });

  test("snapshot-current NAME and a changed snapshot-edit: libvirt's refusal (no redefine); an unchanged edit is fine", async () => {
    await refused(["snapshot-current", VM0, "live-one"], flagsError("esxDomainSnapshotCreateXML", 3));
    await refused(["snapshot-current", VM0, "nosuch"], "Domain snapshot not found: Could not find snapshot with name 'nosuch'");
    await refused(["snapshot-current", "--name", VM0, "live-one"], "Options --name and --snapshotname are mutually exclusive");

    const same = join(dir, "same.sh");
    writeFileSync(same, '#!/bin/sh\ntouch "$1"\n');
    const change = join(dir, "change.sh");
    writeFileSync(change, "#!/bin/sh\nsed -i 's/live-one/renamed/' \"$1\"\n");
    chmodSync(same, 0o755);
    chmodSync(change, 0o755);
    assert.equal(await esxvi(sim, ["snapshot-edit", VM0, "live-one"], { env: { EDITOR: same } }), {
      status: 0,
      stdout: "Snapshot live-one XML configuration not changed.\n",
      stderr: "",
    });
    const before = await serverState(conn);
    assert.equal(await esxvi(sim, ["snapshot-edit", VM0, "live-one"], { env: { EDITOR: change } }), {
      status: 1,
      stdout: "",
      stderr: `error: ${flagsError("esxDomainSnapshotCreateXML", 1)}\n`,
    });
    assert.equal(await esxvi(sim, ["snapshot-edit", VM0, "live-one", "--current"], { env: { VISUAL: change, EDITOR: same } }), {
      status: 1,
      stdout: "",
      stderr: `error: ${flagsError("esxDomainSnapshotCreateXML", 3)}\n`,
    });
    assert.equal(await serverState(conn), before);
    assert.equal(
      (await lookupSnapshots(conn, VM0)).tree.all.map((n) => n.name),
      ["live-one", "halted"],
    );
    await refused(["snapshot-edit", "--rename", "--clone", VM0], "Options --rename and --clone are mutually exclusive");
  });

  test.run();
}
