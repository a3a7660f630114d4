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

/** How a fault is described wherever it is shown: "<type> - <message>", or the type alone. */
export function faultText(type: string, message: string | undefined): string {
  return message === undefined || message === "" ? type : `${type} - ${message}`;
}

export class SoapFaultError extends EsxviError<"SOAP_FAULT"> implements SoapFaultInfo {
  readonly method: string;
  readonly faultCode: string;
  readonly faultString: string;
  readonly faultType: string | undefined;
  readonly detail: DataObject | undefined;

  constructor(info: SoapFaultInfo, options?: { cause?: unknown }) {
    const what = info.faultType ?? info.faultCode;
    super("SOAP_FAULT", `${info.method} failed: ${faultText(what, info.faultString)}`, options);
    this.method = info.method;
    this.faultCode = info.faultCode;
    this.faultString = info.faultString;
    this.faultType = info.faultType;
    this.detail = info.detail;
  }
}
