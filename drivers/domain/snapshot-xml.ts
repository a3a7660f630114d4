/**
 * libvirt's domain snapshot XML as the ESX driver reads and writes it: parsing a
 * <domainsnapshot> for snapshot-create (name, description, disk list; an unnamed snapshot
 * is named after the creation time in Unix seconds, as virDomainMomentDefPostParse does),
 * the document virsh's snapshot-create-as builds, and the document libvirt formats for a
 * snapshot (virDomainSnapshotDefFormat with name, description, state, parent, creation time
 * and the domain's UUID).
 */
import { escapeXml } from "../util/index.js";
import { stateOf, type DomainState } from "./identity.js";
import { DomainXmlError } from "../vmx/errors.js";
import { InvalidInputError } from "../../errors/esxvi-error.js";
import { childrenNamed, parseXmlTree, type XmlElement } from "../vmx/xml-tree.js";

/** What a <domainsnapshot> document asks for. */
export interface SnapshotDefinition {
  /** The name given, or the creation time in Unix seconds when none is given. */
  readonly name: string;
  readonly description: string | undefined;
  /** Elements under <disks> (libvirt's ESX driver rejects any). */
  readonly diskCount: number;
  /** The creation time libvirt assigns while parsing (Unix seconds). */
  readonly creationTime: number;
}

/** libvirt's XPath string(): undefined for a missing or empty element. */
function stringOf(root: XmlElement, name: string): string | undefined {
  const el = root.children.find((c) => c.name === name);
  return el === undefined || el.text === "" ? undefined : el.text;
}

/** Parses snapshot XML as virDomainSnapshotDefParseString (no redefine) does. */
export function parseSnapshotXml(xml: string, now: () => number = () => Math.floor(Date.now() / 1000)): SnapshotDefinition {
  const root = parseXmlTree(xml);
  if (root.name !== "domainsnapshot") {
    throw new DomainXmlError(`XML error: unexpected root element <${root.name}>, expecting <domainsnapshot>`);
  }
  const creationTime = now();
  const diskCount = childrenNamed(root, "disks").reduce((n, d) => n + d.children.length, 0);
  return {
    name: stringOf(root, "name") ?? String(creationTime),
    description: stringOf(root, "description"),
    diskCount,
    creationTime,
  };
}

/** vshStringToArray: items split at ",", where ",," stands for a comma within an item. */
function splitDiskspec(spec: string): string[] {
  const items: string[] = [];
  let item = "";
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === "," && spec[i + 1] === ",") {
      item += ",";
      i++;
    } else if (c === ",") {
      items.push(item);
      item = "";
    } else {
      item += c;
    }
  }
  items.push(item);
  return items;
}

/**
 * One --diskspec of virsh's snapshot-create-as (virshParseSnapshotDiskspec):
 * disk[,snapshot=type][,driver=type][,stype=file|block][,file=name], as a <disk> element.
 * Every value is escaped (virsh escapes the name and file only).
 */
export function diskspecXml(spec: string): string {
  const [name = "", ...rest] = splitDiskspec(spec);
  const values: Partial<Record<"snapshot" | "driver" | "stype" | "file", string>> = {};
  for (const item of rest) {
    const m = /^(snapshot|driver|stype|file)=(.*)$/s.exec(item);
    if (m === null || values[m[1] as keyof typeof values] !== undefined) throw new InvalidInputError(`Unable to parse diskspec: ${spec}`);
    values[m[1] as keyof typeof values] = m[2] ?? "";
  }
  if (values.stype !== undefined && values.stype !== "file" && values.stype !== "block")
    throw new InvalidInputError(`Unknown storage type: '${values.stype}'`);
  let out = `    <disk name='${escapeXml(name)}'`;
  if (values.snapshot !== undefined) out += ` snapshot='${escapeXml(values.snapshot)}'`;
  if (values.stype !== undefined) out += ` type='${values.stype}'`;
  if (values.driver === undefined && values.file === undefined) return `${out}/>\n`;
  out += ">\n";
  if (values.driver !== undefined) out += `      <driver type='${escapeXml(values.driver)}'/>\n`;
  if (values.file !== undefined) out += `      <source ${values.stype === "block" ? "dev" : "file"}='${escapeXml(values.file)}'/>\n`;
  return `${out}    </disk>\n`;
}

/** The document virsh's snapshot-create-as sends (and prints with --print-xml). */
export function snapshotCreateAsXml(name: string | undefined, description: string | undefined, diskspecs: readonly string[] = []): string {
  let out = "<domainsnapshot>\n";
  if (name !== undefined) out += `  <name>${escapeXml(name)}</name>\n`;
  if (description !== undefined) out += `  <description>${escapeXml(description)}</description>\n`;
  if (diskspecs.length > 0) out += `  <disks>\n${diskspecs.map(diskspecXml).join("")}  </disks>\n`;
  return `${out}</domainsnapshot>\n`;
}

/** libvirt's snapshot states (virDomainSnapshotState) the ESX driver produces. */
export type SnapshotState = "nostate" | "running" | "paused" | "shutoff";

/** virDomainSnapshotState names the same values as virDomainState, spelled without spaces. */
const SNAPSHOT_STATES: Readonly<Record<DomainState, SnapshotState>> = {
  running: "running",
  paused: "paused",
  "shut off": "shutoff",
  "no state": "nostate",
};

/** esxVI_VirtualMachinePowerState_ConvertToLibvirt, as a snapshot state. */
export function snapshotStateOf(powerState: string | undefined): SnapshotState {
  return SNAPSHOT_STATES[stateOf(powerState)];
}

export interface SnapshotXmlFields {
  readonly name: string;
  /** Written whenever the server gave one, even empty (libvirt copies the tree's string). */
  readonly description: string | undefined;
  readonly state: SnapshotState;
  readonly parent: string | undefined;
  /** Unix seconds; 0 is left out, as libvirt does. */
  readonly creationTime: number;
  readonly domainUuid: string;
}

/** virDomainSnapshotDefFormat's document for an ESX snapshot. */
export function formatSnapshotXml(s: SnapshotXmlFields): string {
  let out = "<domainsnapshot>\n";
  out += `  <name>${escapeXml(s.name)}</name>\n`;
  if (s.description !== undefined) out += `  <description>${escapeXml(s.description)}</description>\n`;
  if (s.state !== "nostate") out += `  <state>${s.state}</state>\n`;
  if (s.parent !== undefined) out += `  <parent>\n    <name>${escapeXml(s.parent)}</name>\n  </parent>\n`;
  if (s.creationTime !== 0) out += `  <creationTime>${s.creationTime}</creationTime>\n`;
  out += `  <domain>\n    <uuid>${s.domainUuid}</uuid>\n  </domain>\n`;
  return `${out}</domainsnapshot>\n`;
}
