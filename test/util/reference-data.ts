/**
 * Locates ../shared/reference/ (relative to the project root) for tests that read the
 * reference data in place. Returns undefined when it is absent so suites can skip.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function projectRoot(): string {
  // dist/test/util/reference-data.js or test/util/reference-data.ts: three levels up from dist.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    dir = dirname(dir);
  }
  return resolve(".");
}

export function referenceDir(sub: string): string | undefined {
  const dir = join(projectRoot(), "..", "shared", "reference", sub);
  return existsSync(dir) ? dir : undefined;
}

export const LIBVIRT_REFERENCE = "libvirt-11.3.0";
