/**
 * isFault: one test for every way a fault reaches the layers above (a SOAP fault, a failed
 * task, a missing property, a fault data object), honouring the bindings' fault hierarchy;
 * a fault type the bindings do not know matches its own name and the base it decoded as.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { registry } from "../../generated/index.js";
import type { TaskInfo } from "../../generated/index.js";
import { faultTypeOf, isFault, SoapFaultError as TypedSoapFaultError, TaskError } from "../../runtime/faults.js";
import { faultFromDocument, SoapFaultError, type DataObject } from "../../runtime/soap/index.js";

const XSI = "http://www.w3.org/2001/XMLSchema-instance";

function soapFault(detail: string): string {
  return `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>it failed</faultstring><detail>${detail}</detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}

async function decodedFault(detail: string): Promise<SoapFaultError> {
  await registry.loadAll();
  const f = faultFromDocument(registry, "PowerOnVM_Task", soapFault(detail));
  if (f === undefined) throw new Error("no fault decoded");
  return f;
}

function failedTask(fault: DataObject): TaskError {
  return new TaskError({
    _typeName: "TaskInfo",
    error: { _typeName: "LocalizedMethodFault", fault, localizedMessage: "no" },
  } as unknown as TaskInfo);
}

test("a SOAP fault is its own type and every base of it, and nothing else", async () => {
  const f = await decodedFault(
    `<InvalidPowerStateFault xmlns="urn:vim25" xmlns:xsi="${XSI}" xsi:type="InvalidPowerState"><existingState>poweredOn</existingState></InvalidPowerStateFault>`,
  );
  assert.is(faultTypeOf(f), "InvalidPowerState");
  assert.equal(
    ["InvalidPowerState", "InvalidState", "VimFault", "MethodFault", "FileFault", "NotAuthenticated", "NoSuchType"].map((t) =>
      isFault(f, t),
    ),
    [true, true, true, true, false, false, false],
  );
});

test("a SOAP fault's detail is the MethodFault union, narrowed by _typeName", async () => {
  const e: unknown = await decodedFault(
    `<InvalidPowerStateFault xmlns="urn:vim25" xmlns:xsi="${XSI}" xsi:type="InvalidPowerState"><existingState>poweredOn</existingState></InvalidPowerStateFault>`,
  );
  // Compiles only while the detail is typed: existingState is a member of InvalidPowerState alone.
  const state = e instanceof TypedSoapFaultError && e.detail?._typeName === "InvalidPowerState" ? e.detail.existingState : undefined;
  assert.is(state, "poweredOn");
});

test("a task error, a LocalizedMethodFault, a MissingProperty and a bare fault object are tested alike", async () => {
  await registry.loadAll();
  const fileNotFound: DataObject = { _typeName: "FileNotFound", file: "[ds] x.vmx" } as DataObject;
  const task = failedTask(fileNotFound);
  assert.is(task.message, "FileNotFound - no");
  assert.ok(isFault(task, "FileNotFound"));
  assert.ok(isFault(task, "FileFault"));
  assert.not.ok(isFault(task, "InvalidState"));
  const lmf = { _typeName: "LocalizedMethodFault", fault: { _typeName: "NotAuthenticated" } };
  assert.ok(isFault(lmf, "NotAuthenticated"));
  assert.ok(isFault(lmf, "NoPermission"));
  assert.ok(isFault({ _typeName: "MissingProperty", path: "name", fault: lmf }, "NotAuthenticated"));
  assert.ok(isFault(fileNotFound, "VimFault"));
});

test("a fault type the bindings do not know matches its wire name and the known base it decoded as", async () => {
  const f = await decodedFault(
    `<FutureFault xmlns="urn:vim25" xmlns:xsi="${XSI}" xsi:type="FutureFault"><faultMessage><key>k</key><message>m</message></faultMessage></FutureFault>`,
  );
  assert.is(f.faultType, "FutureFault");
  assert.equal([isFault(f, "FutureFault"), isFault(f, "MethodFault"), isFault(f, "InvalidState")], [true, true, false]);
});

test("what carries no fault is no fault", () => {
  assert.equal(
    [isFault(new Error("x"), "MethodFault"), isFault(undefined, "MethodFault"), isFault("NotAuthenticated", "NotAuthenticated")],
    [false, false, false],
  );
  assert.is(faultTypeOf(new Error("x")), undefined);
});

test.run();
