/**
 * The iface-* commands on the simulator (ESX model, whose NICs the launcher gives IPv4 static
 * and DHCP configurations and IPv6 addresses): exact outputs, lookup by name (which libvirt
 * gets wrong) and by MAC in any case, --inactive, --json, unknown interfaces.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
const cli = (args: readonly string[]) => esxvi(sim, args);

const LIST = ` Name     State    MAC Address
--------------------------------------
 vmnic0   active   00:0c:29:81:d8:a0
 vmnic1   active   00:0c:29:81:d8:aa
 vmnic2   active   00:0c:29:81:d8:b0
 vmnic3   active   00:0c:29:81:d8:b1
`;

const VMNIC0 = `<interface type='ethernet' name='vmnic0'>
  <start mode='onboot'/>
  <protocol family='ipv4'>
    <ip address='192.168.100.10' prefix='24'/>
  </protocol>
  <protocol family='ipv6'>
    <ip address='fe80::20c:29ff:fe81:d8a0' prefix='64'/>
    <ip address='2001:db8::10' prefix='64'/>
  </protocol>
  <mac address='00:0c:29:81:d8:a0'/>
</interface>
`;

const VMNIC1 = `<interface type='ethernet' name='vmnic1'>
  <start mode='onboot'/>
  <protocol family='ipv4'>
    <dhcp peerdns='no'/>
    <ip address='10.20.30.40' prefix='16'/>
  </protocol>
  <protocol family='ipv6'>
    <autoconf/>
    <dhcp peerdns='no'/>
    <ip address='2001:db8:1::28' prefix='64'/>
  </protocol>
  <mac address='00:0c:29:81:d8:aa'/>
</interface>
`;

if (requireSimulator("interface commands")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1 });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("iface-list: virsh's table; --all the same, --inactive none; --json", async () => {
    assert.equal(await cli(["iface-list"]), { status: 0, stdout: LIST, stderr: "" });
    assert.equal(await cli(["iface-list", "--all"]), { status: 0, stdout: LIST, stderr: "" });
    assert.equal(await cli(["iface-list", "--inactive"]), {
      status: 0,
      stdout: " Name   State   MAC Address\n-----------------------------\n",
      stderr: "",
    });
    const j = JSON.parse((await cli(["iface-list", "--json"])).stdout) as unknown[];
    assert.equal(j[0], { name: "vmnic0", state: "active", mac: "00:0c:29:81:d8:a0" });
    assert.is(j.length, 4);
  });

  test("iface-name by MAC (any case), iface-mac by name; the wrong kind of argument is refused", async () => {
    assert.equal(await cli(["iface-name", "00:0C:29:81:D8:AA"]), { status: 0, stdout: "vmnic1\n", stderr: "" });
    assert.equal(await cli(["iface-mac", "vmnic1"]), { status: 0, stdout: "00:0c:29:81:d8:aa\n", stderr: "" });
    assert.equal(await cli(["iface-mac", "VMNIC3", "--json"]), {
      status: 0,
      stdout: '{\n  "name": "vmnic3",\n  "mac": "00:0c:29:81:d8:b1"\n}\n',
      stderr: "",
    });
    assert.equal(await cli(["iface-name", "vmnic1"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get interface 'vmnic1'\nerror: Interface not found: 'vmnic1' is not a MAC address\n",
    });
    assert.equal(await cli(["iface-name", "00:50:56:00:00:01"]), {
      status: 1,
      stdout: "",
      stderr:
        "error: failed to get interface '00:50:56:00:00:01'\nerror: Interface not found: Could not find physical NIC with MAC address '00:50:56:00:00:01'\n",
    });
    assert.equal(await cli(["iface-mac", "vmnic9"]), {
      status: 1,
      stdout: "",
      stderr: "error: failed to get interface 'vmnic9'\nerror: Interface not found: Could not find physical NIC with name 'vmnic9'\n",
    });
  });

  test("iface-dumpxml by name and by MAC: static IPv4 and IPv6, DHCP (its address left out with --inactive), none", async () => {
    assert.equal(await cli(["iface-dumpxml", "vmnic0"]), { status: 0, stdout: VMNIC0, stderr: "" });
    assert.equal(await cli(["iface-dumpxml", "00:0c:29:81:d8:aa"]), { status: 0, stdout: VMNIC1, stderr: "" });
    assert.equal(await cli(["iface-dumpxml", "vmnic1", "--inactive"]), {
      status: 0,
      stdout: `<interface type='ethernet' name='vmnic1'>
  <start mode='onboot'/>
  <protocol family='ipv4'>
    <dhcp peerdns='no'/>
  </protocol>
  <protocol family='ipv6'>
    <autoconf/>
    <dhcp peerdns='no'/>
  </protocol>
  <mac address='00:0c:29:81:d8:aa'/>
</interface>
`,
      stderr: "",
    });
    assert.equal(await cli(["iface-dumpxml", "vmnic0", "--inactive"]), {
      status: 0,
      stdout: VMNIC0.replace("    <ip address='fe80::20c:29ff:fe81:d8a0' prefix='64'/>\n", ""),
      stderr: "",
    });
    assert.equal(await cli(["iface-dumpxml", "vmnic2"]), {
      status: 0,
      stdout: "<interface type='ethernet' name='vmnic2'>\n  <start mode='onboot'/>\n  <mac address='00:0c:29:81:d8:b0'/>\n</interface>\n",
      stderr: "",
    });
    assert.equal(JSON.parse((await cli(["iface-dumpxml", "vmnic0", "--json"])).stdout), {
      name: "vmnic0",
      mac: "00:0c:29:81:d8:a0",
      xml: VMNIC0,
    });
  });

  test.run();
}
