/**
 * Writes schema declarations back as text in the vi-generator grammar, with libvirt's
 * column layout. Used by the WSDL importer; `parseSchema(printSchema(x))` gives x back.
 */
import { typeRefText, type Decl, type MemberDecl, type ParamDecl } from "./ast.js";

const TYPE_COL = 41;
const NAME_COL = 31;

/** Pads to a column, always leaving at least one space. */
function col(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

/**
 * Comment lines printed above a declaration, member or parameter line. Comments are not part
 * of the AST (the parser drops them); a printer input may carry them as this extra property.
 */
export interface Commented {
  readonly comment?: readonly string[];
}

function commentLines(x: object, indent: string): string[] {
  if (!("comment" in x) || !Array.isArray(x.comment)) return [];
  return x.comment.filter((l): l is string => typeof l === "string").map((l) => (l === "" ? `${indent}#` : `${indent}# ${l}`));
}

function memberLines(m: MemberDecl | ParamDecl): string[] {
  return [...commentLines(m, "    "), memberLine(m)];
}

function memberLine(m: MemberDecl | ParamDecl): string {
  const name = "bind" in m && m.bind !== undefined ? `_this:${m.bind}` : m.name;
  return `    ${col(typeRefText(m.type), TYPE_COL)}${col(name, NAME_COL)}${m.occ}`;
}

export function printDecl(d: Decl): string {
  const lines: string[] = commentLines(d, "");
  switch (d.kind) {
    case "enum":
      lines.push(`enum ${d.name}`, ...d.values.map((v) => `    ${v}`));
      break;
    case "object": {
      const head = `${d.managed ? "managed object" : "object"} ${d.name}`;
      lines.push(d.base === undefined ? head : `${col(head, 37)}extends ${d.base}`);
      lines.push(...d.members.flatMap(memberLines));
      break;
    }
    case "method": {
      const head = `method ${d.name}`;
      const result = d.taskResult === undefined ? "" : ` result ${typeRefText(d.taskResult.type)} ${d.taskResult.occ}`;
      lines.push(
        d.returns === undefined
          ? head
          : `${col(head, 37)}returns ${col(typeRefText(d.returns.type), TYPE_COL - 10)}${d.returns.occ}${result}`,
      );
      lines.push(...d.params.flatMap(memberLines));
      break;
    }
  }
  lines.push("end");
  return lines.join("\n");
}

/** Prints declarations (with their `comment` lines, see Commented) separated by two blank lines, after an optional comment header. */
export function printSchema(decls: readonly Decl[], header?: readonly string[]): string {
  const head = header === undefined || header.length === 0 ? "" : header.map((l) => (l === "" ? "#" : `# ${l}`)).join("\n") + "\n\n\n";
  return head + decls.map(printDecl).join("\n\n\n") + "\n";
}
