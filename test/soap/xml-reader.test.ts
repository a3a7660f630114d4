/**
 * The pull reader over bytes: strings and byte arrays read the same, UTF-8 and Latin-1
 * text, entities, the intern table, namespaces and xsi:type, the typed span readers and
 * their fallbacks, limits and errors.
 */
import { Buffer } from "node:buffer";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DecodeError, XmlReader, XSI_NS } from "../../runtime/soap/index.js";
import { nameHash } from "../../runtime/soap/xml-reader.js";
import { PRIMITIVES_BY_NAME, parseDateTime } from "../../runtime/soap/xsd.js";

/** Every element as `depth name {attrs} xsi:type = text` (leaves) or `depth name {attrs} xsi:type` (parents). */
function events(src: string | Uint8Array): string[] {
  const r = new XmlReader(src);
  const out: string[] = [];
  r.root();
  const visit = (): void => {
    const head = `${r.depth} ${r.qname} ns=${r.namespace() ?? "-"} type=${r.attr("type") ?? "-"} xsi=${r.xsiType() ?? "-"}`;
    if (r.hasChildElements()) {
      out.push(head);
      while (r.nextChild()) visit();
    } else {
      out.push(`${head} = ${JSON.stringify(r.readText())}`);
    }
  };
  visit();
  return out;
}

const DOC =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment -->\n' +
  '<e:Envelope xmlns:e="urn:env" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
  '<body xmlns="urn:vim"><obj type="Virtual&amp;Machine">vm-1</obj>' +
  "<name>caf\u00e9 \u2019quoted\u2019 \ud83d\ude00 &lt;tag&gt; &#x41;&#66;</name>" +
  '<val xsi:type="xsd:int"> 42 </val><cdata>a<![CDATA[<b>&amp;\u00e9</b>]]>z<!-- c -->!</cdata>' +
  "<empty/><blank>  </blank><single type='q&quot;'>x</single>" +
  "</body></e:Envelope>";

test("a string, its UTF-8 bytes and a plain Uint8Array read the same", () => {
  const expected = [
    "1 e:Envelope ns=urn:env type=- xsi=-",
    "2 body ns=urn:vim type=- xsi=-",
    '3 obj ns=urn:vim type=Virtual&Machine xsi=- = "vm-1"',
    `3 name ns=urn:vim type=- xsi=- = ${JSON.stringify("café ’quoted’ 😀 <tag> AB")}`,
    '3 val ns=urn:vim type=- xsi=xsd:int = " 42 "',
    `3 cdata ns=urn:vim type=- xsi=- = ${JSON.stringify("a<b>&amp;é</b>z!")}`,
    '3 empty ns=urn:vim type=- xsi=- = ""',
    '3 blank ns=urn:vim type=- xsi=- = "  "',
    '3 single ns=urn:vim type=q" xsi=- = "x"',
  ];
  assert.equal(events(DOC), expected);
  const bytes = Buffer.from(DOC, "utf8");
  assert.equal(events(bytes), expected);
  assert.equal(events(new Uint8Array(bytes)), expected);
  // A byte order mark before the document is not an element.
  assert.equal(events(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])), expected);
});

test("a string of characters up to U+00FF (read as Latin-1) keeps them", () => {
  const doc = "<r><a>caf\u00e9 \u00ff\u0080 &#xe9;</a><b x='\u00e0'>\u00e0\u00e0</b></r>";
  const r = new XmlReader(doc);
  r.root();
  r.nextChild();
  assert.is(r.readText(), "café \u00ff\u0080 é");
  r.nextChild();
  assert.is(r.attr("x"), "à");
  assert.is(r.readText(), "àà");
  assert.not.ok(r.nextChild());
});

test("repeated values come back equal; values with the same hash are not confused", () => {
  // "Aa" and "BB" (and "C#") have the same hash; long values are compared by their bytes.
  assert.is(nameHash("Aa"), nameHash("BB"));
  const long1 = "x".repeat(40) + " &quot;one&quot; \u2019";
  const long2 = "x".repeat(40) + " &quot;two&quot; \u2019";
  const values = ["Aa", "BB", "Aa", "C#", long1, long2, long1, "BB", "", "Aa"];
  const doc = `<r>${values.map((v) => `<v>${v}</v>`).join("")}</r>`;
  for (const src of [doc, Buffer.from(doc)]) {
    const r = new XmlReader(src);
    r.root();
    const got: string[] = [];
    while (r.nextChild()) got.push(r.readText());
    assert.equal(
      got,
      values.map((v) => v.replaceAll("&quot;", '"')),
    );
  }
});

