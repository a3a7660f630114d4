/**
 * Memory bounds, each in a fresh process (the server stays in this one, so that only the
 * client is measured): peak RSS while the client refuses a 1 GiB answer streamed without a
 * Content-Length, and while it receives and decodes the 30 MiB reference answer, against
 * the idle baseline of a process with the bindings and the transport loaded.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { registry } from "../generated/registry.js";
import { VimClient } from "../runtime/client.js";
import { HttpTransport } from "../runtime/http/transport.js";
import { moRef } from "../runtime/soap/index.js";
import { REFERENCE } from "../test/support/paths.js";
import type { Figure } from "./report.js";

const MiB = 1 << 20;
const GiB = 1 << 30;
const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n' +
  '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>\n';
const TAIL = "</returnval></RetrievePropertiesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n";

interface ChildReport {
  readonly baseline: number;
  readonly peak: number;
  readonly outcome: string;
}

/**
 * The child: idle baseline, then one RetrievePropertiesEx call through the client (as every
 * call is made: the body read in pieces, decoded), then the peak RSS (maxRSS is in KiB).
 * `lazy`: the bindings' modules are left to load on demand, as in the CLI (the first decode
 * then stops for a module and starts over, so the pieces are kept until the end).
 */
async function child(origin: string, lazy: boolean): Promise<void> {
  if (lazy) await registry.load("RetrievePropertiesEx");
  else await registry.loadAll();
  const client = new VimClient({ transport: new HttpTransport({ origin, tls: { verify: true }, timeouts: { callMs: 600_000 } }) });
  const baseline = process.memoryUsage().rss;
  let outcome: string;
  try {
    const args = {
      _this: moRef("PropertyCollector", "propertyCollector"),
      specSet: [
        {
          _typeName: "PropertyFilterSpec",
          propSet: [{ _typeName: "PropertySpec", type: "VirtualMachine", all: true }],
          objectSet: [{ _typeName: "ObjectSpec", obj: moRef("Folder", "group-d1") }],
        },
      ],
      options: { _typeName: "RetrieveOptions" },
    };
    const v = (await client.invoke(registry, "RetrievePropertiesEx", args)) as { objects?: unknown[] };
    outcome = `decoded ${v.objects?.length ?? 0} objects`;
  } catch (e) {
    outcome = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  }
  await client.close();
  const report: ChildReport = { baseline, peak: process.resourceUsage().maxRSS * 1024, outcome };
  process.stdout.write(JSON.stringify(report));
}

async function withServer(
  answer: (res: import("node:http").ServerResponse) => void,
  run: (origin: string) => Promise<ChildReport>,
): Promise<ChildReport> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => answer(res));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

async function runChild(origin: string, lazy = false): Promise<ChildReport> {
  const p = spawn(process.execPath, [fileURLToPath(import.meta.url), "--memory-child", origin, lazy ? "lazy" : "all"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  p.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const [code] = (await once(p, "exit")) as [number];
  if (code !== 0) throw new Error(`memory child exited with ${code}`);
  return JSON.parse(out) as ChildReport;
}

/** 1 GiB of blanks, streamed in 1 MiB chunks without a Content-Length. */
function hugeAnswer(res: import("node:http").ServerResponse): void {
  res.writeHead(200, { "content-type": "text/xml" });
  const piece = Buffer.alloc(MiB, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < GiB) {
      sent += piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end();
  };
  res.on("close", () => (sent = GiB));
  pump();
}

export async function benchMemoryBounds(): Promise<Figure[]> {
  const refused = await withServer(hugeAnswer, runChild);
  if (!refused.outcome.includes("larger than")) throw new Error(`the 1 GiB answer was not refused: ${refused.outcome}`);
  const figures: Figure[] = [
    { name: "memory: idle baseline (bindings, transport)", value: Math.round(refused.baseline / MiB), unit: "MiB" },
    { name: "memory: peak RSS refusing a 1 GiB answer (chunked)", value: Math.round(refused.peak / MiB), unit: "MiB", target: "<= 150" },
  ];
  const file = join(REFERENCE, "bench", "vm-objectcontent-300.xml");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [...figures, { name: "memory: reference answer absent, decode figure skipped", value: 0, unit: "" }];
  }
  const objects = text
    .split("<ObjectContent>")
    .filter((p) => p.includes("</ObjectContent>"))
    .map((p) => `<objects>${p.slice(0, p.lastIndexOf("</ObjectContent>"))}</objects>\n`);
  const doc = Buffer.from(HEAD + objects.join("") + TAIL, "utf8");
  text = "";
  const answer = (res: import("node:http").ServerResponse): void => {
    res.writeHead(200, { "content-type": "text/xml", "content-length": String(doc.length) });
    res.end(doc);
  };
  const decoded = await withServer(answer, runChild);
  const lazy = await withServer(answer, (origin) => runChild(origin, true));
  for (const r of [decoded, lazy])
    if (!r.outcome.startsWith("decoded")) throw new Error(`the reference answer did not decode: ${r.outcome}`);
  return [
    ...figures,
    {
      name: `memory: reference answer (${(doc.length / MiB).toFixed(1)} MiB), ${decoded.outcome}: peak`,
      value: Math.round(decoded.peak / MiB),
      unit: "MiB",
    },
    {
      name: "memory: reference answer: (peak - baseline) / document",
      value: Number(((decoded.peak - decoded.baseline) / doc.length).toFixed(2)),
      unit: "x",
      target: "<= 3",
    },
    {
      name: "memory: reference answer, modules loaded on demand: (peak - baseline) / document",
      value: Number(((lazy.peak - lazy.baseline) / doc.length).toFixed(2)),
      unit: "x",
      target: "<= 3",
    },
  ];
}

if (process.argv[2] === "--memory-child") await child(process.argv[3] ?? "", process.argv[4] === "lazy");
