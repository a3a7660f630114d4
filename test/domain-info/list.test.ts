/**
 * virsh list on the simulator (ESX model, the five prepared domains of helpers.ts): every
 * filter flag with virsh's flag arithmetic and libvirt's filters, virsh's orders and
 * layouts (table, --uuid/--id/--name lines, --table --uuid/--title columns, -q), --json,
 * the errors virsh gives for exclusive options, --help; and one retrieval per listing.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { methodCalls, prepareDomains } from "./helpers.js";

let sim: Simulator;
let conn: Connection;
let uuids: Record<string, string>;

const HEADER = " Id   Name          State\n";
const RULE_8 = "------------------------------\n";
const RULE_7 = "-----------------------------\n";
const ROW = {
  vm0: " 9    ha-host_VM0   running\n",
  vm2: " 15   ha-host_VM2   paused\n",
  web: " 21   web/app%x     running\n",
  vm1: " -    ha-host_VM1   shut off\n",
  vm3: " -    ha-host_VM3   shut off\n",
};

async function list(...args: string[]): Promise<string> {
  await sim.control.resetStats();
  const r = await esxvi(sim, ["list", ...args]);
  assert.is(r.stderr, "", args.join(" "));
  assert.is(r.status, 0, args.join(" "));
  const calls = await methodCalls(sim);
  // Connect (service content, login, inventory), at most one listing retrieval, Logout.
  assert.ok(
    (calls["RetrievePropertiesEx"] ?? 0) <= 2 && calls["Logout"] === 1 && Object.keys(calls).length <= 4,
    `${args.join(" ")}: ${JSON.stringify(calls)}`,
  );
  return r.stdout;
}

if (requireSimulator("list")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 5 });
    conn = await connectTo(sim);
    await prepareDomains(conn);
    const r = await retrieveDomains(conn, []);
    uuids = Object.fromEntries(r.domains.map((d) => [d.identity.name, d.identity.uuid]));
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("active domains by default, by id; --all adds inactive ones by name; --inactive only those", async () => {
    assert.is(await list(), HEADER + RULE_7 + ROW.vm0 + ROW.vm2 + ROW.web);
    assert.is(await list("--all"), HEADER + RULE_8 + ROW.vm0 + ROW.vm2 + ROW.web + ROW.vm1 + ROW.vm3);
    assert.is(await list("--inactive"), HEADER + RULE_8 + ROW.vm1 + ROW.vm3);
    assert.is(await list("--table"), HEADER + RULE_7 + ROW.vm0 + ROW.vm2 + ROW.web);
  });

  test("state filters with virsh's arithmetic (--state-shutoff switches to inactive domains)", async () => {
    assert.is(await list("--state-running"), HEADER + RULE_7 + ROW.vm0 + ROW.web);
    assert.is(await list("--state-paused"), ` Id   Name          State\n${"-".repeat(28)}\n 15   ha-host_VM2   paused\n`);
    assert.is(await list("--state-shutoff"), HEADER + RULE_8 + ROW.vm1 + ROW.vm3);
    assert.is(await list("--state-running", "--state-shutoff"), HEADER + RULE_8 + ROW.vm1 + ROW.vm3);
    assert.is(await list("--all", "--state-running", "--state-shutoff"), HEADER + RULE_8 + ROW.vm0 + ROW.web + ROW.vm1 + ROW.vm3);
    assert.is(await list("--all", "--state-other"), " Id   Name   State\n--------------------\n");
  });

  test("autostart: the host's defaults enabled and a powerOn entry (any case); --no-autostart the rest", async () => {
    assert.is(await list("--autostart"), HEADER + RULE_7 + ROW.vm0);
    assert.is(await list("--all", "--autostart"), HEADER + RULE_8 + ROW.vm0 + ROW.vm1);
    assert.is(await list("--all", "--no-autostart"), HEADER + RULE_8 + ROW.vm2 + ROW.web + ROW.vm3);
  });

  test("snapshots, persistence, managed save", async () => {
    assert.is(await list("--all", "--with-snapshot"), HEADER + RULE_7 + ROW.vm0);
    assert.is(await list("--all", "--without-snapshot"), HEADER + RULE_8 + ROW.vm2 + ROW.web + ROW.vm1 + ROW.vm3);
    assert.is(await list("--all", "--persistent"), await list("--all"));
    assert.is(await list("--all", "--without-managed-save"), await list("--all"));
    assert.is(await list("--all", "--with-snapshot", "--without-snapshot"), await list("--all"));
    const empty = " Id   Name   State\n--------------------\n";
    await sim.control.resetStats();
    for (const flag of ["--transient", "--with-managed-save"]) {
      const r = await esxvi(sim, ["list", "--all", flag]);
      assert.equal(r, { status: 0, stdout: empty, stderr: "" }, flag);
    }
    // libvirt answers those without asking for the VMs: only connect and Logout.
    assert.equal(await methodCalls(sim), { RetrieveServiceContent: 2, Login: 2, RetrievePropertiesEx: 2, Logout: 2 });
  });

  test("--name, --uuid, --id lines in virsh's order (uuid, id, name); --id alone skips inactive domains", async () => {
    const order = ["ha-host_VM0", "ha-host_VM2", "web/app%x", "ha-host_VM1", "ha-host_VM3"];
    const ids = ["9", "15", "21", "-", "-"];
    assert.is(await list("--all", "--name"), order.map((n) => `${n}\n`).join(""));
    assert.is(await list("--all", "--uuid"), order.map((n) => `${uuids[n]}\n`).join(""));
    assert.is(await list("--all", "--id"), "9\n15\n21\n");
    assert.is(await list("--all", "--id", "--name"), order.map((n, i) => `${ids[i]} ${n}\n`).join(""));
    assert.is(await list("--all", "--uuid", "--id", "--name"), order.map((n, i) => `${uuids[n]} ${ids[i]} ${n}\n`).join(""));
  });

  test("--table --uuid adds a UUID column; --title an (empty) Title column; -q drops the header", async () => {
    const u = (n: string): string => uuids[n] ?? "";
    assert.is(
      await list("--table", "--uuid"),
      ` Id   Name          State     UUID\n${"-".repeat(5 + 14 + 10 + 39)}\n` +
        [" 9    ha-host_VM0   running   ", " 15   ha-host_VM2   paused    ", " 21   web/app%x     running   "]
          .map((row, i) => `${row}${u(["ha-host_VM0", "ha-host_VM2", "web/app%x"][i] ?? "")}\n`)
          .join(""),
    );
    assert.is(
      await list("--title"),
      ` Id   Name          State     Title\n${"-".repeat(5 + 14 + 10 + 8)}\n 9    ha-host_VM0   running   \n 15   ha-host_VM2   paused    \n 21   web/app%x     running   \n`,
    );
    const q = await esxvi(sim, ["-q", "list", "--all"]);
    assert.is(q.stdout, ROW.vm0 + ROW.vm2 + ROW.web + ROW.vm1 + ROW.vm3);
  });

  test("--json: id (null when inactive), name, uuid, state, and the filters' facts", async () => {
    const all = JSON.parse(await list("--all", "--json")) as unknown[];
    assert.equal(all[0], { id: 9, name: "ha-host_VM0", uuid: uuids["ha-host_VM0"], state: "running" });
    assert.equal(all[3], { id: null, name: "ha-host_VM1", uuid: uuids["ha-host_VM1"], state: "shut off" });
    const auto = JSON.parse(await list("--all", "--autostart", "--with-snapshot", "--json")) as unknown[];
    assert.equal(auto, [{ id: 9, name: "ha-host_VM0", uuid: uuids["ha-host_VM0"], state: "running", autostart: true, hasSnapshot: true }]);
  });

  test("exclusive options: virsh's errors, exit 1, nothing sent", async () => {
    await sim.control.resetStats();
    assert.equal(await esxvi(sim, ["list", "--table", "--name"]), {
      status: 1,
      stdout: "",
      stderr: "error: Options --table and --name are mutually exclusive\n",
    });
    assert.equal(await esxvi(sim, ["list", "--table", "--id"]), {
      status: 1,
      stdout: "",
      stderr: "error: Options --table and --id are mutually exclusive\n",
    });
    assert.equal(await methodCalls(sim), {});
    const help = await esxvi(sim, ["list", "--help"]);
    assert.is(help.status, 0);
    for (const flag of [
      "--all",
      "--inactive",
      "--state-running",
      "--state-paused",
      "--state-shutoff",
      "--autostart",
      "--no-autostart",
      "--with-snapshot",
      "--without-snapshot",
      "--name",
      "--uuid",
      "--table",
      "--json",
    ]) {
      assert.ok(help.stdout.includes(flag), flag);
    }
  });

  test.run();
}
