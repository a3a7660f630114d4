/**
 * VI faults as the layers above meet them: a SOAP fault answered to a call (SoapFaultError),
 * a task that ended in error (TaskError), a property the collector could not read
 * (MissingProperty), or a fault data object on its own. One test, `isFault`, honours the
 * fault type hierarchy of the bindings (an InvalidPowerState is an InvalidState), and one
 * text, `faultText`, describes a fault wherever it is shown.
 */
import { EsxviError } from "../errors/esxvi-error.js";
import { faultText, MissingTypeError, SoapFaultError as CodecSoapFaultError, type DataObject } from "./soap/index.js";
import { registry } from "../generated/registry.js";
import type { AnyMethodFault, LocalizedMethodFault } from "../generated/core.js";
import type { MissingProperty } from "../generated/property-collector.js";
import type { TaskInfo } from "../generated/tasks.js";

export { faultText };

/**
 * A SOAP fault the server answered to a call, as the bindings know it: its `detail` is the
 * MethodFault union, narrowed by `_typeName` (`e.detail?._typeName === "InvalidPowerState"`
 * gives `e.detail.existingState`). The codec core's class, typed here, where the bindings are
 * known: `instanceof` works with either name.
 */
export type SoapFaultError = CodecSoapFaultError & { readonly detail: AnyMethodFault | undefined };
export const SoapFaultError = CodecSoapFaultError as unknown as {
  new (...args: ConstructorParameters<typeof CodecSoapFaultError>): SoapFaultError;
  readonly prototype: SoapFaultError;
};

/** The task ended in the error state: carries the fault type, the decoded fault and the localized message. */
export class TaskError extends EsxviError<"TASK_FAILED"> {
  readonly info: TaskInfo;
  /** The fault's type, e.g. "InvalidPowerState" (a newer server's type name is kept). */
  readonly faultType: string | undefined;
  /** The fault, narrowed by its `_typeName` (a MethodFault subtype of these bindings). */
  readonly fault: AnyMethodFault | undefined;
  readonly localizedMessage: string | undefined;

  constructor(info: TaskInfo) {
    const fault = info.error?.fault;
    const faultType = fault === undefined ? undefined : wireName(fault);
    const text = info.error?.localizedMessage;
    super("TASK_FAILED", faultType === undefined ? (text ?? "Unknown error") : faultText(faultType, text));
    this.info = info;
    this.faultType = faultType;
    this.fault = fault;
    this.localizedMessage = text;
  }
}

function wireName(fault: DataObject): string {
  return fault._wireType ?? fault._typeName;
}

function isDataObject(v: unknown): v is DataObject {
  return typeof v === "object" && v !== null && typeof (v as { _typeName?: unknown })._typeName === "string";
}

/** The fault data object `e` carries, when it carries one. */
function faultObjectOf(e: unknown): DataObject | undefined {
  if (e instanceof SoapFaultError) return e.detail;
  if (e instanceof TaskError) return e.fault;
  if (!isDataObject(e)) return undefined;
  if (e._typeName === "MissingProperty") return (e as unknown as MissingProperty).fault.fault;
  if (e._typeName === "LocalizedMethodFault") return (e as unknown as LocalizedMethodFault).fault;
  return e;
}

/**
 * The fault type `e` carries as the server named it ("InvalidPowerState"), or undefined when
 * `e` carries no fault.
 */
export function faultTypeOf(e: unknown): string | undefined {
  if (e instanceof SoapFaultError) return e.faultType;
  const f = faultObjectOf(e);
  return f === undefined ? undefined : wireName(f);
}

/** True when the bindings' type `sub` is `base` or inherits from it. */
function inherits(sub: string, base: string): boolean {
  try {
    return registry.isSubtype(sub, base);
  } catch (e) {
    // A base in a module not loaded yet: the decoded fault's own chain is loaded, so it is not among them.
    if (e instanceof MissingTypeError) return false;
    throw e;
  }
}

/**
 * True when `e` carries a fault of type `type` or of one of its subtypes: a SoapFaultError,
 * a TaskError, a MissingProperty, a LocalizedMethodFault or a MethodFault data object. A
 * fault type the bindings do not know matches its own name and the known base it was
 * decoded as.
 */
export function isFault(e: unknown, type: string): boolean {
  const name = faultTypeOf(e);
  if (name === undefined) return false;
  if (name === type) return true;
  const known = faultObjectOf(e)?._typeName ?? name;
  return inherits(known, type);
}
