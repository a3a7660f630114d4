/**
 * `import … from "esxvi/vi"`: the vSphere API as the bindings describe it: every data type,
 * enum and method stub (`PowerOnVM_Task(session.client, vm, { host })`), and the registry
 * that encodes and decodes them.
 */
export * from "../generated/index.js";
export type { Input } from "../generated/input.js";
