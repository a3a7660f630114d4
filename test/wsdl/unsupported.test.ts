/**
 * Constructs the importer does not model make it stop with a message naming the type (or
 * operation) and the construct; it never drops a member silently. Definitions that do not
 * need such a construct still import (fixtures/bad).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { WsdlImportError } from "../../generator/wsdl/errors.js";
import { importWsdl, loadWsdl } from "../../generator/wsdl/import.js";
import type { TextReader } from "../../generator/wsdl/wsdl-read.js";
import { BAD, squeezed } from "./support.js";

const wsdl = await loadWsdl(BAD);

async function stopMessage(opts: { types?: string[]; methods?: string[] }): Promise<WsdlImportError> {
  try {
    const r = await importWsdl({ wsdl, ...opts });
    throw new Error(`imported without stopping: ${r.decls.map((d) => d.name).join(", ")}`);
  } catch (e) {
    if (!(e instanceof WsdlImportError)) throw e;
    return e;
  }
}

/** given: a type or method name of fixtures/bad; want: the problem line(s) of the error. */
const STOPS: Record<string, string[]> = {
  WithChoice: ["type WithChoice: xsd:choice is not modelled by the importer"],
  WithAny: ["type WithAny: xsd:any is not modelled by the importer"],
  WithAttribute: ["type WithAttribute: xsd:attribute 'lang' is not modelled by the importer"],
  WithSimpleContent: ["type WithSimpleContent: xsd:simpleContent: only ManagedObjectReference may have simple content"],
  WithGroup: ["type WithGroup: xsd:group 'm:Pair' is not modelled by the importer"],
  WithAll: ["type WithAll: xsd:all is not modelled by the importer"],
  WithElementRef: ['type WithElementRef: xsd:element ref="m:Detached" is not modelled by the importer'],
  WithAnonymousMember: ["type WithAnonymousMember member inner: anonymous xsd:complexType: member types must be named"],
  WithRestriction: ["type WithRestriction: xsd:complexContent/xsd:restriction is not modelled by the importer"],
  WithMixed: ['type WithMixed: attribute mixed="true" on xsd:complexType is not modelled by the importer'],
  WithDefault: ['type WithDefault member name: attribute default="x" on xsd:element is not modelled by the importer'],
  WithProhibited: ['type WithProhibited member name: maxOccurs="0": a prohibited member cannot be written'],
  WithRepeatedSequence: ['type WithRepeatedSequence: attribute maxOccurs="unbounded" on xsd:sequence is not modelled by the importer'],
  WithUnknownType: ["type WithUnknownType member name: type {urn:bad}Nowhere: not defined in the WSDL"],
  WithDecimal: ["type WithDecimal member amount: xsd:decimal: this xsd built-in type has no schema type"],
  WithListOfArrays: [
    'type WithListOfArrays member rows: maxOccurs="unbounded" of ArrayOfString: a list of ArrayOf wrappers is a list of lists',
  ],
  WithNestedArray: ["type WithNestedArray member rows: type ArrayOfArrayOfString: an ArrayOf of ArrayOf wrappers is a list of lists"],
  WithDynamicDataMember: [
    "type WithDynamicDataMember member value: member type DynamicData: the grammar has no root data object (DynamicData is only dropped as a base)",
  ],
  WithEnumBase: ["type WithEnumBase: extension of Pattern: only data objects can be extended"],
  UsesChoice: ["type WithChoice (needed by UsesChoice): xsd:choice is not modelled by the importer"],
  Pattern: ["type Pattern: xsd:pattern facet is not modelled by the importer"],
  IntEnum: ["type IntEnum: xsd:restriction of xsd:int: only enumerations of xsd:string are modelled"],
  Words: ["type Words: xsd:list: only enumerations of xsd:string are modelled"],
  Spaced: ["type Spaced: enumeration value 'two words': an enum value must be one token without '#'"],
  NoThis: ["operation NoThis: first request member 'name': the first parameter must be a required ManagedObjectReference named _this"],
  TwoResults: ["operation TwoResults: response TwoResultsResponse: a response must be empty or hold one element named returnval"],
  Rpc: ["operation Rpc message RpcRequestMsg: wsdl:part with type=: rpc-style messages are not modelled"],
  OneWay: ["operation OneWay: operation without wsdl:output: one-way operations are not modelled"],
};

