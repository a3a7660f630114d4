/**
 * A newer server's types and hostile sizes: an xsi:type these bindings do not know decodes
 * as its nearest known base with the wire name kept (the declared type for a complex value,
 * xsd:string for a simple value in an anyType slot, whose text consumers still read), character references that name no XML character are refused,
 * and the per-value and per-document limits (text length, element count) refuse with a
 * DecodeError; an answer of 1,000,000 small objects decodes without overflowing the stack.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DecodeError, decodeResponse, stringValue, TypeRegistry, XmlReader } from "../../runtime/soap/index.js";

const NS = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

function registry(): TypeRegistry {
  return new TypeRegistry({
    namespace: "urn:t",
    morefType: "ManagedObjectReference",
    faultType: "MethodFault",
    genericType: "DynamicData",
    anyType: "AnyType",
  }).add({
    objects: [
      "MethodFault",
      "Prop name:String:r val:AnyType:o",
      "Content obj:ManagedObjectReference:r propSet:Prop:ol",
      "Result objects:Content:ol",
    ],
    methods: ["Get =>Result:r"],
  });
}

function envelope(body: string): string {
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ${NS}><soapenv:Body><GetResponse xmlns="urn:t"><returnval>${body}</returnval></GetResponse></soapenv:Body></soapenv:Envelope>`;
}

function get(body: string, limits = {}): unknown {
  const reg = registry();
  return decodeResponse(reg, reg.method("Get"), envelope(body), limits);
}

test("an unknown subtype decodes as the declared type, its known members all there and its wire name kept", () => {
  const got = get(
    '<objects xsi:type="ContentFromTheFuture"><obj type="VirtualMachine">vm-1</obj><propSet xsi:type="PropV9"><name>name</name>' +
      '<val xsi:type="FancyString">web01</val></propSet><propSet><name>config</name><val xsi:type="ConfigV9"><a>1</a></val></propSet>' +
      "<novelty>x</novelty></objects>",
  );
  assert.equal(got, {
    _typeName: "Result",
    objects: [
      {
        _typeName: "Content",
        _wireType: "ContentFromTheFuture",
        obj: { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-1" },
        propSet: [
          {
            _typeName: "Prop",
            _wireType: "PropV9",
            name: "name",
            val: { _typeName: "xsd:string", value: "web01", _wireType: "FancyString" },
          },
          { _typeName: "Prop", name: "config", val: { _typeName: "DynamicData", _wireType: "ConfigV9", a: "1" } },
        ],
      },
    ],
  });
});

test("an unknown simple type in an anyType slot keeps its wire name and reads as a string", () => {
  const got = get(
    '<objects><obj type="VirtualMachine">vm-1</obj><propSet><name>name</name><val xsi:type="FutureString">web &amp; db</val></propSet>' +
      '<propSet><name>empty</name><val xsi:type="FutureString"/></propSet><propSet><name>plain</name><val xsi:type="xsd:string">p</val></propSet></objects>',
  ) as { objects: { propSet: { val: unknown }[] }[] };
  const vals = got.objects[0]?.propSet.map((p) => p.val);
  assert.equal(vals, [
    { _typeName: "xsd:string", value: "web & db", _wireType: "FutureString" },
    { _typeName: "xsd:string", value: "", _wireType: "FutureString" },
    "p",
  ]);
  assert.equal(vals?.map(stringValue), ["web & db", "", "p"]);
  assert.is(stringValue({ _typeName: "xsd:int", value: 3 }), undefined);
  assert.is(stringValue(undefined), undefined);
});

test("character references to surrogates, NUL, other controls or beyond U+10FFFF are refused", () => {
  for (const ref of ["&#xD800;", "&#xDFFF;", "&#0;", "&#x1;", "&#x110000;", "&#99999999999;", "&#xFFFE;"]) {
    assert.throws(
      () => get(`<objects><obj type="VirtualMachine">vm${ref}</obj></objects>`),
      (e: unknown) => e instanceof DecodeError && e.message === `invalid character reference '${ref}'`,
      ref,
    );
  }
  assert.equal(get('<objects><obj type="VirtualMachine">&#x9;&#xA;&#x1F600;&#xFFFD;</obj></objects>'), {
    _typeName: "Result",
    objects: [{ _typeName: "Content", obj: { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "\t\n😀\uFFFD" } }],
  });
});

test("a text longer than maxTextLength and a document of more than maxElements elements are refused", () => {
  const long = "x".repeat(1001);
  assert.throws(
    () => get(`<objects><obj type="VirtualMachine">${long}</obj></objects>`, { maxTextLength: 1000 }),
    (e: unknown) => e instanceof DecodeError && e.message === "a text value of 1001 bytes is longer than the limit of 1000",
  );
  assert.throws(
    () => get(`<objects><obj type="VirtualMachine">a<![CDATA[${long}]]>b</obj></objects>`, { maxTextLength: 1000 }),
    (e: unknown) => e instanceof DecodeError && /is longer than the limit of 1000/.test(e.message),
  );
  // At the limit: Envelope, Body, GetResponse, returnval, objects and obj are 6.
  const one = '<objects><obj type="VirtualMachine">vm-1</obj></objects>';
  assert.not.throws(() => get(one, { maxElements: 6 }));
  assert.throws(
    () => get(one, { maxElements: 5 }),
    (e: unknown) => e instanceof DecodeError && e.message === "document has more than 5 elements",
  );
  const r = new XmlReader("<a><b/><b/></a>", { maxElements: 2 });
  r.root();
  assert.ok(r.nextChild());
  r.skipElement();
  assert.throws(() => r.nextChild(), /more than 2 elements/);
});

test("an answer of 1,000,000 small objects decodes (no call-stack overflow)", () => {
  const one = '<objects><obj type="VirtualMachine">vm-1</obj></objects>';
  const got = get(one.repeat(1_000_000)) as { objects: unknown[] };
  assert.is(got.objects.length, 1_000_000);
});

test.run();
