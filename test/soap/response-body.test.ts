/**
 * Reading a response body for the decoder: readBytes and readText over chunks that split
 * multi-byte characters, the size limit, and decoding from what they return.
 */
import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TransportError } from "../../runtime/http/http-errors.js";
import { readBytes, readText } from "../../runtime/http/transport.js";
import { XmlReader } from "../../runtime/soap/index.js";

const TEXT = "<r><a>caf\u00e9 \u2019q\u2019 \ud83d\ude00</a></r>";

/** The UTF-8 bytes of TEXT in chunks of `size` bytes (characters split across chunks). */
function chunked(size: number): Readable {
  const bytes = Buffer.from(TEXT, "utf8");
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: true });
}

test("characters split across chunks come out whole, as text and as bytes", async () => {
  for (const size of [1, 2, 3, 5, 1000]) {
    assert.is(await readText(chunked(size), 1 << 20, "GET /x"), TEXT, `chunks of ${size}`);
    const bytes = await readBytes(chunked(size), 1 << 20, "GET /x");
    assert.ok(Buffer.from(TEXT, "utf8").equals(bytes));
    const r = new XmlReader(bytes);
    r.root();
    r.nextChild();
    assert.is(r.readText(), "café ’q’ 😀");
  }
  assert.is(await readText(Readable.from([], { objectMode: true }), 10, "GET /x"), "");
  assert.is((await readBytes(Readable.from([], { objectMode: true }), 10, "GET /x")).length, 0);
});

test("invalid UTF-8 becomes U+FFFD, as before", async () => {
  const body = Readable.from([Buffer.from([0x3c, 0x61, 0x3e, 0xe2, 0x80]), Buffer.from([0x3c, 0x2f, 0x61, 0x3e, 0xff])], {
    objectMode: true,
  });
  assert.is(await readText(body, 100, "GET /x"), "<a>\ufffd</a>\ufffd");
});

test("a body over the limit is refused", async () => {
  for (const read of [readText, readBytes]) {
    try {
      await read(chunked(4), 10, "POST /sdk");
      assert.unreachable("no error");
    } catch (e) {
      assert.instance(e, TransportError);
      assert.is((e as Error).message, "POST /sdk: the response is larger than 10 bytes");
    }
  }
});

test.run();
