/** typeNamesIn: the type names a document mentions, so that their modules load in one go. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { typeNamesIn } from "../../runtime/soap/type-names.js";

test("xsi:type values with any prefix, and MoRef type attributes, prefixes dropped", () => {
  const doc =
    '<r xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"><val XMLSchema-instance:type="VirtualMachineConfigInfo"/>' +
    '<val xsi:type="xsd:string">t</val><obj type="VirtualMachine">vm-1</obj><x type = \'vim25:HostSystem\'/><subtype="no"/></r>';
  assert.equal(typeNamesIn(doc).sort(), ["HostSystem", "VirtualMachine", "VirtualMachineConfigInfo", "string"]);
  assert.equal(typeNamesIn(new TextEncoder().encode(doc)).sort(), typeNamesIn(doc).sort());
});

test.run();
