/** The VMX parser and converter under mutated .vmx files of libvirt's corpus: typed errors only, no case over a second. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { vmxToDomainXml } from "../../drivers/vmx/index.js";
import { harnessContext } from "../vmx/corpus-runner.js";
import { prng } from "../util/prng.js";
import { corpus } from "./corpora.js";
import { fuzz } from "./mutate.js";

const CASES = 8000;
const files = corpus("vmx2xml", ".vmx");

if (files !== undefined) {
  test(`${CASES} mutated .vmx files (seed 14)`, () => {
    const next = prng(14);
    const findings = fuzz(
      CASES,
      () => ({ input: files[Math.floor(next() * files.length)] as Buffer, next }),
      files,
      (input) => {
        vmxToDomainXml(input, harnessContext("fuzz"));
      },
    );
    assert.equal(findings, []);
  });
}

test.run();