test("element names: prefix, local name and its hash, qualified name", () => {
  const r = new XmlReader('<p:root xmlns:p="urn:p"><p:child/><other/></p:root>');
  r.root();
  assert.equal([r.qname, r.prefix, r.local, r.namespace()], ["p:root", "p", "root", "urn:p"]);
  r.nextChild();
  assert.is(r.localHash, nameHash("child"));
  assert.ok(r.localIs(Buffer.from("child")));
  assert.not.ok(r.localIs(Buffer.from("childx")));
  assert.not.ok(r.localIs(Buffer.from("p:child")));
  r.skipElement();
  r.nextChild();
  assert.equal([r.qname, r.prefix, r.local, r.namespace()], ["other", "", "other", undefined]);
});

test("namespace declarations are scoped to their element, also when they repeat a binding", () => {
  const doc = '<a xmlns:p="urn:1"><b xmlns:p="urn:1"><c xmlns:p="urn:2"><d/></c><e/></b><f xmlns="urn:d"/><g/></a>';
  const r = new XmlReader(doc);
  r.root();
  const seen: string[] = [];
  const walk = (): void => {
    seen.push(`${r.local}:${r.lookup("p") ?? "-"}:${r.lookup("") ?? "-"}`);
    while (r.nextChild()) walk();
  };
  walk();
  assert.equal(seen, ["a:urn:1:-", "b:urn:1:-", "c:urn:2:-", "d:urn:2:-", "e:urn:1:-", "f:urn:1:urn:d", "g:urn:1:-"]);
  assert.is(r.attr("xmlns"), undefined);
});

test("a declaration or an xsi:type written again word for word resolves in its own scope each time", () => {
  const decl = `xmlns:X="${XSI_NS}"`;
  const sameLength = 'xmlns:X="http://www.w3.org/2001/XMLSchema-instancf"';
  const doc =
    `<r xmlns:xsi="${XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<v ${decl} X:type="xsd:string"/><v ${decl} X:type="xsd:string"/>` +
    `<v ${sameLength} X:type="xsd:string"/><v X:type="xsd:string"/><v ${decl} X:type="xsd:string"/>` +
    `<v ${decl}><v ${decl} X:type="T"/></v><v ${decl} X:type="T"/>` +
    '<v xsi:type="xsd:int"/><w xmlns:xsi="urn:other"><v xsi:type="xsd:int"/></w><v xsi:type="xsd:int"/>' +
    `<v ${decl} X:type="T"/><w><w><v ${decl} X:type="T"/></w><v X:type="T"/></w></r>`;
  const r = new XmlReader(doc);
  r.root();
  const got: string[] = [];
  const walk = (): void => {
    while (r.nextChild()) {
      got.push(`${r.depth} ${r.local} X=${r.lookup("X") ?? "-"} ${r.xsiType() ?? "-"}`);
      walk();
    }
  };
  walk();
  assert.equal(got, [
    `2 v X=${XSI_NS} xsd:string`,
    `2 v X=${XSI_NS} xsd:string`,
    "2 v X=http://www.w3.org/2001/XMLSchema-instancf -",
    "2 v X=- -",
    `2 v X=${XSI_NS} xsd:string`,
    `2 v X=${XSI_NS} -`,
    `3 v X=${XSI_NS} T`,
    `2 v X=${XSI_NS} T`,
    "2 v X=- xsd:int",
    "2 w X=- -",
    "3 v X=- -",
    "2 v X=- xsd:int",
    `2 v X=${XSI_NS} T`,
    "2 w X=- -",
    "3 w X=- -",
    `4 v X=${XSI_NS} T`,
    "3 v X=- -",
  ]);
});

