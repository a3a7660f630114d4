/**
 * esxvi against a hostile server: every crafted answer ends in a typed error (class, code,
 * the phase and limit of a timeout), the command line exits with status 1, and each case
 * returns within its own (small) limits plus a margin.
 */
import { once } from "node:events";
import { spawn } from "node:child_process";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openConnection } from "../../drivers/connection/connection.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { HttpError, TransportError } from "../../runtime/http/http-errors.js";
import { TimeoutError, type TimeoutPhase, type TimeoutSettings } from "../../runtime/http/timeouts.js";
import { esxvi } from "../support/cli.js";
import { hostileServer, hostWithVms, httpAnswer, SESSION_COOKIE, trickle, type Craft, type HostileServer } from "./hostile-server.js";

const PASSWORD = "s3cret-Pa55word!";
const COOKIE_VALUE = SESSION_COOKIE.slice(SESSION_COOKIE.indexOf('"') + 1, -1);
/** What a case may take beyond its limit (a loaded 2-core machine). */
const MARGIN_MS = 3000;

let server: HostileServer;

test.before(async () => {
  server = await hostileServer();
});

test.after(async () => {
  await server.close();
});

/** The answer after Login: `hostile`; RetrieveServiceContent and Login answered plausibly. */
function afterLogin(hostile: (socket: Socket, raw: string) => void): Craft {
  return (req, socket, plausible) =>
    req.method === "RetrieveServiceContent" || req.method === "Login" ? plausible() : hostile(socket, req.raw);
}

/** Opens a connection with `timeouts`; resolves with its error and the time it took. */
async function library(timeouts: Partial<TimeoutSettings>, uri = server.uri): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    const c = await openConnection(uri, { credentials: { env: { ESXVI_PASSWORD: PASSWORD } }, timeouts });
    await c.close();
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

async function cli(args: readonly string[], uri = server.uri): Promise<{ status: number; stderr: string; ms: number }> {
  const started = performance.now();
  const r = await esxvi(undefined, [...args, "list", "--all"], { uri, env: { ESXVI_PASSWORD: PASSWORD } });
  return { status: r.status, stderr: r.stderr, ms: performance.now() - started };
}

function assertTimeout(error: unknown, phase: TimeoutPhase, limitMs: number, message: string): void {
  assert.instance(error, TimeoutError);
  const e = error as TimeoutError;
  assert.equal([e.code, e.phase, e.limitMs, e.message], ["OPERATION_TIMEOUT", phase, limitMs, message]);
}

function assertWithin(ms: number, limitMs: number): void {
  assert.ok(ms < limitMs + MARGIN_MS, `took ${Math.round(ms)} ms against a limit of ${limitMs} ms`);
}

