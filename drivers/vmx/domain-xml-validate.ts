/**
 * Domain XML validation against what the VMX converter understands (define --validate):
 * libvirt validates against its RNG schema; esxvi has no schema, so the converter itself is
 * the schema. The document is parsed as for a definition while every element and attribute
 * the parser reads is recorded; an element or attribute it never read is one the VMX cannot
 * carry, and is reported as libxml2's RelaxNG validation reports an extra element or an
 * invalid attribute ("XML document failed to validate against schema: …"), naming it and
 * its parent, in document order. Semantic errors of the parse itself (a bad value) come out
 * as the parser's own errors.
 */
import { DomainXmlError } from "./errors.js";
import { parseDomainTree } from "./domain-xml-parse.js";
import { parseXmlTree, type XmlElement } from "./xml-tree.js";

/** What the parser read of one element. */
interface Reads {
  readonly attrs: Set<string>;
  allAttrs: boolean;
  readonly children: Set<XmlElement>;
}

/** The schema the messages name (libvirt names its domain.rng file). */
export const DOMAIN_SCHEMA_NAME = "the VMX converter's domain XML";

export class DomainXmlSchemaError extends DomainXmlError {
  /** The offending element's or attribute's path, e.g. "/domain/devices/disk/@foo". */
  readonly path: string;

  constructor(detail: string, path: string) {
    super(`XML document failed to validate against schema: Unable to validate doc against ${DOMAIN_SCHEMA_NAME}\n${detail}`);
    this.path = path;
  }
}

/**
 * What the converter writes but has no use for when reading: the datacenter path of the ESX
 * driver's namespace (taken from the connection) and a running domain's id. Valid, not read.
 */
const WRITTEN_NOT_READ = new Set(["/domain/vmware:datacenterpath", "/domain/@id"]);

const ARRAY_READS_ALL = new Set<PropertyKey>([Symbol.iterator, "forEach", "map", "some", "every", "reduce", "slice", "entries", "values"]);

/** A view of `el` (and, lazily, its descendants) that records into `reads` what is read. */
function watch(el: XmlElement, reads: Map<XmlElement, Reads>): XmlElement {
  const r: Reads = { attrs: new Set(), allAttrs: false, children: new Set() };
  reads.set(el, r);
  const views = new Map<XmlElement, XmlElement>();
  const viewOf = (c: XmlElement): XmlElement => {
    let v = views.get(c);
    if (v === undefined) {
      v = watch(c, reads);
      views.set(c, v);
    }
    return v;
  };
  const viewToChild = new Map<unknown, XmlElement>();
  const childViews = el.children.map((c) => {
    const v = viewOf(c);
    viewToChild.set(v, c);
    return v;
  });
  const mark = (found: unknown): void => {
    const items = Array.isArray(found) ? found : [found];
    for (const v of items) {
      const c = viewToChild.get(v);
      if (c !== undefined) r.children.add(c);
    }
  };
  const children = new Proxy(childViews, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key === "find" || key === "filter") {
        return (...args: unknown[]) => {
          const found: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          mark(found);
          return found;
        };
      }
      // Any other walk over the children reads them all.
      if (ARRAY_READS_ALL.has(key) || (typeof key === "string" && /^\d+$/.test(key))) {
        for (const c of el.children) r.children.add(c);
      }
      return value;
    },
  });
  const attrs = new Proxy(el.attrs, {
    get(target, key, receiver) {
      if (typeof key === "string") r.attrs.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    ownKeys(target) {
      r.allAttrs = true;
      return Reflect.ownKeys(target);
    },
  });
  return { name: el.name, text: el.text, attrs, children };
}

/** The first element or attribute (document order) the parser did not read, under a read element. */
function firstUnread(el: XmlElement, reads: Map<XmlElement, Reads>, path: string): DomainXmlSchemaError | undefined {
  const r = reads.get(el);
  if (r === undefined) return undefined;
  if (!r.allAttrs) {
    for (const name of Object.keys(el.attrs)) {
      // Namespace declarations are no attributes to a schema.
      if (name === "xmlns" || name.startsWith("xmlns:") || WRITTEN_NOT_READ.has(`${path}/@${name}`)) continue;
      if (!r.attrs.has(name)) return new DomainXmlSchemaError(`Invalid attribute ${name} for element ${el.name}`, `${path}/@${name}`);
    }
  }
  for (const c of el.children) {
    if (WRITTEN_NOT_READ.has(`${path}/${c.name}`)) continue;
    if (!r.children.has(c)) {
      return new DomainXmlSchemaError(
        `Extra element ${c.name} in interleave\nElement ${el.name} failed to validate content`,
        `${path}/${c.name}`,
      );
    }
    const inner = firstUnread(c, reads, `${path}/${c.name}`);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * Validates domain XML: throws DomainXmlSchemaError naming the first element or attribute
 * the VMX converter does not read, or the parser's own DomainXmlError.
 */
export function validateDomainXml(xml: string): void {
  const root = parseXmlTree(xml);
  const reads = new Map<XmlElement, Reads>();
  parseDomainTree(watch(root, reads));
  const unread = firstUnread(root, reads, `/${root.name}`);
  if (unread !== undefined) throw unread;
}