for (const [given, want] of Object.entries(STOPS)) {
  test(`stops on ${given}`, async () => {
    const e = await stopMessage({ types: [given] });
    assert.is(e.code, "NO_SUPPORT");
    assert.equal(
      e.message
        .split("\n")
        .slice(1)
        .map((l) => l.trim()),
      want,
    );
    assert.ok(e.problems.length === want.length);
  });
}

test("every problem of a request is listed at once, not only the first", async () => {
  const e = await stopMessage({ types: ["WithChoice", "WithAny", "Good"], methods: ["NoThis"] });
  assert.equal(e.problems.map((p) => p.where).sort(), ["operation NoThis", "type WithAny", "type WithChoice"]);
});

test("definitions that need no unmodelled construct import from the same WSDL", async () => {
  const r = await importWsdl({ wsdl, types: ["Good"], methods: ["Fine"] });
  assert.equal(squeezed(r.decls), ["object Good\nString name r\nend", "method Fine returns Good r\nManagedObjectReference _this r\nend"]);
});

/** Serves in-memory documents by their file name. */
function memory(docs: Record<string, string>): TextReader {
  return async (location) => {
    const name = location.slice(location.lastIndexOf("/") + 1);
    const text = docs[name];
    if (text === undefined) throw new Error(`ENOENT: no such file ${name}`);
    return text;
  };
}

const XSD_HEAD = `<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns:t="urn:t">`;
const OK_TYPE = `<complexType name="Ok"><sequence><element name="a" type="string"/></sequence></complexType>`;

test("a document-wide construct (xsd:redefine) stops every import", async () => {
  const read = memory({
    "t.xsd": `${XSD_HEAD}<redefine schemaLocation="u.xsd"/>${OK_TYPE}</schema>`,
    "u.xsd": `${XSD_HEAD}</schema>`,
  });
  try {
    await importWsdl({ wsdl: "/nowhere/t.xsd", types: ["Ok"], read });
    assert.unreachable("imported despite xsd:redefine");
  } catch (e) {
    assert.instance(e, WsdlImportError);
    assert.match((e as WsdlImportError).message, "schema in /nowhere/t.xsd: xsd:redefine is not modelled by the importer");
  }
});

test("a document that is not XML, a missing include, an undeclared prefix: errors name the document", async () => {
  const cases: [Record<string, string>, string, string][] = [
    [{ "t.xsd": `${XSD_HEAD}<complexType name="Ok">` }, "XML_ERROR", "/nowhere/t.xsd: not well-formed XML"],
    [
      { "t.xsd": `${XSD_HEAD}<include schemaLocation="gone.xsd"/></schema>` },
      "INVALID_ARG",
      "cannot read /nowhere/gone.xsd (referenced by /nowhere/t.xsd)",
    ],
    [
      { "t.xsd": `${XSD_HEAD}<complexType name="Ok"><sequence><element name="a" type="q:string"/></sequence></complexType></schema>` },
      "XML_ERROR",
      "'q:string' uses the undeclared namespace prefix 'q'",
    ],
  ];
  for (const [docs, code, message] of cases) {
    try {
      await importWsdl({ wsdl: "/nowhere/t.xsd", types: ["Ok"], read: memory(docs) });
      assert.unreachable(`no error for ${message}`);
    } catch (e) {
      assert.instance(e, WsdlImportError);
      assert.is((e as WsdlImportError).code, code);
      assert.match((e as WsdlImportError).message, message);
    }
  }
});

test("a type defined twice is a problem when it is needed", async () => {
  const read = memory({
    "t.xsd": `${XSD_HEAD}<include schemaLocation="u.xsd"/>${OK_TYPE}</schema>`,
    "u.xsd": `${XSD_HEAD}${OK_TYPE}</schema>`,
  });
  try {
    await importWsdl({ wsdl: "/nowhere/t.xsd", types: ["Ok"], read });
    assert.unreachable("imported a type defined twice");
  } catch (e) {
    assert.instance(e, WsdlImportError);
    assert.match((e as WsdlImportError).message, "type Ok: a second definition: defined in /nowhere/t.xsd and in /nowhere/u.xsd");
  }
});

test.run();
