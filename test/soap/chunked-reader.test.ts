/**
 * The reader over a document in pieces (an HTTP body as it arrived, never joined): the same
 * values and the same errors as over one buffer, whatever the cut points and however small
 * the window that moves along the document; consumed pieces are released.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { registry } from "../../generated/registry.js";
import { decodeResponse, XmlReader, type ByteChunks, type XmlReaderLimits } from "../../runtime/soap/index.js";
import { mutate } from "../fuzz/mutate.js";
import { BENCH_DIR, missingReference } from "../support/paths.js";
import { prng } from "../util/prng.js";

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n' +
  '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>\n';
const TAIL = "</returnval></RetrievePropertiesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n";

/** `doc` cut into pieces of the sizes given in turn. */
function pieces(doc: Buffer, sizes: readonly number[], window?: number, consume = true): ByteChunks {
  const chunks: Uint8Array[] = [];
  for (let i = 0, k = 0; i < doc.length; k++) {
    const n = sizes[k % sizes.length] as number;
    chunks.push(doc.subarray(i, i + n));
    i += n;
  }
  return { chunks, length: doc.length, consume, ...(window !== undefined ? { window } : {}) };
}

type Outcome = { value: unknown } | { error: string };

const show = (o: Outcome): string => JSON.stringify(o, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)).slice(0, 300);

function outcome(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
  }
}

/** Every element's name, attributes and text, as the reader reports them, in document order. */
function walk(src: ConstructorParameters<typeof XmlReader>[0], limits?: XmlReaderLimits): string[] {
  const r = new XmlReader(src, limits);
  const out: string[] = [];
  const visit = (): void => {
    while (r.nextChild()) {
      out.push(`<${r.qname} ns=${r.namespace() ?? ""} type=${r.xsiType() ?? ""} a=${r.attr("a") ?? ""}>`);
      if (r.hasChildElements()) visit();
      else out.push(r.isEmpty() ? "(empty)" : JSON.stringify(r.readText()));
    }
  };
  r.root();
  out.push(`<${r.qname}>`);
  visit();
  return out;
}

const CUTS: readonly (readonly number[])[] = [[1], [3], [7, 1, 64], [1000], [13, 200, 1]];
const WINDOWS = [16, 64, 1024] as const;

const long = (n: number, c = "x"): string => c.repeat(n);
const DOCS: readonly string[] = [
  `<r a="1"><b>text</b><c/><d a="&lt;&amp;">x&#65;&#x1F642;y</d></r>`,
  // Names of open elements far behind the window, and a long name.
  `<r>${Array.from({ length: 40 }, (_, i) => `<n${i}long${long(i)}>`).join("")}t${Array.from({ length: 40 }, (_, i) => `</n${39 - i}long${long(39 - i)}>`).join("")}</r>`,
  // Tokens longer than the window: text, attribute, comment, CDATA, processing instruction.
  `<r><t>${long(5000)}</t><u a="${long(3000)}" b='${long(10)}'/><!--${long(4000)}--><v>a<![CDATA[${long(2000, "<")}]]>b</v><?pi ${long(3000)}?><w/></r>`,
  // Multibyte characters cut anywhere, entities, mixed text.
  `<r><é a="ü">${"Grüße 😀 ".repeat(300)}</é><m>a &amp; b<!-- c -->d</m><s>${"&lt;".repeat(500)}</s></r>`,
  // Namespaces declared and redeclared as the window moves.
  `<p:r xmlns:p="urn:p" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${Array.from(
    { length: 60 },
    (_, i) => `<p:e xmlns:q="urn:q${i}" xsi:type="q:T${i}" a="${i}"><q:f>${i}</q:f></p:e>`,
  ).join("")}</p:r>`,
  // vcsim's values: the xsi prefix declared again on each, the same xsi:type written again,
  // read as the window moves; once the prefix is bound elsewhere, once a same-length URI.
  `<r xmlns:xsi="urn:not-xsi">${Array.from({ length: 80 }, (_, i) => {
    const uri = i === 40 ? "http://www.w3.org/2001/XMLSchema-instancf" : "http://www.w3.org/2001/XMLSchema-instance";
    const decl = i === 50 ? "" : ` xmlns:XMLSchema-instance="${uri}"`;
    return `<val${decl} XMLSchema-instance:type="${i % 3 === 0 ? "xsd:string" : "T"}" a="${i}"><v xsi:type="xsd:int">${i}</v></val>`;
  }).join("")}</r>`,
  // Blank space and comments where hasChildElements()/isEmpty() look ahead.
  `<r><a>${long(3000, " ")}<!-- ${long(500)} --><b/></a><c>${long(2000, " ")}</c><d>${long(100, " ")}<?x?>${long(100, " ")}</d></r>`,
  // Errors in the middle and at the end.
  `<r><a>${long(3000)}</b></r>`,
  `<r><a>${long(3000)}`,
  `<r><a b="${long(3000)}`,
  `<r><!-- ${long(3000)}`,
  `<r><a>x</a><!DOCTYPE r>${long(3000)}</r>`,
];

