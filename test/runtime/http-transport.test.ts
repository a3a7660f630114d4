/**
 * The SOAP client over the HTTP transport, against a tiny local server that records every
 * request: headers (Content-Type, SOAPAction once the API version is known, the session
 * cookie), keep-alive, redirects reported and not followed, HTTP errors, SOAP faults with
 * decoded details (ESX's and vcsim's namespace prefixes), AbortSignals and timeouts.
 */
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import type { ServerResponse } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CurrentTime } from "../../generated/index.js";
import { VimClient } from "../../runtime/client.js";
import { AbortError } from "../../errors/esxvi-error.js";
import { HttpError, TransportError } from "../../runtime/http/http-errors.js";
import { HttpTransport } from "../../runtime/http/transport.js";
import { DecodeError, moRef, SoapFaultError } from "../../runtime/soap/index.js";
import { localServer, soapEnvelope, type LocalServer, type RecordedRequest } from "./helpers.js";

const SI = moRef("ServiceInstance", "ServiceInstance");
const NOW = "2024-05-06T07:08:09.123456Z";
const TIME_RESPONSE = soapEnvelope(`<CurrentTimeResponse xmlns="urn:vim25"><returnval>${NOW}</returnval></CurrentTimeResponse>`);

type Handler = (req: RecordedRequest, res: ServerResponse) => void;

let server: LocalServer;
let handler: Handler = (_req, res) => res.end();
/** Resolvers waiting for the next request the server receives. */
let arrivals: ((r: RecordedRequest) => void)[] = [];
const remotePorts: (number | undefined)[] = [];

function nextArrival(): Promise<RecordedRequest> {
  return new Promise((resolve) => arrivals.push(resolve));
}

function client(options: { timeoutMs?: number; maxResponseBytes?: number } = {}): VimClient {
  return new VimClient({ transport: new HttpTransport({ origin: server.origin, tls: { verify: true }, ...options }) });
}

function answer(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "text/xml; charset=utf-8", ...headers });
    res.end(body);
  };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("the call succeeded");
}

test.before(async () => {
  server = await localServer((req, res, raw) => {
    remotePorts.push(raw.socket.remotePort);
    const waiting = arrivals;
    arrivals = [];
    for (const w of waiting) w(req);
    handler(req, res);
  });
});

test.after(async () => {
  await server.close();
});

test.before.each(() => {
  server.requests.length = 0;
  remotePorts.length = 0;
  handler = answer(200, TIME_RESPONSE);
});

test("requests: POST /sdk, text/xml UTF-8, SOAPAction once the API version is known, connections kept alive", async () => {
  const c = client();
  try {
    const first = await CurrentTime(c, SI);
    assert.is(first.toISOString(), "2024-05-06T07:08:09.123Z");
    c.apiVersion = "6.5";
    await CurrentTime(c, SI);
    const [a, b] = server.requests;
    assert.ok(a !== undefined && b !== undefined);
    for (const r of [a, b]) {
      assert.is(r.method, "POST");
      assert.is(r.url, "/sdk");
      assert.is(r.headers["content-type"], "text/xml; charset=utf-8");
      assert.match(r.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<soapenv:Envelope\n xmlns:soapenv=/);
      assert.ok(
        r.body.includes(
          '<soapenv:Body>\n<CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime>\n</soapenv:Body>',
        ),
        r.body,
      );
    }
    assert.is(a.headers["soapaction"], undefined);
    assert.is(b.headers["soapaction"], "urn:vim25/6.5");
    // Keep-alive: calls that follow each other at once all go over one connection (undici
    // would give a call sent within a turn of the event loop of the last answer another one).
    for (let i = 0; i < 8; i++) await CurrentTime(c, SI);
    assert.is(remotePorts.length, 10);
    assert.is(new Set(remotePorts).size, 1, `10 sequential calls used ${new Set(remotePorts).size} connections`);
    assert.equal([...c.stats.byMethod], [["CurrentTime", 10]]);
  } finally {
    await c.close();
  }
});

test("attribute and text values are XML-escaped in requests", async () => {
  const c = client();
  try {
    await CurrentTime(c, moRef(`Odd"<&>'Type`, `va<l>&"'ue`) as unknown as typeof SI);
    const body = server.requests[0]?.body ?? "";
    assert.ok(body.includes(`<_this type="Odd&quot;&lt;&amp;&gt;&apos;Type">va&lt;l&gt;&amp;"'ue</_this>`), body);
  } finally {
    await c.close();
  }
});

test("the session cookie of Set-Cookie goes back on every later request", async () => {
  const c = client();
  try {
    handler = answer(200, TIME_RESPONSE, { "set-cookie": 'vmware_soap_session="52c0ffee-0000"; Path=/; HttpOnly; Secure;' });
    await CurrentTime(c, SI);
    handler = answer(200, TIME_RESPONSE);
    await CurrentTime(c, SI);
    assert.is(server.requests[0]?.headers["cookie"], undefined);
    assert.is(server.requests[1]?.headers["cookie"], 'vmware_soap_session="52c0ffee-0000"');
  } finally {
    await c.close();
  }
});

