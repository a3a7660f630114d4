/**
 * The handlebars sources of the virsh layouts that are more than a table (cli/output/templates.ts
 * uses them): a label/value block (labels padded as virsh's "%-15s %s", with the `pad` helper)
 * and version. Compiled with noEscape: the output is text, not HTML.
 */
export const TEMPLATE_SOURCES = {
  fields: "{{#each fields}}{{pad label ../width}} {{value}}\n{{/each}}",
  version:
    "Compiled against library: esxvi {{library}}\nUsing library: esxvi {{library}}\nUsing API: {{api}} {{library}}\nRunning hypervisor: {{hypervisor}} {{hypervisorVersion}}\n",
} as const;

export type TemplateName = keyof typeof TEMPLATE_SOURCES;