test("a server that never answers: the response-headers limit (library), the call ceiling (--timeout)", async () => {
  server.craft = afterLogin(() => undefined);
  const lib = await library({ headersMs: 300 });
  assertTimeout(lib.error, "response headers", 300, "POST /sdk: no response headers within 300 ms");
  assertWithin(lib.ms, 300);
  const r = await cli(["--timeout", "1"]);
  assert.equal([r.status, r.stderr], [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: no complete answer within 1 s\n"]);
  assertWithin(r.ms, 1000);
});

test("a server that trickles its headers, a byte at a time", async () => {
  server.craft = afterLogin((socket) => void trickle(socket, Buffer.from(`HTTP/1.1 200 OK\r\nX-Slow: ${"a".repeat(10_000)}`), 50));
  const lib = await library({ headersMs: 400 });
  assertTimeout(lib.error, "response headers", 400, "POST /sdk: no response headers within 400 ms");
  assertWithin(lib.ms, 400);
  const r = await cli(["--timeout", "1"]);
  assert.equal([r.status, r.stderr], [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: no complete answer within 1 s\n"]);
  assertWithin(r.ms, 1000);
});

test("a server that sends its headers and then nothing: the idle-body limit, as -k/-K set it", async () => {
  server.craft = afterLogin((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<soapenv:"));
  const lib = await library({ idleBodyMs: 300 });
  assertTimeout(lib.error, "idle body", 300, "POST /sdk: no byte of the body within 300 ms");
  assertWithin(lib.ms, 300);
  const r = await cli(["-k", "1", "-K", "1"]);
  assert.equal([r.status, r.stderr], [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: no byte of the body within 1 s\n"]);
  assertWithin(r.ms, 1000);
});

test("a server that trickles its body: the whole-call ceiling cuts what the idle limit lets through", async () => {
  server.craft = afterLogin((socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n");
    trickle(socket, Buffer.alloc(100_000, 0x20), 50);
  });
  const lib = await library({ idleBodyMs: 1000, callMs: 600 });
  assertTimeout(lib.error, "whole call", 600, "POST /sdk: no complete answer within 600 ms");
  assertWithin(lib.ms, 600);
  const r = await cli(["--timeout", "1", "-k", "5"]);
  assert.equal([r.status, r.stderr], [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: no complete answer within 1 s\n"]);
  assertWithin(r.ms, 1000);
});

test("a huge answer is refused: announced (nothing read) or streamed (cut at the limit)", async () => {
  server.craft = afterLogin((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1073741824\r\n\r\n<a>"));
  const announced = await library({ callMs: 5000 });
  assert.instance(announced.error, TransportError);
  assert.is(
    (announced.error as TransportError).message,
    "POST /sdk: the response is larger than 67108864 bytes (Content-Length 1073741824)",
  );
  assertWithin(announced.ms, 5000);
  server.craft = afterLogin((socket) => {
    socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n");
    const piece = Buffer.alloc(1 << 20, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
    const pump = (): void => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once("drain", pump);
    };
    pump();
  });
  const streamed = await library({ callMs: 20_000 });
  assert.instance(streamed.error, TransportError);
  assert.is((streamed.error as TransportError).message, "POST /sdk: the response is larger than 67108864 bytes");
  assertWithin(streamed.ms, 20_000);
  const r = await cli(["--timeout", "20"]);
  assert.equal(
    [r.status, r.stderr],
    [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: the response is larger than 67108864 bytes\n"],
  );
});

test("an HTML page answered with status 200 is reported as HTML, not as bad XML", async () => {
  const page = "<!DOCTYPE html><html><head><title>Welcome</title></head><body>Portal</body></html>";
  server.craft = afterLogin((socket) => socket.write(httpAnswer(200, page, { "Content-Type": "text/html" })));
  const lib = await library({ callMs: 5000 });
  assert.instance(lib.error, HttpError);
  assert.is(
    (lib.error as HttpError).message,
    "RetrievePropertiesEx: the server answered HTML, not SOAP: <!DOCTYPE html><html><head><title>Welcome</title></head><body>Portal</body></html>",
  );
  const r = await cli(["--timeout", "5"]);
  assert.is(r.status, 1);
  assert.match(r.stderr, /the server answered HTML, not SOAP/);
});

/** An error page quoting the request back, HTML-escaped or raw and cut `cut` characters in. */
function echo(escape: boolean, cut?: (raw: string) => number): (socket: Socket, raw: string) => void {
  return (socket, raw) => {
    const quoted = cut === undefined ? raw : raw.slice(0, cut(raw));
    const text = escape ? quoted.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;") : quoted;
    socket.write(httpAnswer(500, `<html><body><pre>${text}</pre></body></html>`, { "Content-Type": "text/html" }));
  };
}

test("a server echoing the request: no password and no cookie in the error, escaped, cut mid-element or whole", async () => {
  const loginEchoes: [string, Craft][] = [
    [
      "Login echoed, HTML-escaped",
      (req, socket, plausible) => (req.method === "Login" ? echo(true)(socket, req.raw.slice(req.raw.indexOf("<Login"))) : plausible()),
    ],
    [
      "Login echoed, cut inside the password",
      (req, socket, plausible) =>
        req.method === "Login"
          ? echo(false, (raw) => raw.indexOf(PASSWORD) + PASSWORD.length - 1)(socket, req.raw.slice(req.raw.indexOf("<Login")))
          : plausible(),
    ],
    [
      "Login echoed, escaped and cut inside the password",
      (req, socket, plausible) =>
        req.method === "Login"
          ? echo(true, (raw) => raw.indexOf(PASSWORD) + 5)(socket, req.raw.slice(req.raw.indexOf("<Login")))
          : plausible(),
    ],
    ["a later call echoed with its cookie", afterLogin((socket, raw) => echo(true)(socket, raw.slice(raw.indexOf("\r\n") + 2)))],
  ];
  for (const [label, craft] of loginEchoes) {
    server.craft = craft;
    const lib = await library({ callMs: 5000 });
    assert.instance(lib.error, HttpError, label);
    const message = (lib.error as HttpError).message;
    assert.match(message, /the server answered HTTP 500: <html><body><pre>/, label);
    for (const secret of [PASSWORD, PASSWORD.slice(0, 5), COOKIE_VALUE, COOKIE_VALUE.slice(0, 8)]) {
      assert.not.ok(message.includes(secret), `${label}: ${message}`);
    }
    const r = await cli(["--timeout", "5"]);
    assert.is(r.status, 1, label);
    assert.not.ok(r.stderr.includes(PASSWORD.slice(0, 5)) || r.stderr.includes(COOKIE_VALUE.slice(0, 8)), `${label}: ${r.stderr}`);
  }
  // What the excerpt shows instead.
  server.craft = loginEchoes[0]?.[1] as Craft;
  const shown = await library({ callMs: 5000 });
  assert.match((shown.error as EsxviError).message, /<password>\*\*\*<\/password>/);
});

test("a server that accepts TCP and never speaks TLS: the TLS handshake limit", async () => {
  server.craft = () => undefined;
  const uri = `esx://root@127.0.0.1:${server.port}/?no_verify=1`;
  const lib = await library({ tlsHandshakeMs: 300 }, uri);
  assertTimeout(lib.error, "TLS handshake", 300, `the TLS handshake with 127.0.0.1:${server.port}: no TLS handshake within 300 ms`);
  assertWithin(lib.ms, 300);
  const r = await cli(["--timeout", "1"], uri);
  assert.equal([r.status, r.stderr], [1, "error: failed to connect to the hypervisor\nerror: POST /sdk: no complete answer within 1 s\n"]);
  assertWithin(r.ms, 1000);
});

test("a proxy that accepts the connection and never opens the tunnel: the connect limit", async () => {
  const held = new Set<Socket>();
  const proxy = createServer((s) => {
    held.add(s);
    s.on("error", () => undefined);
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");
  const proxyPort = (proxy.address() as AddressInfo).port;
  try {
    const uri = `esx://root@127.0.0.1:${server.port}/?transport=http&proxy=http://127.0.0.1:${proxyPort}`;
    const lib = await library({ connectMs: 300 }, uri);
    assertTimeout(lib.error, "connect", 300, `connecting to 127.0.0.1:${server.port}: no connection within 300 ms`);
    assertWithin(lib.ms, 300);
  } finally {
    for (const s of held) s.destroy();
    proxy.close();
  }
});

/**
 * A listening socket whose accept queue is full: a child process listens with a backlog of 1
 * and then blocks its event loop for good, so that it accepts nothing; two connections fill
 * the queue (Linux queues backlog + 1), and the kernel drops the SYN of any further one,
 * whose connect then never completes.
 */
async function unacceptingListener(): Promise<{ port: number; close(): void }> {
  const script =
    'const s = require("node:net").createServer(); s.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {' +
    " require('node:fs').writeSync(1, String(s.address().port) + '\\n');" +
    " Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });";
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const port = Number(line.toString().trim());
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const s = connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    await once(s, "connect");
    fillers.push(s);
  }
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill();
    },
  };
}

test("a TCP connection that never completes (the server's accept queue is full): the connect limit", async () => {
  if (process.platform !== "linux") {
    console.log("connect limit: the full accept queue is a Linux behaviour; skipped");
    return;
  }
  const listener = await unacceptingListener();
  try {
    const lib = await library({ connectMs: 500 }, `esx://root@127.0.0.1:${listener.port}/?transport=http`);
    assertTimeout(lib.error, "connect", 500, `connecting to 127.0.0.1:${listener.port}: no connection within 500 ms`);
    assertWithin(lib.ms, 500);
    const r = await cli(["--timeout", "2"], `esx://root@127.0.0.1:${listener.port}/?transport=http`);
    assert.is(r.status, 1);
    // The CLI's --timeout is the whole-call ceiling; here it is shorter than the default connect limit.
    assert.is(r.stderr, "error: failed to connect to the hypervisor\nerror: POST /sdk: no complete answer within 2 s\n");
    assertWithin(r.ms, 2000);
  } finally {
    listener.close();
  }
});

test("a newer server's simple type for a VM's name (xsi:type FutureString): the name still prints", async () => {
  server.craft = hostWithVms([
    {
      id: "1",
      props: {
        name: '<val xsi:type="FutureString">web01</val>',
        "runtime.powerState": '<val xsi:type="VirtualMachinePowerState">poweredOn</val>',
        "config.uuid": '<val xsi:type="FutureUuid">564d0000-1111-2222-3333-444455556666</val>',
      },
    },
    {
      id: "2",
      props: {
        name: '<val xsi:type="xsd:string">db01</val>',
        "runtime.powerState": '<val xsi:type="VirtualMachinePowerState">poweredOff</val>',
      },
    },
  ]);
  const r = await esxvi(undefined, ["list", "--all"], { uri: server.uri, env: { ESXVI_PASSWORD: PASSWORD } });
  assert.equal([r.status, r.stderr], [0, ""]);
  assert.is(r.stdout, " Id   Name    State\n------------------------\n 1    web01   running\n -    db01    shut off\n");
  const uuid = await esxvi(undefined, ["domuuid", "web01"], { uri: server.uri, env: { ESXVI_PASSWORD: PASSWORD } });
  assert.equal([uuid.status, uuid.stdout], [0, "564d0000-1111-2222-3333-444455556666\n"]);
});

test("bad values of -k, -K and --timeout are refused", async () => {
  for (const [args, message] of [
    [["-k", "x"], "Invalid value 'x' for option -k/--keepalive-interval: expected a number >= 0"],
    [["-K", "1.5"], "Invalid value '1.5' for option -K/--keepalive-count: expected an integer >= 0"],
    [["--timeout", "-1"], "Invalid value '-1' for option --timeout: expected a number >= 0"],
  ] as const) {
    const r = await cli(args);
    assert.equal([r.status, r.stderr], [1, `error: failed to connect to the hypervisor\nerror: ${message}\n`]);
  }
});

test.run();
