/**
 * A hostile SOAP server on 127.0.0.1, at the TCP level so that it can misbehave in any way:
 * it answers RetrieveServiceContent and Login plausibly (an ESX 7.0 host), then hands every
 * later request to the test's crafted answer (never answer, trickle, flood, HTML, echo, …).
 */
import { once } from "node:events";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { soapEnvelope } from "../runtime/helpers.js";

export interface HostileRequest {
  /** The SOAP method, from the body's first element in the Body. */
  readonly method: string;
  /** The request as received: start line, headers and body. */
  readonly raw: string;
}

/** Answers a request by writing to the socket (or not); `plausible` is the normal answer. */
export type Craft = (req: HostileRequest, socket: Socket, plausible: () => void) => void;

export interface HostileServer {
  readonly port: number;
  readonly uri: string;
  craft: Craft;
  close(): Promise<void>;
}

const SERVICE_CONTENT =
  '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>' +
  '<rootFolder type="Folder">ha-folder-root</rootFolder><propertyCollector type="PropertyCollector">ha-property-collector</propertyCollector>' +
  "<about><name>VMware ESXi</name><fullName>VMware ESXi 7.0.3 build-20328353</fullName><vendor>VMware, Inc.</vendor>" +
  "<version>7.0.3</version><build>20328353</build><osType>vmnix-x86</osType><productLineId>embeddedEsx</productLineId>" +
  "<apiType>HostAgent</apiType><apiVersion>7.0.3.0</apiVersion></about>" +
  '<sessionManager type="SessionManager">ha-sessionmgr</sessionManager></returnval></RetrieveServiceContentResponse>';

const USER_SESSION =
  '<LoginResponse xmlns="urn:vim25"><returnval><key>52a1</key><userName>root</userName><fullName>root</fullName>' +
  "<loginTime>2024-01-01T00:00:00Z</loginTime><lastActiveTime>2024-01-01T00:00:00Z</lastActiveTime>" +
  "<locale>en</locale><messageLocale>en</messageLocale></returnval></LoginResponse>";

/** The session cookie the server hands out at Login. */
export const SESSION_COOKIE = 'vmware_soap_session="5f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99c8d7e6f5"';

/** An HTTP/1.1 answer with a Content-Length. */
export function httpAnswer(status: number, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): Buffer {
  const b = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const head = [`HTTP/1.1 ${status} X`, `Content-Length: ${b.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), b]);
}

export async function hostileServer(): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const state: { craft: Craft } = { craft: (_r, _s, plausible) => plausible() };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let pending = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = pending.toString("latin1", 0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
        if (pending.length < end + 4 + length) return;
        const raw = pending.toString("utf8", 0, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        const method = /<soapenv:Body>\s*<(\w+)/.exec(raw)?.[1] ?? "";
        const plausible = (): void => {
          if (method === "RetrieveServiceContent")
            socket.write(httpAnswer(200, soapEnvelope(SERVICE_CONTENT), { "Content-Type": "text/xml" }));
          else if (method === "Login")
            socket.write(
              httpAnswer(200, soapEnvelope(USER_SESSION), { "Content-Type": "text/xml", "Set-Cookie": `${SESSION_COOKIE}; Path=/` }),
            );
          else socket.write(httpAnswer(500, "no such method in this test"));
        };
        state.craft({ method, raw }, socket, plausible);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    uri: `esx://root@127.0.0.1:${port}/?transport=http`,
    get craft() {
      return state.craft;
    },
    set craft(c: Craft) {
      state.craft = c;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** Writes `data` one piece every `everyMs` until the socket closes; returns the stopper. */
export function trickle(socket: Socket, data: Buffer, everyMs: number, pieceBytes = 1): () => void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) {
      clearInterval(timer);
      return;
    }
    socket.write(data.subarray(at, at + pieceBytes));
    at += pieceBytes;
    if (at >= data.length) clearInterval(timer);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
  return () => clearInterval(timer);
}

/** One property of an ObjectContent: `val` is the whole <val …>…</val> element. */
function prop(name: string, val: string): string {
  return `<propSet><name>${name}</name>${val}</propSet>`;
}

/** The inventory an ESX host answers at connect: its datacenter, compute resource and host. */
const INVENTORY =
  `<returnval><objects><obj type="Datacenter">ha-datacenter</obj>${prop("name", '<val xsi:type="xsd:string">ha-datacenter</val>')}` +
  `${prop("vmFolder", '<val type="Folder" xsi:type="ManagedObjectReference">ha-folder-vm</val>')}` +
  `${prop("hostFolder", '<val type="Folder" xsi:type="ManagedObjectReference">ha-folder-host</val>')}</objects>` +
  `<objects><obj type="ComputeResource">ha-compute-res</obj>${prop("name", '<val xsi:type="xsd:string">esx1</val>')}` +
  `${prop("resourcePool", '<val type="ResourcePool" xsi:type="ManagedObjectReference">ha-root-pool</val>')}` +
  `${prop("host", '<val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="HostSystem" xsi:type="ManagedObjectReference">ha-host</ManagedObjectReference></val>')}</objects>` +
  `<objects><obj type="HostSystem">ha-host</obj>${prop("name", '<val xsi:type="xsd:string">esx1</val>')}` +
  `${prop("runtime.inMaintenanceMode", '<val xsi:type="xsd:boolean">false</val>')}</objects></returnval>`;

/**
 * A host with virtual machines: RetrievePropertiesEx answers the inventory at connect, and
 * `vms` (ObjectContents, each property's <val> element as the test writes it) for a query of
 * VirtualMachine properties; anything else is answered plausibly.
 */
export function hostWithVms(vms: readonly { id: string; props: Readonly<Record<string, string>> }[]): Craft {
  const objects = vms.map(
    (vm) =>
      `<objects><obj type="VirtualMachine">${vm.id}</obj>${Object.entries(vm.props)
        .map(([n, v]) => prop(n, v))
        .join("")}</objects>`,
  );
  return (req, socket, plausible) => {
    if (req.method !== "RetrievePropertiesEx") return plausible();
    const answer = req.raw.includes("<type>Datacenter</type>")
      ? INVENTORY
      : req.raw.includes("<type>VirtualMachine</type>")
        ? `<returnval>${objects.join("")}</returnval>`
        : "";
    const ns = 'xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
    socket.write(
      httpAnswer(200, soapEnvelope(`<RetrievePropertiesExResponse ${ns}>${answer}</RetrievePropertiesExResponse>`), {
        "Content-Type": "text/xml",
      }),
    );
  };
}
