/** Error classes of the VMX converter. */
import { EsxviError, type ErrorOptions } from "../../errors/esxvi-error.js";

/** A .vmx file is malformed or holds a value libvirt rejects (names the key, value or line). */
export class VmxError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("VMX_ERROR", message, options);
  }
}

/** Domain XML is malformed or holds a value libvirt rejects. */
export class DomainXmlError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("XML_ERROR", message, options);
  }
}

/** The domain uses something the VMX format cannot express. */
export class VmxUnsupportedError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("CONFIG_UNSUPPORTED", message, options);
  }
}
