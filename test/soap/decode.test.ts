/**
 * Compiled decoders over the byte reader: members matched by hash and bytes (collisions,
 * prefixes, unknown elements), plain result objects, typed primitives in members and
 * AnyType slots, and responses decoded from bytes and from strings alike.
 */
import { Buffer } from "node:buffer";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DecodeError, decodeResponse, TypeRegistry, WIRE_ARRAY_TYPE, XmlReader } from "../../runtime/soap/index.js";
import { nameHash } from "../../runtime/soap/xml-reader.js";

const NS = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';

function registry(): TypeRegistry {
  return new TypeRegistry({
    namespace: "urn:t",
    morefType: "ManagedObjectReference",
    faultType: "MethodFault",
    genericType: "DynamicData",
    anyType: "AnyType",
  }).add({
    enums: "Color",
    objects: [
      "MethodFault",
      // Aa, BB and C# have the same name hash.
      "Pair Aa:String:o BB:Int:o tags:String:ol",
      "Wide:Pair extra:Double:o",
      "Holder pair:Pair:o any:AnyType:ol color:Color:o when:DateTime:o size:Long:o ok:Boolean:o ref:ManagedObjectReference:o",
    ],
    methods: ["Get =>Holder:r"],
  });
}

type Encode = (s: string) => string | Uint8Array;
const INPUTS: readonly [string, Encode][] = [
  ["string", (s) => s],
  ["bytes", (s) => Buffer.from(s, "utf8")],
];

function decode(reg: TypeRegistry, type: string, xml: string | Uint8Array): unknown {
  const r = new XmlReader(xml);
  r.root();
  if (!r.nextChild()) throw new Error("no value");
  return reg.decoder(type)(r);
}

test("members whose names share a hash are told apart by their bytes; unknown ones are skipped", () => {
  assert.is(nameHash("Aa"), nameHash("BB"));
  assert.is(nameHash("Aa"), nameHash("C#"));
  for (const [what, enc] of INPUTS) {
    const reg = registry();
    const xml = "<r><v><Aa>x</Aa><BB>5</BB><tags>t1</tags><C#><deep>skipped</deep></C#><tags>t2</tags><Ab>no</Ab></v></r>";
    assert.equal(decode(reg, "Pair", enc(xml)), { _typeName: "Pair", Aa: "x", BB: 5, tags: ["t1", "t2"] }, what);
    assert.equal(decode(reg, "Pair", enc("<r><v><BB>6</BB></v></r>")), { _typeName: "Pair", BB: 6 }, what);
  }
});

test("member elements are matched by local name, whatever their prefix", () => {
  const reg = registry();
  const xml = '<r xmlns:p="urn:p"><v><p:Aa>x</p:Aa><q:BB xmlns:q="urn:q">1</q:BB></v></r>';
  assert.equal(decode(reg, "Pair", xml), { _typeName: "Pair", Aa: "x", BB: 1 });
});

test("decoded objects are plain objects with _typeName first and members in wire order", () => {
  const reg = registry();
  const v = decode(reg, "Pair", `<r ${NS}><v xsi:type="Wide"><BB>1</BB><Aa>a</Aa><extra>2.5</extra></v></r>`);
  assert.equal(v, { _typeName: "Wide", BB: 1, Aa: "a", extra: 2.5 });
  assert.is(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(Object.keys(v as object), ["_typeName", "BB", "Aa", "extra"]);
  assert.is(JSON.stringify(v), '{"_typeName":"Wide","BB":1,"Aa":"a","extra":2.5}');
  const unknown = decode(reg, "Pair", `<r ${NS}><v xsi:type="Newer"><Aa>a</Aa><more>m</more></v></r>`);
  assert.equal(unknown, { _typeName: "Pair", _wireType: "Newer", Aa: "a" });
});

const RESPONSE =
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ${NS}>` +
  '<soapenv:Body><GetResponse xmlns="urn:t"><returnval>' +
  "<pair><Aa>caf\u00e9 \u2019x\u2019 &amp; &#x1F600;</Aa><BB> -12 </BB></pair>" +
  '<any xsi:type="xsd:long">-9223372036854775808</any>' +
  '<any xsi:type="xsd:dateTime">2024-02-29T12:30:45.5+01:00</any>' +
  '<any xsi:type="xsd:boolean">1</any>' +
  '<any xsi:type="xsd:short">7</any>' +
  '<any xsi:type="ArrayOfInt"><int>1</int><int>2</int></any>' +
  '<any xsi:type="Pair"><Aa>nested</Aa></any>' +
  '<any xsi:type="ManagedObjectReference" type="VirtualMachine">vm-1</any>' +
  '<any xsi:type="SomethingNew"><a>1</a><b><c>2</c></b></any>' +
  "<color>blue</color><when>1999-12-31T23:59:59Z</when><size>123456789012345678</size><ok>false</ok>" +
  '<ref type="Folder">group-d1</ref>' +
  "</returnval></GetResponse></soapenv:Body></soapenv:Envelope>";

test("a response decodes the same from its bytes and from a string", () => {
  const expected = {
    _typeName: "Holder",
    pair: { _typeName: "Pair", Aa: "café ’x’ & 😀", BB: -12 },
    any: [
      -9223372036854775808n,
      new Date(Date.UTC(2024, 1, 29, 11, 30, 45, 500)),
      true,
      7,
      [1, 2],
      { _typeName: "Pair", Aa: "nested" },
      { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-1" },
      { _typeName: "DynamicData", _wireType: "SomethingNew", a: "1", b: { _typeName: "DynamicData", c: "2" } },
    ],
    color: "blue",
    when: new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
    size: 123456789012345678n,
    ok: false,
    ref: { _typeName: "ManagedObjectReference", type: "Folder", value: "group-d1" },
  };
  for (const [what, enc] of INPUTS) {
    const reg = registry();
    const got = decodeResponse(reg, reg.method("Get"), enc(RESPONSE));
    assert.equal(got, expected, what);
    const anys = (got as { any: unknown[] }).any;
    assert.is((anys[4] as { [WIRE_ARRAY_TYPE]?: string })[WIRE_ARRAY_TYPE], "ArrayOfInt");
  }
  // A string of Latin-1 characters only takes the Latin-1 path; the result is the same.
  const latin1 = RESPONSE.replace("\u2019x\u2019", "\u00abx\u00bb").replace("&#x1F600;", "\u00ff");
  const reg = registry();
  const got = decodeResponse(reg, reg.method("Get"), latin1) as { pair: { Aa: string } };
  assert.is(got.pair.Aa, "café «x» & ÿ");
  assert.equal(decodeResponse(reg, reg.method("Get"), Buffer.from(latin1)), got);
});

test("a malformed primitive is the same error from bytes and from a string", () => {
  for (const [what, enc] of INPUTS) {
    const reg = registry();
    const bad = RESPONSE.replace("<BB> -12 </BB>", "<BB>12x</BB>");
    assert.throws(
      () => decodeResponse(reg, reg.method("Get"), enc(bad)),
      (e: unknown) => e instanceof DecodeError && e.message === "'12x' is not a valid xsd:int",
      what,
    );
    const bad2 = RESPONSE.replace("<ok>false</ok>", "<ok>False</ok>");
    assert.throws(
      () => decodeResponse(reg, reg.method("Get"), enc(bad2)),
      (e: unknown) => e instanceof DecodeError && e.message === "'False' is not a valid xsd:boolean",
      what,
    );
  }
});

test.run();
