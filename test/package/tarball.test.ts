/**
 * The package as a user gets it: `npm pack`, the tarball installed into a fresh strict
 * NodeNext project that has only it, TypeScript and Node's types; README's library examples
 * compiled as README shows them, programs whose mistakes must not compile (each marked
 * @ts-expect-error, so an accepted mistake fails the build), and the examples run against the
 * simulator.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { simulatorUri } from "../support/cli.js";
import { ROOT } from "../support/paths.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
let dir: string;
let tarball: string;

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error !== undefined) throw r.error;
  return r;
}

function must(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The ```ts blocks of README's "Using the library" section, as they stand. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Using the library");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

function versionOf(pkg: string): string {
  const json = JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string };
  return json.version;
}

function ownVersion(): string {
  const json = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  return json.version;
}

const MISTAKES = `import { connect, lookupDomain, retrieveOne } from "esxvi";
import { PowerOnVM_Task } from "esxvi/vi";
import type { MoRef } from "esxvi";

const conn = await connect("esx://root@esx1.example.com/", { password: "x" });
const vm = await lookupDomain(conn, "web01");
const host: MoRef<"HostSystem"> = { _typeName: "ManagedObjectReference", type: "HostSystem", value: "ha-host" };
// @ts-expect-error a HostSystem is not a VirtualMachine
await PowerOnVM_Task(conn.primary.client, host, {});
// @ts-expect-error the VM reference is required
await PowerOnVM_Task(conn.primary.client);
// @ts-expect-error a misspelled property path
await retrieveOne(conn.primary, vm.identity.ref, ["config.hardwre.numCPU"]);
`;

if (requireSimulator("the packed package")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 1, powerOn: false });
    dir = mkdtempSync(join(tmpdir(), "esxvi-package-"));
    const packed = JSON.parse(must(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT), "npm pack")) as {
      filename: string;
      files: { path: string }[];
    }[];
    const first = packed[0];
    if (first === undefined) throw new Error("npm pack made no tarball");
    tarball = join(dir, first.filename);
    writeFileSync(join(dir, "tarball-files.json"), JSON.stringify(first.files.map((f) => f.path)));
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          noPropertyAccessFromIndexSignature: true,
          skipLibCheck: false,
          types: ["node"],
          outDir: "out",
        },
        include: ["src"],
      }),
    );
    must(
      run(
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          "--prefer-offline",
          tarball,
          `typescript@${versionOf("typescript")}`,
          `@types/node@${versionOf("@types/node")}`,
        ],
        project,
      ),
      "npm install",
    );
  });
  test.after(async () => {
    await sim?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test("the tarball holds the compiled product, its types, README and LICENSE: no tests, tools, maps or build state", () => {
    const files = JSON.parse(readFileSync(join(dir, "tarball-files.json"), "utf8")) as string[];
    for (const f of [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/entry/esxvi.js",
      "dist/entry/esxvi.d.ts",
      "dist/entry/vi.js",
      "dist/entry/vmx.js",
      "dist/bin/esxvi.cjs",
      "dist/bin/main.js",
      "dist/bin/help.json",
    ]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    const stray = files.filter(
      (f) => /^dist\/(test|bench|generator|scripts)\//.test(f) || f.endsWith(".map") || f.endsWith(".tsbuildinfo"),
    );
    assert.equal(stray, []);
  });

  test("README's library examples and the mistakes program compile in a strict NodeNext project", () => {
    const project = join(dir, "project");
    mkdirSync(join(project, "src"), { recursive: true });
    const examples = readmeExamples();
    assert.is(examples.length, 2);
    examples.forEach((code, i) => writeFileSync(join(project, "src", `example-${i + 1}.ts`), code));
    writeFileSync(join(project, "src", "mistakes.ts"), MISTAKES);
    const r = run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project);
    assert.is(r.stdout + r.stderr, "");
    assert.is(r.status, 0);
  });

  test("the installed command is the bundled one and answers against the simulator", () => {
    const project = join(dir, "project");
    const bin = join(project, "node_modules", ".bin", "esxvi");
    const env = { ...process.env, ESXVI_PASSWORD: sim.password };
    const version = run(bin, ["--version"], project, env);
    assert.equal([version.status, version.stdout, version.stderr], [0, `${ownVersion()}\n`, ""]);
    const list = run(bin, ["-c", simulatorUri(sim), "list", "--all", "--name"], project, env);
    assert.equal([list.status, list.stdout, list.stderr], [0, "ha-host_VM0\n\n", ""]);
  });

  test("the examples run against the simulator", () => {
    const project = join(dir, "project");
    const env = { ...process.env, ESXVI_URI: simulatorUri(sim), ESXVI_PASSWORD: sim.password, ESXVI_DOMAIN: "ha-host_VM0" };
    const first = run(process.execPath, [join(project, "out", "example-1.js")], project, env);
    assert.equal([first.status, first.stderr], [0, ""]);
    assert.is(first.stdout, "powering on: 100%\nha-host_VM0: 1 vCPUs, poweredOn\n");
    const second = run(process.execPath, [join(project, "out", "example-2.js")], project, env);
    assert.equal([second.status, second.stderr], [0, ""]);
    assert.match(second.stdout, /<name>web01<\/name>/);
    assert.match(second.stdout, /displayName = "web01"/);
  });
}

test.run();
