/**
 * SOAP calls on the simulator: the requests a Session really sends (through a recording
 * reverse proxy: no SOAPAction before RetrieveServiceContent, urn:vim25/6.5 after, the
 * password escaped), values with every XML-special character round-tripping through
 * ReconfigVM_Task, 20 concurrent calls on one session, and real server faults decoded into
 * SoapFaultErrors with their type and detail.
 */
import { request, type IncomingMessage } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CurrentTime,
  PowerOnVM_Task,
  QueryVirtualDiskUuid,
  ReconfigVM_Task,
  SessionIsActive,
  ShutdownGuest,
  TerminateSession,
} from "../../generated/index.js";
import { VimClient } from "../../runtime/client.js";
import { HttpTransport } from "../../runtime/http/transport.js";
import { lookupByType, ref, retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import { moRef, SoapFaultError, type MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect, HA_HOST, localServer, originOf, vmsByName } from "./helpers.js";

const PASSWORD = `a<b&c>"d'e`;
const SI = ref("ServiceInstance", "ServiceInstance");

let sim: Simulator;
let session: Session;
let vms: Map<string, MoRef<"VirtualMachine">>;

function vm(name: string): MoRef<"VirtualMachine"> {
  const v = vms.get(name);
  if (v === undefined) throw new Error(`no VM ${name}`);
  return v;
}

async function fault(p: Promise<unknown>): Promise<SoapFaultError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SoapFaultError) return e;
    throw e;
  }
  throw new Error("the call succeeded");
}