test("a redirect is reported with its target and not followed", async () => {
  const c = client();
  try {
    handler = answer(301, "", { location: "https://elsewhere.example/sdk" });
    const e = await failure(CurrentTime(c, SI));
    assert.instance(e, HttpError);
    const h = e as HttpError;
    assert.is(h.code, "HTTP_ERROR");
    assert.is(h.status, 301);
    assert.is(h.location, "https://elsewhere.example/sdk");
    assert.is(h.message, "POST /sdk: the server redirects to https://elsewhere.example/sdk; redirects are not followed");
    assert.is(server.requests.length, 1);
  } finally {
    await c.close();
  }
});

test("statuses other than 200 and a 500 SOAP fault are HttpErrors naming the method and status", async () => {
  const c = client();
  try {
    const table: [number, string, string][] = [
      [404, "no such page", "CurrentTime: the server answered HTTP 404: no such page"],
      [503, "", "CurrentTime: the server answered HTTP 503"],
      [
        500,
        "<html><body>Internal Server Error</body></html>",
        "CurrentTime: the server answered HTTP 500: <html><body>Internal Server Error</body></html>",
      ],
      [401, "", "CurrentTime: the server answered HTTP 401"],
    ];
    for (const [status, body, message] of table) {
      handler = answer(status, body);
      const e = await failure(CurrentTime(c, SI));
      assert.instance(e, HttpError, String(status));
      assert.is((e as HttpError).status, status);
      assert.is((e as HttpError).url, `${server.origin}/sdk`);
      assert.is((e as HttpError).message, message);
    }
  } finally {
    await c.close();
  }
});

test("a SOAP fault becomes a SoapFaultError with its type and decoded detail (xsi and XMLSchema-instance prefixes)", async () => {
  const c = client();
  try {
    // ESX: the xsi prefix of the envelope.
    handler = answer(
      500,
      soapEnvelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The attempted operation cannot be performed in the current state (Powered off).</faultstring>" +
          '<detail><InvalidPowerStateFault xmlns="urn:vim25" xsi:type="InvalidPowerState"><requestedState>poweredOn</requestedState><existingState>poweredOff</existingState></InvalidPowerStateFault></detail></soapenv:Fault>',
      ),
    );
    let e = await failure(CurrentTime(c, SI));
    assert.instance(e, SoapFaultError);
    let f = e as SoapFaultError;
    assert.is(f.code, "SOAP_FAULT");
    assert.is(f.faultType, "InvalidPowerState");
    assert.is(f.faultCode, "ServerFaultCode");
    assert.is(
      f.message,
      "CurrentTime failed: InvalidPowerState - The attempted operation cannot be performed in the current state (Powered off).",
    );
    assert.equal(f.detail, { _typeName: "InvalidPowerState", requestedState: "poweredOn", existingState: "poweredOff" });

    // vcsim: a prefix of its own for XMLSchema-instance, declared on the detail element.
    handler = answer(
      500,
      soapEnvelope(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring></faultstring><detail>" +
          '<NotAuthenticatedFault xmlns="urn:vim25" xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="NotAuthenticated">' +
          '<object type="SessionManager">ha-sessionmgr</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>',
      ),
    );
    e = await failure(CurrentTime(c, SI));
    f = e as SoapFaultError;
    assert.is(f.faultType, "NotAuthenticated");
    assert.is(f.message, "CurrentTime failed: NotAuthenticated");
    assert.equal(f.detail, { _typeName: "NotAuthenticated", object: moRef("SessionManager", "ha-sessionmgr"), privilegeId: "System.View" });

    // A fault type these bindings do not know keeps its name; the base fields still decode.
    handler = answer(
      500,
      soapEnvelope(
        '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>new</faultstring><detail><BrandNewFault xmlns="urn:vim25" xsi:type="BrandNew"></BrandNewFault></detail></soapenv:Fault>',
      ),
    );
    f = (await failure(CurrentTime(c, SI))) as SoapFaultError;
    assert.is(f.faultType, "BrandNew");
    assert.is(f.detail?._wireType, "BrandNew");

    // No detail at all: the fault code stands for the type.
    handler = answer(
      500,
      soapEnvelope("<soapenv:Fault><faultcode>ClientFaultCode</faultcode><faultstring>bad</faultstring></soapenv:Fault>"),
    );
    f = (await failure(CurrentTime(c, SI))) as SoapFaultError;
    assert.is(f.faultType, undefined);
    assert.is(f.message, "CurrentTime failed: ClientFaultCode - bad");
  } finally {
    await c.close();
  }
});

