/**
 * The response parser is safe on hostile documents: DOCTYPE declarations (and so entity
 * definitions, billion laughs, external entities) are refused, undefined entities are not
 * expanded, and depth and size are bounded — directly on the reader and through a client
 * talking to a local server.
 */
import type { ServerResponse } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CurrentTime } from "../../generated/index.js";
import { VimClient } from "../../runtime/client.js";
import { HttpTransport } from "../../runtime/http/transport.js";
import { DecodeError, moRef, XmlReader, type XmlReaderLimits } from "../../runtime/soap/index.js";
import { localServer, soapEnvelope, type LocalServer } from "./helpers.js";

const SI = moRef("ServiceInstance", "ServiceInstance");
const GOOD = soapEnvelope('<CurrentTimeResponse xmlns="urn:vim25"><returnval>2024-01-02T03:04:05Z</returnval></CurrentTimeResponse>');

let server: LocalServer;
let body = GOOD;

async function callWith(doc: string, limits?: XmlReaderLimits): Promise<unknown> {
  body = doc;
  const c = new VimClient({
    transport: new HttpTransport({ origin: server.origin, tls: { verify: true } }),
    ...(limits !== undefined ? { limits } : {}),
  });
  try {
    return await CurrentTime(c, SI);
  } catch (e) {
    return e;
  } finally {
    await c.close();
  }
}

function readAll(doc: string, limits?: XmlReaderLimits): void {
  const r = new XmlReader(doc, limits);
  r.root();
  const walk = (): void => {
    while (r.nextChild()) walk();
  };
  walk();
}

test.before(async () => {
  server = await localServer((_req, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8" });
    res.end(body);
  });
});

test.after(async () => {
  await server.close();
});

test("a well-formed answer decodes (control)", async () => {
  const got = await callWith(GOOD);
  assert.instance(got, Date);
  assert.is((got as Date).toISOString(), "2024-01-02T03:04:05.000Z");
});

test("DOCTYPE declarations are refused: internal entities, billion laughs, external entities", async () => {
  const laughs =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n';
  const external = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n';
  for (const [label, doc] of [
    ["billion laughs", laughs + GOOD.replace(/^<\?xml[^>]*>\n/, "").replace("2024-01-02T03:04:05Z", "&lol3;")],
    ["external entity", external + GOOD.replace(/^<\?xml[^>]*>\n/, "").replace("2024-01-02T03:04:05Z", "&xxe;")],
  ] as const) {
    const e = await callWith(doc);
    assert.instance(e, DecodeError, label);
    assert.is((e as DecodeError).message, "DOCTYPE declarations are not accepted", label);
    assert.is((e as DecodeError).code, "DECODE_ERROR", label);
  }
});

test("entities other than the five predefined ones and character references are not expanded", async () => {
  const e = await callWith(GOOD.replace("2024-01-02T03:04:05Z", "&xxe;"));
  assert.instance(e, DecodeError);
  assert.is((e as Error).message, "undefined entity '&xxe;' (entities are not expanded)");
  // Predefined entities and character references are fine.
  const r = new XmlReader("<a>&lt;&amp;&gt;&quot;&apos;&#65;&#x1F642;</a>");
  r.root();
  assert.is(r.readText(), `<&>"'A🙂`);
});

test("documents nested too deep are refused", async () => {
  const deep = (n: number): string => `${"<a>".repeat(n)}${"</a>".repeat(n)}`;
  readAll(deep(256));
  assert.throws(
    () => readAll(deep(257)),
    (e: unknown) => e instanceof DecodeError && e.message === "document nested deeper than 256 elements",
  );
  assert.throws(() => readAll(deep(11), { maxDepth: 10 }), /document nested deeper than 10 elements/);
  // Through the client: a response nested deeper than the client's limit.
  const nested = GOOD.replace("<returnval>", `${"<x>".repeat(300)}${"</x>".repeat(300)}<returnval>`);
  const e = await callWith(nested);
  assert.instance(e, DecodeError);
  assert.is((e as Error).message, "document nested deeper than 256 elements");
});

test("documents larger than the limit are refused before parsing", async () => {
  assert.throws(() => new XmlReader("<a>0123456789</a>", { maxLength: 10 }), /document too large: 17 characters \(limit 10\)/);
  const e = await callWith(GOOD, { maxLength: 100 });
  assert.instance(e, DecodeError);
  // The client hands the body to the decoder as bytes.
  assert.is((e as Error).message, `document too large: ${Buffer.byteLength(GOOD)} bytes (limit 100)`);
});

test("malformed documents are DecodeErrors, not crashes", async () => {
  for (const doc of [
    GOOD.slice(0, GOOD.indexOf("03:04")),
    GOOD.slice(0, GOOD.indexOf("<returnval>")),
    "<soapenv:Envelope",
    "",
    "not xml at all",
  ]) {
    const e = await callWith(doc);
    assert.instance(e, DecodeError, JSON.stringify(doc.slice(-40)));
  }
});

test.run();
