/**
 * The vcsim test bed itself: the launcher's ready line, vcsim basics through raw SOAP, and
 * each gap the launcher fills (VMX files, autostart manager, mounts, host network, datastore
 * browser, paging, questions, cancellable and long-running tasks, session revocation,
 * stats), plus TLS thumbprints and a clean SIGTERM exit.
 */
import { existsSync } from "node:fs";
import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { call, collector, decode, faultType, login, moref, propVal, retrieveOne, textOf, textsOf, xmlEscape } from "./raw-soap.js";

let sim: Simulator;
let cookie: string;
/** VM name -> moref value. */
const vms = new Map<string, string>();

function vm(name: string): string {
  const ref = vms.get(name);
  if (ref === undefined) throw new Error(`no VM ${name}`);
  return ref;
}

function prop(xml: string, name: string): string {
  const v = propVal(xml, name);
  if (v === undefined) throw new Error(`no property ${name} in ${xml}`);
  return v;
}

async function powerState(name: string): Promise<string> {
  return decode(prop((await retrieveOne(sim, cookie, "VirtualMachine", vm(name), ["runtime.powerState"])).text, "runtime.powerState"));
}

/** Starts a VM task and returns its Task moref value. */
async function startTask(method: string, thisType: string, thisValue: string, params = ""): Promise<string> {
  const r = await call(sim, method, thisType, thisValue, params, cookie);
  assert.is(r.status, 200, r.text);
  const task = /<returnval type="Task">([^<]+)<\/returnval>/.exec(r.text)?.[1];
  if (task === undefined) throw new Error(`no task in ${r.text}`);
  return task;
}

interface TaskChange {
  readonly name: string;
  readonly value: string;
}

/**
 * Watches a task through a property filter and WaitForUpdatesEx (no polling) until its
 * state is success or error; returns every change seen, in order.
 */
async function watchTask(task: string, paths: readonly string[] = ["info.state"]): Promise<TaskChange[]> {
  const spec =
    `<spec><propSet><type>Task</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join("")}</propSet>` +
    `<objectSet>${moref("obj", "Task", task)}</objectSet></spec><partialUpdates>false</partialUpdates>`;
  const created = await call(sim, "CreateFilter", "PropertyCollector", collector(sim), spec, cookie);
  assert.is(created.status, 200, created.text);
  const filter = textOf(created.text, "returnval") ?? "";
  const changes: TaskChange[] = [];
  let version = "";
  try {
    for (;;) {
      const r = await call(
        sim,
        "WaitForUpdatesEx",
        "PropertyCollector",
        collector(sim),
        `<version>${xmlEscape(version)}</version><options><maxWaitSeconds>60</maxWaitSeconds></options>`,
        cookie,
      );
      assert.is(r.status, 200, r.text);
      const v = textOf(r.text, "version");
      if (v === undefined) throw new Error(`WaitForUpdatesEx timed out on ${task}`);
      version = v;
      for (const m of r.text.matchAll(/<changeSet><name>([^<]+)<\/name><op>\w+<\/op><val[^>]*>([^<]*)<\/val><\/changeSet>/g)) {
        changes.push({ name: m[1] ?? "", value: decode(m[2] ?? "") });
      }
      const states = changes.filter((c) => c.name === "info.state").map((c) => c.value);
      const last = states[states.length - 1];
      if (last === "success" || last === "error") return changes;
    }
  } finally {
    await call(sim, "DestroyPropertyFilter", "PropertyFilter", filter, "", cookie);
  }
}

async function taskInfo(task: string): Promise<string> {
  return prop((await retrieveOne(sim, cookie, "Task", task, ["info"])).text, "info");
}

