/** Escaping schemes: exact outputs, rejections and seeded round-trip properties. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  dateTimeToEpoch,
  escapeBase64Runs,
  escapeHexPercent,
  escapeHexPipe,
  escapeXml,
  parseDatastorePath,
  unescapeHexPercent,
  unescapeHexPipe,
} from "../../drivers/util/index.js";
import { decodeWindows1252 } from "../../drivers/util/windows-1252.js";
import { prng, randomString, TEST_ALPHABET } from "./prng.js";

test("percent escaping writes lowercase hex for % / \\ only", () => {
  assert.is(escapeHexPercent("a%b/c\\d|e"), "a%25b%2fc%5cd|e");
  assert.is(unescapeHexPercent("a%25b%2Fc%5cd"), "a%b/c\\d");
  assert.is(unescapeHexPercent("%c3%a4"), "ä");
});

test("invalid escape sequences are rejected", () => {
  assert.is(unescapeHexPercent("50%"), undefined);
  assert.is(unescapeHexPercent("%4"), undefined);
  assert.is(unescapeHexPercent("%zz"), undefined);
  assert.is(unescapeHexPipe("a|7"), undefined);
});

test('pipe escaping covers | and " and accepts uppercase on the way back', () => {
  assert.is(escapeHexPipe('say "hi" | bye'), "say |22hi|22 |7c bye");
  assert.is(unescapeHexPipe("|7C|22|45"), '|"E');
});

test("property: percent and pipe escaping round-trip (seeded)", () => {
  const next = prng(0x5eed);
  for (let i = 0; i < 2000; i++) {
    const s = randomString(next, TEST_ALPHABET, 24);
    assert.is(unescapeHexPercent(escapeHexPercent(s)), s, s);
    assert.is(unescapeHexPipe(escapeHexPipe(s)), s, s);
    // displayName uses both, pipe first: undo percent first
    const both = escapeHexPercent(escapeHexPipe(s));
    assert.is(unescapeHexPipe(unescapeHexPercent(both) ?? ""), s, s);
    assert.not.match(escapeHexPercent(s), /[/\\]/);
    assert.not.match(escapeHexPipe(s), /"/);
  }
});

function decodeBase64Runs(text: string): string {
  // Inverse of escapeBase64Runs for strings that contain no "+" of their own.
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch !== "+") {
      bytes.push(...Buffer.from(ch, "latin1"));
      i++;
      continue;
    }
    i++;
    let bits = 0;
    let value = 0;
    while (i < text.length && text[i] !== "-") {
      const v = alphabet.indexOf(text[i] ?? "");
      if (v < 0) break;
      value = (value << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes.push((value >> bits) & 0xff);
      }
      i++;
    }
    if (text[i] === "-") i++;
  }
  return Buffer.from(bytes).toString("utf8");
}

test("property: base64 runs decode back to the input (seeded)", () => {
  const next = prng(42);
  const alphabet = TEST_ALPHABET.filter((c) => c !== "+" && c !== "-");
  for (let i = 0; i < 2000; i++) {
    const s = randomString(next, alphabet, 20);
    const escaped = escapeBase64Runs(s);
    assert.match(escaped, /^[A-Za-z0-9'(),. _+-]*$/);
    // A run that ends the string has no closing "-", so decoding needs the next plain byte;
    // appending a plain character keeps the property exact.
    assert.is(decodeBase64Runs(escapeBase64Runs(s + "A")), s + "A", s);
  }
});

test("datastore paths: leading spaces skipped, no ']' and '[]' handled like strtok", () => {
  assert.equal(parseDatastorePath("[ds]   a/b/c.vmdk"), {
    datastore: "ds",
    directory: "a/b",
    directoryAndFile: "a/b/c.vmdk",
  });
  assert.equal(parseDatastorePath("[ds"), { datastore: "ds", directory: "", directoryAndFile: "" });
  assert.throws(() => parseDatastorePath("["), /doesn't have expected format/);
  assert.throws(() => parseDatastorePath("[]"), /'\[\]'/);
});

test("property: datastore paths split and join (seeded)", () => {
  const next = prng(7);
  const alphabet = [..."abc XYZ-_./"];
  for (let i = 0; i < 1000; i++) {
    const ds =
      "d" +
      randomString(
        next,
        alphabet.filter((c) => c !== "/"),
        8,
      );
    const rest = randomString(next, alphabet, 16).replace(/^ +/, "");
    const parsed = parseDatastorePath(`[${ds}] ${rest}`);
    assert.is(parsed.datastore, ds);
    assert.is(parsed.directoryAndFile, rest);
    assert.ok(rest.startsWith(parsed.directory));
  }
});

test("dateTime: zone handling and rejection", () => {
  assert.is(dateTimeToEpoch("1970-01-01T01:00:00+01:00"), 0);
  assert.throws(() => dateTimeToEpoch("yesterday"), /'yesterday'/);
});

test("windows-1252: undefined bytes are rejected with their offset", () => {
  assert.is(decodeWindows1252(Uint8Array.of(0x41, 0x80, 0xff)), "A€ÿ");
  assert.throws(() => decodeWindows1252(Uint8Array.of(0x41, 0x81)), /0x81 at offset 1/);
});

test("xml escaping", () => {
  assert.is(escapeXml(`a<b>&"c'\u0001\td`), "a&lt;b&gt;&amp;&quot;c&apos;\td");
});

test.run();
