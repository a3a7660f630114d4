/** The reference corpora the fuzz suites mutate, read in place; undefined (with the reason printed) when absent. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LIBVIRT_DIR, missingReference } from "../support/paths.js";

/** The files of one corpus folder ending in `ext`, sorted by name (a fixed order for the seed). */
export function corpus(sub: "vmx2xml" | "xml2vmx", ext: string): Buffer[] | undefined {
  const dir = join(LIBVIRT_DIR, sub);
  const missing = missingReference(dir);
  if (missing !== undefined) {
    console.log(`fuzz ${sub}: ${missing}`);
    return undefined;
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
}
