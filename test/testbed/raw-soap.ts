/**
 * Raw SOAP over fetch for the test bed's own tests (they must not depend on the project's
 * SOAP client). Responses are read with small regular expressions: enough for vcsim's
 * compact, deterministic XML.
 */
import type { Simulator } from "../support/vcsim.js";

export interface SoapReply {
  readonly status: number;
  readonly text: string;
  /** The session cookie the server set, if any ("vmware_soap_session=..."). */
  readonly setCookie: string | undefined;
}

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function moref(tag: string, type: string, value: string): string {
  return `<${tag} type="${xmlEscape(type)}">${xmlEscape(value)}</${tag}>`;
}

/** Calls `method` with inner XML `params` (after _this). */
export async function call(
  sim: Simulator,
  method: string,
  thisType: string,
  thisValue: string,
  params = "",
  cookie?: string,
): Promise<SoapReply> {
  const body = `<${method} xmlns="urn:vim25">${moref("_this", thisType, thisValue)}${params}</${method}>`;
  const headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" };
  if (cookie !== undefined) headers["cookie"] = cookie;
  const res = await fetch(sim.url, { method: "POST", headers, body: envelope(body) });
  const set = res.headers.get("set-cookie");
  const session = set === null ? undefined : /vmware_soap_session=[^;]*/.exec(set)?.[0];
  return { status: res.status, text: await res.text(), setCookie: session };
}

/** Logs in and returns the session cookie. */
export async function login(sim: Simulator): Promise<string> {
  const r = await call(
    sim,
    "Login",
    "SessionManager",
    sim.model === "esx" ? "ha-sessionmgr" : "SessionManager",
    `<userName>${xmlEscape(sim.user)}</userName><password>${xmlEscape(sim.password)}</password>`,
  );
  if (r.status !== 200 || r.setCookie === undefined) throw new Error(`login failed: HTTP ${r.status}: ${r.text}`);
  return r.setCookie;
}

export function collector(sim: Simulator): string {
  return sim.model === "esx" ? "ha-property-collector" : "propertyCollector";
}

/** RetrievePropertiesEx of some properties of one object. */
export function retrieveOne(
  sim: Simulator,
  cookie: string | undefined,
  type: string,
  value: string,
  paths: readonly string[],
): Promise<SoapReply> {
  const spec =
    `<specSet><propSet><type>${type}</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join("")}</propSet>` +
    `<objectSet>${moref("obj", type, value)}</objectSet></specSet><options></options>`;
  return call(sim, "RetrievePropertiesEx", "PropertyCollector", collector(sim), spec, cookie);
}

/** The text of the first <tag>…</tag> in xml (decoded), or undefined. */
export function textOf(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml);
  return m?.[1] === undefined ? undefined : decode(m[1]);
}

/** Every text of <tag>…</tag> in xml (decoded). */
export function textsOf(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, "g"))].map((m) => decode(m[1] ?? ""));
}

/** The <val> of property `name` in a RetrievePropertiesEx answer (inner XML, undecoded). */
export function propVal(xml: string, name: string): string | undefined {
  const at = xml.indexOf(`<name>${name}</name>`);
  if (at < 0) return undefined;
  const m = /<val[^>]*>([\s\S]*?)<\/val><\/propSet>/.exec(xml.slice(at));
  return m?.[1];
}

/** The fault type of a SOAP fault answer (from the detail element's xsi:type). */
export function faultType(xml: string): string | undefined {
  return /<detail><\w+Fault xmlns="urn:vim25" xsi:type="(\w+)"/.exec(xml)?.[1];
}

export function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
