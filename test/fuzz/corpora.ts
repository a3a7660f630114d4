/** The reference corpora the fuzz suites mutate, read in place; undefined when absent. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LIBVIRT_REFERENCE, referenceDir } from "../util/reference-data.js";

/** The files of one corpus folder ending in `ext`, sorted by name (a fixed order for the seed). */
export function corpus(sub: "vmx2xml" | "xml2vmx", ext: string): Buffer[] | undefined {
  const dir = referenceDir(join(LIBVIRT_REFERENCE, sub));
  if (dir === undefined) return undefined;
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
}

/** Says why a suite has nothing to fuzz: a skip on a developer's machine, a failure under CI. */
export function absent(what: string): void {
  const reason = `fuzz ${what}: skipped, ../shared/reference is absent`;
  if (process.env["CI"] !== undefined || process.env["ESXVI_REQUIRE_VCSIM"] === "1") throw new Error(reason);
  console.log(reason);
}
