/**
 * virsh dumpxml (libvirt's esxDomainGetXMLDesc): the VM's config.files.vmPathName, the .vmx
 * downloaded over the datastore HTTP path with the session cookie, converted with file
 * names mapped through the host's datastore mounts, the datacenter path and the VM's
 * moref in the vmware namespace, and the id when the domain is not powered off.
 */
import { Writable } from "node:stream";
import { downloadFile } from "../../runtime/datastore-files.js";
import { EsxviError, InternalError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import type { Connection } from "../connection/connection.js";
import { parseDatastorePath } from "../util/index.js";
import { formatDomainXml, parseVmx, vmxToDomain, type DomainDef } from "../vmx/index.js";
import { domainId, type DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";
import { connectionParseContext } from "./vmx-context.js";

export interface XmlDescOptions extends CallOptions {
  /** virsh --inactive: no id. */
  readonly inactive?: boolean;
  /** virsh --security-info: keep passwords (VNC) in the XML. */
  readonly secure?: boolean;
}

export interface XmlDesc {
  readonly identity: DomainIdentity;
  readonly xml: string;
}

/** A datastore file's bytes (a .vmx is small; its .encoding decides how to read it). */
export async function downloadBytes(conn: Connection, datastore: string, path: string, options: CallOptions = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await downloadFile(conn.primary, { datastore, path, datacenterPath: conn.inventory.datacenter.path }, sink, pickCallOptions(options));
  return Buffer.concat(chunks);
}

/** The folder a .vmx is in, as esxParseVMXFileName's base: "[ds] dir", or "[ds]" for the datastore's root. */
export function vmxFolderOf(vmPathName: string): { datastore: string; path: string; folder: string } {
  const p = parseDatastorePath(vmPathName);
  const hasDirectory = p.directory !== p.directoryAndFile;
  return {
    datastore: p.datastore,
    path: p.directoryAndFile,
    folder: hasDirectory ? `[${p.datastore}] ${p.directory}` : `[${p.datastore}]`,
  };
}

/** `<domain type='…'` gets libvirt's id attribute, which the converter's model has no place for. */
function withId(xml: string, id: number): string {
  return xml.replace(/^<domain type='([^']*)'/, (_m, type: string) => `<domain type='${type}' id='${id}'`);
}

/** Drops what libvirt shows only with VIR_DOMAIN_XML_SECURE (the VNC password). */
export function withoutSecrets(def: DomainDef): DomainDef {
  return {
    ...def,
    graphics: def.graphics.map((g) => {
      const { passwd: _hidden, ...rest } = g;
      return rest;
    }),
  };
}

export interface DomainDefinition {
  readonly identity: DomainIdentity;
  /** The VM's config.files.vmPathName. */
  readonly vmPathName: string;
  /** The .vmx converted (VNC password included: callers that print it drop it). */
  readonly def: DomainDef;
}

/** What domainDefinition (dumpxml, domblklist, domiflist) reads from the handle. */
export const DOMAIN_XML_PATHS = ["config.files.vmPathName"] as const;

/** The domain definition dumpxml prints: the VM's .vmx downloaded and converted. */
export async function domainDefinition(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainDefinition> {
  const call = pickCallOptions(options);
  const d = await withDomainData(conn, domain, DOMAIN_XML_PATHS, call);
  const vmPathName = d.props["config.files.vmPathName"];
  if (typeof vmPathName !== "string" || vmPathName === "") {
    throw new InternalError(`Domain '${d.identity.name}' has no configuration file (config.files.vmPathName)`);
  }
  const where = vmxFolderOf(vmPathName);
  const bytes = await downloadBytes(conn, where.datastore, where.path, call);
  const convert = <T>(step: () => T): T => {
    try {
      return step();
    } catch (e) {
      throw new EsxviError(
        e instanceof EsxviError ? e.code : "VMX_ERROR",
        `Could not convert ${vmPathName} of domain '${d.identity.name}'`,
        { cause: e },
      );
    }
  };
  const doc = convert(() => parseVmx(bytes));
  const ctx = await connectionParseContext(
    conn,
    doc,
    where.folder,
    { datacenterPath: conn.inventory.datacenter.path, moref: d.identity.ref.value },
    call,
  );
  return { identity: d.identity, vmPathName, def: convert(() => vmxToDomain(doc, ctx)) };
}

export async function domainXmlDesc(conn: Connection, domain: DomainHandle, options: XmlDescOptions = {}): Promise<XmlDesc> {
  const { identity, def } = await domainDefinition(conn, domain, pickCallOptions(options));
  const xml = formatDomainXml(options.secure === true ? def : withoutSecrets(def));
  const id = options.inactive === true ? undefined : domainId(identity);
  return { identity, xml: id === undefined ? xml : withId(xml, id) };
}
