/**
 * The net-* commands on the simulator (ESX model): exact outputs, define -> dumpxml giving
 * back the definition (libvirt's normalisation), every refused define or undefine leaving the
 * host's network configuration as it was (compared before and after, no change call made),
 * and the commands libvirt's ESX driver does not have.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connectTo, methodCalls, networkSnapshot, tempFile } from "./helpers.js";

const UUID0 = "2f467347-8b4e-8655-e7d6-c4c3fb968009";
const CHANGES = ["AddVirtualSwitch", "AddPortGroup", "RemovePortGroup", "RemoveVirtualSwitch", "UpdateVirtualSwitch", "UpdatePortGroup"];

const VSWITCH0_XML = `<network>
  <name>vSwitch0</name>
  <uuid>${UUID0}</uuid>
  <forward dev='vmnic0' mode='bridge'>
    <interface dev='vmnic0'/>
  </forward>
  <portgroup name='VM Network'>
  </portgroup>
</network>
`;

/** A definition in libvirt's normal form (what net-dumpxml gives back, without the uuid). */
const LAB_XML = `<network>
  <name>lab</name>
  <forward dev='vmnic2' mode='bridge'>
    <interface dev='vmnic2'/>
    <interface dev='vmnic3'/>
  </forward>
  <bandwidth>
    <inbound average='1000' peak='2000' burst='512'/>
    <outbound average='1000' peak='2000' burst='512'/>
  </bandwidth>
  <portgroup name='lab-a'>
    <vlan>
      <tag id='42'/>
    </vlan>
    <bandwidth>
      <inbound average='500'/>
      <outbound average='500'/>
    </bandwidth>
  </portgroup>
  <portgroup name='lab-b'>
  </portgroup>
</network>
`;

let sim: Simulator;
let conn: Connection;

const cli = (args: readonly string[]) => esxvi(sim, args);

/** Runs a command that must fail, and checks the host's network configuration did not change and no change was sent. */
async function refused(args: readonly string[], stderr: string): Promise<void> {
  const before = await networkSnapshot(conn);
  await sim.control.resetStats();
  const r = await cli(args);
  assert.equal(r, { status: 1, stdout: "", stderr }, args.join(" "));
  const calls = await methodCalls(sim);
  for (const m of CHANGES) assert.is(calls[m], undefined, `${m} called by ${args.join(" ")}`);
  assert.is(await networkSnapshot(conn), before, args.join(" "));
}

