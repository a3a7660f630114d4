/**
 * Round trip serialize -> deserialize for every type of the golden fixture's bindings, plus
 * the codec behaviours the generated metadata drives (occurrences, polymorphism, unknown
 * subtypes, method stubs).
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSchema } from "../../generator/schema/load.js";
import { DecodeError, EncodeError, XmlReader, decodeResponse, requestEnvelope, type SoapCaller } from "../../runtime/soap/index.js";
import { ROOT } from "../support/paths.js";
import { dataTypes, roundTrip, Synthesizer } from "../support/roundtrip.js";
import { registry } from "./golden/out/registry.js";
import { Draw, History, Lookup, Ping, PowerOn_Task } from "./golden/out/b-objects.js";
import { PowerState } from "./golden/out/a-core.js";

const model = loadSchema([join(ROOT, "test", "generator", "golden", "schema")], ROOT);

test.before(async () => {
  await registry.loadAll();
});

test("every data object type survives encode then decode (full and sparse values)", () => {
  const synth = new Synthesizer(model);
  let checked = 0;
  for (const decl of dataTypes(model)) {
    for (const variant of ["full", "sparse"] as const) {
      const value = synth.value(decl.name, variant, 0);
      const { decoded, xml } = roundTrip(registry, decl.name, value);
      assert.equal(decoded, value, `${decl.name} (${variant}) via ${xml}`);
      checked++;
    }
  }
  assert.is(checked, 2 * model.objects.size);
});

test("a subtype in a base slot is written with xsi:type and decoded as the subtype", () => {
  const { xml, decoded } = roundTrip(registry, "Shape", { _typeName: "RoundedSquare", side: 2, corner: 0.5 });
  assert.ok(xml.includes('<value xsi:type="RoundedSquare"><label>') === false);
  assert.ok(xml.includes('<value xsi:type="RoundedSquare"><side>2</side><corner>0.5</corner></value>'), xml);
  assert.equal(decoded, { _typeName: "RoundedSquare", side: 2, corner: 0.5 });
});

test("members are written in schema order, base members first", () => {
  const { xml } = roundTrip(registry, "Square", { _typeName: "RoundedSquare", corner: 1, side: 3, label: "x" });
  assert.ok(xml.includes("<label>x</label><side>3</side><corner>1</corner>"), xml);
});

test("an unknown subtype from a newer server decodes as the declared type and keeps its wire name", () => {
  const xml =
    '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><main xsi:type="Hexagon"><label>h</label><edges>6</edges></main></r>';
  const r = new XmlReader(xml);
  r.root();
  r.nextChild();
  assert.equal(registry.decoder("Shape")(r), { _typeName: "Shape", _wireType: "Hexagon", label: "h" });
});

test("xsi:type is read by namespace, whatever the prefix", () => {
  const xml =
    '<r><v xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="Circle"><radius>1</radius></v><w xmlns:q="urn:other" q:type="Circle"><label>not a type</label></w></r>';
  const r = new XmlReader(xml);
  r.root();
  r.nextChild();
  assert.equal(registry.decoder("Shape")(r), { _typeName: "Circle", radius: 1 });
  r.nextChild();
  assert.equal(registry.decoder("Shape")(r), { _typeName: "Shape", label: "not a type" });
});

test("a missing required value is an error naming type and property", () => {
  assert.throws(
    () => roundTrip(registry, "Circle", { _typeName: "Circle" }),
    (e: unknown) => e instanceof EncodeError && e.message === "Circle is missing the required property 'radius' (at value)",
  );
  const r = new XmlReader('<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><v><label>x</label></v></r>');
  r.root();
  r.nextChild();
  assert.throws(
    () => registry.decoder("Circle")(r),
    (e: unknown) => e instanceof DecodeError && e.message === "Circle is missing the required property 'radius'",
  );
});

test("an empty optional list is the same as an absent one; ignored members are skipped", () => {
  const { decoded } = roundTrip(registry, "Primitives", {
    _typeName: "Primitives",
    flag: false,
    i: 1,
    l: 2n,
    s: "",
    counts: [0],
    names: [],
  });
  assert.equal(decoded, { _typeName: "Primitives", flag: false, i: 1, l: 2n, s: "", counts: [0] });
  const r = new XmlReader("<r><v><flag>true</flag><i>1</i><l>2</l><s>x</s><counts>5</counts><skipped><deep>1</deep></skipped></v></r>");
  r.root();
  r.nextChild();
  assert.equal(registry.decoder("Primitives")(r), { _typeName: "Primitives", flag: true, i: 1, l: 2n, s: "x", counts: [5] });
});

test("wrong JavaScript types are refused with the path named", () => {
  assert.throws(
    () => roundTrip(registry, "Drawing", { _typeName: "Drawing", main: { _typeName: "Circle", radius: "big" } }),
    (e: unknown) => e instanceof EncodeError && e.message === 'value.main.radius: expected number for xsd:double, got the string "big"',
  );
  assert.throws(
    () => roundTrip(registry, "Drawing", { _typeName: "Drawing", main: { _typeName: "AboutInfo", name: "n", apiVersion: "1" } }),
    (e: unknown) => e instanceof EncodeError && e.message === "value.main: a AboutInfo cannot stand where a Shape is expected",
  );
});

/** A SoapCaller that answers from canned XML and records requests. */
function fakeClient(answer: (method: string, body: string) => string): SoapCaller & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    bound: (member) => ({ _typeName: "ManagedObjectReference", type: "SessionManager", value: `bound-${member}` }),
    async invoke(reg, name, args) {
      await reg.load(name);
      const m = reg.method(name);
      const body = m.encodeBody(args);
      requests.push(body);
      return decodeResponse(reg, m, answer(name, requestEnvelope(body)));
    },
  };
}

