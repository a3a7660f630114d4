/**
 * Paths the tests and benchmarks share: the project root and the shared reference data
 * (../shared/reference, read in place). This is the one place that locates it.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (tests run from dist/test/..., sources live beside dist/). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const REFERENCE = resolve(ROOT, "..", "shared", "reference");
export const LIBVIRT_DIR = join(REFERENCE, "libvirt-11.3.0");
export const LIBVIRT_INPUT = join(LIBVIRT_DIR, "esx_vi_generator.input");
export const WSDL_DIR = join(REFERENCE, "vsphere-wsdl-7.0u2");
export const BENCH_DIR = join(REFERENCE, "bench");

/**
 * Undefined when `path` exists, else the one-line reason a suite prints when it skips. With
 * ESXVI_REQUIRE_REFERENCE=1 (CI) a missing reference is no reason to skip: it throws, and the
 * suite fails.
 */
export function missingReference(path: string, source = "../shared/reference"): string | undefined {
  if (existsSync(path)) return undefined;
  if (process.env["ESXVI_REQUIRE_REFERENCE"] === "1") {
    throw new Error(`${path} is absent, and ESXVI_REQUIRE_REFERENCE=1 requires ${source}`);
  }
  return `skipped: ${path} is absent (${source} is not here)`;
}