test("elements, attributes and text as over one buffer, for any cut and window", () => {
  for (const doc of DOCS) {
    const bytes = Buffer.from(doc, "utf8");
    const want = outcome(() => walk(bytes));
    for (const cut of CUTS) {
      for (const window of WINDOWS) {
        const got = outcome(() => walk(pieces(bytes, cut, window)));
        assert.ok(isDeepStrictEqual(got, want), `cut ${cut.join(",")}, window ${window}: ${doc.slice(0, 60)}\n${show(got)}\n${show(want)}`);
      }
    }
  }
});

test("consume: the pieces are taken from the array as they are read; otherwise it is left as it is", () => {
  const bytes = Buffer.from(DOCS[2] as string, "utf8");
  const kept = pieces(bytes, [100], 64, false);
  const n = kept.chunks.length;
  walk(kept);
  assert.is(kept.chunks.length, n);
  const taken = pieces(bytes, [100], 64, true);
  const left = (): number => taken.chunks.filter((c) => c.length > 0).length;
  const r = new XmlReader(taken);
  r.root();
  assert.ok(r.nextChild());
  assert.is(r.readText().length, 5000);
  assert.ok(left() < n - 40 && left() > 0, `${left()} of ${n} left after the first child`);
  while (r.depth > 0) if (r.nextChild()) r.skipElement();
  assert.is(taken.chunks.length, 0);
});

test("a text longer than the limit is refused before the window grows to hold it", () => {
  const bytes = Buffer.from(`<r><t>${long(100_000)}</t></r>`, "utf8");
  const r = new XmlReader(pieces(bytes, [1000], 1024), { maxTextLength: 10_000 });
  r.root();
  r.nextChild();
  assert.throws(() => r.readText(), /a text value of \d+ bytes is longer than the limit of 10000/);
  // Looking ahead for a child element in it, and a comment that long.
  assert.throws(() => walk(pieces(bytes, [1000], 1024), { maxTextLength: 10_000 }), /more than 10000 bytes of text or markup in one piece/);
  const comment = Buffer.from(`<r><!--${long(100_000)}--></r>`, "utf8");
  assert.throws(
    () => walk(pieces(comment, [1000], 1024), { maxTextLength: 10_000 }),
    /more than 10000 bytes of text or markup in one piece/,
  );
});

const missing = missingReference(join(BENCH_DIR, "vm-objectcontent-300.xml"));
if (missing !== undefined) console.log(`chunked reader, reference answers: ${missing}`);
else {
  const text = readFileSync(join(BENCH_DIR, "vm-objectcontent-300.xml"), "latin1").slice(0, 2 << 20);
  const objects = text
    .split("<ObjectContent>")
    .filter((part) => part.includes("</ObjectContent>"))
    .slice(0, 8)
    .map((part) => `<objects>${part.slice(0, part.lastIndexOf("</ObjectContent>"))}</objects>\n`);
  const answer = Buffer.from(HEAD + objects.join("") + TAIL, "latin1");

  test("a RetrievePropertiesEx answer of reference VMs decodes to the same objects", async () => {
    await registry.loadAll();
    const method = registry.method("RetrievePropertiesEx");
    const want = decodeResponse(registry, method, answer);
    for (const [cut, window] of [
      [[65536], undefined],
      [[1], 4096],
      [[13, 1, 200], 256],
      [[4096], 1024],
    ] as const) {
      const got = decodeResponse(registry, method, pieces(answer, cut, window));
      assert.ok(isDeepStrictEqual(got, want), `cut ${cut.join(",")}, window ${window ?? "default"}`);
    }
  });

  test("mutated answers (seed 14): the same value or the same error as over one buffer", async () => {
    await registry.loadAll();
    const method = registry.method("RetrievePropertiesEx");
    const docs = [
      Buffer.from(HEAD + objects.slice(0, 2).join("") + TAIL, "latin1"),
      Buffer.from(HEAD + (objects[3] ?? "") + TAIL, "latin1"),
    ];
    const next = prng(14);
    for (let i = 0; i < 150; i++) {
      const input = mutate(docs[i % docs.length] as Buffer, next, docs);
      const want = outcome(() => decodeResponse(registry, method, input));
      const cut = [1 + Math.floor(next() * 3000)];
      const got = outcome(() => decodeResponse(registry, method, pieces(input, cut, 512)));
      assert.ok(isDeepStrictEqual(got, want), `case ${i}, cut ${cut[0] ?? 0}:\n${show(got)}\n${show(want)}`);
    }
  });
}

test.run();
