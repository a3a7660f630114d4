/** Paths the tests share: the project root and the shared reference data. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (tests run from dist/test/..., sources live beside dist/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const REFERENCE = resolve(ROOT, "..", "shared", "reference");
export const LIBVIRT_INPUT = join(REFERENCE, "libvirt-11.3.0", "esx_vi_generator.input");
export const WSDL_DIR = join(REFERENCE, "vsphere-wsdl-7.0u2");

/** Undefined when `path` exists, else the one-line reason a suite prints when it skips. */
export function missingReference(path: string): string | undefined {
  return existsSync(path) ? undefined : `skipped: ${path} is absent (../shared/reference is not here)`;
}
