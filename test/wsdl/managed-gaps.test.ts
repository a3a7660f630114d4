/**
 * The gaps report (generator/managed/gaps.ts): what the managed object source does not
 * describe and where the schema stands on each, from small given sources; the references the
 * whole schema leaves untyped (only slots for any managed object); and, where pyVmomi and
 * govmomi are installed, schema/vi/managed-source-gaps.txt is what the sources say today.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { managedGaps } from "../../generator/managed/gaps.js";
import { GOVMOMI_MO, parseGovmomiMo, readGovmomiMo } from "../../generator/managed/govmomi.js";
import { readPyVmomi } from "../../generator/managed/pyvmomi.js";
import { loadSchema } from "../../generator/schema/load.js";
import { parseSchema } from "../../generator/schema/parse.js";
import { validateSchema } from "../../generator/schema/validate.js";
import { MOREF } from "../../generator/schema/predefined.js";
import { missingReference, ROOT } from "../support/paths.js";

const PYVMOMI = "/usr/lib/python3/dist-packages/pyVmomi";

/** Two pyVmomi table lines: a managed object with a property and a method, and a data type with a reference. */
const GIVEN_SOURCE = [
  'CreateManagedType("vim.Thing", "Thing", "vmodl.ManagedObject", "vim.version.version1", [("owner", "vim.Thing", "vim.version.version1", F_OPTIONAL, None)], [("poke", "PokeThing", "vim.version.version1", (("other", "vim.Thing", "vim.version.version1", 0, None),), (0, "void", "void"), None, None)])',
  'CreateDataType("vim.Holder", "Holder", "vmodl.DynamicData", "vim.version.version1", [("any", "vmodl.ManagedObject", "vim.version.version1", 0), ("thing", "vim.Thing", "vim.version.version1", 0)])',
  "",
].join("\n");

const GIVEN_GOVMOMI = `
type Thing struct {
	Self types.ManagedObjectReference

	Owner *types.ManagedObjectReference \`mo:"owner"\`
	Color string \`mo:"color"\`
	Size  int    \`mo:"size"\`
}

type Gadget struct {
	Self types.ManagedObjectReference
}

type Widget struct {
	Self types.ManagedObjectReference
}
`;

const GIVEN_HAND = `
managed object Thing
    ManagedObjectReference:Thing             owner                          o
    String                                   color                          o
end

managed object Gadget
end

object Holder
    ManagedObjectReference                   any                            r
    ManagedObjectReference                   thing                          r
    ManagedObjectReference:Gadget            gadget                         o
    ManagedObjectReference                   widget                         o
end

method PokeThing
    ManagedObjectReference:Thing             _this                          r
    ManagedObjectReference:Gadget            other                          r
end

method PokeGadget
    ManagedObjectReference:Gadget            _this                          r
end

method PokeWidget
    ManagedObjectReference                   _this                          r
end
`;

