// The bundled command's templates, precompiled at build time: the module scripts/bundle.mjs
// puts in place of dist/cli/output/compiled-templates.js (which compiles the same sources
// when it loads, with handlebars' compiler). This one needs only handlebars' runtime.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The source of the precompiled module: same export as cli/output/compiled-templates.ts. */
export async function precompiledTemplatesModule() {
  const { default: Handlebars } = await import("handlebars");
  const { TEMPLATE_SOURCES } = await import(pathToFileURL(join(root, "dist", "cli", "output", "template-sources.js")).href);
  const entries = Object.entries(TEMPLATE_SOURCES).map(
    ([name, source]) => `    ${JSON.stringify(name)}: hb.template(${Handlebars.precompile(source, { noEscape: true })}),`,
  );
  return [
    'import Handlebars from "handlebars/runtime";',
    "export function compiledTemplates(helpers) {",
    "  const hb = Handlebars.create();",
    "  hb.registerHelper(helpers);",
    "  return {",
    ...entries,
    "  };",
    "}",
    "",
  ].join("\n");
}
