/**
 * Turns the documents of a WSDL into the typed WsdlModel: named complex and simple types,
 * top-level elements, and portType operations with their messages resolved. Every construct
 * outside the modelled subset is recorded as a problem on the definition that uses it.
 */
import { MOREF } from "../schema/predefined.js";
import type { ImportProblem } from "./errors.js";
import type { XmlDocument } from "./wsdl-read.js";
import { resolveQName, WSDL_NS, XSD_NS, type QName, type XNode } from "./xml-tree.js";
import type { ComplexTypeDef, ElementDef, EnumTypeDef, FaultRef, OperationDef, TopElementDef, TypeDef, WsdlModel } from "./xsd-model.js";

/** Attributes of a member `xsd:element` that the importer understands (`nillable` only concerns xsi:nil). */
const ELEMENT_ATTRS = new Set(["name", "type", "minOccurs", "maxOccurs", "nillable", "form"]);
const TOP_ELEMENT_ATTRS = new Set(["name", "type", "nillable"]);
const COMPLEX_ATTRS = new Set(["name", "abstract"]);
/** The children of a complexType that define its content model (at most one is allowed). */
const CONTENT_MODELS = new Set(["sequence", "complexContent", "simpleContent", "choice", "all", "group"]);

/** How a construct is named in messages: `xsd:choice`, `wsdl:part`. */
function tag(n: XNode): string {
  if (n.ns === XSD_NS) return `xsd:${n.local}`;
  if (n.ns === WSDL_NS) return `wsdl:${n.local}`;
  return n.ns === "" ? `<${n.local}>` : `<{${n.ns}}${n.local}>`;
}

function isXsd(n: XNode, local: string): boolean {
  return n.ns === XSD_NS && n.local === local;
}

/** Children other than annotations (documentation is not modelled and carries no data). */
function content(n: XNode): XNode[] {
  return n.children.filter((c) => !isXsd(c, "annotation") && !(c.ns === WSDL_NS && c.local === "documentation"));
}

function problem(where: string, construct: string, detail?: string): ImportProblem {
  return detail === undefined ? { where, construct } : { where, construct, detail };
}

function parseOccurs(raw: string | undefined, what: string, where: string, problems: ImportProblem[]): number {
  if (raw === undefined) return 1;
  if (what === "maxOccurs" && raw === "unbounded") return Infinity;
  if (/^\d+$/.test(raw)) return Number(raw);
  problems.push(problem(where, `${what}="${raw}"`, "not a number"));
  return 1;
}

class Builder {
  readonly types = new Map<string, TypeDef>();
  readonly elements = new Map<string, TopElementDef>();
  readonly messages = new Map<string, { element?: QName; problems: ImportProblem[] }>();
  readonly portOps: { node: XNode; doc: string }[] = [];
  readonly problems: ImportProblem[] = [];
  apiVersion: string | undefined;

  qname(n: XNode, value: string, doc: string): QName {
    return resolveQName(n, value, doc);
  }

  addType(t: TypeDef): void {
    const prev = this.types.get(t.name);
    if (prev === undefined) {
      this.types.set(t.name, t);
      return;
    }
    const clash = problem(
      `type ${t.name}`,
      "a second definition",
      `defined in ${prev.document}${prev.ns === t.ns ? "" : ` (namespace ${prev.ns})`} and in ${t.document}${prev.ns === t.ns ? "" : ` (namespace ${t.ns})`}`,
    );
    this.types.set(t.name, { ...prev, problems: [...prev.problems, clash] });
  }

  schema(s: XNode, doc: string): void {
    const tns = s.attrs.get("targetNamespace") ?? "";
    for (const c of content(s)) {
      if (c.ns !== XSD_NS) {
        this.problems.push(problem(`schema in ${doc}`, tag(c)));
        continue;
      }
      switch (c.local) {
        case "include":
        case "import":
          break;
        case "complexType": {
          const name = c.attrs.get("name");
          if (name === undefined) this.problems.push(problem(`schema in ${doc}`, "xsd:complexType without a name"));
          else this.addType(this.complex(c, name, tns, doc, `type ${name}`));
          break;
        }
        case "simpleType": {
          const name = c.attrs.get("name");
          if (name === undefined) this.problems.push(problem(`schema in ${doc}`, "xsd:simpleType without a name"));
          else this.addType(this.simple(c, name, tns, doc));
          break;
        }
        case "element":
          this.topElement(c, tns, doc);
          break;
        // Definitions that only matter where they are used (by `ref`), and such a use stops the import.
        case "group":
        case "attributeGroup":
        case "attribute":
        case "notation":
          break;
        default:
          this.problems.push(problem(`schema in ${doc}`, tag(c)));
      }
    }
  }

