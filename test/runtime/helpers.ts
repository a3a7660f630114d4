/**
 * What the runtime suites share: a Session on a simulator, a logger that keeps what it is
 * told, a tiny local HTTP server that records requests, and typed lookups of VMs.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { LogLevel, Logger } from "../../runtime/logger.js";
import { lookupByType, ref, retrieveFromView, retrieveOne } from "../../runtime/property-collector.js";
import { Session, type SessionOptions } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import type { Simulator } from "../support/vcsim.js";

/** `https://127.0.0.1:PORT` of a simulator (its URL without /sdk). */
export function originOf(sim: Simulator): string {
  return sim.url.replace(/\/sdk$/, "");
}

/** Logs in to the simulator; TLS is verified against the simulator's own certificate. */
export function connect(sim: Simulator, extra: Partial<SessionOptions> = {}): Promise<Session> {
  return Session.connect({
    origin: originOf(sim),
    username: sim.user,
    password: sim.password,
    tls: sim.certPem === undefined ? { verify: true } : { verify: true, ca: sim.certPem },
    ...extra,
  });
}

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** A logger that keeps every line; `text()` is everything it was told, fields included. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  return {
    logger: { log: (level, message, fields) => lines.push({ level, message, fields }) },
    lines,
    text: () => lines.map((l) => `${l.level} ${l.message} ${l.fields === undefined ? "" : JSON.stringify(l.fields)}`).join("\n"),
  };
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface LocalServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 that records each request (with its whole body) and lets
 * `handle` answer it. Open connections are destroyed on close.
 */
export async function localServer(handle: (req: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(rec);
      handle(rec, res, req);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    server,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** The SOAP envelope vcsim and ESX answer with, around `body`. */
export function soapEnvelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ' +
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** The host of an ESX-model simulator. */
export const HA_HOST = ref("HostSystem", "ha-host");

/** Every VM (name → reference) reachable from the host or, on vpx, the root folder's view. */
export async function vmsByName(session: Session): Promise<Map<string, MoRef<"VirtualMachine">>> {
  const found = await retrieveFromView(session, session.serviceContent.rootFolder, "VirtualMachine", ["name"]);
  const out = new Map<string, MoRef<"VirtualMachine">>();
  for (const r of found) if (r.props.name !== undefined) out.set(r.props.name, r.obj);
  return out;
}

/** The VM called `name` (throws when there is none). */
export async function vmNamed(session: Session, name: string): Promise<MoRef<"VirtualMachine">> {
  const vm = (await vmsByName(session)).get(name);
  if (vm === undefined) throw new Error(`no VM named ${name}`);
  return vm;
}

/** A VM's power state, question id (or undefined) and recent task states, read fresh. */
export async function vmState(session: Session, vm: MoRef<"VirtualMachine">): Promise<{ power: string; question: string | undefined }> {
  const r = await retrieveOne(session, vm, ["runtime.powerState", "runtime.question"]);
  return { power: r.props["runtime.powerState"] ?? "", question: r.props["runtime.question"]?.id };
}

/** The VMs of the ESX host, by the host's `vm` property. */
export async function hostVms(session: Session): Promise<MoRef<"VirtualMachine">[]> {
  return (await lookupByType(session, HA_HOST, "VirtualMachine", ["name"])).map((r) => r.obj);
}
