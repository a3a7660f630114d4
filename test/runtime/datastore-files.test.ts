/**
 * Datastore files over HTTP on the simulator: a 48 MiB file PUT from a generator and read
 * back, both streamed (the server's copy grows while the generator is still producing; the
 * download arrives chunk by chunk), byte-exact by SHA-256; Range reads (206) and a range past
 * the end; progress callbacks; 404 and unknown datastores as HttpErrors; names with spaces,
 * '#' and '%' (exact on the server's disk); the request line and session cookie as sent;
 * aborts as typed AbortErrors.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { downloadFile, folderPath, readTextFile, uploadFile, type DatastoreFile } from "../../runtime/datastore-files.js";
import { AbortError } from "../../errors/esxvi-error.js";
import { HttpError } from "../../runtime/http/http-errors.js";
import { lookupByType } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { connect, HA_HOST, localServer, originOf } from "./helpers.js";

const MiB = 1 << 20;
const SIZE = 48 * MiB;

let sim: Simulator;
let session: Session;
/** The datastore's directory on this machine (vcsim keeps real files). */
let dsDir: string;

function file(path: string): DatastoreFile {
  return { datastore: "LocalDS_0", path, datacenterPath: "ha-datacenter" };
}

/** Deterministic content: chunk i is filled from a counter, so any range can be recomputed. */
function chunk(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let o = 0; o < size; o += 4) b.writeUInt32LE((i * size + o) >>> 0, o);
  return b;
}

function expected(start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start);
  for (let p = start - (start % 4); p < end; p += 4) {
    const w = Buffer.alloc(4);
    w.writeUInt32LE(p >>> 0, 0);
    for (let k = 0; k < 4; k++) if (p + k >= start && p + k < end) out[p + k - start] = w[k] ?? 0;
  }
  return out;
}

/** A sink that hashes, counts and keeps at most `keep` bytes. */
function sink(keep = 0): { stream: Writable; hash: () => string; bytes: () => number; kept: () => Buffer; writes: () => number } {
  const h = createHash("sha256");
  let n = 0;
  let writes = 0;
  const parts: Buffer[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, done) {
        h.update(c);
        if (n < keep) parts.push(c.subarray(0, keep - n));
        n += c.length;
        writes++;
        done();
      },
    }),
    hash: () => h.digest("hex"),
    bytes: () => n,
    kept: () => Buffer.concat(parts),
    writes: () => writes,
  };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("it succeeded");
}

