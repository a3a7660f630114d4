/**
 * libvirt's ESX connection URIs:
 *   {esx|gsx|vpx}://[<user>@]<host>[:<port>]/[<path>][?<param>=<value>&...]
 * with libvirt's query parameters (transport, vcenter, no_verify, auto_answer, proxy) and
 * defaults, plus esxvi's TLS parameters thumbprint=<SHA-1|SHA-256> and cafile=<PEM file>.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { parseProxy, type ProxySpec } from "../../runtime/http/proxy.js";
import { parseThumbprint } from "../../runtime/http/tls.js";

export type Scheme = "esx" | "gsx" | "vpx";

export interface ConnectionUri {
  readonly scheme: Scheme;
  readonly user: string | undefined;
  readonly host: string;
  readonly port: number;
  /** vpx: the inventory path segments (datacenter folders, compute resource, host). */
  readonly path: readonly string[];
  /** The path as libvirt quotes it in errors: unescaped, with its leading slash ("/dc1/cluster1/host1"). */
  readonly pathText: string;
  readonly transport: "https" | "http";
  /** esx/gsx: also connect to this vCenter ("*": the host's managing vCenter). */
  readonly vcenter: string | undefined;
  readonly noVerify: boolean;
  readonly autoAnswer: boolean;
  readonly proxy: ProxySpec | undefined;
  readonly thumbprint: string | undefined;
  readonly cafile: string | undefined;
  /** Problems libvirt only warns about (unknown parameters, an ignored path). */
  readonly warnings: readonly string[];
  /** The URI as given, with the port libvirt would fill in. */
  readonly text: string;
}

const SCHEMES: readonly Scheme[] = ["esx", "gsx", "vpx"];

/** libvirt's default ports: esx/vpx 443 (https) or 80 (http); gsx 8333 or 8222. */
export function defaultPort(scheme: Scheme, transport: "https" | "http"): number {
  if (scheme === "gsx") return transport === "https" ? 8333 : 8222;
  return transport === "https" ? 443 : 80;
}

function bool01(name: string, value: string): boolean {
  if (!/^\s*[+-]?\d+$/.test(value))
    throw new InvalidInputError(`Query parameter '${name}' has unexpected value '${value}' (should be 0 or 1)`);
  const n = Number(value);
  if (n !== 0 && n !== 1) throw new InvalidInputError(`Query parameter '${name}' has unexpected value '${value}' (should be 0 or 1)`);
  return n === 1;
}

/** Percent-decoding that reports a bad escape as a clear error instead of a URIError. */
function unescape(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidInputError(`${what} '${text}' contains an invalid %-escape`);
  }
}

/**
 * Parses a libvirt ESX URI (esxUtil_ParseUri plus esxConnectOpen's checks): scheme esx, gsx
 * or vpx (any case; "esx+ssh" is refused as libvirt refuses transports), a server part, the
 * default port of the scheme and transport when none (or 0) is given, the vpx path, and the
 * query parameters (names in any case; a repeated one overrides the earlier; unknown ones
 * are ignored with a warning).
 */
