/**
 * npm run corpus -- [--dir <folder>] [--quiet]
 * Runs a libvirt-style VMX corpus (manifest.json, vmx2xml/, xml2vmx/) through the converter,
 * prints "N passed, M failed" per direction and a diff for every failure; exits 1 on any failure.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { runCorpus, summary, type CaseResult } from "../test/vmx/corpus-runner.js";

function parseArgs(argv: readonly string[]): { dir: string; quiet: boolean } {
  let dir = "../shared/reference/libvirt-11.3.0";
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dir") {
      const value = argv[++i];
      if (value === undefined) throw new Error("--dir needs a folder");
      dir = value;
    } else if (arg?.startsWith("--dir=")) {
      dir = arg.slice("--dir=".length);
    } else if (arg === "--quiet") {
      quiet = true;
    } else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: npm run corpus -- [--dir <folder>] [--quiet]\n");
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${arg ?? ""}'`);
    }
  }
  return { dir, quiet };
}

function report(direction: string, results: readonly CaseResult[], quiet: boolean): void {
  for (const r of results) {
    if (r.ok) continue;
    process.stdout.write(`\nFAIL ${direction} ${r.name}\n`);
    if (!quiet && r.detail !== undefined) process.stdout.write(`${r.detail}\n`);
  }
  process.stdout.write(`${direction}: ${summary(results)}\n`);
}

function main(): number {
  let args: { dir: string; quiet: boolean };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`corpus: ${(error as Error).message}\n`);
    return 2;
  }
  const dir = resolve(args.dir);
  if (!existsSync(resolve(dir, "manifest.json"))) {
    process.stderr.write(`corpus: ${dir} has no manifest.json\n`);
    return 2;
  }
  const results = runCorpus(dir);
  report("vmx2xml", results.vmx2xml, args.quiet);
  report("xml2vmx", results.xml2vmx, args.quiet);
  const failed = [...results.vmx2xml, ...results.xml2vmx].some((r) => !r.ok);
  return failed ? 1 : 0;
}

process.exitCode = main();
