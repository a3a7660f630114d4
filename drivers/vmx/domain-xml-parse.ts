import type { DomainDef } from "./domain-model.js";
import { DomainXmlError } from "./errors.js";
export function parseDomainXml(xml: string): DomainDef {
  throw new DomainXmlError("not yet " + xml.length);
}
