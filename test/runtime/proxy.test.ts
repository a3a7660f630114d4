/**
 * libvirt's proxy parameter (given/want table with libvirt's messages) and real tunnels to
 * the TLS simulator through tiny local proxies written here on node:net — HTTP CONNECT,
 * SOCKS5, SOCKS4 and SOCKS4a — each of which records what it was asked to reach, so the
 * tests see that the session went through the proxy. Verification still checks the host
 * name the origin names, and a proxy that refuses is a clear TransportError.
 */
import { once } from "node:events";
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CurrentTime } from "../../generated/index.js";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { TlsError, TransportError } from "../../runtime/http/http-errors.js";
import { parseProxy, type ProxySpec } from "../../runtime/http/proxy.js";
import { ref } from "../../runtime/property-collector.js";
import { Session } from "../../runtime/session.js";
import type { TlsSettings } from "../../runtime/http/tls.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

test("parseProxy: libvirt's [type://]host[:port] forms", () => {
  const table: [string, ProxySpec | string][] = [
    ["proxy.example", { type: "http", host: "proxy.example", port: 1080 }],
    ["proxy.example:3128", { type: "http", host: "proxy.example", port: 3128 }],
    ["http://proxy.example:8080", { type: "http", host: "proxy.example", port: 8080 }],
    ["http://proxy.example/", { type: "http", host: "proxy.example", port: 1080 }],
    ["socks://10.0.0.1", { type: "socks5", host: "10.0.0.1", port: 1080 }],
    ["socks4://10.0.0.1:9050", { type: "socks4", host: "10.0.0.1", port: 9050 }],
    ["socks4a://gw", { type: "socks4a", host: "gw", port: 1080 }],
    ["socks5://gw:1", { type: "socks5", host: "gw", port: 1 }],
    ["socks5://gw:65535", { type: "socks5", host: "gw", port: 65535 }],
    ["[::1]:3128", { type: "http", host: "::1", port: 3128 }],
    ["socks5://[2001:db8::1]", { type: "socks5", host: "2001:db8::1", port: 1080 }],
    ["ftp://proxy.example", "Query parameter 'proxy' contains unexpected type 'ftp' (should be (http|socks(|4|4a|5))"],
    ["SOCKS5://proxy.example", "Query parameter 'proxy' contains unexpected type 'SOCKS5' (should be (http|socks(|4|4a|5))"],
    ["socks6://proxy.example", "Query parameter 'proxy' contains unexpected type 'socks6' (should be (http|socks(|4|4a|5))"],
    [":3128", "Query parameter 'proxy' doesn't contain a hostname"],
    ["socks://:3128", "Query parameter 'proxy' doesn't contain a hostname"],
    ["", "Query parameter 'proxy' doesn't contain a hostname"],
    ["proxy.example:0", "Query parameter 'proxy' has unexpected port value '0' (should be [1..65535])"],
    ["proxy.example:65536", "Query parameter 'proxy' has unexpected port value '65536' (should be [1..65535])"],
    ["proxy.example:80x", "Query parameter 'proxy' has unexpected port value '80x' (should be [1..65535])"],
    ["proxy.example:", "Query parameter 'proxy' has unexpected port value '' (should be [1..65535])"],
    ["[::1", "Query parameter 'proxy' has an unexpected IPv6 address '[::1'"],
  ];
  for (const [given, want] of table) {
    if (typeof want === "string") {
      assert.throws(
        () => parseProxy(given),
        (e: unknown) => e instanceof InvalidInputError && e.message === want && e.code === "INVALID_ARG",
        given,
      );
    } else {
      assert.equal(parseProxy(given), want, given);
    }
  }
});

/** What a local proxy was asked to reach, in order. */
interface ProxyLog {
  readonly targets: string[];
  readonly server: Server;
  readonly port: number;
  /** Bytes relayed from the client to the target. */
  bytesUp: number;
}

/** Where the test proxies send a name: `vcsim.test` (no DNS) is 127.0.0.1. */
function resolveHere(host: string): string {
  return host === "vcsim.test" ? "127.0.0.1" : host;
}