if (requireSimulator("network commands")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1 });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("net-list: virsh's table and filters, --name, --uuid, --title, --json", async () => {
    const table =
      " Name       State    Autostart   Persistent\n---------------------------------------------\n vSwitch0   active   yes         yes\n";
    assert.equal(await cli(["net-list"]), { status: 0, stdout: table, stderr: "" });
    assert.equal(await cli(["net-list", "--all", "--persistent", "--autostart"]), { status: 0, stdout: table, stderr: "" });
    const empty = " Name   State   Autostart   Persistent\n----------------------------------------\n";
    for (const f of ["--inactive", "--transient", "--no-autostart"])
      assert.equal(await cli(["net-list", f]), { status: 0, stdout: empty, stderr: "" }, f);
    assert.equal(await cli(["net-list", "--name"]), { status: 0, stdout: "vSwitch0\n", stderr: "" });
    assert.equal(await cli(["net-list", "--uuid"]), { status: 0, stdout: `${UUID0}\n`, stderr: "" });
    assert.equal(await cli(["net-list", "--title"]), {
      status: 0,
      stdout:
        " Name       State    Autostart   Persistent   Title\n-----------------------------------------------------\n vSwitch0   active   yes         yes          \n",
      stderr: "",
    });
    assert.equal(await cli(["net-list", "--all", "--json"]), {
      status: 0,
      stdout: `[\n  {\n    "name": "vSwitch0",\n    "uuid": "${UUID0}",\n    "active": true,\n    "persistent": true,\n    "autostart": true\n  }\n]\n`,
      stderr: "",
    });
    assert.equal(await cli(["net-list", "--name", "--uuid"]), {
      status: 1,
      stdout: "",
      stderr: "error: Only one argument from --table, --name and --uuid may be specified.\n",
    });
  });

  test("net-info, net-uuid, net-name, net-dumpxml by name and by UUID; unknown networks", async () => {
    assert.equal(await cli(["net-info", "vSwitch0"]), {
      status: 0,
      stdout: `Name:           vSwitch0\nUUID:           ${UUID0}\nActive:         yes\nPersistent:     yes\nAutostart:      yes\n`,
      stderr: "",
    });
    assert.equal(await cli(["net-info", UUID0, "--json"]), {
      status: 0,
      stdout: `{\n  "name": "vSwitch0",\n  "uuid": "${UUID0}",\n  "active": true,\n  "persistent": true,\n  "autostart": true\n}\n`,
      stderr: "",
    });
    assert.equal(await cli(["net-uuid", "vSwitch0"]), { status: 0, stdout: `${UUID0}\n`, stderr: "" });
    assert.equal(await cli(["net-name", UUID0.toUpperCase()]), { status: 0, stdout: "vSwitch0\n", stderr: "" });
    assert.equal(await cli(["net-dumpxml", "vSwitch0"]), { status: 0, stdout: VSWITCH0_XML, stderr: "" });
    assert.equal(await cli(["net-dumpxml", "--inactive", UUID0]), { status: 0, stdout: VSWITCH0_XML, stderr: "" });
    const j = await cli(["net-dumpxml", "vSwitch0", "--json"]);
    assert.equal(JSON.parse(j.stdout), { name: "vSwitch0", uuid: UUID0, xml: VSWITCH0_XML });
    assert.equal(await cli(["net-info", "nope"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get network 'nope'\nerror: Network not found: Could not find network with name 'nope'\n",
    });
    const other = "00000000-1111-2222-3333-444444444444";
    assert.equal(await cli(["net-name", other]), {
      status: 1,
      stdout: "",
      stderr: `error: failed to get network '${other}'\nerror: Network not found: Could not find network with UUID '${other}'\n`,
    });
    assert.equal(await cli(["net-uuid", UUID0]), {
      status: 1,
      stdout: "",
      stderr: `error: failed to get network '${UUID0}'\nerror: Network not found: Could not find network with name '${UUID0}'\n`,
    });
  });

  test("net-define -> net-dumpxml gives the definition back; the vSwitch is bonded, shaped, its port groups are datacenter networks", async () => {
    const before = await networkSnapshot(conn);
    const file = tempFile(LAB_XML);
    assert.equal(await cli(["net-define", file]), { status: 0, stdout: `Network lab defined from ${file}\n`, stderr: "" });
    const uuid = (await cli(["net-uuid", "lab"])).stdout.trim();
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const dump = await cli(["net-dumpxml", "lab"]);
    assert.equal(dump, {
      status: 0,
      stdout: LAB_XML.replace("<name>lab</name>\n", `<name>lab</name>\n  <uuid>${uuid}</uuid>\n`),
      stderr: "",
    });
    // The dump defines the same network again (its uuid refused, as libvirt refuses it).
    const snap = JSON.parse(await networkSnapshot(conn)) as {
      vswitches: { name: string; pnic?: string[]; spec: { policy: { shapingPolicy: unknown } } }[];
      networks: string[];
    };
    const lab = snap.vswitches.find((v) => v.name === "lab");
    assert.equal(lab?.pnic, ["key-vim.host.PhysicalNic-vmnic2", "key-vim.host.PhysicalNic-vmnic3"]);
    assert.equal(lab?.spec.policy.shapingPolicy, {
      _typeName: "HostNetworkTrafficShapingPolicy",
      enabled: true,
      averageBandwidth: 8000000,
      peakBandwidth: 16000000,
      burstSize: 524288,
    });
    assert.ok(snap.networks.includes("lab-a") && snap.networks.includes("lab-b"));
    assert.equal(await cli(["net-list", "--name"]), { status: 0, stdout: "lab\nvSwitch0\n", stderr: "" });
    assert.equal(await cli(["net-undefine", "lab"]), { status: 0, stdout: "Network lab has been undefined\n", stderr: "" });
    assert.is(await networkSnapshot(conn), before);
  });

  test("a network without forwarding: <bridge stp='off' delay='0'/>, defined by UUID-less XML and undefined by UUID", async () => {
    const file = tempFile("<network><name>isolated</name><portgroup name='iso-pg'/></network>");
    assert.equal(await cli(["net-define", file]), { status: 0, stdout: `Network isolated defined from ${file}\n`, stderr: "" });
    const uuid = (await cli(["net-uuid", "isolated"])).stdout.trim();
    assert.equal(await cli(["net-dumpxml", "isolated"]), {
      status: 0,
      stdout: `<network>\n  <name>isolated</name>\n  <uuid>${uuid}</uuid>\n  <bridge stp='off' delay='0'/>\n  <portgroup name='iso-pg'>\n  </portgroup>\n</network>\n`,
      stderr: "",
    });
    assert.equal(await cli(["net-undefine", uuid]), { status: 0, stdout: `Network ${uuid} has been undefined\n`, stderr: "" });
  });

  test("refused definitions leave config.network unchanged, with libvirt's messages", async () => {
    const define = async (xml: string, line: string) => {
      const file = tempFile(xml);
      await refused(["net-define", file], `error: Failed to define network from ${file}\nerror: ${line}\n`);
    };
    await define(
      "<network><name>vSwitch0</name></network>",
      "HostVirtualSwitch already exists, editing existing ones is not supported yet",
    );
    await define(`<network><name>n2</name><uuid>${UUID0}</uuid></network>`, "Cannot use predefined UUID");
    await define("<network><name>n2</name><forward mode='nat'/></network>", "Unsupported forward mode 'nat'");
    await define(
      "<network><name>n2</name><forward mode='vepa'><interface dev='vmnic2'/></forward></network>",
      "Unsupported forward mode 'vepa'",
    );
    await define(
      "<network><name>n2</name><portgroup name='p1'/><portgroup name='VM Network'/></network>",
      "HostPortGroup with name 'VM Network' exists already",
    );
    await define(
      "<network><name>n2</name><forward mode='bridge'><interface dev='vmnic9'/></forward></network>",
      "Could not find PhysicalNic with name 'vmnic9'",
    );
    await define(
      "<network><name>n2</name><bandwidth><inbound average='100'/><outbound average='200'/></bandwidth></network>",
      "Different inbound and outbound bandwidth is unsupported",
    );
    // libvirt would have created the vSwitch before finding this out.
    await define(
      "<network><name>n2</name><portgroup name='p1'/><portgroup name='p2'><bandwidth><inbound average='100'/></bandwidth></portgroup></network>",
      "Different inbound and outbound bandwidth is unsupported",
    );
    await define(
      "<network><name>n2</name><portgroup name='p1'><vlan trunk='yes'><tag id='1'/><tag id='2'/></vlan></portgroup></network>",
      "A port group has one VLAN: <vlan> of portgroup 'p1' gives 2 tags",
    );
    await define("<network><name>n2</name>", "XML error at line 1, column 1: Unclosed tag 'network'.");
    await define("<network><forward mode='bridge'/></network>", "missing name information: no <name> element in <network>");
    await define(
      "<network><name>n2</name><forward mode='bridge' dev='vmnic2'/><portgroup name='p'><vlan><tag id='5000'/></vlan></portgroup></network>",
      "vlan tag id 5000 too large (maximum 4095)",
    );
    // A NIC another vSwitch uses: the server refuses the first change, nothing is left behind.
    const before = await networkSnapshot(conn);
    const file = tempFile(
      "<network><name>n2</name><forward mode='bridge'><interface dev='vmnic0'/></forward><portgroup name='p'/></network>",
    );
    await sim.control.resetStats();
    assert.equal(await cli(["net-define", file]), {
      status: 1,
      stdout: "",
      stderr: `error: Failed to define network from ${file}\nerror: AddVirtualSwitch failed: ResourceInUse - The physical NIC vmnic0 is in use by vSwitch0.\n`,
    });
    const calls = await methodCalls(sim);
    assert.is(calls["AddVirtualSwitch"], 1);
    assert.is(calls["AddPortGroup"], undefined);
    assert.is(await networkSnapshot(conn), before);
  });

  test("a port group the server refuses after the vSwitch was added: what was added is removed again", async () => {
    const before = await networkSnapshot(conn);
    const file = tempFile("<network><name>n3</name><portgroup name='n3-ok'/><portgroup name=''/></network>");
    await sim.control.resetStats();
    const r = await cli(["net-define", file]);
    assert.is(r.status, 1);
    assert.is(
      r.stderr,
      `error: Failed to define network from ${file}\nerror: AddPortGroup failed: InvalidArgument - A specified parameter was not correct: portgrp.name\n`,
    );
    const calls = await methodCalls(sim);
    assert.equal([calls["AddVirtualSwitch"], calls["AddPortGroup"], calls["RemovePortGroup"], calls["RemoveVirtualSwitch"]], [1, 2, 1, 1]);
    assert.is(await networkSnapshot(conn), before);
  });

  test("net-undefine of a vSwitch with the host's management port is refused; nothing removed", async () => {
    await refused(
      ["net-undefine", "vSwitch0"],
      "error: Failed to undefine network vSwitch0\nerror: Cannot undefine HostVirtualSwitch that has a 'host' port\n",
    );
    await refused(
      ["net-undefine", "nope"],
      "error: failed to get network 'nope'\nerror: Network not found: Could not find network with name 'nope'\n",
    );
  });

  test("net-autostart, net-start, net-destroy, net-create: as libvirt's ESX driver answers", async () => {
    assert.equal(await cli(["net-autostart", "vSwitch0"]), { status: 0, stdout: "Network vSwitch0 marked as autostarted\n", stderr: "" });
    assert.equal(await cli(["net-autostart", "vSwitch0", "--disable"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to unmark network vSwitch0 as autostarted\nerror: Cannot deactivate network autostart\n",
    });
    assert.equal(await cli(["net-start", "vSwitch0"]), {
      status: 1,
      stdout: "",
      stderr: "error: Failed to start network vSwitch0\nerror: this function is not supported by the connection driver: virNetworkCreate\n",
    });
    assert.equal(await cli(["net-destroy", UUID0]), {
      status: 1,
      stdout: "",
      stderr: `error: Failed to destroy network ${UUID0}\nerror: this function is not supported by the connection driver: virNetworkDestroy\n`,
    });
    const file = tempFile("<network><name>t</name></network>");
    assert.equal(await cli(["net-create", file]), {
      status: 1,
      stdout: "",
      stderr: `error: Failed to create network from ${file}\nerror: this function is not supported by the connection driver: virNetworkCreateXML\n`,
    });
    assert.equal(await cli(["net-start", "nope"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get network 'nope'\nerror: Network not found: Could not find network with name 'nope'\n",
    });
  });

  test.run();
}
