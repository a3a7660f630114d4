import type { VmxContext } from "./context.js";
import type { DomainDef } from "./domain-model.js";
import { VmxError } from "./errors.js";
export function domainToVmx(def: DomainDef, ctx: VmxContext, hw: number): string {
  throw new VmxError("not yet " + def.virtType + String(ctx) + hw);
}
