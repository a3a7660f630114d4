#!/usr/bin/env node
// Links the esxvi command into this checkout's node_modules/.bin, so that `npx esxvi …` runs the
// build right after `npm ci`. npm links the bins of dependencies only, never the root package's
// own, and `npx` looks for a command of the root package in node_modules/.bin. Run by `prepare`
// after the bundle; does nothing where there is no node_modules (a packed or installed copy).
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");

/** The package's commands: bin name -> path inside the package. */
function bins() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
}

if (existsSync(modules)) {
  const binDir = join(modules, ".bin");
  mkdirSync(binDir, { recursive: true });
  for (const [name, file] of Object.entries(bins())) {
    const target = join(root, file);
    if (!existsSync(target)) throw new Error(`${file} (the ${name} command) does not exist: build first`);
    const link = join(binDir, name);
    rmSync(link, { force: true }); // an older link, dangling or not
    symlinkSync(relative(binDir, target), link);
  }
}
