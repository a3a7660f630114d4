/**
 * The templates of cli/output/template-sources.ts, compiled when this module loads with
 * handlebars' compiler. The bundled command does not load this module: scripts/bundle.mjs puts
 * in its place the same templates precompiled at build time (scripts/precompile-templates.mjs)
 * on handlebars' runtime, which is a fraction of the compiler's size.
 */
import Handlebars from "handlebars";
import { TEMPLATE_SOURCES, type TemplateName } from "./template-sources.js";

export type Template = (context: object) => string;

export function compiledTemplates(helpers: Readonly<Record<string, Handlebars.HelperDelegate>>): Record<TemplateName, Template> {
  const hb = Handlebars.create();
  hb.registerHelper(helpers);
  return {
    fields: hb.compile(TEMPLATE_SOURCES.fields, { noEscape: true }),
    version: hb.compile(TEMPLATE_SOURCES.version, { noEscape: true }),
  };
}
