/**
 * UUIDs read as libvirt's virUUIDParse reads them (drivers/vmx/uuid.ts): the canonical form
 * (the quick path) and every other accepted form give the same canonical lowercase text;
 * anything else is no UUID.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { formatVmxUuid, parseUuid } from "../../drivers/vmx/uuid.js";

const CANONICAL = "564d1e2f-3a4b-5c6d-7e8f-90a1b2c3d4e5";

test("the canonical form, in either case, gives itself in lowercase", () => {
  assert.is(parseUuid(CANONICAL), CANONICAL);
  assert.is(parseUuid(CANONICAL.toUpperCase()), CANONICAL);
  assert.is(parseUuid("564D1E2F-3a4b-5C6D-7e8f-90A1B2C3D4E5"), CANONICAL);
});

test("the other forms virUUIDParse accepts give the canonical form", () => {
  assert.is(parseUuid(formatVmxUuid(CANONICAL)), CANONICAL);
  assert.is(parseUuid("564d1e2f3a4b5c6d7e8f90a1b2c3d4e5"), CANONICAL);
  assert.is(parseUuid(`  ${CANONICAL}\n`), CANONICAL);
  assert.is(parseUuid("56-4d1e2f-3a4b5c6d-7e8f90a1b2c3d4e5"), CANONICAL);
});

test("no UUID: too short, too long, not hex, a digit split by a dash", () => {
  for (const text of [
    "",
    CANONICAL.slice(0, -1),
    `${CANONICAL}0`,
    `${CANONICAL} x`,
    CANONICAL.replace("5", "g"),
    "564d1e2f-3a4b-5c6d-7e8f-90a1b2c3d4e-5",
  ]) {
    assert.is(parseUuid(text), undefined, text);
  }
});

test.run();