  complex(n: XNode, name: string, tns: string, doc: string, where: string): ComplexTypeDef {
    const problems: ImportProblem[] = [];
    for (const [k, v] of n.attrs) {
      if (COMPLEX_ATTRS.has(k) || (k === "mixed" && v === "false")) continue;
      problems.push(problem(where, `attribute ${k}="${v}" on xsd:complexType`));
    }
    let base: QName | undefined;
    let elements: ElementDef[] = [];
    let moRef = false;
    const parts = content(n);
    const models = parts.filter((c) => c.ns === XSD_NS && CONTENT_MODELS.has(c.local));
    if (models.length > 1)
      problems.push(problem(where, `${models.map(tag).join(" + ")}`, "expected one xsd:sequence or xsd:complexContent"));
    for (const c of parts) {
      if (isXsd(c, "sequence")) {
        elements = this.sequence(c, doc, where, problems);
      } else if (isXsd(c, "complexContent")) {
        for (const [k, v] of c.attrs)
          if (!(k === "mixed" && v === "false")) problems.push(problem(where, `attribute ${k}="${v}" on xsd:complexContent`));
        const inner = content(c);
        for (const e of inner) {
          if (!isXsd(e, "extension")) {
            problems.push(problem(where, `xsd:complexContent/${tag(e)}`));
            continue;
          }
          const b = e.attrs.get("base");
          if (b === undefined) problems.push(problem(where, "xsd:extension without a base"));
          else base = this.qname(e, b, doc);
          for (const x of content(e)) {
            if (isXsd(x, "sequence")) elements = this.sequence(x, doc, where, problems);
            else problems.push(problem(where, `${tag(x)} in xsd:extension`));
          }
        }
      } else if (isXsd(c, "simpleContent")) {
        if (name === MOREF && isMoRefContent(c)) moRef = true;
        else problems.push(problem(where, "xsd:simpleContent", "only ManagedObjectReference may have simple content"));
      } else {
        const what = c.attrs.get("name") ?? c.attrs.get("ref");
        problems.push(problem(where, what === undefined ? tag(c) : `${tag(c)} '${what}'`));
      }
    }
    return { kind: "complex", name, ns: tns, ...(base !== undefined ? { base } : {}), elements, moRef, problems, document: doc };
  }

  sequence(seq: XNode, doc: string, where: string, problems: ImportProblem[]): ElementDef[] {
    for (const [k, v] of seq.attrs)
      if (!((k === "minOccurs" || k === "maxOccurs") && v === "1")) problems.push(problem(where, `attribute ${k}="${v}" on xsd:sequence`));
    const out: ElementDef[] = [];
    for (const c of content(seq)) {
      if (!isXsd(c, "element")) {
        const what = c.attrs.get("name") ?? c.attrs.get("ref");
        problems.push(problem(where, what === undefined ? tag(c) : `${tag(c)} '${what}'`));
        continue;
      }
      const name = c.attrs.get("name");
      if (name === undefined) {
        const ref = c.attrs.get("ref");
        problems.push(problem(where, ref === undefined ? "xsd:element without a name" : `xsd:element ref="${ref}"`));
        continue;
      }
      const mwhere = `${where} member ${name}`;
      for (const [k, v] of c.attrs) if (!ELEMENT_ATTRS.has(k)) problems.push(problem(mwhere, `attribute ${k}="${v}" on xsd:element`));
      const t = c.attrs.get("type");
      const inline = content(c);
      if (inline.length > 0) {
        problems.push(problem(mwhere, `anonymous ${inline.map(tag).join(" + ")}`, "member types must be named"));
        continue;
      }
      // An element without a type is of xsd:anyType (XML Schema §3.3.2).
      const type = t === undefined ? { ns: XSD_NS, local: "anyType" } : this.qname(c, t, doc);
      const minOccurs = parseOccurs(c.attrs.get("minOccurs"), "minOccurs", mwhere, problems);
      const maxOccurs = parseOccurs(c.attrs.get("maxOccurs"), "maxOccurs", mwhere, problems);
      if (maxOccurs === 0) problems.push(problem(mwhere, 'maxOccurs="0"', "a prohibited member cannot be written"));
      else if (maxOccurs < minOccurs)
        problems.push(problem(mwhere, `minOccurs=${minOccurs} maxOccurs=${maxOccurs}`, "maxOccurs is smaller than minOccurs"));
      out.push({ name, type, minOccurs, maxOccurs });
    }
    return out;
  }

