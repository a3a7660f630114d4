/**
 * The SOAP 1.1 envelope: requests as libvirt writes them, and the decoding of responses
 * into a method's return value or a SoapFaultError.
 */
import { DecodeError, MissingTypeError } from "./codec-errors.js";
import type { CompiledMethod } from "./method-compiler.js";
import { SoapFaultError } from "./soap-fault.js";
import type { TypeRegistry } from "./type-registry.js";
import type { DataObject } from "./values.js";
import { XmlReader, type XmlReaderLimits, type XmlSource } from "./xml-reader.js";

export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  "<soapenv:Envelope\n" +
  ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"\n' +
  ' xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"\n' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n' +
  "<soapenv:Body>\n";
const FOOTER = "\n</soapenv:Body>\n</soapenv:Envelope>";

/** Wraps a method body in libvirt's envelope. */
export function requestEnvelope(body: string): string {
  return HEADER + body + FOOTER;
}

/** Moves the reader into soapenv:Body and onto its first child. */
function enterBody(r: XmlReader): void {
  r.root();
  if (r.local !== "Envelope" || r.namespace() !== SOAP_ENV_NS) throw new DecodeError(`expected a SOAP Envelope, found <${r.qname}>`);
  for (;;) {
    if (!r.nextChild()) throw new DecodeError("the SOAP Envelope has no Body");
    const local: string = r.local;
    if (local === "Body" && r.namespace() === SOAP_ENV_NS) break;
    r.skipElement();
  }
  if (!r.nextChild()) throw new DecodeError("the SOAP Body is empty");
}

/**
 * Decodes a response document for `method`: its return value, or throws the fault it
 * carries as a SoapFaultError. The document is best given as the body's UTF-8 bytes (a
 * string is copied to bytes first); the result keeps no reference to it.
 */
export function decodeResponse(reg: TypeRegistry, method: CompiledMethod, xml: XmlSource, limits?: XmlReaderLimits): unknown {
  const r = new XmlReader(xml, limits);
  enterBody(r);
  if (r.local === "Fault" && r.namespace() === SOAP_ENV_NS) throw decodeFault(reg, method.name, r);
  if (r.local !== `${method.name}Response`) throw new DecodeError(`expected <${method.name}Response>, found <${r.qname}>`);
  const value = method.decodeResponse(r);
  // The rest of the document must be there too: a cut-off answer is not an answer.
  while (r.depth > 0) if (r.nextChild()) r.skipElement();
  return value;
}

/** The SoapFaultError a document carries, or undefined when it is no SOAP fault (for statuses other than 200). */
export function faultFromDocument(
  reg: TypeRegistry,
  methodName: string,
  xml: XmlSource,
  limits?: XmlReaderLimits,
): SoapFaultError | undefined {
  const r = new XmlReader(xml, limits);
  try {
    enterBody(r);
  } catch {
    return undefined;
  }
  return r.local === "Fault" && r.namespace() === SOAP_ENV_NS ? decodeFault(reg, methodName, r) : undefined;
}

function decodeFault(reg: TypeRegistry, methodName: string, r: XmlReader): SoapFaultError {
  let faultCode = "";
  let faultString = "";
  let faultType: string | undefined;
  let detail: DataObject | undefined;
  let cause: unknown;
  while (r.nextChild()) {
    switch (r.local) {
      case "faultcode":
        faultCode = r.readText();
        break;
      case "faultstring":
        faultString = r.readText();
        break;
      case "detail":
        while (r.nextChild()) {
          if (faultType !== undefined) {
            r.skipElement();
            continue;
          }
          const local = r.local;
          const depth = r.depth;
          faultType = r.xsiType() ?? (local.endsWith("Fault") ? local.slice(0, -5) : local);
          try {
            // A fault type these bindings do not know decodes as the root fault type, keeping its wire name.
            detail =
              reg.object(faultType) !== undefined
                ? (reg.decoders.byWireType(faultType)(r) as DataObject)
                : reg.decoders.exact(reg.options.faultType)(r, faultType);
          } catch (e) {
            // A module not loaded yet: TypeRegistry.run loads it and decodes the fault again.
            if (e instanceof MissingTypeError) throw e;
            cause = e;
            detail = undefined;
            // The detail could not be decoded: keep the fault type, drop the detail.
            while (r.depth >= depth) r.skipElement();
          }
        }
        break;
      default:
        r.skipElement();
    }
  }
  return new SoapFaultError({ method: methodName, faultCode, faultString, faultType, detail }, cause === undefined ? undefined : { cause });
}
