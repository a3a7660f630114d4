/**
 * The types and methods of schema/ agree with the vSphere 7.0 U2 WSDL (member types,
 * occurrences, order, bases, enum values, parameters, returns), except for the differences
 * listed and explained in schema-differences.json. An unexplained difference fails, and so
 * does a listed one that no longer occurs (the list stays honest). Passes while schema/ is
 * empty or absent.
 *
 * To list the current differences: npm run schema:import -- --wsdl ../shared/reference/vsphere-wsdl-7.0u2 --compare
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSchema, SCHEMA_EXTENSION } from "../../generator/schema/load.js";
import { compareWithWsdl, type Difference } from "../../generator/wsdl/compare.js";
import { loadWsdl } from "../../generator/wsdl/import.js";
import { missingReference, ROOT, WSDL_DIR } from "./support.js";

const SCHEMA_DIR = join(ROOT, "schema");
const KNOWN_FILE = join(ROOT, "test", "wsdl", "schema-differences.json");

interface Known extends Difference {
  /** Why schema/ differs from the WSDL on purpose. */
  readonly reason: string;
}

function isKnown(x: unknown): x is Known {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r["name"] === "string" && typeof r["difference"] === "string" && typeof r["reason"] === "string";
}

function readKnown(): Known[] {
  const raw: unknown = JSON.parse(readFileSync(KNOWN_FILE, "utf8"));
  if (!Array.isArray(raw) || !raw.every(isKnown)) throw new Error(`${KNOWN_FILE}: expected an array of { name, difference, reason }`);
  return raw;
}

const key = (d: Difference): string => `${d.name}: ${d.difference}`;

test("schema-differences.json is well-formed: every entry explained, none twice", () => {
  const known = readKnown();
  for (const k of known) assert.ok(k.reason.trim().length > 0, `no reason given for ${key(k)}`);
  assert.is(new Set(known.map(key)).size, known.length, "an entry is listed twice");
});

const skip = missingReference(WSDL_DIR);
const hasSchema = existsSync(SCHEMA_DIR) && readdirSync(SCHEMA_DIR).some((n) => n.endsWith(SCHEMA_EXTENSION));
if (skip !== undefined) {
  console.log(`wsdl/schema-differences: ${skip}`);
} else {
  test("schema/ agrees with the WSDL, or the difference is listed and explained", async () => {
    const diffs = hasSchema ? await compareWithWsdl(await loadWsdl(WSDL_DIR), loadSchema([SCHEMA_DIR], ROOT)) : [];
    if (!hasSchema) console.log("wsdl/schema-differences: schema/ has no schema files yet; nothing to compare");
    const known = readKnown();
    const knownKeys = new Set(known.map(key));
    const found = new Set(diffs.map(key));
    const unexplained = diffs.filter((d) => !knownKeys.has(key(d)));
    const stale = known.filter((k) => !found.has(key(k)));
    const asJson = (ds: readonly Difference[]): string =>
      JSON.stringify(
        ds.map((d) => ({ name: d.name, difference: d.difference, reason: "" })),
        null,
        2,
      );
    assert.ok(
      unexplained.length === 0,
      `${unexplained.length} difference(s) between schema/ and the WSDL are not in schema-differences.json; fix schema/ or add them with a reason:\n${asJson(unexplained)}`,
    );
    assert.ok(
      stale.length === 0,
      `schema-differences.json lists difference(s) that no longer occur; remove them:\n${stale.map(key).join("\n")}`,
    );
  });
}

test.run();
