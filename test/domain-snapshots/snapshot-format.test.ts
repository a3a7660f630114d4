/**
 * Snapshot XML and layouts without a server: libvirt's parse rules for snapshot-create
 * (root element, unnamed snapshots named after the creation time, empty elements, <disks>),
 * virsh's snapshot-create-as document, libvirt's snapshot XML, the snapshot tree and its
 * filters in virsh's order, vshTreePrint's layout and snapshot-list's time format.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { VirtualMachineSnapshotInfo, VirtualMachineSnapshotTree } from "../../generated/index.js";
import { EsxviError, InvalidInputError } from "../../errors/esxvi-error.js";
import { moRef } from "../../runtime/soap/index.js";
import { formatCreationTime, formatSnapshotTree } from "../../cli/commands/snapshot.js";
import {
  diskspecXml,
  formatSnapshotXml,
  parseSnapshotXml,
  snapshotCreateAsXml,
  snapshotStateOf,
} from "../../drivers/domain/snapshot-xml.js";
import { descendantCount, selectSnapshots, SnapshotTree } from "../../drivers/domain/snapshots.js";

function node(name: string, created: string, state: string, children: VirtualMachineSnapshotTree[] = []): VirtualMachineSnapshotTree {
  return {
    _typeName: "VirtualMachineSnapshotTree",
    snapshot: moRef("VirtualMachineSnapshot", `snap-${name}`),
    vm: moRef("VirtualMachine", "vm-1"),
    name,
    description: `about ${name}`,
    createTime: new Date(created),
    state,
    quiesced: false,
    childSnapshotList: children,
  };
}

/** snap1 → snap2 → (snap3 → snap4, snap5); Beta (second root, powered off). */
function sampleInfo(current: string): VirtualMachineSnapshotInfo {
  return {
    _typeName: "VirtualMachineSnapshotInfo",
    currentSnapshot: moRef("VirtualMachineSnapshot", `snap-${current}`),
    rootSnapshotList: [
      node("snap1", "2010-04-08T12:45:11Z", "poweredOn", [
        node("snap2", "2010-04-08T12:46:11Z", "poweredOn", [
          node("snap3", "2010-04-08T12:47:11Z", "suspended", [node("snap4", "2010-04-08T12:48:11Z", "poweredOn")]),
          node("snap5", "2010-04-08T12:49:11Z", "poweredOn"),
        ]),
      ]),
      node("Beta", "2010-04-09T12:45:11.529+02:00", "poweredOff"),
    ],
  };
}

test("snapshot XML: name and description, libvirt's empty-element rule, unnamed snapshots get the creation time", () => {
  const d = parseSnapshotXml("<domainsnapshot><name>s1</name><description>a &amp; b</description></domainsnapshot>", () => 1700000000);
  assert.equal(d, { name: "s1", description: "a & b", diskCount: 0, creationTime: 1700000000 });
  assert.equal(
    parseSnapshotXml("<domainsnapshot/>", () => 1700000001),
    { name: "1700000001", description: undefined, diskCount: 0, creationTime: 1700000001 },
  );
  assert.equal(
    parseSnapshotXml("<domainsnapshot><name></name><description/></domainsnapshot>", () => 42),
    { name: "42", description: undefined, diskCount: 0, creationTime: 42 },
  );
  assert.is(parseSnapshotXml("<domainsnapshot><disks/></domainsnapshot>").diskCount, 0);
  assert.is(
    parseSnapshotXml("<domainsnapshot><disks><disk name='sda'/><disk name='sdb' snapshot='no'/></disks></domainsnapshot>").diskCount,
    2,
  );
});

test("snapshot XML: a wrong root element or malformed XML is an XML_ERROR", () => {
  for (const [xml, message] of [
    ["<domain><name>x</name></domain>", "XML error: unexpected root element <domain>, expecting <domainsnapshot>"],
    ["<domainsnapshot><name>x</domainsnapshot>", undefined],
  ] as const) {
    try {
      parseSnapshotXml(xml);
      assert.unreachable(`parsed ${xml}`);
    } catch (e) {
      assert.instance(e, EsxviError);
      assert.is((e as EsxviError).code, "XML_ERROR");
      if (message !== undefined) assert.is((e as Error).message, message);
    }
  }
});

