/**
 * The committed bindings as `esxvi/vi` serves them: importing them registers no metadata;
 * a call loads the index of names and the metadata its method needs, nothing more. This
 * suite imports nothing else of the bindings, so the registry's state is the one a program
 * that imports `esxvi/vi` starts with.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PowerOnVM_Task, registry } from "../../entry/vi.js";
import { areas } from "../../generated/metadata/index.js";
import { decodeResponse, moRef, type SoapCaller } from "../../runtime/soap/index.js";

const RESPONSE =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<PowerOnVM_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-12</returnval></PowerOnVM_TaskResponse></soapenv:Body></soapenv:Envelope>';

/** Encodes and decodes as the client does, against a canned answer; keeps the request body. */
function cannedClient(requests: string[]): SoapCaller {
  return {
    async invoke(reg, method, args) {
      await reg.load(method);
      const compiled = reg.method(method);
      requests.push(await reg.run(() => compiled.encodeBody(args)));
      return reg.run(() => decodeResponse(reg, compiled, RESPONSE), RESPONSE);
    },
    bound(member) {
      throw new Error(`no ServiceContent here (${member})`);
    },
  };
}

/** The shard of the names index whose range holds `name`: the last whose start is not after it. */
function shardOf(name: string): number {
  let found = 0;
  areas.shards.starts.forEach((start, i) => {
    if (start <= name) found = i;
  });
  return found;
}

test("importing esxvi/vi registers no metadata", () => {
  assert.equal(registry.loadedAreas(), []);
  assert.equal(registry.loadedShards(), []);
  assert.equal(registry.objectNames(), []);
  assert.equal(registry.methodNames(), []);
});

test("a call loads the metadata of its method's module only", async () => {
  const requests: string[] = [];
  const task = await PowerOnVM_Task(cannedClient(requests), moRef("VirtualMachine", "vm-7"), { host: moRef("HostSystem", "ha-host") });
  assert.equal(task, moRef("Task", "task-12"));
  assert.equal(requests, [
    '<PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-7</_this><host type="HostSystem">ha-host</host></PowerOnVM_Task>',
  ]);
  // The area that defines PowerOnVM_Task (schema/vm.vi), and no other.
  assert.is(registry.loadedAreas().length, 1);
  assert.ok(registry.methodNames().includes("PowerOnVM_Task"));
  assert.ok(registry.objectNames().includes("VirtualMachineConfigSpec"));
  assert.not.ok(registry.objectNames().includes("TaskInfo"));
  // Of the names index, the shard that tells where the method is defined: what it mentions
  // (references: the parameters and the answer) no bindings module defines.
  assert.equal(registry.loadedShards(), [shardOf("PowerOnVM_Task")]);
  assert.ok(areas.shards.starts.length > 20, `the names index is cut into ${areas.shards.starts.length} shards`);
});

test.run();
