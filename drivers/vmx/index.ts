/**
 * The VMX <-> libvirt domain XML converter (libvirt's src/vmx/vmx.c), pure and offline.
 */
import type { VmxContext } from "./context.js";
import type { DomainDef } from "./domain-model.js";
import { formatDomainXml } from "./domain-xml-format.js";
import { parseDomainXml } from "./domain-xml-parse.js";
import { domainToVmx } from "./domain-to-vmx.js";
import { parseVmx } from "./vmx-text.js";
import { vmxToDomain } from "./vmx-to-domain.js";

export type { VmxContext } from "./context.js";
export type * from "./domain-model.js";
export { VMWARE_NAMESPACE_URI } from "./domain-model.js";
export { DomainXmlError, VmxError, VmxUnsupportedError } from "./errors.js";
export { parseVmx, type VmxDocument, type VmxEntry } from "./vmx-text.js";
export { vmxToDomain } from "./vmx-to-domain.js";
export { formatDomainXml } from "./domain-xml-format.js";
export { parseDomainXml } from "./domain-xml-parse.js";
export { domainToVmx } from "./domain-to-vmx.js";

/** VMX text or bytes -> libvirt domain XML. */
export function vmxToDomainXml(vmx: string | Uint8Array, ctx: VmxContext): string {
  return formatDomainXml(vmxToDomain(parseVmx(vmx), ctx));
}

/** libvirt domain XML -> VMX text for the given virtualHW.version. */
export function domainXmlToVmx(xml: string, ctx: VmxContext, virtualHwVersion: number): string {
  const def: DomainDef = parseDomainXml(xml);
  return domainToVmx(def, ctx, virtualHwVersion);
}
