/**
 * Text templates (handlebars) of the virsh layouts that are more than a table: label/value
 * blocks such as dominfo and nodeinfo (labels padded as virsh's "%-15s %s"), and version.
 * The sources are in template-sources.ts.
 */
import { compiledTemplates } from "./compiled-templates.js";

const TEMPLATES = compiledTemplates({ pad: (text: unknown, width: unknown) => String(text).padEnd(Number(width)) });

export interface Field {
  readonly label: string;
  readonly value: string | number;
}

/** A label/value block: one "<label padded to width> <value>" line per field. */
export function formatFields(fields: readonly Field[], width = 15): string {
  return TEMPLATES.fields({ fields, width });
}

export function formatVersion(v: { library: string; api: string; hypervisor: string; hypervisorVersion: string }): string {
  return TEMPLATES.version(v);
}
