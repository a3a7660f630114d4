/**
 * libvirt's `proxy` URI parameter, `[http|socks|socks4|socks4a|socks5://]host[:port]`
 * (default type http, default port 1080), and the tunnels it opens: HTTP CONNECT or SOCKS
 * (through the `socks` library).
 */
import { connect as netConnect, type Socket } from "node:net";
import { SocksClient } from "socks";
import { InvalidInputError } from "../errors.js";
import { TransportError } from "./http-errors.js";

export type ProxyType = "http" | "socks4" | "socks4a" | "socks5";

export interface ProxySpec {
  readonly type: ProxyType;
  readonly host: string;
  readonly port: number;
}

const TYPES: Record<string, ProxyType> = { http: "http", socks: "socks5", socks4: "socks4", socks4a: "socks4a", socks5: "socks5" };

export function parseProxy(text: string): ProxySpec {
  let rest = text;
  let type: ProxyType = "http";
  const scheme = /^([a-z0-9]+):\/\//i.exec(text);
  if (scheme !== null) {
    const t = TYPES[(scheme[1] ?? "").toLowerCase()];
    if (t === undefined) throw new InvalidInputError(`proxy '${text}': unsupported type '${scheme[1] ?? ""}' (use http, socks, socks4, socks4a or socks5)`);
    type = t;
    rest = text.slice(scheme[0].length);
  }
  rest = rest.replace(/\/$/, "");
  const m = /^(\[[^\]]+\]|[^:/[\]]+)(?::(\d+))?$/.exec(rest);
  if (m === null || m[1] === undefined) throw new InvalidInputError(`proxy '${text}' is not of the form [type://]host[:port]`);
  const port = m[2] === undefined ? 1080 : Number(m[2]);
  if (!(port > 0 && port < 65536)) throw new InvalidInputError(`proxy '${text}': port ${m[2] ?? ""} is out of range`);
  return { type, host: m[1].replace(/^\[|\]$/g, ""), port };
}

/** Opens a TCP stream to host:port through the proxy. */
export async function openTunnel(proxy: ProxySpec, host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  if (proxy.type !== "http") {
    try {
      const { socket } = await SocksClient.createConnection({
        proxy: { host: proxy.host, port: proxy.port, type: proxy.type === "socks5" ? 5 : 4 },
        command: "connect",
        destination: { host, port },
        timeout: 30000,
      });
      return socket;
    } catch (e) {
      throw new TransportError(`${proxy.type} proxy ${proxy.host}:${proxy.port} could not connect to ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
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
    signal?.addEventListener("abort", () => fail("aborted"), { once: true });
  });
}