test("xsi:type is found by namespace; XML Schema types come back as xsd:<local>", () => {
  const doc =
    `<r xmlns:xsi="${XSI_NS}" xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:types">` +
    '<v xsi:type="s:int"/><v xsi:type="t:Circle"/><v xsi:type="Square"/>' +
    `<v xmlns:XMLSchema-instance="${XSI_NS}" XMLSchema-instance:type="ArrayOfString"/>` +
    '<v xmlns:xsd="http://www.w3.org/2001/XMLSchema" xsi:type="xsd:dateTime"/>' +
    '<v t:type="NotXsi"/><v type="plain"/><v xsi:type="q:Unknown"/></r>';
  const r = new XmlReader(doc);
  r.root();
  const got: (string | undefined)[] = [];
  for (let i = 0; i < 7; i++) {
    r.nextChild();
    got.push(r.xsiType());
    r.skipElement();
  }
  assert.equal(got, ["xsd:int", "Circle", "Square", "ArrayOfString", "xsd:dateTime", undefined, undefined]);
  r.nextChild();
  assert.throws(
    () => r.xsiType(),
    (e: unknown) => e instanceof DecodeError && e.message === "xsi:type 'q:Unknown' uses an undeclared prefix",
  );
  assert.is(r.attrNS(XSI_NS, "type"), "q:Unknown");
});

/** Reads `text` as the only content of an element with `codec.read`, or the error message. */
function viaRead(type: string, text: string, asBytes: boolean): unknown {
  const codec = PRIMITIVES_BY_NAME.get(type);
  if (codec === undefined) throw new Error(type);
  const doc = `<r><v>${text}</v><after/></r>`;
  const r = new XmlReader(asBytes ? Buffer.from(doc) : doc);
  r.root();
  r.nextChild();
  try {
    const v = codec.read(r);
    // The element was consumed through its end tag.
    assert.ok(r.nextChild());
    assert.is(r.local, "after");
    return v;
  } catch (e) {
    return e instanceof DecodeError ? `error: ${e.message}` : e;
  }
}

/** The same with `codec.parse` of the decoded text: the reference behaviour. */
function viaParse(type: string, text: string): unknown {
  const codec = PRIMITIVES_BY_NAME.get(type);
  if (codec === undefined) throw new Error(type);
  const r = new XmlReader(`<v>${text}</v>`);
  r.root();
  try {
    return codec.parse(r.readText());
  } catch (e) {
    return e instanceof DecodeError ? `error: ${e.message}` : e;
  }
}

const CASES: Record<string, readonly string[]> = {
  Int: [
    "42",
    " 42 ",
    "\n\t-7\r\n",
    "+7",
    "-0",
    "0042",
    "2147483647",
    "-2147483648",
    "2147483648",
    "1e3",
    "",
    " ",
    "4 2",
    "&#52;2",
    "12345678901234567",
    "4\u00e9",
  ],
  Short: ["32767", "32768", "-32768", "x"],
  Byte: ["127", "-129", "0"],
  Long: [
    "0",
    "-0",
    "123456789012345",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1.5",
    " 5 ",
  ],
  Boolean: ["true", "false", "1", "0", " true\n", "TRUE", "yes", "", "tru&#101;"],
  DateTime: [
    "2024-02-29T12:30:45Z",
    "2024-02-29T12:30:45.123Z",
    "2024-02-29T12:30:45.1234567Z",
    "2024-02-29T12:30:45.1Z",
    "2024-02-29T12:30:45",
    "2024-02-29T12:30:45+05:30",
    "2024-02-29T12:30:45.5-08:00",
    " 2024-02-29T12:30:45Z\n",
    "0099-01-01T00:00:00Z",
    "0999-12-31T23:59:59Z",
    "-0001-01-01T00:00:00Z",
    "12024-01-01T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-02-29T12:30:45.Z",
    "2024-02-29T12:30:45ZZ",
    "2024-02-29T12:30:45+0530",
    "2024-02-29 12:30:45Z",
    "2024-02-29T1a:30:45Z",
    "",
  ],
  Double: ["1.5", "-INF", "NaN", "x"],
  String: ["", "a&amp;b", " \u00e9 "],
};

test("typed reads from the bytes give exactly what parsing the text gives, errors included", () => {
  for (const [type, texts] of Object.entries(CASES)) {
    for (const text of texts) {
      const expected = viaParse(type, text);
      for (const asBytes of [false, true]) {
        const got = viaRead(type, text, asBytes);
        if (typeof expected === "number" && Number.isNaN(expected))
          assert.ok(typeof got === "number" && Number.isNaN(got), `${type} ${JSON.stringify(text)}`);
        else assert.equal(got, expected, `${type} ${JSON.stringify(text)} (${asBytes ? "bytes" : "string"})`);
        if (Object.is(expected, -0)) assert.ok(Object.is(got, -0), `${type} ${JSON.stringify(text)} keeps -0`);
      }
    }
  }
  assert.equal(viaRead("DateTime", "2024-02-29T12:30:45.5-08:00", true), parseDateTime("2024-02-29T20:30:45.500Z"));
  assert.is(viaRead("Long", "9223372036854775807", true), 9223372036854775807n);
});