if (requireSimulator("runtime datastore files")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1 });
    session = await connect(sim);
    const [ds] = await lookupByType(session, HA_HOST, "Datastore", ["summary.url"]);
    const url = ds?.props["summary.url"];
    if (url === undefined) throw new Error("no datastore url");
    dsDir = url.replace(/^ds:\/\//, "");
    if (!existsSync(dsDir)) throw new Error(`the datastore directory ${dsDir} is not here`);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test("folderPath: each path segment percent-encoded, dcPath and dsName in the query", () => {
    assert.is(folderPath(file("vm1/vm1.vmx")), "/folder/vm1/vm1.vmx?dcPath=ha-datacenter&dsName=LocalDS_0");
    assert.is(
      folderPath({ datastore: "data store #1", path: "/dir with space/file #1 100%.txt", datacenterPath: "folder/DC 0" }),
      "/folder/dir%20with%20space/file%20%231%20100%25.txt?dcPath=folder%2FDC%200&dsName=data%20store%20%231",
    );
    assert.is(folderPath({ datastore: "ds", path: "a/ü?&=.vmdk" }), "/folder/a/%C3%BC%3F%26%3D.vmdk?dsName=ds");
  });

  test("a 48 MiB file streamed from a generator and back: byte-exact, never whole in memory", async () => {
    const CHUNK = MiB;
    const onDisk = join(dsDir, "big", "disk-flat.bin");
    let produced = 0;
    let maxLag = 0;
    const up = createHash("sha256");
    async function* generate(): AsyncGenerator<Buffer> {
      for (let i = 0; i < SIZE / CHUNK; i++) {
        // What the server has written so far trails what the generator made by little.
        const written = existsSync(onDisk) ? statSync(onDisk).size : 0;
        maxLag = Math.max(maxLag, produced - written);
        const c = chunk(i, CHUNK);
        up.update(c);
        produced += c.length;
        yield c;
      }
    }
    const upProgress: [number, number | undefined][] = [];
    await uploadFile(session, file("big/disk-flat.bin"), Readable.from(generate()), {
      size: SIZE,
      onProgress: (b, t) => upProgress.push([b, t]),
    });
    assert.is(statSync(onDisk).size, SIZE);
    assert.ok(maxLag <= 16 * MiB, `the upload was ${maxLag} bytes ahead of the server`);
    assert.equal(upProgress[upProgress.length - 1], [SIZE, SIZE]);
    assert.ok(upProgress.every(([b], i) => i === 0 || b > (upProgress[i - 1]?.[0] ?? 0)));

    const s = sink();
    const downProgress: number[] = [];
    const bytes = await downloadFile(session, file("big/disk-flat.bin"), s.stream, {
      onProgress: (b, t) => {
        assert.is(t, SIZE);
        downProgress.push(b);
      },
    });
    assert.is(bytes, SIZE);
    assert.is(s.bytes(), SIZE);
    assert.is(s.hash(), up.digest("hex"));
    assert.ok(s.writes() >= 48 && downProgress.length === s.writes(), `the download came in ${s.writes()} chunks`);
    assert.is(downProgress[downProgress.length - 1], SIZE);
    assert.ok(downProgress.every((b, i) => i === 0 || b > (downProgress[i - 1] ?? 0)));
  });

  test("Range reads: a middle slice, an open end, a range past the end", async () => {
    for (const [start, end] of [
      [1000, 1999],
      [MiB - 3, MiB + 5],
      [SIZE - 10, undefined],
      [0, 0],
    ] as const) {
      const s = sink(1 << 16);
      const n = await downloadFile(session, file("big/disk-flat.bin"), s.stream, { range: end === undefined ? { start } : { start, end } });
      const last = end === undefined ? SIZE - 1 : end;
      assert.is(n, last - start + 1, `${start}-${end}`);
      assert.equal(s.kept(), expected(start, last + 1), `${start}-${end}`);
    }
    const e = await failure(downloadFile(session, file("big/disk-flat.bin"), sink().stream, { range: { start: SIZE + 1 } }));
    assert.instance(e, HttpError);
    assert.is((e as HttpError).status, 416);
  });

  test("a missing file and an unknown datastore are 404 HttpErrors naming the file", async () => {
    let e = await failure(readTextFile(session, file("no/such.vmx")));
    assert.instance(e, HttpError);
    assert.is((e as HttpError).status, 404);
    assert.is((e as HttpError).message, "datastore file [LocalDS_0] no/such.vmx does not exist");
    e = await failure(readTextFile(session, { datastore: "NoSuchDS", path: "x.vmx", datacenterPath: "ha-datacenter" }));
    assert.is((e as HttpError).status, 404);
    assert.is((e as HttpError).message, "datastore file [NoSuchDS] x.vmx does not exist");
  });

  test("names with spaces, '#' and '%' reach the disk exactly; text round-trips", async () => {
    const path = "dir with space/file #1 100% done.vmx";
    const text = 'displayName = "née #1 100%"\nmemsize = "2048"\n';
    await uploadFile(session, file(path), text);
    assert.is(readFileSync(join(dsDir, "dir with space", "file #1 100% done.vmx"), "utf8"), text);
    assert.is(await readTextFile(session, file(path)), text);
    // Replacing a file replaces its content.
    await uploadFile(session, file(path), Buffer.from("short\n"));
    assert.is(await readTextFile(session, file(path)), "short\n");
  });

  test("the requests as sent: /folder URL, session cookie, Content-Length, Range", async () => {
    const target = new URL(originOf(sim));
    const proxy = await localServer((req, res) => {
      const out = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstream: IncomingMessage) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
        },
      );
      out.end(req.body);
    });
    const s = await connect(sim, { origin: proxy.origin });
    try {
      await uploadFile(s, file("a b/c#d.txt"), "hello");
      await downloadFile(s, file("a b/c#d.txt"), sink().stream, { range: { start: 1, end: 3 } });
      const cookie = `vmware_soap_session=${s.vim.transport.cookies.get("vmware_soap_session") ?? "?"}`;
      const folder = proxy.requests.filter((r) => r.url.startsWith("/folder/"));
      assert.equal(
        folder.map((r) => [r.method, r.url, r.headers["cookie"], r.headers["content-length"], r.headers["range"]]),
        [
          ["PUT", "/folder/a%20b/c%23d.txt?dcPath=ha-datacenter&dsName=LocalDS_0", cookie, "5", undefined],
          ["GET", "/folder/a%20b/c%23d.txt?dcPath=ha-datacenter&dsName=LocalDS_0", cookie, undefined, "bytes=1-3"],
        ],
      );
      assert.is(folder[0]?.body, "hello");
    } finally {
      await s.close();
      await proxy.close();
    }
  });

  test("an upload from a stream of unknown size, and aborted transfers as typed AbortErrors", async () => {
    await uploadFile(session, file("chunked.bin"), Readable.from([Buffer.from("abc"), Buffer.from("def")]));
    assert.is(readFileSync(join(dsDir, "chunked.bin"), "utf8"), "abcdef");

    const controller = new AbortController();
    const s = sink();
    const e = await failure(
      downloadFile(session, file("big/disk-flat.bin"), s.stream, {
        signal: controller.signal,
        onProgress: (b) => {
          if (b >= 4 * MiB) controller.abort();
        },
      }),
    );
    assert.instance(e, AbortError, String(e));
    assert.is((e as AbortError).code, "OPERATION_ABORTED");
    assert.ok(s.bytes() < SIZE);

    // A source that fails fails the upload (it does not stall it).
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from("partial");
      throw new Error("the source disk went away");
    }
    const b = await failure(uploadFile(session, file("broken.bin"), Readable.from(broken()), { size: 1000 }));
    assert.instance(b, Error);
    assert.match(String((b as Error).message), /the source disk went away/);

    const up = new AbortController();
    let sent = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        sent += MiB;
        if (sent === 3 * MiB) up.abort();
        yield chunk(0, MiB);
      }
    }
    const f = await failure(uploadFile(session, file("aborted.bin"), Readable.from(endless()), { size: 100 * MiB, signal: up.signal }));
    assert.instance(f, AbortError, String(f));
    assert.is((f as AbortError).code, "OPERATION_ABORTED");
  });

  test.run();
}
