/**
 * The whole vSphere 7.0 U2 API: every enum, data object and method imported
 * from the WSDL into a temporary schema folder, generated into a temporary bindings folder,
 * type-checked with the project's strict settings, then compiled to JavaScript and used:
 * importing one method's module and calling it loads only the modules that method needs,
 * and values whose members live in other modules round-trip, their modules loaded on
 * first use.
 *
 * The bindings import the built codec core (dist/runtime/soap), so that the test and the
 * generated JavaScript share one TypeRegistry class.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGenerate } from "../../generator/cli.js";
import { planAreas, type AreaPlan } from "../../generator/emit/areas.js";
import { planNameShards } from "../../generator/emit/emit-registry.js";
import type { TypeRef } from "../../generator/schema/ast.js";
import { loadSchema } from "../../generator/schema/load.js";
import type { Model } from "../../generator/schema/model.js";
import { importAll } from "../../generator/wsdl/import.js";
import { renderSchema, splitSchema } from "../../generator/wsdl/write.js";
import {
  decodeResponse,
  faultFromDocument,
  requestEnvelope,
  SoapFaultError,
  TypeRegistry,
  type MoRef,
  type SoapCaller,
} from "../../runtime/soap/index.js";
import { roundTrip, Synthesizer } from "../support/roundtrip.js";
import { typecheck } from "../support/typecheck.js";
import { missingReference, ROOT, WSDL_DIR } from "./support.js";

const MAX_FILE_BYTES = 300_000;

const skip = missingReference(WSDL_DIR);
if (skip !== undefined) {
  console.log(`wsdl/full-api: ${skip}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-full-api-"));
  const schemaDir = join(dir, "schema");
  const out = join(dir, "out");
  let model: Model;
  let plan: AreaPlan;
  let written = { enums: 0, objects: 0, methods: 0, files: 0 };

  test.before(async () => {
    const r = await importAll({ wsdl: WSDL_DIR });
    mkdirSync(schemaDir, { recursive: true });
    const chunks = splitSchema(r.decls);
    for (const c of chunks) {
      writeFileSync(
        join(schemaDir, c.file),
        renderSchema(c.decls, { source: WSDL_DIR, command: "test/wsdl/full-api.test.ts", part: c.file }),
      );
    }
    written = {
      enums: r.decls.filter((d) => d.kind === "enum").length,
      objects: r.decls.filter((d) => d.kind === "object").length,
      methods: r.decls.filter((d) => d.kind === "method").length,
      files: chunks.length,
    };
    let runtimeImport = relative(out, join(ROOT, "dist", "runtime", "soap", "index.js"))
      .split(sep)
      .join("/");
    if (!runtimeImport.startsWith(".")) runtimeImport = `./${runtimeImport}`;
    await runGenerate({ schema: [schemaDir], out, check: false, runtimeImport });
    model = loadSchema([schemaDir]);
    plan = planAreas(model);
  });

  test.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("the whole API generates: about 3,300 types and 920 methods, a module and a metadata module per schema file, none over 300 KB", () => {
    const types = written.enums + written.objects;
    assert.ok(types >= 3100 && types <= 3400, `types: ${types}`);
    assert.ok(written.methods >= 900 && written.methods <= 940, `methods: ${written.methods}`);
    assert.is(model.enums.size + model.objects.size, types);
    assert.is(model.methods.size, written.methods);

    const files = readdirSync(out, { recursive: true, encoding: "utf8" })
      .map((f) => f.split(sep).join("/"))
      .filter((f) => f.endsWith(".ts"))
      .sort();
    const expected = [
      ...plan.areas.flatMap((a) => [`${a.module}.ts`, `metadata/${a.module}.ts`]),
      ...planNameShards(plan).map((s) => `metadata/names/${s.module}.ts`),
      "metadata/index.ts",
      "index.ts",
      "input.ts",
      "managed.ts",
      "registry.ts",
    ].sort();
    assert.equal(files, expected);
    assert.is(plan.areas.length, written.files);
    let total = 0;
    let largest = { file: "", size: 0 };
    for (const f of files) {
      const size = statSync(join(out, f)).size;
      total += size;
      if (size > largest.size) largest = { file: f, size };
      assert.ok(size <= MAX_FILE_BYTES, `${f} is ${size} bytes`);
    }
    console.log(
      `wsdl/full-api: ${written.enums} enums, ${written.objects} objects, ${written.methods} methods -> ${files.length} files, ` +
        `${(total / 1024).toFixed(0)} KB, largest ${largest.file} ${(largest.size / 1024).toFixed(0)} KB`,
    );
  });

  test("the bindings type-check with the project's strict settings", () => {
    const r = typecheck(out);
    assert.ok(r.ok, r.output.split("\n").slice(0, 30).join("\n"));
    console.log(`wsdl/full-api: tsc --noEmit over the bindings in ${(r.ms / 1000).toFixed(1)} s`);
  });

  test("importing one method's module loads no metadata; calling it loads the metadata of that module only", async () => {
    compileToJs(out);
    const methodModule = moduleDefining("PowerOnVM_Task");
    const mod = await importFile(join(out, `${methodModule}.js`));
    const registry = registryOf(await importFile(join(out, "registry.js")));
    const area = plan.areas.findIndex((a) => a.module === methodModule);
    assert.equal(registry.loadedAreas(), []);

    const client = fakeClient(() => ok("PowerOnVM_Task", '<returnval type="Task">task-12</returnval>'));
    const powerOn = mod["PowerOnVM_Task"] as (c: SoapCaller, vm: MoRef, args?: { host?: MoRef }) => Promise<unknown>;
    const task = await powerOn(client, moref("VirtualMachine", "vm-7"), { host: moref("HostSystem", "host-3") });
    assert.equal(task, moref("Task", "task-12"));
    assert.is(
      client.requests[0],
      '<PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-7</_this><host type="HostSystem">host-3</host></PowerOnVM_Task>',
    );
    assert.equal(registry.loadedAreas(), [area], "PowerOnVM_Task needs no other module");
    console.log(`wsdl/full-api: PowerOnVM_Task loaded ${registry.loadedAreas().length} of ${plan.areas.length} modules`);
  });

  test("a fault whose type lives in a module not loaded yet is decoded with its detail", async () => {
    const mod = await importFile(join(out, `${moduleDefining("PowerOnVM_Task")}.js`));
    const registry = registryOf(await importFile(join(out, "registry.js")));
    const before = registry.loadedAreas();
    assert.not.ok(before.includes(areaOf("InvalidPowerState")));
    const client = fakeClient(() => ({
      status: 500,
      body: env(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The attempted operation cannot be performed in the current state (Powered on).</faultstring>" +
          '<detail><InvalidPowerStateFault xmlns="urn:vim25" xsi:type="InvalidPowerState"><requestedState>poweredOff</requestedState><existingState>poweredOn</existingState></InvalidPowerStateFault></detail></soapenv:Fault>',
      ),
    }));
    const powerOn = mod["PowerOnVM_Task"] as (c: SoapCaller, vm: MoRef) => Promise<unknown>;
    const err = await powerOn(client, moref("VirtualMachine", "vm-7")).then(
      () => assert.unreachable("the call should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SoapFaultError, String(err));
    assert.is(err.faultType, "InvalidPowerState");
    assert.equal(err.detail, { _typeName: "InvalidPowerState", requestedState: "poweredOff", existingState: "poweredOn" });
    assert.is(err.cause, undefined);
    const loaded = registry.loadedAreas();
    assertWithin(loaded, [...before, ...closureAreas(["InvalidPowerState"])], "the fault loaded modules it does not need:");
    console.log(`wsdl/full-api: after an InvalidPowerState fault, ${loaded.length} of ${plan.areas.length} modules are loaded`);
  });

  test("values whose members live in other modules round-trip, the modules loaded on first use", async () => {
    const registry = registryOf(await importFile(join(out, "registry.js")));
    const synth = new Synthesizer(model);
    for (const type of ["TaskInfo", "HostConnectSpec", "ClusterConfigSpecEx", "VirtualMachineConfigInfo"]) {
      const before = registry.loadedAreas();
      const modules = closureAreas([type]);
      assert.ok(modules.length > 1, `${type}: its members live in ${modules.length} module(s)`);
      if (type === "TaskInfo") assert.not.ok(before.includes(areaOf(type)), "TaskInfo's module is not loaded before");
      for (const variant of ["full", "sparse"] as const) {
        const value = synth.value(type, variant, 0);
        const { decoded, xml } = await registry.run(() => roundTrip(registry, type, value));
        assert.equal(decoded, value, `${type} (${variant}) via ${xml.slice(0, 400)}`);
      }
      const loaded = registry.loadedAreas();
      assertWithin(modules, loaded, `${type}: not loaded:`);
      console.log(`wsdl/full-api: ${type} round trip: ${before.length} -> ${loaded.length} of ${plan.areas.length} modules loaded`);
    }
  });

  test("a method whose parameter spans modules: encoded with subtypes from other modules, loading only what the value needs", async () => {
    const mod = await importFile(join(out, `${moduleDefining("ReconfigVM_Task")}.js`));
    const registry = registryOf(await importFile(join(out, "registry.js")));
    const before = registry.loadedAreas();
    const reconfig = mod["ReconfigVM_Task"] as (c: SoapCaller, vm: MoRef, args: { spec: unknown }) => Promise<unknown>;
    const client = fakeClient(() => ok("ReconfigVM_Task", '<returnval type="Task">task-13</returnval>'));
    const spec = {
      _typeName: "VirtualMachineConfigSpec",
      numCPUs: 2,
      deviceChange: [
        {
          _typeName: "VirtualDeviceConfigSpec",
          operation: "add",
          fileOperation: "create",
          device: {
            _typeName: "VirtualDisk",
            key: -101,
            controllerKey: 1000,
            unitNumber: 1,
            capacityInKB: 1048576n,
            backing: { _typeName: "VirtualDiskFlatVer2BackingInfo", fileName: "", diskMode: "persistent", thinProvisioned: true },
          },
        },
      ],
    };
    assert.equal(await reconfig(client, moref("VirtualMachine", "vm-7"), { spec }), moref("Task", "task-13"));
    assert.is(
      client.requests[0],
      '<ReconfigVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-7</_this><spec><numCPUs>2</numCPUs><deviceChange><operation>add</operation><fileOperation>create</fileOperation>' +
        '<device xsi:type="VirtualDisk"><key>-101</key><backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName></fileName><diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned></backing>' +
        "<controllerKey>1000</controllerKey><unitNumber>1</unitNumber><capacityInKB>1048576</capacityInKB></device></deviceChange></spec></ReconfigVM_Task>",
    );
    const loaded = registry.loadedAreas();
    assertWithin(
      loaded,
      [...before, ...closureAreas(["ReconfigVM_Task", "VirtualDisk", "VirtualDiskFlatVer2BackingInfo"])],
      "ReconfigVM_Task loaded modules it does not need:",
    );
    console.log(`wsdl/full-api: after ReconfigVM_Task, ${loaded.length} of ${plan.areas.length} modules are loaded`);
  });

  test("every module registers every declaration it holds", async () => {
    const registry = registryOf(await importFile(join(out, "registry.js")));
    await registry.loadAll();
    assert.is(registry.loadedAreas().length, plan.areas.length);
    assert.is(registry.objectNames().length, model.objects.size);
    assert.is(registry.methodNames().length, model.methods.size);
  });

  /** The generated module that defines `name`. */
  const moduleDefining = (name: string): string => {
    const m = plan.exportedBy.get(name);
    if (m === undefined) throw new Error(`no module defines ${name}`);
    return m;
  };

  const areaOf = (name: string): number => plan.areas.findIndex((a) => a.decls.some((d) => d.name === name));

  /** The modules that define `names` and every type they refer to (bases, members, parameters, returns), transitively. */
  const closureAreas = (names: readonly string[]): number[] => {
    const seen = new Set<string>();
    const stack = [...names];
    const visit = (t: TypeRef | undefined): void => {
      if (t !== undefined && !seen.has(t.name)) stack.push(t.name);
    };
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (seen.has(n)) continue;
      seen.add(n);
      const o = model.objects.get(n);
      if (o !== undefined) {
        if (o.base !== undefined) visit({ name: o.base });
        for (const m of o.members) if (m.occ !== "i") visit(m.type);
      }
      const method = model.methods.get(n);
      if (method !== undefined) {
        for (const p of method.params) visit(p.type);
        visit(method.returns?.type);
      }
    }
    return [...new Set([...seen].map(areaOf).filter((i) => i >= 0))].sort((a, b) => a - b);
  };

  /** Asserts that every module of `loaded` is one of `allowed`. */
  const assertWithin = (loaded: readonly number[], allowed: readonly number[], what: string): void => {
    const extra = loaded.filter((i) => !allowed.includes(i)).map((i) => plan.areas[i]?.module);
    assert.equal(extra, [], `${what} ${extra.join(", ")}`);
  };
}