const env = (inner: string): string =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

test("method stubs: explicit and bound _this, parameters in order, return occurrences", async () => {
  const client = fakeClient((m) => {
    if (m === "PowerOn_Task")
      return env('<PowerOn_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-1</returnval></PowerOn_TaskResponse>');
    if (m === "Ping") return env('<PingResponse xmlns="urn:vim25"></PingResponse>');
    if (m === "Lookup") return env('<LookupResponse xmlns="urn:vim25"></LookupResponse>');
    if (m === "History") return env('<HistoryResponse xmlns="urn:vim25"/>');
    return env(
      '<DrawResponse xmlns="urn:vim25"><returnval xsi:type="Circle"><radius>2</radius></returnval><returnval><label>plain</label></returnval></DrawResponse>',
    );
  });
  const task = await PowerOn_Task(client, { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-1" });
  assert.equal(task, { _typeName: "ManagedObjectReference", type: "Task", value: "task-1" });
  assert.is(client.requests[0], '<PowerOn_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-1</_this></PowerOn_Task>');
  assert.is(await Ping(client), undefined);
  assert.is(client.requests[1], '<Ping xmlns="urn:vim25"><_this type="SessionManager">bound-sessionManager</_this></Ping>');
  assert.is(await Lookup(client, { _typeName: "ManagedObjectReference", type: "X", value: "x" }, { names: ["a", "b"] }), undefined);
  assert.is(client.requests[2], '<Lookup xmlns="urn:vim25"><_this type="X">x</_this><names>a</names><names>b</names></Lookup>');
  assert.equal(await History(client, { _typeName: "ManagedObjectReference", type: "X", value: "x" }), []);
  const shapes = await Draw(client, {
    drawing: { _typeName: "Drawing", main: { _typeName: "Square", side: 1 } },
    state: PowerState.poweredOn,
  });
  assert.equal(shapes, [
    { _typeName: "Circle", radius: 2 },
    { _typeName: "Shape", label: "plain" },
  ]);
  assert.is(
    client.requests[4],
    '<Draw xmlns="urn:vim25"><_this type="SessionManager">bound-sessionManager</_this><drawing><main xsi:type="Square"><side>1</side></main></drawing><state>poweredOn</state></Draw>',
  );
});

test("method stubs check required parameters before sending and the return occurrence on the answer", async () => {
  const client = fakeClient(() => env('<DrawResponse xmlns="urn:vim25"></DrawResponse>'));
  await Lookup(client, { _typeName: "ManagedObjectReference", type: "X", value: "x" }, { names: [] }).then(
    () => assert.unreachable("should have failed"),
    (e: unknown) => assert.is((e as Error).message, "Required parameter 'names' is missing for call to Lookup"),
  );
  assert.is(client.requests.length, 0, "nothing was sent");
  await Draw(client, { drawing: { _typeName: "Drawing", main: { _typeName: "Shape" } } }).then(
    () => assert.unreachable("should have failed"),
    (e: unknown) => assert.ok(e instanceof DecodeError && e.message === "Draw must return at least one value, got none"),
  );
});

test.run();