export function parseConnectionUri(text: string): ConnectionUri {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(text.trim());
  if (m === null) throw new InvalidInputError(`'${text}' is not a URI of the form {esx|gsx|vpx}://[user@]host[:port]/[path][?params]`);
  const schemeFull = m[1] ?? "";
  const plus = schemeFull.indexOf("+");
  const schemeText = (plus < 0 ? schemeFull : schemeFull.slice(0, plus)).toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(schemeText)) {
    throw new InvalidInputError(
      `URI scheme '${schemeFull}' is not supported: use esx:// (ESX/ESXi host), gsx:// (VMware Server) or vpx:// (vCenter)`,
    );
  }
  if (plus >= 0)
    throw new InvalidInputError(
      `Transport '${schemeFull.slice(plus + 1)}' in URI scheme is not supported, try again without the transport part`,
    );
  const scheme = schemeText as Scheme;
  const authority = m[2] ?? "";
  const at = authority.lastIndexOf("@");
  const userPart = at >= 0 ? authority.slice(0, at) : undefined;
  if (userPart !== undefined && userPart.includes(":")) {
    throw new InvalidInputError("passwords are not accepted in the URI; use ESXVI_PASSWORD, an auth file or the prompt");
  }
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const hp = /^(\[[^\]]+\]|[^:[\]]*)(?::(\d*))?$/.exec(hostPort);
  if (hp === null) throw new InvalidInputError(`URI '${text}' has an invalid server part '${hostPort}'`);
  const host = (hp[1] ?? "").replace(/^\[|\]$/g, "");
  if (host === "") throw new InvalidInputError("URI is missing the server part");

  let transport: "https" | "http" = "https";
  let vcenter: string | undefined;
  let noVerify = false;
  let autoAnswer = false;
  let proxy: ProxySpec | undefined;
  let thumbprint: string | undefined;
  let cafile: string | undefined;
  const warnings: string[] = [];
  for (const pair of (m[4] ?? "").split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = unescape((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "), "Query parameter");
    const value = eq < 0 ? "" : unescape(pair.slice(eq + 1).replace(/\+/g, " "), `Query parameter '${name}' value`);
    switch (name.toLowerCase()) {
      case "transport":
        if (value !== "http" && value !== "https")
          throw new InvalidInputError(`Query parameter 'transport' has unexpected value '${value}' (should be http|https)`);
        transport = value;
        break;
      case "vcenter":
        if (value === "") throw new InvalidInputError("Query parameter 'vcenter' needs a host name or '*'");
        vcenter = value;
        break;
      case "no_verify":
        noVerify = bool01("no_verify", value);
        break;
      case "auto_answer":
        autoAnswer = bool01("auto_answer", value);
        break;
      case "proxy":
        proxy = parseProxy(value);
        break;
      case "thumbprint":
        thumbprint = parseThumbprint(value).value;
        break;
      case "cafile":
        if (value === "") throw new InvalidInputError("Query parameter 'cafile' needs a file name");
        cafile = value;
        break;
      default:
        warnings.push(`Ignoring unexpected query parameter '${name}'`);
    }
  }
  const portText = hp[2];
  let port = portText === undefined || portText === "" ? 0 : Number(portText);
  if (!(port >= 0 && port < 65536)) throw new InvalidInputError(`port ${portText ?? ""} in '${text}' is out of range`);
  if (port === 0) port = defaultPort(scheme, transport);
  const rawPath = m[3] ?? "";
  const pathText = unescape(rawPath, "URI path");
  const path = rawPath
    .split("/")
    .filter((s) => s !== "")
    .map((s) => unescape(s, "URI path item"));
  if (scheme === "vpx" && path.length === 0) throw new InvalidInputError("Path has to specify the datacenter and compute resource");
  if (scheme !== "vpx" && rawPath !== "" && rawPath !== "/")
    warnings.push(`Ignoring unexpected path '${pathText}' for non-vpx scheme '${scheme}'`);
  if (scheme === "vpx" && vcenter !== undefined) warnings.push("Ignoring the vcenter parameter: a vpx:// URI already names a vCenter");
  const userText = userPart === undefined ? undefined : unescape(userPart, "URI user");
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const query = m[4] === undefined || m[4] === "" ? "" : `?${m[4]}`;
  const canonical = `${scheme}://${userText === undefined ? "" : `${encodeURIComponent(userText)}@`}${shownHost}:${port}/${path.map(encodeURIComponent).join("/")}${query}`;
  return {
    scheme,
    user: userText,
    host,
    port,
    path: scheme === "vpx" ? path : [],
    pathText,
    transport,
    vcenter: scheme === "vpx" ? undefined : vcenter,
    noVerify,
    autoAnswer,
    proxy,
    thumbprint,
    cafile,
    warnings,
    text: canonical,
  };
}

/** The default user name libvirt asks for: root for hosts, administrator@vsphere.local for vCenter. */
export function defaultUser(scheme: Scheme): string {
  return scheme === "vpx" ? "administrator@vsphere.local" : "root";
}
