/**
 * The comparison of a schema with the WSDL finds every kind of difference (fixtures/mini and a
 * schema written with deliberate differences).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseSchema } from "../../generator/schema/parse.js";
import { validateSchema } from "../../generator/schema/validate.js";
import { compareWithWsdl } from "../../generator/wsdl/compare.js";
import { loadWsdl } from "../../generator/wsdl/import.js";
import { MINI } from "./support.js";

const wsdl = await loadWsdl(MINI);

const SCHEMA = `
enum Color
    red
    green
    blue
end

object Point
    Int                          x       o
    Long                         y       r
    Int                          z       o
end

object Circle                 extends Point
    Point                        center  o
    Double                       radius  r
end

object Unrelated
    String                       note    i
end

object Extra
end

object LocalizedMethodFault
    MethodFault                  fault   r
end

managed object Canvas
    String                       name    r
end

method Reset                  returns String r
    ManagedObjectReference       _this   r
end

method FindShapes             returns Shape ol
    ManagedObjectReference       _this   r
    Int                          name    o
end

object Shape
    String                       name    r
    Color                        color   o
    String                       tags    ol
    Int                          corners rl
    Int                          bounded ol
    String                       palette ol
    ManagedObjectReference:Canvas owners ol
    String                       labels  rl
    String                       shades  ol
    ManagedObjectReference:Canvas parent o
end
`;

test("every kind of difference is listed, sorted by name; typed references, i members and managed objects are no difference", async () => {
  const model = validateSchema([parseSchema(SCHEMA, "mini.vi")]);
  const diffs = await compareWithWsdl(wsdl, model);
  assert.equal(
    diffs.map((d) => `${d.name}: ${d.difference}`),
    [
      "Circle: base Point in schema/, Shape in the WSDL",
      "Circle: member order: center radius in schema/, radius center in the WSDL",
      "Color: value blue is not in the WSDL",
      "Color: value light-blue is missing in schema/",
      "Extra: not in the WSDL",
      "FindShapes: parameter name: type Int in schema/, String in the WSDL",
      "LocalizedMethodFault: members missing in schema/: localizedMessage (String o)",
      "Point: member x: occurrence o in schema/, r in the WSDL",
      "Point: member y: type Long in schema/, Int in the WSDL",
      "Point: member z is not in the WSDL",
      "Reset: returns String r in schema/, (nothing) in the WSDL",
    ],
  );
});

test("a schema equal to the WSDL has no differences; an empty schema neither", async () => {
  const same = validateSchema([parseSchema("object Point\n    Int x r\n    Int y r\nend\n", "p.vi")]);
  assert.equal(await compareWithWsdl(wsdl, same), []);
  assert.equal(await compareWithWsdl(wsdl, validateSchema([])), []);
});

test.run();
