/**
 * Snapshot commands on the simulator (ESX model), end to end through the CLI: a tree built
 * with snapshot-create-as and snapshot-revert, virsh's outputs for every read command
 * (table, tree, roots, leaves, parent column, names, info, dumpxml, current, parent), revert
 * and delete with the server's tree before and after, and the failure paths with their exact
 * messages, error codes and an unchanged server.
 */
import { connectTo } from "../support/connect.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VirtualMachineSnapshotInfo, VirtualMachineSnapshotTree } from "../../generated/index.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { type Connection } from "../../drivers/connection/connection.js";
import { lookupDomain, type DomainHandle } from "../../drivers/domain/lookup.js";
import {
  createSnapshot,
  deleteSnapshot,
  domainSnapshots,
  revertToSnapshot,
  SNAPSHOT_PATHS,
  type DomainSnapshots,
} from "../../drivers/domain/snapshots.js";
import { esxvi, type CliResult } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

/** The domain with its snapshot tree, as the snapshot commands look it up. */
async function withTree(c: Connection, selector: string): Promise<DomainHandle<"snapshot">> {
  return lookupDomain(c, selector, SNAPSHOT_PATHS);
}

async function lookupSnapshots(c: Connection, selector: string): Promise<DomainSnapshots> {
  return domainSnapshots(c, await withTree(c, selector));
}

const VM = "ha-host_VM0";

let sim: Simulator;
let observer: Connection;
let vm: MoRef<"VirtualMachine">;
let uuid: string;
let dir: string;

/** The server's snapshot tree of a VM, read independently: "name(child,child)" with "*" on the current one. */
async function serverTree(ref: MoRef<"VirtualMachine"> = vm): Promise<string> {
  const r = await retrieveOne(observer.primary, ref, ["snapshot"]);
  const info = r.props.snapshot as VirtualMachineSnapshotInfo | undefined;
  const current = info?.currentSnapshot?.value;
  const show = (t: VirtualMachineSnapshotTree): string => {
    const kids = (t.childSnapshotList ?? []).map(show);
    return `${t.name}${t.snapshot.value === current ? "*" : ""}${kids.length > 0 ? `(${kids.join(",")})` : ""}`;
  };
  return (info?.rootSnapshotList ?? []).map(show).join(" ");
}

/** A snapshot's server data by name (depth first). */
async function serverSnapshot(name: string): Promise<VirtualMachineSnapshotTree> {
  const r = await retrieveOne(observer.primary, vm, ["snapshot"]);
  const info = r.props.snapshot as VirtualMachineSnapshotInfo | undefined;
  const walk = (list: readonly VirtualMachineSnapshotTree[]): VirtualMachineSnapshotTree | undefined => {
    for (const t of list) {
      if (t.name === name) return t;
      const found = walk(t.childSnapshotList ?? []);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const found = walk(info?.rootSnapshotList ?? []);
  if (found === undefined) throw new Error(`no snapshot ${name} on the server`);
  return found;
}

/** The server's creation time of a snapshot as snapshot-list shows it (TZ=UTC). */
async function listTime(name: string): Promise<string> {
  return (await serverSnapshot(name)).createTime
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " +0000");
}

async function epoch(name: string): Promise<number> {
  return Math.floor((await serverSnapshot(name)).createTime.getTime() / 1000);
}

function ok(r: CliResult, stdout: string): void {
  assert.is(r.stderr, "");
  assert.is(r.stdout, stdout);
  assert.is(r.status, 0);
}

function fails(r: CliResult, stderr: string): void {
  assert.is(r.stdout, "");
  assert.is(r.stderr, stderr);
  assert.is(r.status, 1);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, EsxviError);
    return (e as EsxviError).code;
  }
  throw new Error("no error");
}

