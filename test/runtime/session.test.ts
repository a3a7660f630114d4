/**
 * Session on the simulator (ESX model): connect and product line, Logout on close (the
 * server's session list shrinks, later calls fail), transparent re-login after the server
 * ended the session (through a NotAuthenticated fault and through vcsim's missingSet
 * answer), one shared re-login for concurrent calls, and the password never in logs or
 * errors (it holds every character XML escapes).
 */
import { AuthenticationError } from "../../runtime/auth-error.js";
import { request as httpsRequest } from "node:https";
import type { IncomingMessage } from "node:http";
import { inspect } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CurrentTime, TerminateSession } from "../../generated/index.js";
import { causeChain } from "../../errors/esxvi-error.js";
import { lookupByType, ref, retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import { SoapFaultError } from "../../runtime/soap/index.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { captureLogger, connect, HA_HOST, localServer, originOf, soapEnvelope } from "./helpers.js";

const PASSWORD = `pa<ss>&"wo'rd;--`;
const SERVICE_INSTANCE = ref("ServiceInstance", "ServiceInstance");

let sim: Simulator;
/** A second session that watches the server's session list. */
let observer: Session;

async function sessionKeys(): Promise<string[]> {
  const r = await retrieveOne(observer, observer.ref("sessionManager"), ["sessionList"]);
  return (r.props.sessionList ?? []).map((s) => s.key).sort();
}

function launcherLogins(stats: Awaited<ReturnType<Simulator["control"]["stats"]>>): number {
  return stats.byMethod["Login"]?.calls ?? 0;
}

if (requireSimulator("runtime session")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", password: PASSWORD, tls: true });
    observer = await connect(sim);
  });

  test.after(async () => {
    await observer.close();
    await sim.stop();
  });

  test("connect reads the ServiceContent, checks it and logs in (ESX)", async () => {
    const s = await connect(sim);
    try {
      assert.is(s.productLine, "esx");
      assert.is(s.apiVersion, 6_005_000);
      assert.is(s.productVersion, 6_005_000);
      assert.is(s.about.apiType, "HostAgent");
      assert.is(s.vim.apiVersion, "6.5");
      assert.is(s.ref("sessionManager").value, "ha-sessionmgr");
      assert.is(s.userSession.userName, sim.user);
      assert.ok((await sessionKeys()).includes(s.userSession.key));
      const current = await s.currentSession();
      assert.is(current?.key, s.userSession.key);
    } finally {
      await s.close();
    }
  });

  test("close logs out: the server forgets the session and later calls fail", async () => {
    const s = await connect(sim);
    const key = s.userSession.key;
    assert.ok((await sessionKeys()).includes(key));
    await sim.control.resetStats();
    await s.close();
    assert.is(s.closed, true);
    assert.is((await sim.control.stats()).byMethod["Logout"]?.calls, 1);
    assert.not.ok((await sessionKeys()).includes(key));
    try {
      await CurrentTime(s.client, SERVICE_INSTANCE);
      assert.unreachable("a call after close succeeded");
    } catch (e) {
      assert.instance(e, Error);
      assert.is((e as { code?: unknown }).code, "OPERATION_INVALID");
      assert.match((e as Error).message, /session .*closed/);
    }
    await s.close(); // twice is harmless
  });

  test("a revoked session: the next SOAP call logs in again, the caller sees nothing (fault path)", async () => {
    const s = await connect(sim);
    try {
      const before = s.userSession.key;
      assert.is(await sim.control.revokeSessions(before), 1);
      assert.not.ok((await sessionKeys()).includes(before));
      const logins = s.vim.stats.byMethod.get("Login");
      const now = await CurrentTime(s.client, SERVICE_INSTANCE);
      assert.instance(now, Date);
      assert.is(s.vim.stats.byMethod.get("Login"), (logins ?? 0) + 1);
      assert.is.not(s.userSession.key, before);
      assert.ok((await sessionKeys()).includes(s.userSession.key));
    } finally {
      await s.close();
    }
  });

  test("TerminateSession from another session: a property retrieval logs in again (missingSet path)", async () => {
    const s = await connect(sim);
    try {
      const before = s.userSession.key;
      await TerminateSession(observer.client, { sessionId: [before] });
      assert.not.ok((await sessionKeys()).includes(before));
      // vcsim answers RetrievePropertiesEx without a session with every property missing.
      const vms = await lookupByType(s, HA_HOST, "VirtualMachine", ["name", "runtime.powerState"]);
      assert.equal(vms.map((v) => v.props.name).sort(), ["ha-host_VM0", "ha-host_VM1"]);
      assert.ok(vms.every((v) => v.missing.length === 0 && v.props["runtime.powerState"] === "poweredOn"));
      assert.is.not(s.userSession.key, before);
      assert.is(s.vim.stats.byMethod.get("Login"), 2);
    } finally {
      await s.close();
    }
  });

  test("concurrent calls during a lost session share one re-login", async () => {
    const s = await connect(sim);
    try {
      await sim.control.revokeSessions(s.userSession.key);
      await sim.control.resetStats();
      const results = await Promise.all([
        ...Array.from({ length: 10 }, () => CurrentTime(s.client, SERVICE_INSTANCE)),
        ...Array.from({ length: 10 }, () => lookupByType(s, HA_HOST, "VirtualMachine", ["name"])),
      ]);
      assert.is(results.length, 20);
      for (const r of results.slice(10)) assert.is((r as unknown[]).length, 2);
      assert.is(launcherLogins(await sim.control.stats()), 1);
      assert.is(s.vim.stats.byMethod.get("Login"), 2);
    } finally {
      await s.close();
    }
  });

  test("a server that faults the session check itself (NotAuthenticated): still one re-login, no deadlock", async () => {
    const target = new URL(originOf(sim));
    let faultChecks = 0;
    const proxy = await localServer((req, res) => {
      if (req.body.includes("<pathSet>currentSession</pathSet>")) {
        faultChecks++;
        res.writeHead(500, { "content-type": "text/xml; charset=utf-8" });
        res.end(
          soapEnvelope(
            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring></faultstring><detail>" +
              '<NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="SessionManager">ha-sessionmgr</object>' +
              "<privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>",
          ),
        );
        return;
      }
      const out = httpsRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, ca: sim.certPem ?? "" },
        (up: IncomingMessage) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.end(req.body);
    });
    const s = await connect(sim, { origin: proxy.origin });
    try {
      const before = s.userSession.key;
      await sim.control.revokeSessions(before);
      assert.instance(await CurrentTime(s.client, SERVICE_INSTANCE), Date);
      assert.is(faultChecks, 1);
      assert.is(s.vim.stats.byMethod.get("Login"), 2);
      assert.is.not(s.userSession.key, before);
    } finally {
      await s.close();
      await proxy.close();
    }
  });

  test("EnsureSession: another session under our cookie is an error, as in libvirt", async () => {
    const s = await connect(sim);
    try {
      // Pretend the last login gave another key: the server's current session no longer matches.
      s.userSession = { ...s.userSession, key: "not-the-key" };
      try {
        await s.ensureSession();
        assert.unreachable("ensureSession accepted a foreign session");
      } catch (e) {
        assert.is((e as Error).message, "Key of the current session differs from the key at last login");
      }
    } finally {
      await s.close();
    }
  });

  test("a wrong password is an AuthenticationError caused by the InvalidLogin fault; no password in errors, logs or the session", async () => {
    const cap = captureLogger();
    let failure: unknown;
    try {
      await connect(sim, { password: `${PASSWORD}x`, logger: cap.logger });
    } catch (e) {
      failure = e;
    }
    assert.instance(failure, AuthenticationError);
    assert.is((failure as AuthenticationError).code, "AUTH_FAILED");
    assert.is((failure as AuthenticationError).message, "Login failed: InvalidLogin - Login failure");
    assert.instance((failure as AuthenticationError).cause, SoapFaultError);
    const fault = (failure as AuthenticationError).cause as SoapFaultError;
    assert.is(fault.faultType, "InvalidLogin");
    assert.is(fault.method, "Login");
    assert.is(fault.message, "Login failed: InvalidLogin - Login failure");

    const s = await connect(sim, { logger: cap.logger });
    try {
      await sim.control.revokeSessions(s.userSession.key);
      await CurrentTime(s.client, SERVICE_INSTANCE);
      await lookupByType(s, HA_HOST, "VirtualMachine", ["name"]);
      const everything = [
        cap.text(),
        ...[...causeChain(failure)].map((e) => (e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e))),
        inspect(s, { depth: 8, showHidden: true }),
        inspect(failure, { depth: 8, showHidden: true }),
      ].join("\n");
      assert.ok(
        cap.lines.some((l) => l.message.includes("logged in again")),
        cap.text(),
      );
      for (const piece of [PASSWORD, "pa<ss>", "&quot;wo&apos;rd", "pa&lt;ss&gt;"]) {
        assert.not.ok(everything.includes(piece), `'${piece}' leaked`);
      }
    } finally {
      await s.close();
    }
  });

  test.run();
}