  simple(n: XNode, name: string, tns: string, doc: string): EnumTypeDef {
    const where = `type ${name}`;
    const problems: ImportProblem[] = [];
    const values: string[] = [];
    for (const [k, v] of n.attrs) if (k !== "name") problems.push(problem(where, `attribute ${k}="${v}" on xsd:simpleType`));
    const parts = content(n);
    for (const r of parts) {
      if (!isXsd(r, "restriction")) {
        problems.push(problem(where, tag(r), "only enumerations of xsd:string are modelled"));
        continue;
      }
      const b = r.attrs.get("base");
      const base = b === undefined ? undefined : this.qname(r, b, doc);
      if (base === undefined || base.ns !== XSD_NS || base.local !== "string") {
        problems.push(problem(where, `xsd:restriction of ${b ?? "(no base)"}`, "only enumerations of xsd:string are modelled"));
      }
      for (const f of content(r)) {
        const v = f.attrs.get("value");
        if (!isXsd(f, "enumeration") || v === undefined) {
          problems.push(problem(where, `${tag(f)} facet`));
        } else if (!/^[^\s#]+$/.test(v)) {
          problems.push(problem(where, `enumeration value '${v}'`, "an enum value must be one token without '#'"));
        } else {
          values.push(v);
        }
      }
    }
    if (values.length === 0 && problems.length === 0)
      problems.push(problem(where, "xsd:simpleType without xsd:enumeration", "only enumerations are modelled"));
    return { kind: "enum", name, ns: tns, values, problems, document: doc };
  }

  topElement(n: XNode, tns: string, doc: string): void {
    const name = n.attrs.get("name");
    if (name === undefined) {
      this.problems.push(problem(`schema in ${doc}`, "top-level xsd:element without a name"));
      return;
    }
    const where = `element ${name}`;
    const problems: ImportProblem[] = [];
    for (const [k, v] of n.attrs) if (!TOP_ELEMENT_ATTRS.has(k)) problems.push(problem(where, `attribute ${k}="${v}" on xsd:element`));
    const t = n.attrs.get("type");
    let inline: ComplexTypeDef | undefined;
    for (const c of content(n)) {
      if (isXsd(c, "complexType") && inline === undefined) inline = this.complex(c, name, tns, doc, where);
      else problems.push(problem(where, `anonymous ${tag(c)}`));
    }
    const type = t === undefined ? undefined : this.qname(n, t, doc);
    this.elements.set(name, {
      name,
      ns: tns,
      ...(type !== undefined ? { type } : {}),
      ...(inline !== undefined ? { inline } : {}),
      problems,
    });
  }

  definitions(d: XNode, doc: string): void {
    for (const c of d.children) {
      if (c.ns !== WSDL_NS) continue;
      if (c.local === "types") {
        for (const s of c.children) if (isXsd(s, "schema")) this.schema(s, doc);
      } else if (c.local === "message") {
        this.message(c, doc);
      } else if (c.local === "portType") {
        for (const op of c.children) if (op.ns === WSDL_NS && op.local === "operation") this.portOps.push({ node: op, doc });
      } else if (c.local === "binding" && this.apiVersion === undefined) {
        this.apiVersion = findSoapActionVersion(c);
      }
    }
  }

  message(m: XNode, doc: string): void {
    const name = m.attrs.get("name") ?? "";
    const problems: ImportProblem[] = [];
    const parts = m.children.filter((c) => c.ns === WSDL_NS && c.local === "part");
    let element: QName | undefined;
    if (parts.length !== 1)
      problems.push(problem(`message ${name}`, `${parts.length} wsdl:part elements`, "expected one (document/literal)"));
    const part = parts[0];
    if (part !== undefined) {
      const e = part.attrs.get("element");
      if (e !== undefined) element = this.qname(part, e, doc);
      else problems.push(problem(`message ${name}`, "wsdl:part with type=", "rpc-style messages are not modelled"));
    }
    this.messages.set(name, { ...(element !== undefined ? { element } : {}), problems });
  }

  operation(op: XNode, doc: string): OperationDef {
    const name = op.attrs.get("name") ?? "";
    const where = `operation ${name}`;
    const problems: ImportProblem[] = [];
    const resolveMsg = (n: XNode): QName | undefined => {
      const m = n.attrs.get("message");
      if (m === undefined) {
        problems.push(problem(where, `${tag(n)} without a message`));
        return undefined;
      }
      const q = this.qname(n, m, doc);
      const msg = this.messages.get(q.local);
      if (msg === undefined) {
        problems.push(problem(where, `message '${m}'`, "not defined"));
        return undefined;
      }
      problems.push(...msg.problems.map((p) => ({ ...p, where: `${where} ${p.where}` })));
      return msg.element;
    };
    let input: QName | undefined;
    let output: QName | undefined;
    const faults: FaultRef[] = [];
    for (const c of op.children) {
      if (c.ns !== WSDL_NS) continue;
      if (c.local === "input") input = resolveMsg(c);
      else if (c.local === "output") output = resolveMsg(c);
      else if (c.local === "fault") {
        const e = resolveMsg(c);
        if (e !== undefined) faults.push({ name: c.attrs.get("name") ?? e.local, element: e });
      } else if (c.local !== "documentation") problems.push(problem(where, tag(c)));
    }
    if (input === undefined && problems.length === 0) problems.push(problem(where, "operation without wsdl:input"));
    return { name, ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}), faults, problems };
  }
}