async function startProxy(onClient: (client: Socket, log: ProxyLog) => void): Promise<ProxyLog> {
  const server = createServer();
  const log: ProxyLog = { targets: [], server, port: 0, bytesUp: 0 };
  server.on("connection", (c) => {
    c.on("error", () => c.destroy());
    onClient(c, log);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return Object.assign(log, { port: (server.address() as AddressInfo).port });
}

/** Relays between the client and host:port once `reply` (the proxy's answer) is written. */
function relay(client: Socket, host: string, port: number, log: ProxyLog, reply: Buffer, rest: Buffer): void {
  const up = netConnect({ host: resolveHere(host), port });
  up.on("error", () => client.destroy());
  up.once("connect", () => {
    client.write(reply);
    if (rest.length > 0) up.write(rest);
    client.on("data", (d: Buffer) => {
      log.bytesUp += d.length;
    });
    client.pipe(up);
    up.pipe(client);
  });
}

/** Reads from a socket until `enough` says how many bytes the header takes. */
function readHeader(c: Socket, enough: (b: Buffer) => number | undefined, then: (head: Buffer, rest: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  const onData = (d: Buffer): void => {
    buf = Buffer.concat([buf, d]);
    const n = enough(buf);
    if (n === undefined) return;
    c.off("data", onData);
    c.pause();
    then(buf.subarray(0, n), buf.subarray(n));
  };
  c.on("data", onData);
}

function httpConnectProxy(refuse = false): Promise<ProxyLog> {
  return startProxy((c, log) => {
    readHeader(
      c,
      (b) => {
        const i = b.indexOf("\r\n\r\n");
        return i < 0 ? undefined : i + 4;
      },
      (head, rest) => {
        const line = head.toString("latin1").split("\r\n")[0] ?? "";
        const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]$/.exec(line);
        log.targets.push(line);
        if (m === null || refuse) {
          c.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
          return;
        }
        relay(c, (m[1] ?? "").replace(/^\[|\]$/g, ""), Number(m[2]), log, Buffer.from("HTTP/1.1 200 Connection established\r\n\r\n"), rest);
      },
    );
  });
}

function socks5Proxy(): Promise<ProxyLog> {
  return startProxy((c, log) => {
    readHeader(
      c,
      (b) => (b.length >= 2 && b.length >= 2 + (b[1] ?? 0) ? 2 + (b[1] ?? 0) : undefined),
      (greeting) => {
        if (greeting[0] !== 5 || !greeting.subarray(2).includes(0)) {
          c.end(Buffer.from([5, 0xff]));
          return;
        }
        c.write(Buffer.from([5, 0]));
        c.resume();
        readHeader(
          c,
          (b) => {
            if (b.length < 5) return undefined;
            const atyp = b[3];
            const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + (b[4] ?? 0);
            return b.length >= 4 + len + 2 ? 4 + len + 2 : undefined;
          },
          (req, rest) => {
            const atyp = req[3];
            let host: string;
            if (atyp === 1) host = [...req.subarray(4, 8)].join(".");
            else if (atyp === 3) host = req.subarray(5, 5 + (req[4] ?? 0)).toString("latin1");
            else host = (req.subarray(4, 20).toString("hex").match(/.{4}/g) ?? []).join(":");
            const port = req.readUInt16BE(req.length - 2);
            log.targets.push(`socks5 ${atyp === 3 ? "name" : "address"} ${host}:${port}`);
            relay(c, host, port, log, Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]), rest);
          },
        );
      },
    );
  });
}

/** SOCKS4, and SOCKS4a when the address is 0.0.0.x and a name follows the user id. */
function socks4Proxy(): Promise<ProxyLog> {
  return startProxy((c, log) => {
    readHeader(
      c,
      (b) => {
        if (b.length < 9) return undefined;
        const userEnd = b.indexOf(0, 8);
        if (userEnd < 0) return undefined;
        const is4a = b[4] === 0 && b[5] === 0 && b[6] === 0 && b[7] !== 0;
        if (!is4a) return userEnd + 1;
        const nameEnd = b.indexOf(0, userEnd + 1);
        return nameEnd < 0 ? undefined : nameEnd + 1;
      },
      (req, rest) => {
        const port = req.readUInt16BE(2);
        const is4a = req[4] === 0 && req[5] === 0 && req[6] === 0 && req[7] !== 0;
        const userEnd = req.indexOf(0, 8);
        const host = is4a ? req.subarray(userEnd + 1, req.length - 1).toString("latin1") : [...req.subarray(4, 8)].join(".");
        log.targets.push(`socks4${is4a ? "a name" : " address"} ${host}:${port}`);
        relay(c, host, port, log, Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]), rest);
      },
    );
  });
}

async function stopProxy(p: ProxyLog): Promise<void> {
  p.server.close();
  await once(p.server, "close");
}

let sim: Simulator;

async function session(proxy: ProxySpec, host = "127.0.0.1", tls?: TlsSettings): Promise<Session> {
  return Session.connect({
    origin: `https://${host}:${sim.port}`,
    username: sim.user,
    password: sim.password,
    tls: tls ?? { verify: true, ca: sim.certPem ?? "" },
    proxy,
  });
}