if (requireSimulator("runtime SOAP calls")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 3, powerOn: false, password: PASSWORD });
    session = await connect(sim);
    vms = await vmsByName(session);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test("a session's requests: SOAPAction urn:vim25/6.5 once known, text/xml UTF-8, password escaped", async () => {
    const target = new URL(originOf(sim));
    const proxy = await localServer((req, res) => {
      const out = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up: IncomingMessage) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.end(req.body);
    });
    try {
      const s = await connect(sim, { origin: proxy.origin });
      await CurrentTime(s.client, SI);
      await s.close();
      const seen = proxy.requests.map((r) => [
        /<soapenv:Body>\n<(\w+)/.exec(r.body)?.[1],
        r.headers["soapaction"],
        r.headers["content-type"],
      ]);
      assert.equal(seen, [
        ["RetrieveServiceContent", undefined, "text/xml; charset=utf-8"],
        ["Login", "urn:vim25/6.5", "text/xml; charset=utf-8"],
        ["CurrentTime", "urn:vim25/6.5", "text/xml; charset=utf-8"],
        ["Logout", "urn:vim25/6.5", "text/xml; charset=utf-8"],
      ]);
      const login = proxy.requests[1]?.body ?? "";
      assert.ok(login.includes(`<userName>root</userName><password>a&lt;b&amp;c&gt;"d'e</password>`), login);
      assert.ok(proxy.requests.slice(2).every((r) => /^vmware_soap_session=[0-9a-f-]+$/.test(r.headers["cookie"] ?? "")));
    } finally {
      await proxy.close();
    }
  });

  test("text with every XML-special character round-trips through ReconfigVM_Task", async () => {
    const name = `<&>"' ]]> %25 é 🙂`;
    const annotation = `line 1 <b attr="x">&amp;</b>\nline 2 'quoted' "double"\n<!-- not a comment --><![CDATA[not cdata]]>`;
    const extra = `<value with="attr">&lt;&#x41;</value>`;
    const target = vm("ha-host_VM2");
    const task = await ReconfigVM_Task(session.client, target, {
      spec: {
        _typeName: "VirtualMachineConfigSpec",
        name,
        annotation,
        extraConfig: [{ _typeName: "OptionValue", key: "guestinfo.esxvi.test", value: extra }],
      },
    });
    const info = await waitForTask(session, task);
    assert.is(info.state, "success");
    const r = await retrieveOne(session, target, ["name", "config.annotation", "config.extraConfig"]);
    assert.is(r.props.name, name);
    assert.is(r.props["config.annotation"], annotation);
    const option = (r.props["config.extraConfig"] ?? []).find((o) => o.key === "guestinfo.esxvi.test");
    assert.is(option?.value, extra);
    // The host sees the same name in its VM list.
    const listed = await lookupByType(session, HA_HOST, "VirtualMachine", ["name"]);
    assert.ok(listed.some((v) => v.props.name === name && v.obj.value === target.value));
  });

  test("20 concurrent calls on one session all succeed with their own answers", async () => {
    await sim.control.resetStats();
    const names = ["ha-host_VM0", "ha-host_VM1"]; // VM2 is renamed above
    const jobs: Promise<string>[] = [];
    for (let i = 0; i < 20; i++) {
      const n = names[i % names.length] ?? "";
      if (i % 4 === 3) jobs.push(CurrentTime(session.client, SI).then((d) => (d instanceof Date ? "time" : "bad")));
      else jobs.push(retrieveOne(session, vm(n), ["name"]).then((r) => r.props.name ?? ""));
    }
    const got = await Promise.all(jobs);
    const want = Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? "time" : (names[i % names.length] ?? "")));
    assert.equal(got, want);
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["RetrievePropertiesEx"]?.calls, 15);
    assert.is(stats.byMethod["CurrentTime"]?.calls, 5);
    assert.is(stats.byMethod["Login"], undefined);
  });

  test("NotAuthenticated: a call without a session", async () => {
    const c = new VimClient({ transport: new HttpTransport({ origin: originOf(sim), tls: { verify: true } }) });
    try {
      const f = await fault(CurrentTime(c, SI));
      assert.is(f.faultType, "NotAuthenticated");
      assert.is(f.faultCode, "ServerFaultCode");
      assert.equal(f.detail, {
        _typeName: "NotAuthenticated",
        object: moRef("ServiceInstance", "ServiceInstance"),
        privilegeId: "System.View",
      });
    } finally {
      await c.close();
    }
  });

  test("InvalidPowerState: ShutdownGuest of a powered-off VM", async () => {
    const f = await fault(ShutdownGuest(session.client, vm("ha-host_VM0")));
    assert.is(f.faultType, "InvalidPowerState");
    assert.is(f.method, "ShutdownGuest");
    assert.equal(f.detail, { _typeName: "InvalidPowerState", requestedState: "poweredOn", existingState: "poweredOff" });
    assert.is((await retrieveOne(session, vm("ha-host_VM0"), ["runtime.powerState"])).props["runtime.powerState"], "poweredOff");
  });

  test("ManagedObjectNotFound: a reference to nothing", async () => {
    const ghost = ref("VirtualMachine", "vm-4242");
    let f = await fault(PowerOnVM_Task(session.client, ghost));
    assert.is(f.faultType, "ManagedObjectNotFound");
    assert.equal(f.detail, { _typeName: "ManagedObjectNotFound", obj: ghost });
    f = await fault(retrieveOne(session, ghost, ["name"]));
    assert.is(f.faultType, "ManagedObjectNotFound");
    assert.is(f.method, "RetrievePropertiesEx");
    assert.equal(f.detail, { _typeName: "ManagedObjectNotFound", obj: ghost });
  });

  test("InvalidArgument and NotFound: TerminateSession of our own and of an unknown session", async () => {
    let f = await fault(TerminateSession(session.client, { sessionId: [session.userSession.key] }));
    assert.is(f.faultType, "InvalidArgument");
    assert.is(f.detail?._typeName, "InvalidArgument");
    f = await fault(TerminateSession(session.client, { sessionId: ["00000000-0000-0000-0000-000000000000"] }));
    assert.is(f.faultType, "NotFound");
    assert.equal(f.detail, { _typeName: "NotFound" });
    // Our session survived both.
    assert.instance(await CurrentTime(session.client, SI), Date);
  });

  test("FileNotFound: the UUID of a disk that does not exist", async () => {
    const f = await fault(QueryVirtualDiskUuid(session.client, { name: "[LocalDS_0] nowhere/none.vmdk" }));
    assert.is(f.faultType, "FileNotFound");
    assert.is(f.detail?._typeName, "FileNotFound");
    assert.match((f.detail as { file?: string } | undefined)?.file ?? "", /none\.vmdk$/);
  });

  test("NotImplemented and MethodNotFound", async () => {
    let f = await fault(SessionIsActive(session.client, { sessionID: session.userSession.key, userName: sim.user }));
    assert.is(f.faultType, "NotImplemented");
    // CurrentTime sent to a HostSystem, which has no such method.
    const host = HA_HOST as unknown as MoRef<"ServiceInstance">;
    f = await fault(CurrentTime(session.client, host));
    assert.is(f.faultType, "MethodNotFound");
    assert.equal(f.detail, { _typeName: "MethodNotFound", receiver: HA_HOST, method: "CurrentTime" });
  });

  test.run();
}