test("snapshot-create-as builds virsh's document (escaped), which parses back", () => {
  const xml = snapshotCreateAsXml(`a<b>&'"`, "two\nlines");
  assert.is(
    xml,
    "<domainsnapshot>\n  <name>a&lt;b&gt;&amp;&apos;&quot;</name>\n  <description>two\nlines</description>\n</domainsnapshot>\n",
  );
  assert.equal(
    parseSnapshotXml(xml, () => 1),
    { name: `a<b>&'"`, description: "two\nlines", diskCount: 0, creationTime: 1 },
  );
  assert.is(snapshotCreateAsXml(undefined, undefined), "<domainsnapshot>\n</domainsnapshot>\n");
});

test("--diskspec: virsh's <disk> per spec, every value escaped (no element can be injected), ',,' a comma", () => {
  const injected = snapshotCreateAsXml("s", undefined, ["sda'/><x y='"]);
  assert.is(
    injected,
    "<domainsnapshot>\n  <name>s</name>\n  <disks>\n    <disk name='sda&apos;/&gt;&lt;x y=&apos;'/>\n  </disks>\n</domainsnapshot>\n",
  );
  // One disk, named as given: the text stayed an attribute value.
  assert.is(parseSnapshotXml(injected, () => 1).diskCount, 1);
  assert.is(
    diskspecXml("vda,snapshot=external,driver=qcow2,file=/tmp/a,,b<c>.img"),
    "    <disk name='vda' snapshot='external'>\n      <driver type='qcow2'/>\n      <source file='/tmp/a,b&lt;c&gt;.img'/>\n    </disk>\n",
  );
  assert.is(
    diskspecXml("sdb,stype=block,file=/dev/sdz"),
    "    <disk name='sdb' type='block'>\n      <source dev='/dev/sdz'/>\n    </disk>\n",
  );
  assert.is(diskspecXml("hda,snapshot=no"), "    <disk name='hda' snapshot='no'/>\n");
  for (const [spec, message] of [
    ["sda,colour=red", "Unable to parse diskspec: sda,colour=red"],
    ["sda,snapshot=a,snapshot=b", "Unable to parse diskspec: sda,snapshot=a,snapshot=b"],
    ["sda,stype=network", "Unknown storage type: 'network'"],
  ] as const) {
    try {
      diskspecXml(spec);
      assert.unreachable(spec);
    } catch (e) {
      assert.instance(e, InvalidInputError);
      assert.is((e as InvalidInputError).code, "INVALID_ARG");
      assert.is((e as Error).message, message);
    }
  }
});

test("libvirt's snapshot XML: order, parent block, empty description kept, nostate and time 0 left out", () => {
  assert.is(
    formatSnapshotXml({
      name: "s2",
      description: "",
      state: "running",
      parent: "s<1>",
      creationTime: 1270730711,
      domainUuid: "00000000-0000-0000-0000-000000000001",
    }),
    "<domainsnapshot>\n  <name>s2</name>\n  <description></description>\n  <state>running</state>\n  <parent>\n    <name>s&lt;1&gt;</name>\n  </parent>\n  <creationTime>1270730711</creationTime>\n  <domain>\n    <uuid>00000000-0000-0000-0000-000000000001</uuid>\n  </domain>\n</domainsnapshot>\n",
  );
  assert.is(
    formatSnapshotXml({ name: "root", description: undefined, state: "nostate", parent: undefined, creationTime: 0, domainUuid: "u" }),
    "<domainsnapshot>\n  <name>root</name>\n  <domain>\n    <uuid>u</uuid>\n  </domain>\n</domainsnapshot>\n",
  );
  assert.equal(["poweredOn", "poweredOff", "suspended", "other", undefined].map(snapshotStateOf), [
    "running",
    "shutoff",
    "paused",
    "nostate",
    "nostate",
  ]);
});

