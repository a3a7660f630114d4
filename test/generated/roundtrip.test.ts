/**
 * Round trip serialize -> deserialize for every data object type of generated/ (the
 * bindings of schema/), with synthesized values: every occurrence, nested lists,
 * polymorphic slots, AnyType primitives, empty and one-element lists, open enums.
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSchema } from "../../generator/schema/load.js";
import { registry } from "../../generated/registry.js";
import { ROOT } from "../support/paths.js";
import { dataTypes, roundTrip, Synthesizer } from "../support/roundtrip.js";

const model = loadSchema([join(ROOT, "schema")], ROOT);

test.before(async () => {
  await registry.loadAll();
});

test("every data object type of schema/ survives encode then decode", () => {
  const synth = new Synthesizer(model);
  const failures: string[] = [];
  let checked = 0;
  for (const decl of dataTypes(model)) {
    for (const variant of ["full", "sparse"] as const) {
      const value = synth.value(decl.name, variant, 0);
      try {
        const { decoded } = roundTrip(registry, decl.name, value);
        assert.equal(decoded, value);
      } catch (e) {
        failures.push(`${decl.name} (${variant}): ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`);
      }
      checked++;
    }
  }
  assert.equal(failures, []);
  assert.is(checked, 2 * model.objects.size);
  console.log(`  ${model.objects.size} data object types, ${checked} round trips`);
});

test("every method of schema/ compiles and encodes its required parameters", () => {
  const synth = new Synthesizer(model);
  for (const m of model.methods.values()) {
    const args: Record<string, unknown> = {};
    for (const p of m.params) {
      if (p.occ === "r" || p.occ === "rl") {
        const v = synth.value(p.type.name, "sparse", 3, p.type.moType);
        args[p.name] = p.occ === "rl" ? [v] : v;
      }
    }
    const body = registry.method(m.name).encodeBody(args);
    assert.ok(body.startsWith(`<${m.name} xmlns="urn:vim25"><_this type=`), body.slice(0, 80));
  }
});

test.run();
