/** The domain XML parser and converter under mutated documents of libvirt's corpus: typed errors only, no case over a second. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainXmlToVmx } from "../../drivers/vmx/index.js";
import { harnessContext } from "../vmx/corpus-runner.js";
import { prng } from "../util/prng.js";
import { corpus } from "./corpora.js";
import { fuzz } from "./mutate.js";

const CASES = 6000;
const files = corpus("xml2vmx", ".xml");

if (files !== undefined) {
  test(`${CASES} mutated domain XML documents (seed 14)`, () => {
    const next = prng(14);
    const findings = fuzz(
      CASES,
      () => ({ input: files[Math.floor(next() * files.length)] as Buffer, next }),
      files,
      (input) => {
        domainXmlToVmx(input.toString("utf8"), harnessContext("fuzz"), 8);
      },
    );
    assert.equal(findings, []);
  });
}

test.run();