test("the snapshot tree: depth-first, parents, current, first match by name, creation time as libvirt converts it", () => {
  const tree = SnapshotTree.from(sampleInfo("snap3"));
  assert.equal(
    tree.all.map((n) => n.name),
    ["snap1", "snap2", "snap3", "snap4", "snap5", "Beta"],
  );
  assert.equal(
    tree.roots.map((n) => n.name),
    ["snap1", "Beta"],
  );
  assert.is(tree.current?.name, "snap3");
  assert.is(tree.find("snap4")?.parent?.name, "snap3");
  assert.is(tree.find("snap1")?.creationTime, 1270730711);
  assert.is(tree.find("Beta")?.creationTime, 1270809911);
  assert.is(tree.find("Beta")?.state, "shutoff");
  assert.is(descendantCount(tree.resolve({ name: "snap1" })), 4);
  assert.is(tree.resolve({ current: true }).name, "snap3");
  assert.is(SnapshotTree.from(undefined).all.length, 0);
});

test("unknown names and a missing current snapshot are NO_DOMAIN_SNAPSHOT", () => {
  const cases: [SnapshotTree, Parameters<SnapshotTree["resolve"]>[0], string][] = [
    [SnapshotTree.from(sampleInfo("snap1")), { name: "nope" }, "Domain snapshot not found: Could not find snapshot with name 'nope'"],
    [SnapshotTree.from(undefined), { current: true }, "Domain snapshot not found: Domain has no current snapshot"],
  ];
  for (const [tree, which, message] of cases) {
    try {
      tree.resolve(which);
      assert.unreachable("resolved");
    } catch (e) {
      assert.is((e as EsxviError).code, "NO_DOMAIN_SNAPSHOT");
      assert.is((e as Error).message, message);
    }
  }
});

test("list filters (roots, leaves, no-leaves, from a snapshot, descendants) in virsh's order (names, case-insensitive)", () => {
  const tree = SnapshotTree.from(sampleInfo("snap1"));
  const names = (f: Parameters<typeof selectSnapshots>[1]): string[] => selectSnapshots(tree, f).map((n) => n.name);
  assert.equal(names({}), ["Beta", "snap1", "snap2", "snap3", "snap4", "snap5"]);
  assert.equal(names({ roots: true }), ["Beta", "snap1"]);
  assert.equal(names({ leaves: true }), ["Beta", "snap4", "snap5"]);
  assert.equal(names({ noLeaves: true }), ["snap1", "snap2", "snap3"]);
  assert.equal(names({ roots: true, leaves: true }), ["Beta"]);
  const snap2 = tree.resolve({ name: "snap2" });
  assert.equal(names({ from: snap2 }), ["snap3", "snap5"]);
  assert.equal(names({ from: snap2, descendants: true }), ["snap3", "snap4", "snap5"]);
  assert.equal(names({ from: snap2, descendants: true, noLeaves: true }), ["snap3"]);
});

test("vshTreePrint's layout, trailing spaces included", () => {
  const tree = SnapshotTree.from(sampleInfo("snap1"));
  const items = selectSnapshots(tree).map((n) => ({ name: n.name, parent: n.parent?.name }));
  assert.is(
    formatSnapshotTree(items),
    [
      "Beta",
      "",
      "snap1",
      "  |",
      "  +- snap2",
      "      |",
      "      +- snap3",
      "      |   |",
      "      |   +- snap4",
      "      |     ",
      "      +- snap5",
      "        ",
      "",
    ].join("\n"),
  );
  assert.is(formatSnapshotTree([]), "");
});

test("snapshot-list's creation time: local time with the zone offset", () => {
  const saved = process.env["TZ"];
  try {
    process.env["TZ"] = "UTC";
    assert.is(formatCreationTime(1270730711), "2010-04-08 12:45:11 +0000");
    process.env["TZ"] = "Asia/Kolkata";
    assert.is(formatCreationTime(1270730711), "2010-04-08 18:15:11 +0530");
    process.env["TZ"] = "America/Los_Angeles";
    assert.is(formatCreationTime(1270730711), "2010-04-08 05:45:11 -0700");
  } finally {
    if (saved === undefined) delete process.env["TZ"];
    else process.env["TZ"] = saved;
  }
});

test.run();
