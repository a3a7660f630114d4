/** VMX -> domain: serialN and parallelN ports (virVMXParseSerial / virVMXParseParallel). */
import { parseFileName, type VmxContext } from "./context.js";
import type { ChrDef, ChrSource } from "./domain-model.js";
import { VmxError } from "./errors.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBoolean, vmxRequiredString, vmxString, vmxValueError } from "./vmx-values.js";

/** URI schemes of VirtualSerialPortURIBackingInfo and the libvirt TCP protocol they mean. */
const SERIAL_SCHEMES: Readonly<Record<string, ChrSource["protocol"]>> = {
  tcp: "raw",
  tcp4: "raw",
  tcp6: "raw",
  telnet: "telnet",
  telnets: "telnets",
  ssl: "tls",
  "tcp+ssl": "tls",
  "tcp4+ssl": "tls",
  "tcp6+ssl": "tls",
};

export interface ParsedUri {
  scheme?: string;
  server?: string;
  port: number;
}

/** A small RFC 3986 reader for "scheme://host:port/..." (what virURIParse yields here). */
export function parseSimpleUri(text: string): ParsedUri | undefined {
  if (/[\s"<>\\^`{|}]/.test(text)) return undefined;
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?[^#]*)?(?:#.*)?$/.exec(text);
  if (m === null) return undefined;
  const [, scheme, authority] = m;
  const uri: ParsedUri = { port: 0 };
  if (scheme !== undefined) uri.scheme = scheme;
  if (authority === undefined) return uri;
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const hm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (hm === null) return undefined;
  const host = hm[1] ?? "";
  if (host !== "") uri.server = host.startsWith("[") ? host.slice(1, -1) : host;
  if (hm[2] !== undefined && hm[2] !== "") {
    const port = Number(hm[2]);
    if (port > 2147483647) return undefined;
    uri.port = port;
  }
  return uri;
}

function parseFile(ctx: VmxContext, fileName: string | undefined, key: string): string | undefined {
  if (fileName === undefined) throw new VmxError(`Missing essential config entry '${key}'`);
  return parseFileName(ctx, fileName, false);
}

function networkSource(doc: VmxDocument, prefix: string, fileName: string | undefined): ChrSource {
  const uri = fileName === undefined ? undefined : parseSimpleUri(fileName);
  // Unparsable or port-less URIs are common and not representable: libvirt makes them 'null'.
  if (uri === undefined || uri.port === 0) return { type: "null" };
  const protocol = uri.scheme === undefined ? "raw" : SERIAL_SCHEMES[uri.scheme.toLowerCase()];
  if (protocol === undefined) {
    throw vmxValueError(doc, `${prefix}.fileName`, `VMX entry '${prefix}.fileName' contains unsupported scheme '${uri.scheme ?? ""}'`);
  }
  const endPointKey = `${prefix}.network.endPoint`;
  const endPoint = vmxString(doc, endPointKey);
  let listen: boolean;
  if (endPoint === undefined || endPoint.toLowerCase() === "server") listen = true;
  else if (endPoint.toLowerCase() === "client") listen = false;
  else {
    throw vmxValueError(doc, endPointKey, `Expecting VMX entry '${endPointKey}' to be 'server' or 'client' but found '${endPoint}'`);
  }
  const source: ChrSource = { type: "tcp", service: String(uri.port), listen, protocol };
  if (uri.server !== undefined) source.host = uri.server;
  return source;
}

function withPath(type: ChrSource["type"], path: string | undefined): ChrSource {
  return path === undefined ? { type } : { type, path };
}

/** Parses serialN (N 0..3); undefined when not present. */
export function parseVmxSerial(doc: VmxDocument, ctx: VmxContext, port: number): ChrDef | undefined {
  const prefix = `serial${port}`;
  const present = vmxBoolean(doc, `${prefix}.present`, false);
  vmxBoolean(doc, `${prefix}.startConnected`, true);
  if (!present) return undefined;
  const fileTypeKey = `${prefix}.fileType`;
  const fileType = vmxString(doc, fileTypeKey);
  const fileName = vmxString(doc, `${prefix}.fileName`);
  vmxString(doc, `${prefix}.network.endPoint`);
  const kind = fileType?.toLowerCase();
  let source: ChrSource;
  if (kind === undefined || kind === "device") source = withPath("dev", fileName);
  else if (kind === "file") source = withPath("file", parseFile(ctx, fileName, `${prefix}.fileName`));
  else if (kind === "pipe") source = withPath("pipe", fileName);
  else if (kind === "network") source = networkSource(doc, prefix, fileName);
  else {
    throw vmxValueError(
      doc,
      fileTypeKey,
      `Expecting VMX entry '${fileTypeKey}' to be 'device', 'file' or 'pipe' or 'network' but found '${fileType ?? ""}'`,
    );
  }
  return { source, port };
}

/** Parses parallelN (N 0..2); undefined when not present. */
export function parseVmxParallel(doc: VmxDocument, ctx: VmxContext, port: number): ChrDef | undefined {
  const prefix = `parallel${port}`;
  const present = vmxBoolean(doc, `${prefix}.present`, false);
  vmxBoolean(doc, `${prefix}.startConnected`, true);
  if (!present) return undefined;
  const fileTypeKey = `${prefix}.fileType`;
  const fileType = vmxRequiredString(doc, fileTypeKey);
  const fileName = vmxRequiredString(doc, `${prefix}.fileName`);
  const kind = fileType.toLowerCase();
  let source: ChrSource;
  if (kind === "device") source = withPath("dev", fileName);
  else if (kind === "file") source = withPath("file", parseFile(ctx, fileName, `${prefix}.fileName`));
  else {
    throw vmxValueError(doc, fileTypeKey, `Expecting VMX entry '${fileTypeKey}' to be 'device' or 'file' but found '${fileType}'`);
  }
  return { source, port };
}
