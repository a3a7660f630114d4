/**
 * README "Add a VI type", done for real: in a temporary copy of schema/, add lines for a new
 * type and a method that uses it, regenerate, and compile a use of the new type.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGenerate } from "../../generator/cli.js";
import { ROOT } from "../support/paths.js";
import { typecheck } from "../support/typecheck.js";

const NEW_LINES = `

object HostSensorReading
    String                                   name                           r
    ElementDescription                       healthState                    o
    Long                                     currentReading                 r
    Int                                      unitModifier                   r
    String                                   baseUnits                      r
    String                                   sensorType                     o
end


method QuerySensorReadings           returns HostSensorReading          ol
    ManagedObjectReference:HostSystem        _this                          r
    String                                   names                          ol
end
`;

test("add lines to schema/, regenerate, use the new type", async () => {
  const dir = mkdtempSync(join(tmpdir(), "esxvi-extend-"));
  try {
    cpSync(join(ROOT, "schema"), join(dir, "schema"), { recursive: true });
    appendFileSync(join(dir, "schema", "host.vi"), NEW_LINES);
    const r = await runGenerate({ schema: [join(dir, "schema")], out: join(dir, "generated"), check: false });
    assert.ok(r.files > 10);
    writeFileSync(
      join(dir, "use.ts"),
      [
        `import type { SoapCaller } from "${join(ROOT, "runtime", "soap", "index.js")}";`,
        'import { QuerySensorReadings, type HostSensorReading } from "./generated/index.js";',
        "export async function fans(c: SoapCaller): Promise<bigint> {",
        '  const host = { _typeName: "ManagedObjectReference", type: "HostSystem", value: "ha-host" } as const;',
        '  const readings: HostSensorReading[] = await QuerySensorReadings(c, host, { names: ["fan1"] });',
        '  const mine: HostSensorReading = { _typeName: "HostSensorReading", name: "fan", currentReading: 1200n, unitModifier: 0, baseUnits: "RPM" };',
        "  // @ts-expect-error currentReading is a Long: a bigint, not a number",
        '  const wrong: HostSensorReading = { _typeName: "HostSensorReading", name: "fan", currentReading: 1200, unitModifier: 0, baseUnits: "RPM" };',
        "  // @ts-expect-error the method wants a HostSystem reference",
        '  await QuerySensorReadings(c, { _typeName: "ManagedObjectReference", type: "VirtualMachine", value: "vm-1" });',
        "  return readings.reduce((sum, s) => sum + s.currentReading, mine.currentReading) + BigInt(wrong.unitModifier);",
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