test("a 200 answer that is not the method's response is a DecodeError", async () => {
  const c = client();
  try {
    // An HTML page with status 200 is named for what it is, not as a malformed SOAP document.
    handler = answer(200, "<html>hello</html>");
    const html = await failure(CurrentTime(c, SI));
    assert.instance(html, HttpError);
    assert.is((html as Error).message, "CurrentTime: the server answered HTML, not SOAP: <html>hello</html>");
    handler = answer(200, soapEnvelope('<LoginResponse xmlns="urn:vim25"></LoginResponse>'));
    const e = await failure(CurrentTime(c, SI));
    assert.instance(e, DecodeError);
    assert.is((e as Error).message, "expected <CurrentTimeResponse>, found <LoginResponse>");
  } finally {
    await c.close();
  }
});

test("an AbortSignal aborts a call in flight with a typed AbortError", async () => {
  const c = client();
  try {
    const held: ServerResponse[] = [];
    handler = (_req, res) => held.push(res);
    const controller = new AbortController();
    const arrived = nextArrival();
    const call = failure(CurrentTime(c, SI, { signal: controller.signal }));
    await arrived;
    controller.abort();
    const e = await call;
    assert.instance(e, AbortError);
    assert.is((e as AbortError).code, "OPERATION_ABORTED");
    assert.is((e as AbortError).message, "POST /sdk: aborted");
    for (const r of held) r.destroy();

    // Already aborted: nothing is sent.
    const before = server.requests.length;
    const pre = await failure(CurrentTime(c, SI, { signal: AbortSignal.abort() }));
    assert.instance(pre, AbortError);
    assert.is((pre as AbortError).code, "OPERATION_ABORTED");
    assert.is(server.requests.length, before);
  } finally {
    await c.close();
  }
});

test("a call without an answer times out with a typed AbortError (per call and transport default)", async () => {
  const held: ServerResponse[] = [];
  handler = (_req, res) => held.push(res);
  const c = client();
  const d = client({ timeoutMs: 150 });
  try {
    const e = await failure(CurrentTime(c, SI, { timeoutMs: 100 }));
    assert.instance(e, AbortError);
    assert.is((e as AbortError).code, "OPERATION_TIMEOUT");
    assert.is((e as AbortError).message, "POST /sdk: no complete answer within 100 ms");
    const f = await failure(CurrentTime(d, SI));
    assert.is((f as AbortError).code, "OPERATION_TIMEOUT");
    assert.is((f as AbortError).message, "POST /sdk: no complete answer within 150 ms");
  } finally {
    for (const r of held) r.destroy();
    await c.close();
    await d.close();
  }
});

test("a streamed body may outlast the timeout while data keeps coming; a stalled one times out", async () => {
  const t = new HttpTransport({ origin: server.origin, tls: { verify: true } });
  const timers: NodeJS.Timeout[] = [];
  try {
    // The server paces its answer: 6 pieces, 150 ms apart, 900 ms in all, against a 500 ms timeout.
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": "6" });
      for (let i = 0; i < 6; i++) timers.push(setTimeout(() => (i === 5 ? res.end("x") : res.write("x")), 150 * (i + 1)));
    };
    const res = await t.stream("GET", "/slow", undefined, { timeoutMs: 500 });
    let text = "";
    for await (const c of res.body as AsyncIterable<Buffer>) text += c.toString();
    assert.is(text, "xxxxxx");
    // Headers, then silence.
    handler = (_req, res) => {
      res.writeHead(200, { "content-length": "6" });
      res.write("x");
    };
    const stalled = await t.stream("GET", "/stalled", undefined, { timeoutMs: 500 });
    let error: unknown;
    try {
      for await (const c of stalled.body as AsyncIterable<Buffer>) void c;
    } catch (e) {
      error = t.wrapError(e, "GET", "/stalled", { timeoutMs: 500 });
    }
    assert.instance(error, AbortError);
    assert.is((error as AbortError).code, "OPERATION_TIMEOUT");
    assert.is((error as AbortError).message, "GET /stalled: no byte of the body within 500 ms");
  } finally {
    for (const x of timers) clearTimeout(x);
    await t.close();
  }
});

test("a response larger than the limit is refused", async () => {
  const c = client({ maxResponseBytes: 1000 });
  try {
    handler = answer(200, TIME_RESPONSE.replace("<soapenv:Body>", `<soapenv:Body><!--${"x".repeat(2000)}-->`));
    const e = await failure(CurrentTime(c, SI));
    assert.instance(e, TransportError);
    assert.match((e as Error).message, /larger than 1000 bytes/);
  } finally {
    await c.close();
  }
});

test("a refused connection is a TransportError", async () => {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const port = (probe.address() as AddressInfo).port;
  probe.close();
  await once(probe, "close");
  const c = new VimClient({ transport: new HttpTransport({ origin: `http://127.0.0.1:${port}`, tls: { verify: true } }) });
  try {
    const e = await failure(CurrentTime(c, SI));
    assert.instance(e, TransportError);
    assert.is((e as TransportError).code, "TRANSPORT_ERROR");
    assert.match((e as Error).message, new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/sdk: .*ECONNREFUSED`));
  } finally {
    await c.close();
  }
});

test.run();
