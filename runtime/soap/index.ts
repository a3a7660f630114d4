/**
 * The SOAP codec core: XML reading and writing, the metadata registry that compiles
 * per-type codecs, the envelope and SOAP faults. It knows no VI type by name: the
 * generated bindings describe the types and configure the registry.
 */
export * from "./values.js";
export * from "./codec-errors.js";
export * from "./metadata.js";
export {
  TypeRegistry,
  type AreaIndex,
  type AreaIndexSource,
  type NameShard,
  type RegistryOptions,
  type TypeKind,
} from "./type-registry.js";
export type { CompiledMethod } from "./method-compiler.js";
export type { Decoder } from "./decode-compiler.js";
export type { Encoder } from "./encode-compiler.js";
export { requestEnvelope, decodeResponse, faultFromDocument, SOAP_ENV_NS } from "./envelope.js";
export { faultText, SoapFaultError, type SoapFaultInfo } from "./soap-fault.js";
export { XmlReader, XSI_NS, XSD_NS, decodeEntities, type ByteChunks, type XmlReaderLimits, type XmlSource } from "./xml-reader.js";
export { XmlWriter, escapeAttr, escapeText } from "./xml-writer.js";
export { parseDateTime } from "./xsd.js";
export { pickCallOptions, type SoapCaller, type CallOptions } from "./caller.js";
