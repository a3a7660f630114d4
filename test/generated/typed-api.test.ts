/**
 * The bindings of the whole API are typed end to end: references by managed object type,
 * task results, property paths, inputs without `_typeName` where the slot is concrete.
 * The functions below are compiled, not run (the build fails when a typing regresses); the
 * tests run what has a run-time side: the encoder choosing the slot's type.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CloneVM_Task, CreateSnapshot_Task, ReconfigVM_Task, registry, type AnyMethodFault, type VirtualMachinePowerState } from "../../generated/index.js";
import type { PathValue, ManagedPropertyPath } from "../../runtime/property-collector.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { TaskError } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { moRef, type MoRef, type SoapCaller } from "../../runtime/soap/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typeIs = <T extends true>(_: T): void => undefined;

export async function compiledOnly(session: Session, client: SoapCaller): Promise<void> {
  const vm = moRef("VirtualMachine", "vm-1");
  const host = moRef("HostSystem", "host-1");
  const folder = moRef("Folder", "group-v1");
  // _this and parameters take the managed object type the API declares.
  const task = await CloneVM_Task(client, vm, { folder, name: "copy", spec: { powerOn: false, template: false, location: {} } });
  // @ts-expect-error a HostSystem is not a VirtualMachine
  await CloneVM_Task(client, host, { folder, name: "copy", spec: { powerOn: false, template: false, location: {} } });
  // @ts-expect-error a required parameter is missing
  await CloneVM_Task(client, vm, { folder, spec: { powerOn: false, template: false, location: {} } });
  // The task knows its result.
  const done = await waitForTask(session, task);
  typeIs<Equal<typeof done.result, MoRef<"VirtualMachine">>>(true);
  const snap = await waitForTask(session, await CreateSnapshot_Task(client, vm, { name: "s", memory: false, quiesce: false }));
  typeIs<Equal<typeof snap.result, MoRef<"VirtualMachineSnapshot">>>(true);
  // Inputs: no _typeName where the slot's type is concrete; optional members take undefined.
  await ReconfigVM_Task(client, vm, { spec: { numCPUs: 2, memoryMB: undefined } });
  // A slot that admits subtypes needs the _typeName that chooses one.
  // @ts-expect-error the device's type is not named
  await ReconfigVM_Task(client, vm, { spec: { deviceChange: [{ _typeName: "VirtualDeviceConfigSpec", operation: "add", device: { key: 1 } }] } });
  await ReconfigVM_Task(client, vm, { spec: { deviceChange: [{ _typeName: "VirtualDeviceConfigSpec", operation: "add", device: { _typeName: "VirtualE1000", key: -1 } }] } });
  // Property paths are checked and typed.
  const r = await retrieveOne(session, vm, ["config.hardware.numCPU", "runtime.powerState"]);
  typeIs<Equal<NonNullable<(typeof r.props)["config.hardware.numCPU"]>, number>>(true);
  // An open enum: its values are offered to the editor, any string is accepted.
  typeIs<Mutual<NonNullable<(typeof r.props)["runtime.powerState"]>, VirtualMachinePowerState>>(true);
  // @ts-expect-error a misspelled path
  await retrieveOne(session, vm, ["config.hardwre.numCPU"]);
  typeIs<Equal<PathValue<{ a?: { b: number } }, "a.b">, number>>(true);
  const paths: ManagedPropertyPath<"VirtualMachine">[] = ["summary.quickStats.overallCpuUsage", "guest.net", "config.extraConfig"];
  void paths;
}

/** A task's fault narrows by _typeName. */
export function faultDetail(e: TaskError): string | undefined {
  const f: AnyMethodFault | undefined = e.fault;
  if (f?._typeName === "InvalidPowerState") return f.existingState;
  return undefined;
}

test("a data object without _typeName is encoded as the slot's own type", async () => {
  await registry.load("ReconfigVM_Task");
  const body = registry.method("ReconfigVM_Task").encodeBody({ _this: moRef("VirtualMachine", "vm-1"), spec: { numCPUs: 2, memoryMB: undefined } });
  assert.is(body, '<ReconfigVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-1</_this><spec><numCPUs>2</numCPUs></spec></ReconfigVM_Task>');
});

test.run();
