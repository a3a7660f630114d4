/**
 * npm run schema:import -- --wsdl <folder|file|URL> --type <Name>... [--method <Name>...] [--subtypes] --out <file.vi> [--schema <dir>]
 * npm run schema:import -- --wsdl <folder|file|URL> --all --out <dir>
 * npm run schema:import -- --wsdl <folder|file|URL> --compare [--schema <dir>]
 *
 * Imports VI types and methods from the vSphere WSDL into our schema grammar (see
 * generator/wsdl/README.md). The output is checked (parsed and validated together with the
 * --schema folder) before anything is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import type { Decl, SchemaFile } from "../schema/ast.js";
import { schemaPaths } from "../schema/load.js";
import { parseSchema } from "../schema/parse.js";
import { SchemaError } from "../schema/schema-error.js";
import { validateSchema } from "../schema/validate.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { compareWithWsdl } from "./compare.js";
import { importAll, importWsdl, indexSchema, loadWsdl, type ExistingSchema } from "./import.js";
import { HEADER_MARK, renderSchema, splitSchema } from "./write.js";
import { managedGaps } from "../managed/gaps.js";
import { readGovmomiMo, type GoManagedType } from "../managed/govmomi.js";
import { readPyVmomi } from "../managed/pyvmomi.js";
import type { ManagedSource } from "../managed/source.js";

const USAGE = `usage:
  npm run schema:import -- --wsdl <folder|file|https URL> --type <Name> [--type <Name>...] [--method <Name>...]
                           [--subtypes] --out <schema file> [--schema <schema dir, default schema/>]
  npm run schema:import -- --wsdl <folder|file|https URL> --all --out <dir> [--schema <dir>] [--managed <pyVmomi dir>]
                           [--govmomi <vim25/mo/mo.go>]
  npm run schema:import -- --wsdl <folder|file|https URL> --compare [--schema <dir>]

--type names a data type, enum, fault or method; the output holds it and every type it needs,
except what the --schema folder already defines; --subtypes adds every subtype of every imported
object. --all writes the whole API into <dir>, except what the --schema folder's other files define.
--managed reads pyVmomi's type tables (Debian python3-pyvmomi: /usr/lib/python3/dist-packages/pyVmomi):
the managed objects, the managed object type of every reference and the result of every task.
--govmomi reads govmomi's managed object structs (Debian golang-github-vmware-govmomi-dev:
/usr/share/gocode/src/github.com/vmware/govmomi/vim25/mo/mo.go) to list the managed objects and
properties of its newer API that --managed's source lacks (in managed-source-gaps.txt).
--compare lists where the --schema folder differs from the WSDL.`;

class UsageError extends Error {}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function display(path: string): string {
  const r = relative(process.cwd(), path);
  return r === "" ? "." : r.startsWith("..") ? path : r;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function counts(decls: readonly Decl[]): string {
  const enums = decls.filter((d) => d.kind === "enum").length;
  const objects = decls.filter((d) => d.kind === "object").length;
  const methods = decls.filter((d) => d.kind === "method").length;
  return `${plural(enums, "enum")}, ${plural(objects, "object")}, ${plural(methods, "method")}`;
}

interface Existing {
  /** The folder's files without the output file (which is being rewritten). */
  readonly files: readonly SchemaFile[];
  readonly index: ExistingSchema;
  /** The output file's current declarations: typed references and bindings to keep. */
  readonly keep: readonly Decl[];
}

/**
 * Parses the --schema folder without the output file. It is not validated on its own: other
 * files may use types of the output file; the final check validates the folder with the new output.
 */
function loadExisting(schemaDir: string, explicit: boolean, outFile: string | undefined, outDir?: string): Existing {
  const files: SchemaFile[] = [];
  let keep: Decl[] = [];
  const inOutDir = (p: string): boolean => outDir !== undefined && resolve(p).startsWith(resolve(outDir) + sep);
  if (outDir !== undefined && existsSync(outDir)) {
    for (const p of schemaPaths([outDir])) {
      try {
        keep.push(...parseSchema(readFileSync(p, "utf8"), display(p)).decls);
      } catch (e) {
        if (!(e instanceof SchemaError)) throw e;
        err(`warning: ${display(p)} does not parse; its typed references are not kept:\n${e.message}`);
      }
    }
  }
  if (outFile !== undefined && existsSync(outFile)) {
    try {
      keep = [...parseSchema(readFileSync(outFile, "utf8"), display(outFile)).decls];
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      err(`warning: ${display(outFile)} does not parse; its typed references are not kept:\n${e.message}`);
    }
  }
  if (!existsSync(schemaDir)) {
    if (explicit) throw new UsageError(`--schema ${schemaDir}: no such folder`);
    return { files, index: indexSchema(files), keep };
  }
  for (const p of schemaPaths([schemaDir])) {
    if ((outFile !== undefined && resolve(p) === resolve(outFile)) || inOutDir(p)) continue;
    files.push(parseSchema(readFileSync(p, "utf8"), display(p)));
  }
  return { files, index: indexSchema(files), keep };
}

