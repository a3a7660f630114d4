/**
 * Compatibility with libvirt's schema: the generator parses libvirt 11.3.0's
 * esx_vi_generator.input unchanged and the TypeScript generated from it type-checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGenerate } from "../../generator/cli.js";
import { loadSchema } from "../../generator/schema/load.js";
import { LIBVIRT_INPUT, missingReference, ROOT } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";

const skip = missingReference(LIBVIRT_INPUT);

test("libvirt's esx_vi_generator.input parses unchanged, with libvirt's counts", () => {
  if (skip !== undefined) return console.log(skip);
  const model = loadSchema([LIBVIRT_INPUT], ROOT);
  assert.is(model.enums.size, 11);
  // 144 data objects plus the predefined MethodFault.
  assert.is(model.objects.size, 145);
  assert.is(model.managed.size, 5);
  assert.is(model.methods.size, 41);
  const bound = [...model.methods.values()].filter((m) => m.params[0]?.bind !== undefined).length;
  assert.is(bound, 17);
  const ignored = [...model.objects.values()].flatMap((o) => o.members).filter((m) => m.occ === "i").length;
  // 28 lines of the file say `i` (the driver notes count 27).
  assert.is(ignored, 28);
});

test("the bindings generated from libvirt's schema type-check (tsc --noEmit)", async () => {
  if (skip !== undefined) return console.log(skip);
  const dir = mkdtempSync(join(tmpdir(), "esxvi-libvirt-"));
  try {
    const out = join(dir, "out");
    const r = await runGenerate({ schema: [LIBVIRT_INPUT], out, check: false });
    // Two areas and their metadata modules, the metadata index and its one names shard, registry, managed, input, index.
    assert.is(r.files, 10);
    // A use of the generated API, compiled with it.
    writeFileSync(
      join(dir, "use.ts"),
      [
        'import type { SoapCaller } from "' + join(ROOT, "runtime", "soap", "index.js") + '";',
        'import { PowerOnVM_Task, RetrieveProperties, VirtualMachinePowerState, type ObjectContent } from "./out/index.js";',
        "export async function use(c: SoapCaller): Promise<string> {",
        '  const task = await PowerOnVM_Task(c, { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-1" });',
        '  const found: ObjectContent[] = await RetrieveProperties(c, { specSet: [{ _typeName: "PropertyFilterSpec", propSet: [{ _typeName: "PropertySpec", type: "VirtualMachine", pathSet: ["name"] }], objectSet: [{ _typeName: "ObjectSpec", obj: task }] }] });',
        "  const s: VirtualMachinePowerState = VirtualMachinePowerState.poweredOn;",
        "  return `${task.value} ${found.length} ${s}`;",
        "}",
      ].join("\n"),
    );
    const tc = typecheck(dir);
    assert.ok(tc.ok, tc.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