function table(rows: string[][], header = ["Name", "Creation Time", "State"]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i < r.length - 1 ? ` ${c.padEnd((widths[i] ?? 0) + 2)}` : ` ${c}`)).join("") + "\n";
  return line(header) + widths.map((w) => "-".repeat(w + 3)).join("") + "\n" + rows.map(line).join("");
}

if (requireSimulator("domain snapshots")) {
  test.before(async () => {
    process.env["TZ"] = "UTC";
    sim = await startSimulator({ model: "esx" });
    observer = await connectTo(sim);
    const d = await lookupDomain(observer, VM);
    vm = d.identity.ref;
    uuid = d.identity.uuid;
    dir = mkdtempSync(join(tmpdir(), "esxvi-snapshots-"));
  });

  test.after(async () => {
    await observer.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a domain without snapshots lists the header only", async () => {
    ok(await esxvi(sim, ["snapshot-list", VM]), " Name   Creation Time   State\n-------------------------------\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--tree"]), "");
    ok(await esxvi(sim, ["snapshot-list", VM, "--json"]), "[]\n");
    assert.is(await serverTree(), "");
  });

  test("snapshot-create-as and snapshot-revert build a tree on the server", async () => {
    ok(await esxvi(sim, ["snapshot-create-as", VM, "root", "the root"]), "Domain snapshot root created\n");
    assert.is(await serverTree(), "root*");
    ok(await esxvi(sim, ["snapshot-create-as", VM, "--name", "child-a", "--description", "A & <a>"]), "Domain snapshot child-a created\n");
    ok(await esxvi(sim, ["snapshot-create-as", VM, "Leaf1", "--disk-only", "--quiesce"]), "Domain snapshot Leaf1 created\n");
    ok(await esxvi(sim, ["snapshot-revert", VM, "root"]), "Domain snapshot root reverted\n");
    assert.is(await serverTree(), "root*(child-a(Leaf1))");
    ok(await esxvi(sim, ["-q", "snapshot-create-as", VM, "child-b"]), "");
    assert.is(await serverTree(), "root(child-a(Leaf1),child-b*)");
    assert.is((await serverSnapshot("root")).description, "the root");
    assert.is((await serverSnapshot("child-a")).description, "A & <a>");
    assert.is((await serverSnapshot("Leaf1")).state, "poweredOn");
  });

  test("snapshot-list: virsh's table, names compared case-insensitively, local creation time", async () => {
    const rows = [];
    for (const n of ["child-a", "child-b", "Leaf1", "root"]) rows.push([n, await listTime(n), "running"]);
    ok(await esxvi(sim, ["snapshot-list", VM]), table(rows));
    ok(await esxvi(sim, ["-q", "snapshot-list", VM]), table(rows).split("\n").slice(2).join("\n"));
  });

  test("snapshot-list --tree, --roots, --leaves, --no-leaves, --parent, --name, --metadata", async () => {
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--tree"]),
      "root\n  |\n  +- child-a\n  |   |\n  |   +- Leaf1\n  |     \n  +- child-b\n    \n",
    );
    ok(await esxvi(sim, ["snapshot-list", VM, "--roots"]), table([["root", await listTime("root"), "running"]]));
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--leaves"]),
      table([
        ["child-b", await listTime("child-b"), "running"],
        ["Leaf1", await listTime("Leaf1"), "running"],
      ]),
    );
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--no-leaves"]),
      table([
        ["child-a", await listTime("child-a"), "running"],
        ["root", await listTime("root"), "running"],
      ]),
    );
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--parent"]),
      table(
        [
          ["child-a", await listTime("child-a"), "running", "root"],
          ["child-b", await listTime("child-b"), "running", "root"],
          ["Leaf1", await listTime("Leaf1"), "running", "child-a"],
          ["root", await listTime("root"), "running", ""],
        ],
        ["Name", "Creation Time", "State", "Parent"],
      ),
    );
    ok(await esxvi(sim, ["snapshot-list", VM, "--name"]), "child-a\nchild-b\nLeaf1\nroot\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--leaves", "--name"]), "child-b\nLeaf1\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--metadata"]), " Name   Creation Time   State\n-------------------------------\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--no-metadata", "--name"]), "child-a\nchild-b\nLeaf1\nroot\n");
  });

  test("snapshot-list --from / --current: children, --descendants, a tree under the snapshot", async () => {
    ok(await esxvi(sim, ["snapshot-list", VM, "--from", "root", "--name"]), "child-a\nchild-b\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--from", "root", "--descendants", "--name"]), "child-a\nchild-b\nLeaf1\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--from", "root", "--descendants", "--leaves", "--name"]), "child-b\nLeaf1\n");
    ok(await esxvi(sim, ["snapshot-list", VM, "--current", "--name"]), "");
    ok(await esxvi(sim, ["snapshot-list", VM, "--from", "child-a", "--tree"]), "child-a\n  |\n  +- Leaf1\n    \n");
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--from", "root", "--tree"]),
      "root\n  |\n  +- child-a\n  |   |\n  |   +- Leaf1\n  |     \n  +- child-b\n    \n",
    );
    ok(
      await esxvi(sim, ["snapshot-list", VM, "--from", "child-a", "--parent"]),
      table([["Leaf1", await listTime("Leaf1"), "running", "child-a"]], ["Name", "Creation Time", "State", "Parent"]),
    );
    fails(await esxvi(sim, ["snapshot-list", VM, "--descendants"]), "error: --descendants requires either --from or --current\n");
    fails(await esxvi(sim, ["snapshot-list", VM, "--from", "root", "--current"]), "error: --from and --current are mutually exclusive\n");
    fails(
      await esxvi(sim, ["snapshot-list", VM, "--roots", "--from", "root"]),
      "error: Options --roots and --from are mutually exclusive\n",
    );
    fails(
      await esxvi(sim, ["snapshot-list", VM, "--from", "nope"]),
      "error: Domain snapshot not found: Could not find snapshot with name 'nope'\n",
    );
  });

  test("snapshot-list --json", async () => {
    const r = await esxvi(sim, ["snapshot-list", VM, "--roots", "--json"]);
    assert.is(r.status, 0);
    assert.equal(JSON.parse(r.stdout), [
      {
        name: "root",
        description: "the root",
        creationTime: await epoch("root"),
        state: "running",
        parent: null,
        current: false,
        children: 2,
        descendants: 3,
        quiesced: false,
      },
    ]);
  });

  test("snapshot-list refuses virsh's exclusive option pairs before connecting", async () => {
    for (const [args, message] of [
      [["--tree", "--name"], "Options --tree and --name are mutually exclusive"],
      [["--parent", "--roots"], "Options --parent and --roots are mutually exclusive"],
      [["--parent", "--tree"], "Options --parent and --tree are mutually exclusive"],
      [["--roots", "--tree"], "Options --roots and --tree are mutually exclusive"],
      [["--leaves", "--tree"], "--leaves and --tree are mutually exclusive"],
    ] as const) {
      fails(await esxvi(sim, ["snapshot-list", VM, ...args]), `error: ${message}\n`);
    }
  });

  test("snapshot-info: by name and --current", async () => {
    ok(
      await esxvi(sim, ["snapshot-info", VM, "child-a"]),
      "Name:           child-a\nDomain:         ha-host_VM0\nCurrent:        no\nState:          running\nLocation:       internal\nParent:         root\nChildren:       1\nDescendants:    1\nMetadata:       no\n",
    );
    ok(
      await esxvi(sim, ["snapshot-info", VM, "--current"]),
      "Name:           child-b\nDomain:         ha-host_VM0\nCurrent:        yes\nState:          running\nLocation:       internal\nParent:         root\nChildren:       0\nDescendants:    0\nMetadata:       no\n",
    );
    ok(
      await esxvi(sim, ["snapshot-info", VM, "root"]),
      "Name:           root\nDomain:         ha-host_VM0\nCurrent:        no\nState:          running\nLocation:       internal\nParent:         -\nChildren:       2\nDescendants:    3\nMetadata:       no\n",
    );
    const r = await esxvi(sim, ["snapshot-info", VM, "Leaf1", "--json"]);
    assert.equal(JSON.parse(r.stdout), {
      name: "Leaf1",
      domain: VM,
      current: false,
      state: "running",
      location: "internal",
      parent: "child-a",
      children: 0,
      descendants: 0,
      metadata: false,
    });
    fails(await esxvi(sim, ["snapshot-info", VM, "root", "--current"]), "error: --snapshotname and --current are mutually exclusive\n");
    fails(await esxvi(sim, ["snapshot-info", VM]), "error: --snapshotname or --current is required\n");
  });

  test("snapshot-dumpxml, snapshot-current and snapshot-parent", async () => {
    const xml = `<domainsnapshot>\n  <name>child-a</name>\n  <description>A &amp; &lt;a&gt;</description>\n  <state>running</state>\n  <parent>\n    <name>root</name>\n  </parent>\n  <creationTime>${await epoch("child-a")}</creationTime>\n  <domain>\n    <uuid>${uuid}</uuid>\n  </domain>\n</domainsnapshot>\n`;
    ok(await esxvi(sim, ["snapshot-dumpxml", VM, "child-a"]), xml);
    ok(
      await esxvi(sim, ["snapshot-dumpxml", VM, "root"]),
      `<domainsnapshot>\n  <name>root</name>\n  <description>the root</description>\n  <state>running</state>\n  <creationTime>${await epoch("root")}</creationTime>\n  <domain>\n    <uuid>${uuid}</uuid>\n  </domain>\n</domainsnapshot>\n`,
    );
    const current = await esxvi(sim, ["snapshot-current", VM]);
    assert.is(current.stdout, (await esxvi(sim, ["snapshot-dumpxml", VM, "child-b"])).stdout);
    assert.match(
      current.stdout,
      /^<domainsnapshot>\n  <name>child-b<\/name>\n  <description><\/description>\n  <state>running<\/state>\n  <parent>/,
    );
    ok(await esxvi(sim, ["snapshot-current", VM, "--name"]), "child-b\n");
    ok(await esxvi(sim, ["snapshot-parent", VM, "Leaf1"]), "child-a\n");
    ok(await esxvi(sim, ["snapshot-parent", VM, "--current"]), "root\n");
    fails(await esxvi(sim, ["snapshot-parent", VM, "root"]), "error: snapshot 'root' has no parent\n");
    ok(await esxvi(sim, ["snapshot-parent", VM, "root", "--json"]), '{\n  "snapshot": "root",\n  "parent": null\n}\n');
  });

  test("failures: a name the domain has, <disks> in the XML, bad XML, unknown snapshots and domains; nothing changes", async () => {
    const before = await serverTree();
    fails(await esxvi(sim, ["snapshot-create-as", VM, "child-a"]), "error: Snapshot 'child-a' already exists\n");
    assert.is(
      await code(createSnapshot(observer, await withTree(observer, VM), "<domainsnapshot><name>Leaf1</name></domainsnapshot>")),
      "OPERATION_INVALID",
    );

    const disks = join(dir, "disks.xml");
    writeFileSync(disks, "<domainsnapshot><name>with-disks</name><disks><disk name='sda' snapshot='external'/></disks></domainsnapshot>");
    fails(await esxvi(sim, ["snapshot-create", VM, disks]), "error: disk snapshots not supported yet\n");
    fails(
      await esxvi(sim, ["snapshot-create-as", VM, "with-disks", "--diskspec", "sda,snapshot=external"]),
      "error: disk snapshots not supported yet\n",
    );
    // A diskspec is a value, never markup: escaped in the document sent and printed.
    ok(
      await esxvi(sim, ["snapshot-create-as", VM, "s", "--print-xml", "--diskspec", "sda'/><x y='"]),
      "<domainsnapshot>\n  <name>s</name>\n  <disks>\n    <disk name='sda&apos;/&gt;&lt;x y=&apos;'/>\n  </disks>\n</domainsnapshot>\n\n",
    );
    fails(await esxvi(sim, ["snapshot-create-as", VM, "s", "--diskspec", "sda,bogus"]), "error: Unable to parse diskspec: sda,bogus\n");
    assert.is(
      await code(
        createSnapshot(observer, await withTree(observer, VM), "<domainsnapshot><disks><disk name='sda'/></disks></domainsnapshot>"),
      ),
      "CONFIG_UNSUPPORTED",
    );

    const wrongRoot = join(dir, "wrong.xml");
    writeFileSync(wrongRoot, "<domain><name>x</name></domain>");
    fails(
      await esxvi(sim, ["snapshot-create", VM, wrongRoot]),
      "error: XML error: unexpected root element <domain>, expecting <domainsnapshot>\n",
    );
    fails(
      await esxvi(sim, ["snapshot-create", VM, join(dir, "missing.xml")]),
      `error: Failed to open file '${join(dir, "missing.xml")}'\nerror: ENOENT: no such file or directory, open '${join(dir, "missing.xml")}'\n`,
    );

    const notFound = "error: Domain snapshot not found: Could not find snapshot with name 'nope'\n";
    for (const cmd of [
      ["snapshot-info", VM, "nope"],
      ["snapshot-dumpxml", VM, "nope"],
      ["snapshot-parent", VM, "nope"],
      ["snapshot-revert", VM, "nope"],
      ["snapshot-delete", VM, "nope"],
    ]) {
      fails(await esxvi(sim, cmd), notFound);
    }
    assert.is(await code(revertToSnapshot(observer, await withTree(observer, VM), { name: "nope" })), "NO_DOMAIN_SNAPSHOT");
    assert.is(await code(deleteSnapshot(observer, await withTree(observer, VM), { name: "nope" })), "NO_DOMAIN_SNAPSHOT");
    fails(
      await esxvi(sim, ["snapshot-list", "nodom"]),
      "error: failed to get domain 'nodom'\nerror: Domain not found: no domain with name 'nodom'\n",
    );
    fails(
      await esxvi(sim, ["snapshot-create-as", "nodom", "x"]),
      "error: failed to get domain 'nodom'\nerror: Domain not found: no domain with name 'nodom'\n",
    );
    fails(await esxvi(sim, ["snapshot-current", "ha-host_VM1"]), "error: domain 'ha-host_VM1' has no current snapshot\n");
    fails(
      await esxvi(sim, ["snapshot-info", "ha-host_VM1", "--current"]),
      "error: Domain snapshot not found: Domain has no current snapshot\n",
    );
    assert.is(await serverTree(), before);
  });

  test("snapshot-create from an XML file, and an unnamed snapshot named after its creation time", async () => {
    const file = join(dir, "snap.xml");
    writeFileSync(file, "<domainsnapshot>\n  <name>from-file</name>\n  <description>made from XML</description>\n</domainsnapshot>\n");
    ok(await esxvi(sim, ["snapshot-create", VM, file]), `Domain snapshot from-file created from '${file}'\n`);
    assert.is((await serverSnapshot("from-file")).description, "made from XML");
    ok(
      await esxvi(sim, ["snapshot-create-as", VM, "--print-xml", "p<x>", "d"]),
      "<domainsnapshot>\n  <name>p&lt;x&gt;</name>\n  <description>d</description>\n</domainsnapshot>\n\n",
    );
    const from = Math.floor(Date.now() / 1000);
    const r = await esxvi(sim, ["snapshot-create-as", VM]);
    const to = Math.floor(Date.now() / 1000);
    const m = /^Domain snapshot (\d+) created\n$/.exec(r.stdout);
    assert.ok(m !== null, r.stdout);
    const name = m[1] ?? "";
    assert.ok(Number(name) >= from && Number(name) <= to);
    assert.is(await serverTree(), `root(child-a(Leaf1),child-b(from-file(${name}*)))`);
    ok(await esxvi(sim, ["snapshot-delete", VM, "from-file", "--children"]), "Domain snapshot from-file deleted\n");
    assert.is(await serverTree(), "root(child-a(Leaf1),child-b)");
  });

  test("snapshot-revert moves the current snapshot (by name and --current)", async () => {
    ok(await esxvi(sim, ["snapshot-revert", VM, "child-a"]), "Domain snapshot child-a reverted\n");
    assert.is(await serverTree(), "root(child-a*(Leaf1),child-b)");
    ok(await esxvi(sim, ["snapshot-revert", VM, "--current"]), "Domain snapshot child-a reverted\n");
    assert.is(await serverTree(), "root(child-a*(Leaf1),child-b)");
    ok(await esxvi(sim, ["snapshot-current", VM, "--name"]), "child-a\n");
  });

  test("snapshot-delete: --metadata changes nothing, a leaf, then a subtree with --children", async () => {
    ok(await esxvi(sim, ["snapshot-delete", VM, "Leaf1", "--metadata"]), "Domain snapshot Leaf1 deleted\n");
    assert.is(await serverTree(), "root(child-a*(Leaf1),child-b)");
    ok(await esxvi(sim, ["snapshot-delete", VM, "Leaf1"]), "Domain snapshot Leaf1 deleted\n");
    assert.is(await serverTree(), "root(child-a*,child-b)");
    ok(await esxvi(sim, ["snapshot-delete", VM, "--current"]), "Domain snapshot child-a deleted\n");
    assert.is(await serverTree(), "root*(child-b)");
    ok(await esxvi(sim, ["snapshot-delete", VM, "root", "--children"]), "Domain snapshot root deleted\n");
    assert.is(await serverTree(), "");
    ok(await esxvi(sim, ["snapshot-list", VM, "--name"]), "");
  });

  test("SOAP calls: one retrieval to read, lookup + pre-task check + task + wait to create, no pre-task check to revert or delete", async () => {
    const count = async (f: () => Promise<unknown>): Promise<number> => {
      const before = observer.calls;
      await f();
      return observer.calls - before;
    };
    // The task waiter: CreatePropertyCollector, CreateFilter, WaitForUpdatesEx (vcsim's tasks are done at once), DestroyPropertyCollector.
    assert.is(
      await count(async () => createSnapshot(observer, await withTree(observer, VM), "<domainsnapshot><name>c1</name></domainsnapshot>")),
      1 + 1 + 1 + 4,
    );
    assert.is(await count(() => lookupSnapshots(observer, VM)), 1);
    assert.is(await count(() => lookupSnapshots(observer, uuid)), 2);
    assert.is(await count(async () => revertToSnapshot(observer, await withTree(observer, VM), { name: "c1" })), 1 + 1 + 4);
    assert.is(await count(async () => deleteSnapshot(observer, await withTree(observer, VM), { name: "c1" }, { metadataOnly: true })), 1);
    assert.is(await count(async () => deleteSnapshot(observer, await withTree(observer, VM), { current: true })), 1 + 1 + 4);
    assert.is(await serverTree(), "");
  });

  test("--help on every snapshot command", async () => {
    for (const cmd of [
      "snapshot-create-as",
      "snapshot-create",
      "snapshot-list",
      "snapshot-info",
      "snapshot-dumpxml",
      "snapshot-current",
      "snapshot-parent",
      "snapshot-revert",
      "snapshot-delete",
    ]) {
      const r = await esxvi(undefined, [cmd, "--help"]);
      assert.is(r.status, 0, cmd);
      assert.ok(r.stdout.startsWith(`Usage: esxvi ${cmd} [options] <domain>`), r.stdout);
    }
  });
}

test.run();