test("given sources and a schema: the gap lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-gaps-"));
  try {
    writeFileSync(join(dir, "ServerObjects.py"), GIVEN_SOURCE);
    const source = readPyVmomi(join(dir, "ServerObjects.py"));
    const model = validateSchema([parseSchema(GIVEN_HAND, "schema/hand.vi")]);
    assert.equal(managedGaps({ model, source, govmomi: parseGovmomiMo(GIVEN_GOVMOMI) }), [
      "managed object Gadget: not in the source; declared in schema/hand.vi",
      "managed object Widget: not in the source; not declared",
      "property Thing.color: not in the source; declared in schema/hand.vi",
      "property Thing.size: not in the source; not declared",
      "reference Holder.any: any managed object in the source; untyped in schema/hand.vi",
      "reference Holder.gadget: not in the source; typed Gadget in schema/hand.vi",
      "reference Holder.thing: the source says Thing; untyped in schema/hand.vi",
      "reference Holder.widget: not in the source; untyped in schema/hand.vi",
      "reference PokeGadget._this: not in the source; typed Gadget in schema/hand.vi",
      "reference PokeThing.other: the source says Thing; typed Gadget in schema/hand.vi",
      "reference PokeWidget._this: not in the source; untyped in schema/hand.vi",
    ]);
    // Without govmomi: references only.
    assert.is(managedGaps({ model, source }).filter((l) => !l.startsWith("reference ")).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("govmomi's structs: managed objects are the ones with a Self reference or a managed base", () => {
  const go = parseGovmomiMo(`
type Base struct {
	Self types.ManagedObjectReference

	Name string \`mo:"name"\`
}

type Child struct {
	Base

	Kids []types.ManagedObjectReference \`mo:"kids"\`
}

type NotManaged struct {
	Value string
}
`);
  assert.equal(
    [...go.values()],
    [
      { name: "Base", base: undefined, properties: ["name"] },
      { name: "Child", base: "Base", properties: ["kids"] },
    ],
  );
});

test("the schema leaves untyped only the slots for any managed object", () => {
  const model = loadSchema([join(ROOT, "schema")], ROOT);
  const untyped: string[] = [];
  for (const d of [...model.objects.values(), ...model.managed.values()])
    for (const m of d.members) if (m.type.name === MOREF && m.type.moType === undefined) untyped.push(`${d.name}.${m.name}`);
  for (const d of model.methods.values()) {
    for (const p of d.params)
      if (p.type.name === MOREF && p.type.moType === undefined && p.bind === undefined) untyped.push(`${d.name}.${p.name}`);
    if (d.returns?.type.name === MOREF && d.returns.type.moType === undefined) untyped.push(`${d.name}.returnval`);
  }
  assert.equal(untyped.sort(), [
    "ClusterAction.target",
    "ClusterRecommendation.target",
    "CreateListView.obj",
    "CreateObjectScheduledTask.obj",
    "CreateTask.obj",
    "DuplicateName.object",
    "ExtendedEvent.managedObject",
    "HasUserPrivilegeOnEntities.entities",
    "ManagedObjectNotFound.obj",
    "ManagedObjectView.view",
    "MethodNotFound.receiver",
    "MissingObject.obj",
    "ModifyListView.add",
    "ModifyListView.remove",
    "ModifyListView.returnval",
    "NoPermission.object",
    "ObjectContent.obj",
    "ObjectSpec.obj",
    "ObjectUpdate.obj",
    "PerfEntityMetricBase.entity",
    "PerfProviderSummary.entity",
    "PerfQuerySpec.entity",
    "QueryAvailablePerfMetric.entity",
    "QueryPerfProviderSummary.entity",
    "ResetListView.obj",
    "ResetListView.returnval",
    "RetrieveObjectScheduledTask.obj",
    "ScheduledTaskInfo.taskObject",
    "ServiceManagerServiceInfo.service",
  ]);
});

test("schema/vi/managed-source-gaps.txt is what pyVmomi's tables and govmomi's structs say of schema/", () => {
  // Installed with the simulator's packages (node scripts/vcsim.mjs ensure, run by npm test).
  const skip =
    missingReference(PYVMOMI, "Debian's python3-pyvmomi") ?? missingReference(GOVMOMI_MO, "Debian's golang-github-vmware-govmomi-dev");
  if (skip !== undefined) return console.log(skip);
  const model = loadSchema([join(ROOT, "schema")], ROOT);
  const want = managedGaps({ model, source: readPyVmomi(PYVMOMI), govmomi: readGovmomiMo(GOVMOMI_MO) });
  const got = readFileSync(join(ROOT, "schema", "vi", "managed-source-gaps.txt"), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  assert.equal(got, want);
  // What is left untyped is a slot for any managed object; no _this is untyped.
  assert.equal(
    want.filter((l) => / untyped in /.test(l) && !/: any managed object in the source;/.test(l)),
    [],
  );
});

test.run();