/** Transpiles every generated .ts file beside it (type-checking is the test above). */
function compileToJs(folder: string): void {
  writeFileSync(join(folder, "package.json"), '{ "type": "module" }\n');
  for (const f of readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".ts"))) {
    const r = ts.transpileModule(readFileSync(join(folder, f), "utf8"), {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(join(folder, f.replace(/\.ts$/, ".js")), r.outputText);
  }
}

async function importFile(file: string): Promise<Record<string, unknown>> {
  const m: unknown = await import(pathToFileURL(file).href);
  if (typeof m !== "object" || m === null) throw new Error(`${file} is not a module`);
  return m as Record<string, unknown>;
}

function registryOf(mod: Record<string, unknown>): TypeRegistry {
  const r = mod["registry"];
  if (!(r instanceof TypeRegistry)) throw new Error("registry.js exports no TypeRegistry");
  return r;
}

function moref(type: string, value: string): MoRef {
  return { _typeName: "ManagedObjectReference", type, value };
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

const env = (inner: string): string =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

function ok(method: string, inner: string): Answer {
  return { status: 200, body: env(`<${method}Response xmlns="urn:vim25">${inner}</${method}Response>`) };
}

/** A SoapCaller that answers from canned documents, as runtime/client.ts calls the codec. */
function fakeClient(answer: (method: string, request: string) => Answer): SoapCaller & { readonly requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    bound: (member) => moref("ServiceInstance", member),
    async invoke(reg, name, args) {
      await reg.load(name);
      const m = reg.method(name);
      const body = await reg.run(() => m.encodeBody(args));
      requests.push(body);
      const res = answer(name, requestEnvelope(body));
      if (res.status === 200) return reg.run(() => decodeResponse(reg, m, res.body));
      const fault = await reg.run(() => faultFromDocument(reg, name, res.body));
      throw fault ?? new Error(`HTTP ${res.status}`);
    },
  };
}

test.run();
