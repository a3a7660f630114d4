/**
 * libvirt's `proxy` URI parameter, `[http|socks|socks4|socks4a|socks5://]host[:port]`
 * (default type http, default port 1080; the type is matched exactly, as libvirt does), and
 * the tunnels it opens: HTTP CONNECT or SOCKS (through the `socks` library). As with
 * libcurl's proxy types that libvirt uses, socks4 and socks5 resolve the target's name
 * locally and socks4a lets the proxy resolve it. An IPv6 proxy address goes in brackets.
 */
import { lookup } from "node:dns/promises";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { errorMessage, InvalidInputError } from "../../errors/esxvi-error.js";
import { TransportError } from "./http-errors.js";

export type ProxyType = "http" | "socks4" | "socks4a" | "socks5";

export interface ProxySpec {
  readonly type: ProxyType;
  readonly host: string;
  readonly port: number;
}

const TYPES: Readonly<Record<string, ProxyType>> = {
  http: "http",
  socks: "socks5",
  socks4: "socks4",
  socks4a: "socks4a",
  socks5: "socks5",
};

/** Parses libvirt's proxy parameter; errors carry libvirt's messages. */
export function parseProxy(text: string): ProxySpec {
  let type: ProxyType = "http";
  let rest = text;
  const sep = text.indexOf("://");
  if (sep >= 0) {
    const name = text.slice(0, sep);
    const t = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
    if (t === undefined)
      throw new InvalidInputError(`Query parameter 'proxy' contains unexpected type '${name}' (should be (http|socks(|4|4a|5))`);
    type = t;
    rest = text.slice(sep + 3);
  }
  rest = rest.replace(/\/$/, "");
  let host = rest;
  let portText: string | undefined;
  if (rest.startsWith("[")) {
    const end = rest.indexOf("]");
    const after = end < 0 ? "" : rest.slice(end + 1);
    if (end < 0 || (after !== "" && !after.startsWith(":")) || isIP(rest.slice(1, end)) !== 6) {
      throw new InvalidInputError(`Query parameter 'proxy' has an unexpected IPv6 address '${rest}'`);
    }
    host = rest.slice(1, end);
    if (after !== "") portText = after.slice(1);
  } else {
    const colon = rest.indexOf(":");
    if (colon >= 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
  }
  if (host === "") throw new InvalidInputError("Query parameter 'proxy' doesn't contain a hostname");
  let port = 1080;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535))
      throw new InvalidInputError(`Query parameter 'proxy' has unexpected port value '${portText}' (should be [1..65535])`);
  }
  return { type, host, port };
}

/** The address of a name: the first IPv4 one (only IPv4 when `v4only`), else the first. */
async function resolve(host: string, v4only: boolean): Promise<string> {
  const all = await lookup(host, { all: true, family: v4only ? 4 : 0 });
  const chosen = all.find((a) => a.family === 4) ?? all[0];
  if (chosen === undefined) throw new TransportError(`${host} has no address`);
  return chosen.address;
}

/** Opens a TCP stream to host:port through the proxy. */
export async function openTunnel(proxy: ProxySpec, host: string, port: number): Promise<Socket> {
  if (proxy.type !== "http") {
    try {
      // socks4 and socks5 send an address resolved here; socks4a sends the name.
      const target = proxy.type === "socks4a" || isIP(host) !== 0 ? host : await resolve(host, proxy.type === "socks4");
      // Loaded only for a SOCKS proxy: a few MiB that every other connection does without.
      const { SocksClient } = await import("socks");
      const { socket } = await SocksClient.createConnection({
        proxy: { host: proxy.host, port: proxy.port, type: proxy.type === "socks5" ? 5 : 4 },
        command: "connect",
        destination: { host: target, port },
        timeout: 30000,
      });
      return socket;
    } catch (e) {
      throw new TransportError(`${proxy.type} proxy ${proxy.host}:${proxy.port} could not connect to ${host}:${port}: ${errorMessage(e)}`, {
        cause: e,
      });
    }
  }
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ host: proxy.host, port: proxy.port });
    let head = "";
    const fail = (msg: string, cause?: unknown): void => {
      socket.destroy();
      reject(new TransportError(`http proxy ${proxy.host}:${proxy.port}: ${msg}`, cause === undefined ? undefined : { cause }));
    };
    socket.once("error", (e) => fail(`connection failed: ${e.message}`, e));
    socket.once("connect", () => {
      const target = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    });
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16384) fail("oversized CONNECT response");
        return;
      }
      socket.off("data", onData);
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(head)?.[1];
      if (status !== "200") {
        fail(`CONNECT to ${host}:${port} refused: ${head.split("\r\n")[0] ?? ""}`);
        return;
      }
      const extra = head.length > end + 4 ? Buffer.from(head.slice(end + 4), "latin1") : undefined;
      if (extra !== undefined) socket.unshift(extra);
      socket.removeAllListeners("error");
      resolve(socket);
    };
    socket.on("data", onData);
  });
}