if (requireSimulator("test bed (vcsim launcher)")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", powerOn: false, user: "root" });
    cookie = await login(sim);
    const spec =
      '<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="HostSystem">ha-host</obj>' +
      '<skip>true</skip><selectSet xsi:type="TraversalSpec"><name>hostSystemToVm</name><type>HostSystem</type><path>vm</path>' +
      "<skip>false</skip></selectSet></objectSet></specSet><options></options>";
    const r = await call(sim, "RetrievePropertiesEx", "PropertyCollector", "ha-property-collector", spec, cookie);
    for (const m of r.text.matchAll(/<obj type="VirtualMachine">([^<]+)<\/obj><propSet><name>name<\/name><val[^>]*>([^<]+)<\/val>/g)) {
      vms.set(decode(m[2] ?? ""), m[1] ?? "");
    }
  });

  test.after(async () => {
    await sim.stop();
  });

  test("the ready line describes the listening simulator", () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/sdk$/);
    assert.is(sim.host, "127.0.0.1");
    assert.is(new URL(sim.url).port, String(sim.port));
    assert.ok(Number.isInteger(sim.pid) && sim.pid > 0);
    assert.is(sim.tls, false);
    assert.is(sim.thumbprintSha1, undefined);
    assert.is(sim.thumbprintSha256, undefined);
    assert.is(sim.model, "esx");
    assert.is(sim.user, "root");
    assert.is(sim.vms, 2);
    assert.equal([...vms.keys()].sort(), ["ha-host_VM0", "ha-host_VM1"]);
  });

  test("RetrieveServiceContent works without a session", async () => {
    const r = await call(sim, "RetrieveServiceContent", "ServiceInstance", "ServiceInstance");
    assert.is(r.status, 200);
    assert.is(textOf(r.text, "apiType"), "HostAgent");
    assert.is(textOf(r.text, "apiVersion"), "6.5");
    assert.is(textOf(r.text, "productLineId"), "embeddedEsx");
    assert.is(textOf(r.text, "rootFolder"), "ha-folder-root");
    assert.is(textOf(r.text, "propertyCollector"), "ha-property-collector");
  });

  test("only the configured credentials log in", async () => {
    const bad = await call(sim, "Login", "SessionManager", "ha-sessionmgr", "<userName>root</userName><password>wrong</password>");
    assert.is(bad.status, 500);
    assert.is(faultType(bad.text), "InvalidLogin");
    assert.is(textOf(bad.text, "faultstring"), "Login failure");
    assert.match(cookie, /^vmware_soap_session=[0-9a-f-]{36}$/);
  });

  test("a model VM's .vmx is a real VMX matching its config", async () => {
    const r = await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM0"), ["config.files.vmPathName", "config.uuid"]);
    const vmPath = decode(prop(r.text, "config.files.vmPathName"));
    const uuid = decode(prop(r.text, "config.uuid"));
    assert.is(vmPath, "[LocalDS_0] ha-host_VM0/ha-host_VM0.vmx");
    const res = await fetch(`http://127.0.0.1:${sim.port}/folder/ha-host_VM0/ha-host_VM0.vmx?dcPath=ha-datacenter&dsName=LocalDS_0`, {
      headers: { cookie },
    });
    assert.is(res.status, 200);
    const vmx = await res.text();
    const hex = uuid.replace(/-/g, "");
    const spaced = (h: string): string => (h.match(/../g) ?? []).join(" ");
    const bios = `${spaced(hex.slice(0, 16))}-${spaced(hex.slice(16))}`;
    for (const line of [
      'config.version = "8"',
      'virtualHW.version = "13"',
      'displayName = "ha-host_VM0"',
      'guestOS = "other"',
      'memSize = "32"',
      'numvcpus = "1"',
      `uuid.bios = "${bios}"`,
      'scsi0.present = "TRUE"',
      'scsi0.virtualDev = "pvscsi"',
      'scsi0:0.fileName = "disk1.vmdk"',
      'ethernet0.networkName = "VM Network"',
      'ethernet0.addressType = "generated"',
    ]) {
      assert.ok(vmx.split("\n").includes(line), `missing ${line} in\n${vmx}`);
    }
    assert.match(vmx, /^ethernet0\.generatedAddress = "00:0c:29(:[0-9a-f]{2}){3}"$/m);
  });

  test("the host has an autostart manager with ESX semantics", async () => {
    const host = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["configManager.autoStartManager"]);
    assert.is(prop(host.text, "configManager.autoStartManager"), "ha-autostart-mgr");
    const before = await retrieveOne(sim, cookie, "HostAutoStartManager", "ha-autostart-mgr", ["config.defaults", "config.powerInfo"]);
    assert.is(before.status, 200, before.text);
    const defaults = prop(before.text, "config.defaults");
    assert.is(textOf(defaults, "enabled"), "false");
    assert.is(textOf(defaults, "startDelay"), "120");
    assert.is(propVal(before.text, "config.powerInfo"), ""); // vcsim sends an empty ArrayOfAutoStartPowerInfo

    const spec =
      "<spec><defaults><enabled>true</enabled></defaults><powerInfo>" +
      moref("key", "VirtualMachine", vm("ha-host_VM1")) +
      "<startOrder>-1</startOrder><startDelay>-1</startDelay><waitForHeartbeat>systemDefault</waitForHeartbeat>" +
      "<startAction>powerOn</startAction><stopDelay>-1</stopDelay><stopAction>none</stopAction></powerInfo></spec>";
    const r = await call(sim, "ReconfigureAutostart", "HostAutoStartManager", "ha-autostart-mgr", spec, cookie);
    assert.is(r.status, 200, r.text);
    assert.match(r.text, /<ReconfigureAutostartResponse xmlns="urn:vim25"><\/ReconfigureAutostartResponse>/);

    const after = await retrieveOne(sim, cookie, "HostAutoStartManager", "ha-autostart-mgr", ["config"]);
    const config = prop(after.text, "config");
    assert.is(textOf(config, "enabled"), "true");
    assert.is(textOf(config, "startAction"), "powerOn");
    assert.is(textOf(config, "key"), vm("ha-host_VM1"));
    const mirror = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["config.autoStart"]);
    assert.is(prop(mirror.text, "config.autoStart"), config);
  });

  test("the host reports a capability and datastores their /vmfs/volumes mount", async () => {
    const host = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["capability", "datastore"]);
    const cap = prop(host.text, "capability");
    assert.is(textOf(cap, "maxSupportedVcpus"), "128");
    assert.is(textOf(cap, "vmotionSupported"), "true");
    assert.is(textOf(cap, "screenshotSupported"), "true"); // the launcher serves /screen
    const ds = textOf(prop(host.text, "datastore"), "ManagedObjectReference") ?? "";
    const mounts = await retrieveOne(sim, cookie, "Datastore", ds, ["host", "summary.name"]);
    assert.is(decode(prop(mounts.text, "summary.name")), "LocalDS_0");
    assert.is(textOf(prop(mounts.text, "host"), "path"), "/vmfs/volumes/LocalDS_0");
  });

  test("void methods answer an empty XResponse element (vcsim's RefreshDatastore sent no body)", async () => {
    const host = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["datastore"]);
    const ds = textOf(prop(host.text, "datastore"), "ManagedObjectReference") ?? "";
    const r = await call(sim, "RefreshDatastore", "Datastore", ds, "", cookie);
    assert.is(r.status, 200);
    assert.match(r.text, /<soapenv:Body><RefreshDatastoreResponse xmlns="urn:vim25"><\/RefreshDatastoreResponse><\/soapenv:Body>/);
  });

  test("vSwitches and port groups reach HostSystem.config.network", async () => {
    const nsRef = decode(
      prop((await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["configManager.networkSystem"])).text, "configManager.networkSystem"),
    );
    const add = await call(
      sim,
      "AddVirtualSwitch",
      "HostNetworkSystem",
      nsRef,
      "<vswitchName>vSwitch1</vswitchName><spec><numPorts>128</numPorts></spec>",
      cookie,
    );
    assert.is(add.status, 200, add.text);
    const pg = await call(
      sim,
      "AddPortGroup",
      "HostNetworkSystem",
      nsRef,
      "<portgrp><name>Lab</name><vlanId>0</vlanId><vswitchName>vSwitch1</vswitchName><policy></policy></portgrp>",
      cookie,
    );
    assert.is(pg.status, 200, pg.text);
    const net = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["config.network.vswitch", "config.network.portgroup"]);
    const vswitches = prop(net.text, "config.network.vswitch");
    assert.equal(textsOf(vswitches, "key"), ["key-vim.host.VirtualSwitch-vSwitch0", "key-vim.host.VirtualSwitch-vSwitch1"]);
    assert.ok(vswitches.includes("<portgroup>key-vim.host.PortGroup-Lab</portgroup>"));
    const lab =
      /<HostPortGroup><key>key-vim\.host\.PortGroup-Lab<\/key>[\s\S]*?<\/HostPortGroup>/.exec(
        prop(net.text, "config.network.portgroup"),
      )?.[0] ?? "";
    assert.is(textOf(lab, "vswitch"), "key-vim.host.VirtualSwitch-vSwitch1");
    assert.is(textOf(lab, "policy"), "loadbalance_srcid"); // computed from the vSwitch
    const dup = await call(sim, "AddVirtualSwitch", "HostNetworkSystem", nsRef, "<vswitchName>vSwitch1</vswitchName>", cookie);
    assert.is(faultType(dup.text), "AlreadyExists");
    const rm = await call(sim, "RemoveVirtualSwitch", "HostNetworkSystem", nsRef, "<vswitchName>vSwitch1</vswitchName>", cookie);
    assert.is(rm.status, 200, rm.text);
    const gone = await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["config.network.vswitch", "config.network.portgroup"]);
    assert.equal(textsOf(prop(gone.text, "config.network.vswitch"), "key"), ["key-vim.host.VirtualSwitch-vSwitch0"]);
    assert.not.ok(prop(gone.text, "config.network.portgroup").includes("PortGroup-Lab"));
  });

  test("the datastore browser lists disks like ESX without a match pattern", async () => {
    const browser = decode(prop((await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["datastoreBrowser"])).text, "datastoreBrowser"));
    assert.is(browser, "ha-host-datastorebrowser");
    const spec =
      '<searchSpec><query xsi:type="VmDiskFileQuery"><details><diskType>true</diskType><capacityKb>true</capacityKb>' +
      "<hardwareVersion>false</hardwareVersion><controllerType>true</controllerType></details></query>" +
      '<query xsi:type="FolderFileQuery"/><details><fileType>true</fileType><fileSize>true</fileSize>' +
      "<modification>false</modification></details></searchSpec>";
    const task = await startTask(
      "SearchDatastoreSubFolders_Task",
      "HostDatastoreBrowser",
      browser,
      `<datastorePath>[LocalDS_0]</datastorePath>${spec}`,
    );
    const info = await taskInfo(task);
    assert.is(textOf(info, "state"), "success", info);
    assert.equal(textsOf(info, "folderPath"), ["[LocalDS_0]", "[LocalDS_0] ha-host_VM0", "[LocalDS_0] ha-host_VM1"]);
    const bare = await taskInfo(
      await startTask("SearchDatastore_Task", "HostDatastoreBrowser", browser, "<datastorePath>[LocalDS_0] ha-host_VM0</datastorePath>"),
    );
    assert.is(textOf(bare, "state"), "success", bare); // no searchSpec: every file, as FileInfo
    assert.equal(textsOf(bare, "path").sort(), ["disk1-flat.vmdk", "disk1.vmdk", "ha-host_VM0.nvram", "ha-host_VM0.vmx", "vmware.log"]);
    const disk = /<file XMLSchema-instance:type="VmDiskFileInfo">([\s\S]*?)<\/file>/.exec(info)?.[1] ?? "";
    assert.is(textOf(disk, "path"), "disk1.vmdk");
    assert.is(textOf(disk, "capacityKb"), "1024");
    assert.is(textOf(disk, "diskType"), "VirtualDiskFlatVer2BackingInfo");
    assert.is(textOf(disk, "controllerType"), "ParaVirtualSCSIController");
  });

  test("virtual disks get their capacity; extend and zero-fill work", async () => {
    const name = "[LocalDS_0] disks/data.vmdk";
    const mk = await call(sim, "MakeDirectory", "FileManager", "ha-nfc-file-manager", `<name>[LocalDS_0] disks</name>`, cookie);
    assert.is(mk.status, 200, mk.text);
    const vdm = "ha-vdiskmanager";
    const create = await startTask(
      "CreateVirtualDisk_Task",
      "VirtualDiskManager",
      vdm,
      `<name>${name}</name><spec xsi:type="FileBackedVirtualDiskSpec"><diskType>thin</diskType><adapterType>lsiLogic</adapterType><capacityKb>10240</capacityKb></spec>`,
    );
    assert.is(textOf(await taskInfo(create), "state"), "success");
    const browser = decode(prop((await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["datastoreBrowser"])).text, "datastoreBrowser"));
    const lookup = async (): Promise<string> => {
      const t = await startTask(
        "SearchDatastore_Task",
        "HostDatastoreBrowser",
        browser,
        '<datastorePath>[LocalDS_0] disks</datastorePath><searchSpec><query xsi:type="VmDiskFileQuery"><details><diskType>true</diskType>' +
          "<capacityKb>true</capacityKb><hardwareVersion>true</hardwareVersion><thin>true</thin></details></query>" +
          "<details><fileType>true</fileType><fileSize>true</fileSize><modification>false</modification></details>" +
          "<matchPattern>data.vmdk</matchPattern></searchSpec>",
      );
      const info = await taskInfo(t);
      assert.is(textOf(info, "state"), "success", info);
      assert.is(textOf(info, "folderPath"), "[LocalDS_0] disks");
      return info;
    };
    const created = await lookup();
    assert.is(textOf(created, "capacityKb"), "10240");
    assert.is(textOf(created, "thin"), "true");
    assert.is(textOf(created, "hardwareVersion"), "13");

    const grow = await startTask(
      "ExtendVirtualDisk_Task",
      "VirtualDiskManager",
      vdm,
      `<name>${name}</name><newCapacityKb>20480</newCapacityKb>`,
    );
    assert.is(textOf(await taskInfo(grow), "state"), "success");
    assert.is(textOf(await lookup(), "capacityKb"), "20480");
    const shrink = await startTask(
      "ExtendVirtualDisk_Task",
      "VirtualDiskManager",
      vdm,
      `<name>${name}</name><newCapacityKb>1024</newCapacityKb>`,
    );
    assert.match(
      await taskInfo(shrink),
      /<fault XMLSchema-instance:type="InvalidArgument"><invalidProperty>newCapacityKb<\/invalidProperty>/,
    );
    const wipe = await startTask("ZeroFillVirtualDisk_Task", "VirtualDiskManager", vdm, `<name>${name}</name>`);
    assert.is(textOf(await taskInfo(wipe), "state"), "success");
    const missing = await startTask("ZeroFillVirtualDisk_Task", "VirtualDiskManager", vdm, "<name>[LocalDS_0] disks/none.vmdk</name>");
    assert.match(await taskInfo(missing), /<fault XMLSchema-instance:type="FileNotFound">/);
  });

  test("RetrievePropertiesEx pages with maxObjects and ContinueRetrievePropertiesEx", async () => {
    const spec =
      '<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="HostSystem">ha-host</obj>' +
      '<skip>true</skip><selectSet xsi:type="TraversalSpec"><name>hostSystemToVm</name><type>HostSystem</type><path>vm</path>' +
      "<skip>false</skip></selectSet></objectSet></specSet><options><maxObjects>1</maxObjects></options>";
    const first = await call(sim, "RetrievePropertiesEx", "PropertyCollector", "ha-property-collector", spec, cookie);
    assert.is(first.status, 200, first.text);
    const token = textOf(first.text, "token");
    assert.type(token, "string");
    const page1 = textsOf(first.text, "obj");
    assert.is(page1.length, 1);
    const next = await call(
      sim,
      "ContinueRetrievePropertiesEx",
      "PropertyCollector",
      "ha-property-collector",
      `<token>${token ?? ""}</token>`,
      cookie,
    );
    assert.is(next.status, 200, next.text);
    assert.is(textOf(next.text, "token"), undefined);
    const page2 = textsOf(next.text, "obj");
    assert.equal([...page1, ...page2].sort(), [...vms.values()].sort());
    const again = await call(
      sim,
      "ContinueRetrievePropertiesEx",
      "PropertyCollector",
      "ha-property-collector",
      `<token>${token ?? ""}</token>`,
      cookie,
    );
    assert.is(again.status, 500);
    assert.is(faultType(again.text), "InvalidArgument");
  });

  test("an armed question holds PowerOnVM_Task until AnswerVM", async () => {
    const armed = await sim.control.question("ha-host_VM0");
    assert.equal(armed, { vm: vm("ha-host_VM0"), name: "ha-host_VM0", armed: true, questionId: undefined });
    const task = await startTask("PowerOnVM_Task", "VirtualMachine", vm("ha-host_VM0"));
    const running = await taskInfo(task);
    assert.is(textOf(running, "state"), "running");
    assert.is(textOf(running, "cancelable"), "true");
    assert.is(textOf(running, "name"), "PowerOnVM_Task");

    const q = prop((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM0"), ["runtime.question"])).text, "runtime.question");
    const id = textOf(q, "id") ?? "";
    assert.match(id, /^_vmx\d+$/);
    assert.equal(textsOf(q, "label"), ["Cancel", "I Moved It", "I Copied It"]);
    assert.equal(textsOf(q, "key"), ["0", "1", "2"]);
    assert.is(textOf(q, "defaultIndex"), "2");
    assert.is(await powerState("ha-host_VM0"), "poweredOff");

    const wrong = await call(
      sim,
      "AnswerVM",
      "VirtualMachine",
      vm("ha-host_VM0"),
      "<questionId>_vmx999</questionId><answerChoice>2</answerChoice>",
      cookie,
    );
    assert.is(faultType(wrong.text), "InvalidArgument");
    const badChoice = await call(
      sim,
      "AnswerVM",
      "VirtualMachine",
      vm("ha-host_VM0"),
      `<questionId>${id}</questionId><answerChoice>7</answerChoice>`,
      cookie,
    );
    assert.is(faultType(badChoice.text), "InvalidArgument");

    const answer = await call(
      sim,
      "AnswerVM",
      "VirtualMachine",
      vm("ha-host_VM0"),
      `<questionId>${id}</questionId><answerChoice>2</answerChoice>`,
      cookie,
    );
    assert.is(answer.status, 200, answer.text);
    assert.match(answer.text, /<AnswerVMResponse xmlns="urn:vim25"><\/AnswerVMResponse>/);
    const changes = await watchTask(task);
    assert.is(changes[changes.length - 1]?.value, "success");
    assert.is(await powerState("ha-host_VM0"), "poweredOn");
    assert.is(
      propVal((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM0"), ["runtime.question"])).text, "runtime.question"),
      undefined,
    );
  });

  test("the cancel answer ends the power-on with RequestCanceled", async () => {
    await sim.control.question("ha-host_VM1");
    const task = await startTask("PowerOnVM_Task", "VirtualMachine", vm("ha-host_VM1"));
    const q = prop((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM1"), ["runtime.question"])).text, "runtime.question");
    const answer = await call(
      sim,
      "AnswerVM",
      "VirtualMachine",
      vm("ha-host_VM1"),
      `<questionId>${textOf(q, "id") ?? ""}</questionId><answerChoice>0</answerChoice>`,
      cookie,
    );
    assert.is(answer.status, 200, answer.text);
    await watchTask(task);
    const info = await taskInfo(task);
    assert.is(textOf(info, "state"), "error");
    assert.match(info, /<fault XMLSchema-instance:type="RequestCanceled">/);
    assert.is(await powerState("ha-host_VM1"), "poweredOff");
  });

  test("a pending task refuses other tasks (TaskInProgress) and CancelTask cancels it", async () => {
    await sim.control.question("ha-host_VM1");
    const pending = await startTask("PowerOnVM_Task", "VirtualMachine", vm("ha-host_VM1"));
    const other = await startTask("ReconfigVM_Task", "VirtualMachine", vm("ha-host_VM1"), "<spec><annotation>x</annotation></spec>");
    const otherInfo = await taskInfo(other);
    assert.is(textOf(otherInfo, "state"), "error");
    assert.match(otherInfo, /<fault XMLSchema-instance:type="TaskInProgress"><task type="Task">([^<]+)<\/task>/);
    assert.is(/<fault XMLSchema-instance:type="TaskInProgress"><task type="Task">([^<]+)</.exec(otherInfo)?.[1], pending);

    const cancel = await call(sim, "CancelTask", "Task", pending, "", cookie);
    assert.is(cancel.status, 200, cancel.text);
    assert.match(cancel.text, /<CancelTaskResponse xmlns="urn:vim25"><\/CancelTaskResponse>/);
    const info = await taskInfo(pending);
    assert.is(textOf(info, "state"), "error");
    assert.is(textOf(info, "cancelled"), "true");
    assert.match(info, /<fault XMLSchema-instance:type="RequestCanceled">/);
    assert.is(
      propVal((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM1"), ["runtime.question"])).text, "runtime.question"),
      undefined,
    );
    assert.is(await powerState("ha-host_VM1"), "poweredOff");
    const again = await call(sim, "CancelTask", "Task", pending, "", cookie);
    assert.is(faultType(again.text), "InvalidState");
  });

  test("a question raised without a task shows in runtime.question until answered", async () => {
    const raised = await sim.control.question("ha-host_VM1", { now: true, choices: ["OK", "Cancel"], defaultIndex: 0 });
    assert.is(raised.armed, false);
    assert.match(raised.questionId ?? "", /^_vmx\d+$/);
    const q = prop((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM1"), ["runtime.question"])).text, "runtime.question");
    assert.is(textOf(q, "id"), raised.questionId);
    assert.equal(textsOf(q, "label"), ["OK", "Cancel"]);
    const answer = await call(
      sim,
      "AnswerVM",
      "VirtualMachine",
      vm("ha-host_VM1"),
      `<questionId>${raised.questionId ?? ""}</questionId><answerChoice>0</answerChoice>`,
      cookie,
    );
    assert.is(answer.status, 200, answer.text);
    assert.is(
      propVal((await retrieveOne(sim, cookie, "VirtualMachine", vm("ha-host_VM1"), ["runtime.question"])).text, "runtime.question"),
      undefined,
    );
  });

  test("RebootGuest needs a powered-on VM and answers a void response", async () => {
    const off = await call(sim, "RebootGuest", "VirtualMachine", vm("ha-host_VM1"), "", cookie);
    assert.is(off.status, 500);
    assert.is(faultType(off.text), "InvalidPowerState");
    const on = await call(sim, "RebootGuest", "VirtualMachine", vm("ha-host_VM0"), "", cookie);
    assert.is(on.status, 200, on.text);
    assert.match(on.text, /<soapenv:Body><RebootGuestResponse xmlns="urn:vim25"><\/RebootGuestResponse><\/soapenv:Body>/);
    assert.is(await powerState("ha-host_VM0"), "poweredOn");
  });

  test("two sessions waiting on the default collector both get updates", async () => {
    const sessions = [await login(sim), await login(sim)];
    const target = vm("ha-host_VM1");
    const spec =
      `<spec><propSet><type>VirtualMachine</type><pathSet>runtime.powerState</pathSet></propSet>` +
      `<objectSet>${moref("obj", "VirtualMachine", target)}</objectSet></spec><partialUpdates>false</partialUpdates>`;
    const wait = (c: string, version: string): Promise<string> =>
      call(
        sim,
        "WaitForUpdatesEx",
        "PropertyCollector",
        "ha-property-collector",
        `<version>${version}</version><options><maxWaitSeconds>30</maxWaitSeconds></options>`,
        c,
      ).then((r) => r.text);
    for (const c of sessions) {
      assert.is((await call(sim, "CreateFilter", "PropertyCollector", "ha-property-collector", spec, c)).status, 200);
      assert.match(await wait(c, ""), /poweredOff/);
    }
    const waits = sessions.map((c) => wait(c, "-"));
    const on = await startTask("PowerOnVM_Task", "VirtualMachine", target);
    assert.is(textOf(await taskInfo(on), "state"), "success");
    for (const text of await Promise.all(waits)) {
      assert.match(text, /<changeSet><name>runtime\.powerState<\/name><op>assign<\/op><val[^>]*>poweredOn<\/val><\/changeSet>/);
    }
    const off = await startTask("PowerOffVM_Task", "VirtualMachine", target);
    assert.is(textOf(await taskInfo(off), "state"), "success");
  });

  test("with a task duration a VM task runs with progress 0, 50, 100", async () => {
    // A fresh session: vcsim replays updates queued on a collector before a filter's first
    // WaitForUpdates, so an older session could see a stale progress value again.
    cookie = await login(sim);
    assert.is(await sim.control.taskDuration(4000), 4000);
    try {
      const task = await startTask("PowerOffVM_Task", "VirtualMachine", vm("ha-host_VM0"));
      const changes = await watchTask(task, ["info.state", "info.progress"]);
      assert.equal(
        changes.filter((c) => c.name === "info.progress").map((c) => c.value),
        ["0", "50", "100"],
      );
      assert.equal(
        changes.filter((c) => c.name === "info.state").map((c) => c.value),
        ["running", "success"],
      );
      assert.is(await powerState("ha-host_VM0"), "poweredOff");
    } finally {
      assert.is(await sim.control.taskDuration(0), 0);
    }
  });

  test("a question raised while a task is pending holds it; the cancel answer cancels it", async () => {
    assert.is(await sim.control.taskDuration(60_000), 60_000);
    try {
      const task = await startTask("PowerOnVM_Task", "VirtualMachine", vm("ha-host_VM0"));
      assert.is(textOf(await taskInfo(task), "state"), "running");
      const raised = await sim.control.question("ha-host_VM0", { now: true });
      const answer = await call(
        sim,
        "AnswerVM",
        "VirtualMachine",
        vm("ha-host_VM0"),
        `<questionId>${raised.questionId ?? ""}</questionId><answerChoice>0</answerChoice>`,
        cookie,
      );
      assert.is(answer.status, 200, answer.text);
      const info = await taskInfo(task);
      assert.is(textOf(info, "state"), "error");
      assert.match(info, /<fault XMLSchema-instance:type="RequestCanceled">/);
      assert.is(await powerState("ha-host_VM0"), "poweredOff");
    } finally {
      assert.is(await sim.control.taskDuration(0), 0);
    }
  });

  test("revoked sessions lose their cookie; a new Login works", async () => {
    assert.ok((await sim.control.revokeSessions()) >= 1); // every session so far
    const first = await login(sim);
    const second = await login(sim);
    assert.is(await sim.control.revokeSessions(first.slice("vmware_soap_session=".length)), 1);
    const r = await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", first);
    assert.is(r.status, 500);
    assert.is(faultType(r.text), "NotAuthenticated");
    const current = await retrieveOne(sim, first, "SessionManager", "ha-sessionmgr", ["currentSession"]);
    assert.is(current.status, 200);
    assert.is(propVal(current.text, "currentSession"), undefined);
    assert.is((await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", second)).status, 200);

    assert.is(await sim.control.revokeSessions(), 1);
    assert.is(faultType((await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", second)).text), "NotAuthenticated");
    cookie = await login(sim);
    const ok = await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", cookie);
    assert.is(ok.status, 200, ok.text);
    const mine = await retrieveOne(sim, cookie, "SessionManager", "ha-sessionmgr", ["currentSession"]);
    assert.is(textOf(prop(mine.text, "currentSession"), "userName"), "root");
  });

  test("stats count SOAP calls and the time spent serving them", async () => {
    await sim.control.resetStats();
    await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", cookie);
    await call(sim, "CurrentTime", "ServiceInstance", "ServiceInstance", "", cookie);
    await retrieveOne(sim, cookie, "HostSystem", "ha-host", ["name"]);
    const stats = await sim.control.stats();
    assert.is(stats.soapCalls, 3);
    assert.equal(Object.keys(stats.byMethod).sort(), ["CurrentTime", "RetrievePropertiesEx"]);
    assert.is(stats.byMethod["CurrentTime"]?.calls, 2);
    assert.is(stats.byMethod["RetrievePropertiesEx"]?.calls, 1);
    const sum = Object.values(stats.byMethod).reduce((n, m) => n + m.nanos, 0);
    assert.is(stats.serverNanos, sum);
    assert.ok(stats.serverNanos > 0);
  });

  test("RegisterVM_Task takes the VM's settings from its VMX", async () => {
    const uuid = "564d1234-5678-9abc-def0-123456789abc";
    const vmx = [
      '.encoding = "UTF-8"',
      'config.version = "8"',
      'virtualHW.version = "11"',
      'displayName = "Imported |22one|22"',
      'guestOS = "ubuntu-64"',
      'memsize = "512"',
      'numvcpus = "2"',
      'uuid.bios = "56 4d 12 34 56 78 9a bc-de f0 12 34 56 78 9a bc"',
      'annotation = "line 1|0Aline 2"',
      "",
    ].join("\n");
    const put = await fetch(`http://127.0.0.1:${sim.port}/folder/imported/imported.vmx?dcPath=ha-datacenter&dsName=LocalDS_0`, {
      method: "PUT",
      headers: { cookie },
      body: vmx,
    });
    assert.ok(put.status === 200 || put.status === 201, `PUT gave ${put.status}`);
    const task = await startTask(
      "RegisterVM_Task",
      "Folder",
      "ha-folder-vm",
      "<path>[LocalDS_0] imported/imported.vmx</path><asTemplate>false</asTemplate>" +
        moref("pool", "ResourcePool", "ha-root-pool") +
        moref("host", "HostSystem", "ha-host"),
    );
    const info = await taskInfo(task);
    assert.is(textOf(info, "state"), "success", info);
    const ref = /<result XMLSchema-instance:type="ManagedObjectReference" type="VirtualMachine">([^<]+)<\/result>/.exec(info)?.[1] ?? "";
    const r = await retrieveOne(sim, cookie, "VirtualMachine", ref, [
      "name",
      "config.hardware.numCPU",
      "config.hardware.memoryMB",
      "config.guestId",
      "config.uuid",
      "config.version",
      "config.annotation",
      "summary.config.numCpu",
    ]);
    assert.is(decode(prop(r.text, "name")), 'Imported "one"');
    assert.is(prop(r.text, "config.hardware.numCPU"), "2");
    assert.is(prop(r.text, "summary.config.numCpu"), "2");
    assert.is(prop(r.text, "config.hardware.memoryMB"), "512");
    assert.is(prop(r.text, "config.guestId"), "ubuntu64Guest");
    assert.is(prop(r.text, "config.uuid"), uuid);
    assert.is(prop(r.text, "config.version"), "vmx-11");
    assert.is(decode(prop(r.text, "config.annotation")), "line 1\nline 2");
    const again = await startTask(
      "RegisterVM_Task",
      "Folder",
      "ha-folder-vm",
      "<path>[LocalDS_0] imported/imported.vmx</path><asTemplate>false</asTemplate>" + moref("pool", "ResourcePool", "ha-root-pool"),
    );
    assert.match(await taskInfo(again), /<fault XMLSchema-instance:type="AlreadyExists">/);
  });

  test("removing the current root snapshot while others remain does not break vcsim", async () => {
    const target = vm("ha-host_VM1");
    const snap = async (name: string): Promise<string> => {
      const t = await startTask(
        "CreateSnapshot_Task",
        "VirtualMachine",
        target,
        `<name>${name}</name><memory>false</memory><quiesce>false</quiesce>`,
      );
      const info = await taskInfo(t);
      assert.is(textOf(info, "state"), "success", info);
      return /<result[^>]*>([^<]+)<\/result>/.exec(info)?.[1] ?? "";
    };
    const s1 = await snap("s1");
    await snap("s2");
    const revert = await startTask("RevertToSnapshot_Task", "VirtualMachineSnapshot", s1);
    assert.is(textOf(await taskInfo(revert), "state"), "success");
    const remove = await call(sim, "RemoveSnapshot_Task", "VirtualMachineSnapshot", s1, "<removeChildren>false</removeChildren>", cookie);
    assert.is(remove.status, 200, remove.text);
    const task = /<returnval type="Task">([^<]+)/.exec(remove.text)?.[1] ?? "";
    assert.is(textOf(await taskInfo(task), "state"), "success");
    const r = await retrieveOne(sim, cookie, "VirtualMachine", target, ["snapshot"]);
    const tree = prop(r.text, "snapshot");
    assert.equal(textsOf(tree, "name"), ["s2"]);
    assert.not.match(tree, /<currentSnapshot/);
    const cleanup = await startTask("RemoveAllSnapshots_Task", "VirtualMachine", target);
    assert.is(textOf(await taskInfo(cleanup), "state"), "success");
  });

  test("vCenter: ValidateMigration reports problems as events and MigrateVM_Task moves the VM", async () => {
    const vc = await startSimulator({ model: "vpx", vms: 1 });
    try {
      const c = await login(vc);
      const names = new Map<string, string>();
      for (const type of ["HostSystem", "VirtualMachine", "ResourcePool"]) {
        const view = await call(
          vc,
          "CreateContainerView",
          "ViewManager",
          "ViewManager",
          `${moref("container", "Folder", "group-d1")}<type>${type}</type><recursive>true</recursive>`,
          c,
        );
        const spec =
          `<specSet><propSet><type>${type}</type><pathSet>name</pathSet><pathSet>parent</pathSet></propSet>` +
          `<objectSet>${moref("obj", "ContainerView", textOf(view.text, "returnval") ?? "")}<skip>true</skip>` +
          '<selectSet xsi:type="TraversalSpec"><name>v</name><type>ContainerView</type><path>view</path></selectSet></objectSet></specSet><options></options>';
        const r = await call(vc, "RetrievePropertiesEx", "PropertyCollector", "propertyCollector", spec, c);
        for (const m of r.text.matchAll(
          /<obj type="\w+">([^<]+)<\/obj><propSet><name>name<\/name><val[^>]*>([^<]+)<\/val><\/propSet><propSet><name>parent<\/name><val[^>]*>([^<]+)</g,
        )) {
          names.set(`${type}:${decode(m[2] ?? "")}@${m[3] ?? ""}`, m[1] ?? "");
          names.set(`${type}:${decode(m[2] ?? "")}`, m[1] ?? "");
        }
      }
      const get = (key: string): string => {
        const v = names.get(key);
        if (v === undefined) throw new Error(`no ${key} in ${[...names.keys()].join(", ")}`);
        return v;
      };
      const vmRef = get("VirtualMachine:DC0_C0_RP0_VM0");
      const from = textOf((await retrieveOne(vc, c, "VirtualMachine", vmRef, ["runtime.host"])).text, "val") ?? "";
      const to = [get("HostSystem:DC0_C0_H0"), get("HostSystem:DC0_C0_H1")].find((h) => h !== from) ?? "";
      const clusterPool = decode(prop((await retrieveOne(vc, c, "VirtualMachine", vmRef, ["resourcePool"])).text, "resourcePool"));
      const standalonePool = decode(prop((await retrieveOne(vc, c, "HostSystem", get("HostSystem:DC0_H0"), ["parent"])).text, "parent"));
      const otherPool = decode(prop((await retrieveOne(vc, c, "ComputeResource", standalonePool, ["resourcePool"])).text, "resourcePool"));

      const ok = await call(
        vc,
        "ValidateMigration",
        "ServiceInstance",
        "ServiceInstance",
        moref("vm", "VirtualMachine", vmRef) + moref("pool", "ResourcePool", clusterPool) + moref("host", "HostSystem", to),
        c,
      );
      assert.is(ok.status, 200, ok.text);
      assert.match(ok.text, /<ValidateMigrationResponse xmlns="urn:vim25"><\/ValidateMigrationResponse>/);
      const bad = await call(
        vc,
        "ValidateMigration",
        "ServiceInstance",
        "ServiceInstance",
        moref("vm", "VirtualMachine", vmRef) + moref("pool", "ResourcePool", otherPool) + moref("host", "HostSystem", to),
        c,
      );
      assert.is(bad.status, 200, bad.text);
      assert.match(bad.text, /<returnval [^>]*XMLSchema-instance:type="MigrationResourceErrorEvent">/);
      assert.match(textOf(bad.text, "fullFormattedMessage") ?? "", /does not belong to the compute resource/);

      const r = await call(
        vc,
        "MigrateVM_Task",
        "VirtualMachine",
        vmRef,
        moref("pool", "ResourcePool", clusterPool) + moref("host", "HostSystem", to) + "<priority>defaultPriority</priority>",
        c,
      );
      assert.is(r.status, 200, r.text);
      const task = /<returnval type="Task">([^<]+)/.exec(r.text)?.[1] ?? "";
      const info = prop((await retrieveOne(vc, c, "Task", task, ["info"])).text, "info");
      assert.is(textOf(info, "state"), "success", info);
      assert.is(textOf(info, "name"), "MigrateVM_Task");
      assert.is(textOf((await retrieveOne(vc, c, "VirtualMachine", vmRef, ["runtime.host"])).text, "val"), to);
      assert.ok(textsOf(prop((await retrieveOne(vc, c, "HostSystem", to, ["vm"])).text, "vm"), "ManagedObjectReference").includes(vmRef));
      assert.not.ok(
        textsOf(propVal((await retrieveOne(vc, c, "HostSystem", from, ["vm"])).text, "vm") ?? "", "ManagedObjectReference").includes(vmRef),
      );
    } finally {
      await vc.stop();
    }
  });

  test("SIGTERM stops a simulator with exit code 0 and removes its datastores", async () => {
    const other = await startSimulator({ model: "esx", vms: 1, powerOn: false, questionVms: ["ha-host_VM0"] });
    const c = await login(other);
    // -question-vms armed a question; the launcher stops cleanly with that task pending.
    const found = await call(
      other,
      "FindByInventoryPath",
      "SearchIndex",
      "ha-searchindex",
      "<inventoryPath>ha-datacenter/vm/ha-host_VM0</inventoryPath>",
      c,
    );
    const vm0 = textOf(found.text, "returnval") ?? "";
    const on = await call(other, "PowerOnVM_Task", "VirtualMachine", vm0, "", c);
    const pending = textOf(on.text, "returnval") ?? "";
    assert.is(textOf(prop((await retrieveOne(other, c, "Task", pending, ["info"])).text, "info"), "state"), "running");
    assert.match(
      propVal((await retrieveOne(other, c, "VirtualMachine", vm0, ["runtime.question"])).text, "runtime.question") ?? "",
      /<id>_vmx1<\/id>/,
    );
    const host = await retrieveOne(other, c, "HostSystem", "ha-host", ["datastore"]);
    const ds = textOf(prop(host.text, "datastore"), "ManagedObjectReference") ?? "";
    const url = decode(prop((await retrieveOne(other, c, "Datastore", ds, ["summary.url"])).text, "summary.url"));
    assert.ok(existsSync(url), url);
    const result = await other.stop();
    assert.equal(result, { code: 0, signal: null });
    assert.not.ok(existsSync(url), `${url} is left behind`);
  });

  test("-tls serves a certificate whose thumbprints the ready line gives", async () => {
    const secure = await startSimulator({ model: "esx", vms: 0, tls: true });
    try {
      assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+\/sdk$/);
      assert.match(secure.thumbprintSha1 ?? "", /^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      assert.match(secure.thumbprintSha256 ?? "", /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const peer = await new Promise<{
        sha1: string;
        sha256: string;
        authorized: boolean;
        protocol: string | false | null;
      }>((resolve, reject) => {
        const socket = connect(
          { host: "127.0.0.1", port: secure.port, ca: secure.certPem ?? "", ALPNProtocols: ["h2", "http/1.1"] },
          () => {
            const cert = socket.getPeerCertificate();
            resolve({
              sha1: cert.fingerprint,
              sha256: cert.fingerprint256,
              authorized: socket.authorized,
              protocol: socket.alpnProtocol,
            });
            socket.end();
          },
        );
        socket.on("error", reject);
      });
      assert.is(peer.authorized, true);
      assert.is(peer.sha1, secure.thumbprintSha1);
      assert.is(peer.sha256, secure.thumbprintSha256);
      assert.is(peer.protocol, "http/1.1");
      assert.is(await secure.control.taskDuration(0), 0); // control endpoints over HTTPS with the served CA
    } finally {
      assert.equal(await secure.stop(), { code: 0, signal: null });
    }
  });

  test.run();
}