function suggestions(wanted: string, names: Iterable<string>): string[] {
  const w = wanted.toLowerCase();
  const out: string[] = [];
  for (const n of names) if (n.toLowerCase() === w || (w.length >= 4 && n.toLowerCase().includes(w))) out.push(n);
  return out.sort((a, b) => a.length - b.length).slice(0, 5);
}

async function runImport(v: Options, command: string): Promise<number> {
  const source = v.wsdl;
  const outFile = v.out;
  if (outFile === undefined) throw new UsageError("--out <schema file> is required");
  if ((v.type ?? []).length + (v.method ?? []).length === 0) throw new UsageError("name at least one --type or --method (or use --all)");
  if (existsSync(outFile) && !readFileSync(outFile, "utf8").startsWith(`# ${HEADER_MARK}`)) {
    throw new UsageError(`--out ${outFile} exists and was not written by the importer; choose another file`);
  }
  const existing = loadExisting(v.schema ?? "schema", v.schema !== undefined, outFile);
  const wsdl = await loadWsdl(source);
  const r = await importWsdl({
    wsdl,
    types: v.type ?? [],
    methods: v.method ?? [],
    existing: existing.index,
    keep: existing.keep,
    subtypes: v.subtypes === true,
    ...(v.managed !== undefined ? { managed: readPyVmomi(v.managed) } : {}),
  });
  if (r.unresolved.length > 0) {
    for (const u of r.unresolved) {
      const near = suggestions(u, [...wsdl.types.keys(), ...wsdl.operations.keys()]);
      err(`error: ${u} is neither a type nor a method of the WSDL${near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : ""}`);
    }
    return 1;
  }
  for (const s of r.skipped) err(`warning: ${s} is already defined (by ${v.schema ?? "schema"}/ or as a predefined type); not imported`);
  if (r.decls.length === 0) {
    err(`error: nothing to import: every name asked for is already defined; ${display(resolve(outFile))} not written`);
    return 1;
  }
  const outDisplay = display(resolve(outFile));
  const text = renderSchema(r.decls, { source, ...(wsdl.apiVersion !== undefined ? { apiVersion: wsdl.apiVersion } : {}), command });
  // Check before writing: the output parses and validates together with the existing schema.
  try {
    validateSchema([...existing.files, parseSchema(text, outDisplay)]);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    err(`error: ${v.schema ?? "schema"}/ with the imported declarations does not validate; nothing written:\n${e.message}`);
    return 1;
  }
  mkdirSync(dirname(resolve(outFile)), { recursive: true });
  writeFileSync(outFile, text);
  out(`wrote ${outDisplay}: ${counts(r.decls)}${r.referenced.length > 0 ? `; refers to ${r.referenced.join(", ")}` : ""}`);
  return 0;
}