/** Connects through the proxy, makes a call, logs out; returns the proxy's log. */
async function roundTrip(proxy: ProxyLog, spec: ProxySpec, host?: string): Promise<void> {
  const before = (await sim.control.stats()).soapCalls;
  const s = await session(spec, host);
  try {
    assert.instance(await CurrentTime(s.client, ref("ServiceInstance", "ServiceInstance")), Date);
  } finally {
    await s.close();
  }
  assert.is((await sim.control.stats()).soapCalls - before, 4, "RetrieveServiceContent, Login, CurrentTime, Logout reached the simulator");
  assert.ok(proxy.bytesUp > 0, "the requests went through the proxy");
}

if (requireSimulator("runtime proxy tunnels")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1, tls: true });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("HTTP CONNECT: the session goes through the proxy", async () => {
    const p = await httpConnectProxy();
    try {
      await roundTrip(p, { type: "http", host: "127.0.0.1", port: p.port });
      assert.ok(p.targets.length >= 1);
      assert.ok(
        p.targets.every((t) => t === `CONNECT 127.0.0.1:${sim.port} HTTP/1.1`),
        p.targets.join("\n"),
      );
    } finally {
      await stopProxy(p);
    }
  });

  test("SOCKS5: the target is resolved here and sent as an address", async () => {
    const p = await socks5Proxy();
    try {
      await roundTrip(p, { type: "socks5", host: "127.0.0.1", port: p.port }, "localhost");
      assert.ok(p.targets.length >= 1);
      assert.ok(
        p.targets.every((t) => /^socks5 address 127\.0\.0\.1:\d+$/.test(t)),
        p.targets.join("\n"),
      );
      assert.ok(p.targets.every((t) => t.endsWith(`:${sim.port}`)));
    } finally {
      await stopProxy(p);
    }
  });

  test("SOCKS4 sends an IPv4 address; SOCKS4a lets the proxy resolve the name", async () => {
    const p = await socks4Proxy();
    try {
      await roundTrip(p, { type: "socks4", host: "127.0.0.1", port: p.port }, "localhost");
      assert.ok(p.targets.length >= 1);
      assert.ok(
        p.targets.every((t) => t === `socks4 address 127.0.0.1:${sim.port}`),
        p.targets.join("\n"),
      );
      p.targets.length = 0;
      await roundTrip(p, { type: "socks4a", host: "127.0.0.1", port: p.port }, "localhost");
      assert.ok(p.targets.length >= 1);
      assert.ok(
        p.targets.every((t) => t === `socks4a name localhost:${sim.port}`),
        p.targets.join("\n"),
      );
    } finally {
      await stopProxy(p);
    }
  });

  test("through a proxy the certificate is still checked against the origin's host name", async () => {
    const p = await socks4Proxy();
    try {
      // vcsim.test reaches the simulator through the proxy, but the certificate does not name it.
      let e: unknown;
      try {
        await (await session({ type: "socks4a", host: "127.0.0.1", port: p.port }, "vcsim.test")).close();
      } catch (err) {
        e = err;
      }
      assert.instance(e, TlsError);
      assert.match((e as Error).message, /^the certificate of vcsim\.test:\d+ is not trusted \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
      assert.equal(p.targets, [`socks4a name vcsim.test:${sim.port}`]);
      // Pinned by thumbprint, the same tunnel is accepted.
      const s = await session({ type: "socks4a", host: "127.0.0.1", port: p.port }, "vcsim.test", {
        verify: true,
        thumbprint: sim.thumbprintSha256 ?? "",
      });
      await s.close();
    } finally {
      await stopProxy(p);
    }
  });

  test("a proxy that refuses or is not there is a TransportError naming it", async () => {
    const p = await httpConnectProxy(true);
    try {
      let e: unknown;
      try {
        await session({ type: "http", host: "127.0.0.1", port: p.port });
      } catch (err) {
        e = err;
      }
      assert.instance(e, TransportError);
      assert.match(
        (e as Error).message,
        new RegExp(`http proxy 127\\.0\\.0\\.1:${p.port}: CONNECT to 127\\.0\\.0\\.1:${sim.port} refused: HTTP/1\\.1 403 Forbidden`),
      );
    } finally {
      await stopProxy(p);
    }
    // Nothing listens on the closed proxy's port any more.
    for (const type of ["http", "socks5", "socks4"] as const) {
      let e: unknown;
      try {
        await session({ type, host: "127.0.0.1", port: p.port });
      } catch (err) {
        e = err;
      }
      assert.instance(e, TransportError, type);
      assert.match((e as Error).message, new RegExp(`${type} proxy 127\\.0\\.0\\.1:${p.port}.*ECONNREFUSED`), type);
    }
  });
}

test.run();
