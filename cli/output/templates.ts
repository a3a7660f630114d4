/**
 * Text templates (handlebars) of the virsh layouts that are more than a table: label/value
 * blocks such as dominfo and nodeinfo (labels padded as virsh's "%-15s %s"), and version.
 */
import Handlebars from "handlebars";

const hb = Handlebars.create();
hb.registerHelper("pad", (text: unknown, width: unknown) => String(text).padEnd(Number(width)));

/** A label/value block: one "<label padded to width> <value>" line per field. */
const FIELDS = hb.compile("{{#each fields}}{{pad label ../width}} {{value}}\n{{/each}}", { noEscape: true });

export interface Field {
  readonly label: string;
  readonly value: string | number;
}

export function formatFields(fields: readonly Field[], width = 15): string {
  return FIELDS({ fields, width });
}

const VERSION = hb.compile(
  "Compiled against library: esxvi {{library}}\nUsing library: esxvi {{library}}\nUsing API: {{api}} {{library}}\nRunning hypervisor: {{hypervisor}} {{hypervisorVersion}}\n",
  { noEscape: true },
);

export function formatVersion(v: { library: string; api: string; hypervisor: string; hypervisorVersion: string }): string {
  return VERSION(v);
}