async function runAll(v: Options, command: string): Promise<number> {
  const dir = v.out;
  if (dir === undefined) throw new UsageError("--all needs --out <dir>");
  const t0 = performance.now();
  // Only files this command wrote before may be replaced.
  let old: string[] = [];
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is not a folder`);
    old = readdirSync(dir).filter((n) => n.endsWith(".vi"));
    const foreign = old.filter((n) => !readFileSync(join(dir, n), "utf8").startsWith(`# ${HEADER_MARK}`));
    if (foreign.length > 0)
      throw new UsageError(
        `--out ${dir} holds schema files that the importer did not write (${foreign.join(", ")}); choose another folder`,
      );
  }
  // The --schema folder's other files are written by hand (or by single imports): what they
  // define is not imported, so that they override the WSDL and the managed source.
  const existing = v.schema !== undefined ? loadExisting(v.schema, true, undefined, dir) : undefined;
  const keep = existing?.keep ?? loadExisting(dir, false, undefined, dir).keep;
  const source = v.managed !== undefined ? readPyVmomi(v.managed) : undefined;
  const r = await importAll({
    wsdl: v.wsdl,
    keep,
    ...(existing !== undefined ? { existing: existing.index } : {}),
    ...(source !== undefined ? { managed: source } : {}),
  });
  const chunks = splitSchema(r.decls);
  const header = { source: v.wsdl, ...(r.wsdl.apiVersion !== undefined ? { apiVersion: r.wsdl.apiVersion } : {}), command };
  const texts = chunks.map((c) => ({ file: c.file, text: renderSchema(c.decls, { ...header, part: `Part ${c.file} of the whole API.` }) }));
  // Check before writing: the files validate as one schema (with the hand-written ones).
  const model = validateSchema([...(existing?.files ?? []), ...texts.map((t) => parseSchema(t.text, join(display(resolve(dir)), t.file)))]);
  for (const n of old) rmSync(join(dir, n));
  mkdirSync(dir, { recursive: true });
  for (const t of texts) writeFileSync(join(dir, t.file), t.text);
  if (source !== undefined) {
    const govmomi = v.govmomi !== undefined ? readGovmomiMo(v.govmomi) : undefined;
    const gaps = managedGaps({ model, source, ...(govmomi !== undefined ? { govmomi } : {}) });
    writeFileSync(join(dir, GAPS_FILE), gapsReport(source, govmomi, r.wsdl.apiVersion, command, gaps));
    out(`${plural(gaps.length, "line")} on what ${source.source} does not describe: see ${display(join(resolve(dir), GAPS_FILE))}`);
  }
  const ms = performance.now() - t0;
  const types = r.decls.filter((d) => d.kind !== "method").length;
  out(
    `wrote ${plural(texts.length, "file")} to ${display(resolve(dir))}: ${counts(r.decls)} (${types} types) in ${(ms / 1000).toFixed(2)} s`,
  );
  return 0;
}

/** The report --all --managed writes next to the schema files. */
const GAPS_FILE = "managed-source-gaps.txt";

function gapsReport(
  source: ManagedSource,
  govmomi: ReadonlyMap<string, GoManagedType> | undefined,
  apiVersion: string | undefined,
  command: string,
  gaps: readonly string[],
): string {
  return [
    `# What the managed object source ${source.source}${source.apiVersion === undefined ? "" : ` (API ${source.apiVersion})`} does not describe`,
    `# of the WSDL${apiVersion === undefined ? "" : ` (API ${apiVersion})`}${govmomi === undefined ? "" : " and of govmomi's managed objects"}, and where the schema stands on each. Written by:`,
    `#   ${command}`,
    `# A schema file outside this folder that declares a managed object, method or type (with typed references)`,
    `# overrides the import; a reference the source cannot type stays untyped until such a declaration types it.`,
    `# "any managed object": the source types the slot vmodl.ManagedObject (it holds references of every kind).`,
    ...gaps,
    "",
  ].join("\n");
}

async function runCompare(v: Options): Promise<number> {
  const existing = loadExisting(v.schema ?? "schema", v.schema !== undefined, undefined);
  const diffs = await compareWithWsdl(await loadWsdl(v.wsdl), validateSchema(existing.files));
  for (const d of diffs) out(`${d.name}: ${d.difference}`);
  out(`${plural(diffs.length, "difference")}`);
  return 0;
}

interface Options {
  readonly wsdl: string;
  readonly type?: string[];
  readonly method?: string[];
  readonly out?: string;
  readonly schema?: string;
  readonly all?: boolean;
  readonly subtypes?: boolean;
  readonly compare?: boolean;
  readonly managed?: string;
  readonly govmomi?: string;
}

async function main(args: readonly string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        wsdl: { type: "string" },
        type: { type: "string", multiple: true },
        method: { type: "string", multiple: true },
        out: { type: "string" },
        schema: { type: "string" },
        all: { type: "boolean" },
        subtypes: { type: "boolean" },
        compare: { type: "boolean" },
        managed: { type: "string" },
        govmomi: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help === true) {
      out(USAGE);
      return 0;
    }
    if (values.wsdl === undefined) throw new UsageError("--wsdl <folder|file|https URL> is required");
    const v: Options = { ...values, wsdl: values.wsdl };
    const command = `npm run schema:import -- ${args.map(quote).join(" ")}`;
    if (v.all === true) {
      if (v.type !== undefined || v.method !== undefined || v.compare === true || v.subtypes === true)
        throw new UsageError("--all takes no --type, --method, --subtypes or --compare");
      return await runAll(v, command);
    }
    if (v.compare === true) return await runCompare(v);
    return await runImport(v, command);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS"))) {
      err(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof EsxviError) {
      err(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
