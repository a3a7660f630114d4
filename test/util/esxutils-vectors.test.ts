/** Every vector of libvirt's esxutilstest (../shared/reference/libvirt-11.3.0/esxutils-vectors.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dateTimeToEpoch, escapeDatastoreItem, parseDatastorePath, windows1252ToUtf8 } from "../../drivers/util/index.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { LIBVIRT_DIR, missingReference } from "../support/paths.js";

interface Vectors {
  parseDatastorePath: {
    path: string;
    ok: boolean;
    datastore: string | null;
    directory: string | null;
    directoryAndFile: string | null;
  }[];
  dateTimeToEpoch: { dateTime: string; epochSeconds: number }[];
  escapeDatastoreItem: { input: string; escaped: string }[];
  windows1252ToUtf8: { windows1252Hex: string; utf8: string }[];
}

const skip = missingReference(LIBVIRT_DIR);
const dir = LIBVIRT_DIR;
if (skip !== undefined) {
  console.log(`esxutils vectors: ${skip}`);
} else {
  const vectors = JSON.parse(readFileSync(join(dir, "esxutils-vectors.json"), "utf8")) as Vectors;

  test("parseDatastorePath vectors", () => {
    for (const v of vectors.parseDatastorePath) {
      if (v.ok) {
        const parsed = parseDatastorePath(v.path);
        assert.equal(parsed, { datastore: v.datastore, directory: v.directory, directoryAndFile: v.directoryAndFile }, v.path);
      } else {
        assert.throws(
          () => parseDatastorePath(v.path),
          (e: unknown) => e instanceof EsxviError && e.code === "INVALID_ARG" && e.message.includes(v.path),
          v.path,
        );
      }
    }
  });

  test("dateTimeToEpoch vectors", () => {
    for (const v of vectors.dateTimeToEpoch) assert.is(dateTimeToEpoch(v.dateTime), v.epochSeconds, v.dateTime);
  });

  test("escapeDatastoreItem vectors", () => {
    for (const v of vectors.escapeDatastoreItem) assert.is(escapeDatastoreItem(v.input), v.escaped, v.input);
  });

  test("windows1252ToUtf8 vectors", () => {
    for (const v of vectors.windows1252ToUtf8) {
      const out = windows1252ToUtf8(Buffer.from(v.windows1252Hex, "hex"));
      assert.is(new TextDecoder().decode(out), v.utf8, v.windows1252Hex);
    }
  });

  test("vector counts", () => {
    const counts = [
      vectors.parseDatastorePath.length,
      vectors.dateTimeToEpoch.length,
      vectors.escapeDatastoreItem.length,
      vectors.windows1252ToUtf8.length,
    ];
    console.log(`esxutils vectors: ${counts.reduce((a, b) => a + b, 0)} checked (${counts.join("/")})`);
    assert.ok(counts.every((n) => n > 0));
  });
}

test.run();
