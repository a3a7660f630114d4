/** A SOAP fault answered by the server, with its fault type and decoded detail. */
import { EsxviError } from "../../errors/esxvi-error.js";
import type { DataObject } from "./values.js";

export interface SoapFaultInfo {
  readonly method: string;
  readonly faultCode: string;
  readonly faultString: string;
  /** The fault's type, e.g. "InvalidPowerState" (from xsi:type or the detail element's name). */
  readonly faultType: string | undefined;
  /** The decoded detail: a MethodFault subtype; undefined when the server sent none. */
  readonly detail: DataObject | undefined;
}

export class SoapFaultError extends EsxviError implements SoapFaultInfo {
  readonly method: string;
  readonly faultCode: string;
  readonly faultString: string;
  readonly faultType: string | undefined;
  readonly detail: DataObject | undefined;

  constructor(info: SoapFaultInfo, options?: { cause?: unknown }) {
    const what = info.faultType ?? info.faultCode;
    super("SOAP_FAULT", `${info.method} failed: ${what}${info.faultString === "" ? "" : ` - ${info.faultString}`}`, options);
    this.method = info.method;
    this.faultCode = info.faultCode;
    this.faultString = info.faultString;
    this.faultType = info.faultType;
    this.detail = info.detail;
  }

  /** True when the fault is `type` (by name; subtypes are not resolved here). */
  is(type: string): boolean {
    return this.faultType === type;
  }
}
