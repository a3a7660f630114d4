/** Errors of the SOAP codec: a document that cannot be decoded, a value that cannot be encoded. */
import { EsxviError, type ErrorOptions } from "../../errors/esxvi-error.js";

export class DecodeError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("DECODE_ERROR", message, options);
  }
}

export class EncodeError extends EsxviError {
  constructor(message: string, options?: ErrorOptions) {
    super("ENCODE_ERROR", message, options);
  }
}

/**
 * A type or method is described by a module of the bindings that is not loaded yet.
 * `TypeRegistry.run` catches it, loads the module and tries again.
 */
export class MissingTypeError extends DecodeError {
  readonly typeName: string;

  constructor(typeName: string) {
    super(`'${typeName}' is defined in a bindings module that is not loaded`);
    this.typeName = typeName;
  }
}
