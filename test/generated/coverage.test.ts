/**
 * schema/ covers everything libvirt 11.3.0 declares, and what our drivers need beyond it.
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { allMembers } from "../../generator/schema/model.js";
import { loadSchema } from "../../generator/schema/load.js";
import { LIBVIRT_INPUT, missingReference, ROOT } from "../support/paths.js";

const ours = loadSchema([join(ROOT, "schema")], ROOT);

test("every enum, object, managed object and method of libvirt's schema is in schema/", () => {
  const skip = missingReference(LIBVIRT_INPUT);
  if (skip !== undefined) return console.log(skip);
  const lib = loadSchema([LIBVIRT_INPUT], ROOT);
  const missing: string[] = [];
  for (const name of lib.enums.keys()) if (!ours.enums.has(name)) missing.push(`enum ${name}`);
  for (const name of lib.objects.keys()) if (!ours.objects.has(name)) missing.push(`object ${name}`);
  for (const name of lib.managed.keys()) if (!ours.managed.has(name)) missing.push(`managed object ${name}`);
  for (const name of lib.methods.keys()) if (!ours.methods.has(name)) missing.push(`method ${name}`);
  assert.equal(missing, []);
  // libvirt's members are a subset of ours, with the same occurrence where both define them.
  const differences: string[] = [];
  for (const [name, decl] of lib.objects) {
    const mine = ours.objects.get(name);
    if (mine === undefined || name === "MethodFault") continue;
    const members = new Map(allMembers(ours, mine).map((m) => [m.name, m]));
    for (const m of allMembers(lib, decl)) {
      if (m.occ === "i") continue;
      const o = members.get(m.name);
      if (o === undefined) differences.push(`${name}.${m.name} missing`);
      else if (o.type.name !== m.type.name) differences.push(`${name}.${m.name}: ${m.type.name} in libvirt, ${o.type.name} here`);
    }
  }
  // Where libvirt's hand-written schema and the 7.0 U2 WSDL disagree, schema/ follows the WSDL.
  assert.equal(differences, [
    // The WSDL declares it a KeyValue list (key and value strings); libvirt says KeyAnyValue.
    "NetDhcpConfigInfoDhcpOptions.config: KeyAnyValue in libvirt, KeyValue here",
  ]);
});

test("the methods and managed objects the drivers need beyond libvirt", () => {
  for (const m of ["RetrieveServiceContent", "ValidateMigration", "RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "CancelRetrievePropertiesEx", "WaitForUpdatesEx", "CancelWaitForUpdates", "CreateContainerView", "DestroyView", "ResetVM_Task", "RevertToCurrentSnapshot_Task", "TerminateSession", "CurrentTime"]) {
    assert.ok(ours.methods.has(m), m);
  }
  for (const mo of ["VirtualMachine", "Datastore", "Network", "Task", "HostSystem"]) assert.ok(ours.managed.has(mo), mo);
  const spec = ours.objects.get("VirtualMachineConfigSpec");
  assert.ok(spec?.members.some((m) => m.name === "deviceChange" && m.type.name === "VirtualDeviceConfigSpec" && m.occ === "ol"));
});

test("every method's _this is typed or bound to a ServiceContent member", () => {
  const untyped = [...ours.methods.values()].filter((m) => m.params[0]?.bind === undefined && m.params[0]?.type.moType === undefined).map((m) => m.name);
  // The 7.0 methods pyVmomi's 6.7 tables do not describe are declared by hand (schema/managed-objects.vi).
  assert.equal(untyped, []);
  assert.ok(ours.methods.get("CloneVM_Task")?.params[0]?.type.moType === "VirtualMachine");
  assert.equal(ours.methods.get("CloneVM_Task")?.taskResult, { type: { name: "ManagedObjectReference", moType: "VirtualMachine" }, occ: "r" });
});

test.run();