function isMoRefContent(sc: XNode): boolean {
  const ext = content(sc);
  const e = ext[0];
  if (ext.length !== 1 || e === undefined || !isXsd(e, "extension")) return false;
  const base = e.attrs.get("base");
  const q = base === undefined ? undefined : resolveQName(e, base, "");
  if (q === undefined || q.ns !== XSD_NS || q.local !== "string") return false;
  const attrs = content(e);
  const a = attrs[0];
  return attrs.length === 1 && a !== undefined && isXsd(a, "attribute") && a.attrs.get("name") === "type";
}

function findSoapActionVersion(n: XNode): string | undefined {
  const action = n.attrs.get("soapAction");
  if (action !== undefined) {
    const m = /\/([0-9][0-9A-Za-z.]*)$/.exec(action);
    if (m?.[1] !== undefined) return m[1];
  }
  for (const c of n.children) {
    const v = findSoapActionVersion(c);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Builds the model from the documents read by readWsdlDocuments. */
export function buildWsdlModel(source: string, docs: readonly XmlDocument[]): WsdlModel {
  const b = new Builder();
  for (const { location, root } of docs) {
    if (isXsd(root, "schema")) b.schema(root, location);
    else if (root.ns === WSDL_NS && root.local === "definitions") b.definitions(root, location);
    else b.problems.push(problem(`document ${location}`, `root element ${tag(root)}`, "expected wsdl:definitions or xsd:schema"));
  }
  const operations = new Map<string, OperationDef>();
  for (const { node, doc } of b.portOps) {
    const op = b.operation(node, doc);
    const prev = operations.get(op.name);
    if (prev !== undefined)
      operations.set(op.name, {
        ...prev,
        problems: [
          ...prev.problems,
          problem(`operation ${op.name}`, "a second wsdl:operation of that name", "overloaded operations are not modelled"),
        ],
      });
    else operations.set(op.name, op);
  }
  return {
    source,
    documents: docs.map((d) => d.location),
    ...(b.apiVersion !== undefined ? { apiVersion: b.apiVersion } : {}),
    types: b.types,
    elements: b.elements,
    operations,
    problems: b.problems,
  };
}