test("a self-closing element reads as empty text", () => {
  const r = new XmlReader(Buffer.from("<r><a/><b>1</b></r>"));
  r.root();
  r.nextChild();
  assert.ok(r.isEmpty());
  assert.is(r.readText(), "");
  r.nextChild();
  assert.not.ok(r.isEmpty());
  assert.is(PRIMITIVES_BY_NAME.get("Int")?.read(r), 1);
  assert.not.ok(r.nextChild());
});

test("lookahead: children behind comments and processing instructions, blank elements", () => {
  const r = new XmlReader("<r><a> <!-- x --> <?pi y?> <b/></a><c> <!-- x --> </c><d>  </d><e>t</e></r>");
  r.root();
  r.nextChild();
  assert.ok(r.hasChildElements());
  r.skipElement();
  r.nextChild();
  assert.not.ok(r.hasChildElements());
  r.skipElement();
  r.nextChild();
  assert.ok(r.isEmpty());
  r.skipElement();
  r.nextChild();
  assert.not.ok(r.isEmpty());
  assert.is(r.readText(), "t");
});

function failure(src: string | Uint8Array, walk: (r: XmlReader) => void, limits?: { maxDepth?: number; maxLength?: number }): string {
  try {
    const r = new XmlReader(src, limits);
    walk(r);
  } catch (e) {
    if (e instanceof DecodeError) return e.message;
    throw e;
  }
  return "no error";
}

const readAll = (r: XmlReader): void => {
  r.root();
  const walk = (): void => {
    if (!r.hasChildElements()) {
      r.readText();
      return;
    }
    while (r.nextChild()) walk();
  };
  walk();
};

test("limits and malformed documents are errors that say what is wrong", () => {
  assert.is(failure("<a><b><c/></b></a>", readAll, { maxDepth: 2 }), "document nested deeper than 2 elements");
  assert.is(failure("<a>1234</a>", readAll, { maxLength: 10 }), "document too large: 11 characters (limit 10)");
  assert.is(failure(Buffer.from("<a>\u00e9\u00e9\u00e9</a>"), readAll, { maxLength: 12 }), "document too large: 13 bytes (limit 12)");
  assert.is(failure('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', readAll), "DOCTYPE declarations are not accepted");
  assert.is(failure("<a>&x;</a>", readAll), "undefined entity '&x;' (entities are not expanded)");
  assert.is(failure("<a>&#x110000;</a>", readAll), "invalid character reference '&#x110000;'");
  const textOfFirstChild = (r: XmlReader): void => {
    r.root();
    r.nextChild();
    r.readText();
  };
  assert.is(failure("<a><b>text<c/></b></a>", textOfFirstChild), "element <b> should hold text, found child element <c>");
  assert.is(failure("<a b=1></a>", readAll), "attribute 'b' of <a> is not quoted");
  assert.is(failure("<a b></a>", readAll), "attribute 'b' of <a> has no value");
  assert.is(failure('<a b="x></a>', readAll), "unterminated attribute 'b' of <a>");
  assert.is(failure("<a>x", textOfFirstChild), "unexpected end of document inside <a>");
  assert.is(failure("<a><b>x", readAll), "unexpected end of document inside <b>");
  assert.is(failure("<a></a", readAll), "unterminated end tag");
  assert.is(failure("<a><!-- x </a>", readAll), "unterminated comment");
  assert.is(failure("< a/>", readAll), "malformed start tag at offset 0");
  assert.is(failure("", readAll), "the document has no root element");
  assert.is(failure("<a><b></c></a>", readAll), "end tag </c> does not close <b>");
  assert.is(failure("<a><b><c></c></a>", readAll), "end tag </a> does not close <b>");
  assert.is(failure("<a><b>x</b>", readAll), "unexpected end of document inside <a>");
  assert.is(failure("<a><b><c/>x", readAll), "unexpected end of document inside <b>");
});

test("end tags may carry blanks before '>', and namespaced names must match exactly", () => {
  assert.is(failure("<s:a><s:b>1</s:b ></s:a\n>", readAll), "no error");
  assert.is(failure("<s:a></t:a>", readAll), "end tag </t:a> does not close <s:a>");
});

test.run();
