/**
 * The SOAP decoder under mutated RetrievePropertiesEx answers cut from the 300-VM reference
 * answer (a few VMs each, so that a case stays small): typed errors only, no case over a second.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { registry } from "../../generated/registry.js";
import { decodeResponse } from "../../runtime/soap/index.js";
import { prng } from "../util/prng.js";
import { BENCH_DIR, missingReference } from "../support/paths.js";
import { fuzz } from "./mutate.js";

const CASES = 1000;
const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n' +
  '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>\n';
const TAIL = "</returnval></RetrievePropertiesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>\n";

const missing = missingReference(join(BENCH_DIR, "vm-objectcontent-300.xml"));

/** Answers of 1 to 3 consecutive VMs of the reference records (`<ObjectContent>` roots), 12 of them. */
function answers(text: string): Buffer[] {
  const objects = text
    .split("<ObjectContent>")
    .filter((part) => part.includes("</ObjectContent>"))
    .slice(0, 24)
    .map((part) => `<objects>${part.slice(0, part.lastIndexOf("</ObjectContent>"))}</objects>\n`);
  const out: Buffer[] = [];
  for (let i = 0; i < objects.length && out.length < 12; i += 2) {
    out.push(Buffer.from(HEAD + objects.slice(i, i + 1 + (i % 3)).join("") + TAIL, "utf8"));
  }
  return out;
}

if (missing !== undefined) console.log(`fuzz SOAP decoder: ${missing}`);
else {
  test(`${CASES} mutated RetrievePropertiesEx answers (seed 14)`, async () => {
    await registry.loadAll();
    const method = registry.method("RetrievePropertiesEx");
    const docs = answers(readFileSync(join(BENCH_DIR, "vm-objectcontent-300.xml"), "latin1").slice(0, 4 << 20));
    assert.ok(docs.length >= 6, "the reference answer holds objects");
    // Control: the unmutated answers decode.
    for (const d of docs) decodeResponse(registry, method, d);
    const next = prng(14);
    const findings = fuzz(
      CASES,
      () => ({ input: docs[Math.floor(next() * docs.length)] as Buffer, next }),
      docs,
      (input) => {
        decodeResponse(registry, method, input);
      },
    );
    assert.equal(findings, []);
  });
}

test.run();
