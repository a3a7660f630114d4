/**
 * undici loaded by its parts (runtime/http/undici-parts.ts): the files it imports by path
 * still exist and are the very objects undici's root exports, and neither the compiled
 * transport, nor the CLI's `hostname` (compiled or bundled) loads undici's root module, which
 * loads all of undici.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildConnector, Pool } from "../../runtime/http/undici-parts.js";
import { simulatorUri } from "../support/cli.js";
import { ROOT } from "../support/paths.js";
import { requireSimulator, startSimulator } from "../support/vcsim.js";

const require = createRequire(import.meta.url);
const UNDICI = join(ROOT, "node_modules", "undici");
const ROOT_MODULE = "index.js";
/** Files that only the root module reaches: fetch itself, WebSocket, EventSource, caches, mocks. */
const ROOT_ONLY = [
  ROOT_MODULE,
  "lib/web/fetch/index.js",
  "lib/web/websocket/websocket.js",
  "lib/web/eventsource/eventsource.js",
  "lib/web/cache/cachestorage.js",
  "lib/cache/memory-cache-store.js",
  "lib/mock/mock-agent.js",
];
const PARTS = ["lib/dispatcher/pool.js", "lib/core/connect.js", "lib/api/api-request.js"];

/**
 * A module preloaded into a child process (`node --require`): at exit it writes the undici
 * files the process loaded (CommonJS modules, whether required or imported from ES modules,
 * all land in the require cache), relative to undici's folder, one per line.
 */
function loadRecorder(dir: string): { preload: string; list: string; loaded(): string[] } {
  const preload = join(dir, "record-undici.cjs");
  const list = join(dir, "undici-files.txt");
  writeFileSync(
    preload,
    [
      `const { writeFileSync } = require("node:fs");`,
      `const { relative, sep } = require("node:path");`,
      `process.on("exit", () => {`,
      `  const files = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(UNDICI + "/")}));`,
      `  writeFileSync(${JSON.stringify(list)}, files.map((f) => relative(${JSON.stringify(UNDICI)}, f).split(sep).join("/")).sort().join("\\n"));`,
      `});`,
    ].join("\n"),
  );
  return {
    preload,
    list,
    loaded: () =>
      readFileSync(list, "utf8")
        .split("\n")
        .filter((l) => l !== ""),
  };
}

function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", env: { PATH: process.env["PATH"], HOME: "/nonexistent", ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "esxvi-undici-parts-"));
});

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("the parts' paths resolve in the installed undici, and are what its root exports", () => {
  for (const part of PARTS) assert.is(require.resolve(`undici/${part}`), join(UNDICI, part), part);
  // Loaded here, the root installs its request API on every dispatcher: the same function.
  const root = require("undici") as typeof import("undici");
  assert.ok(Pool === root.Pool, "Pool");
  assert.ok(buildConnector === root.buildConnector, "buildConnector");
  assert.ok(root.Dispatcher.prototype.request === require("undici/lib/api/api-request.js"), "request");
});

test("the recorder sees undici's root module when a process loads it (the checks below can fail)", () => {
  const rec = loadRecorder(dir);
  const r = run(["--require", rec.preload, "--input-type=module", "-e", `await import("undici");`]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(
    ROOT_ONLY.filter((f) => rec.loaded().includes(f)),
    ROOT_ONLY,
    rec.loaded().join(" "),
  );
});

test("the compiled transport loads undici's parts only, through a request", () => {
  const rec = loadRecorder(dir);
  const transport = join(ROOT, "dist", "runtime", "http", "transport.js");
  // A request to a port nothing listens on: the pool, the connector and the request API all run.
  const script = [
    `import { createServer } from "node:net";`,
    `const { HttpTransport } = await import(${JSON.stringify(transport)});`,
    `const s = createServer().listen(0, "127.0.0.1"); await new Promise((ok) => s.once("listening", ok));`,
    `const port = s.address().port; await new Promise((ok) => s.close(ok));`,
    `const t = new HttpTransport({ origin: "http://127.0.0.1:" + port, tls: { verify: true } });`,
    `try { await t.chunks("GET", "/", undefined); } catch (e) { console.log(e.code); }`,
    `await t.close();`,
  ].join("\n");
  const r = run(["--require", rec.preload, "--input-type=module", "-e", script]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), "TRANSPORT_ERROR");
  const loaded = rec.loaded();
  for (const part of PARTS) assert.ok(loaded.includes(part), `${part} not loaded: ${loaded.join(" ")}`);
  assert.equal(
    ROOT_ONLY.filter((f) => loaded.includes(f)),
    [],
    loaded.join(" "),
  );
});

test("the CLI's bundle holds no part of undici's root module (esbuild's metafile of the same entry)", async () => {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: { esxvi: join(ROOT, "dist", "cli", "main.js") },
    outdir: join(dir, "bundle"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => relative(ROOT, join(process.cwd(), f)).split("\\").join("/"));
  const undici = inputs.filter((f) => f.startsWith("node_modules/undici/")).map((f) => f.slice("node_modules/undici/".length));
  for (const part of PARTS) assert.ok(undici.includes(part), `${part} not bundled: ${undici.join(" ")}`);
  assert.equal(
    ROOT_ONLY.filter((f) => undici.includes(f)),
    [],
    undici.join(" "),
  );
});

if (requireSimulator("undici parts: the CLI's hostname")) {
  test("esxvi hostname (compiled, not bundled) loads undici's parts only", async () => {
    const sim = await startSimulator({ model: "esx", vms: 1 });
    try {
      const rec = loadRecorder(dir);
      // The compiled program's main(), as the launcher calls it, with the command's words.
      const main = pathToFileURL(join(ROOT, "dist", "cli", "main.js")).href;
      const script = `import { main } from ${JSON.stringify(main)}; await main(process.argv.slice(1));`;
      const r = run(["--require", rec.preload, "--input-type=module", "-e", script, "--", "-c", simulatorUri(sim), "hostname"], {
        ESXVI_PASSWORD: sim.password,
      });
      assert.is(r.status, 0, r.stderr);
      assert.ok(r.stdout.trim() !== "", "a host name");
      const loaded = rec.loaded();
      for (const part of PARTS) assert.ok(loaded.includes(part), `${part} not loaded: ${loaded.join(" ")}`);
      assert.equal(
        ROOT_ONLY.filter((f) => loaded.includes(f)),
        [],
        loaded.join(" "),
      );
    } finally {
      await sim.stop();
    }
  });
}

test.run();
