/**
 * Parser for the vi-generator grammar: a line-based text of `enum`, `[managed] object`
 * and `method` blocks, each closed by `end`. Collects every syntax error with its
 * `file:line` instead of stopping at the first.
 */
import {
  OCCURRENCES,
  type Decl,
  type EnumDecl,
  type MemberDecl,
  type MethodDecl,
  type ObjectDecl,
  type Occurrence,
  type ParamDecl,
  type ReturnDecl,
  type SchemaFile,
  type SourceLoc,
  type TypeRef,
} from "./ast.js";
import { SchemaError, type SchemaProblem } from "./schema-error.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface OpenBlock {
  readonly kind: "enum" | "object" | "method";
  readonly header: string[];
  readonly managed: boolean;
  readonly loc: SourceLoc;
  readonly lines: { tokens: string[]; loc: SourceLoc }[];
}

/** Parses one schema text. Throws a SchemaError listing every problem found. */
export function parseSchema(text: string, file: string): SchemaFile {
  const problems: SchemaProblem[] = [];
  const decls: Decl[] = [];
  let open: OpenBlock | undefined;
  const report = (loc: SourceLoc, message: string): void => {
    problems.push({ loc, message });
  };

  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const loc: SourceLoc = { file, line: i + 1 };
    const raw = lines[i] ?? "";
    const hash = raw.indexOf("#");
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (content === "") continue;
    const tokens = content.split(/\s+/);
    const first = tokens[0] ?? "";
    const startsBlock = first === "enum" || first === "object" || first === "method" || (first === "managed" && tokens[1] === "object");

    if (open === undefined) {
      if (first === "end") {
        report(loc, "'end' without an open block");
      } else if (startsBlock) {
        open = openBlock(tokens, loc);
      } else {
        report(loc, `expected 'enum', 'object', 'managed object' or 'method', found '${first}'`);
      }
      continue;
    }
    if (first === "end") {
      if (tokens.length !== 1) report(loc, "'end' takes no arguments");
      const decl = closeBlock(open, report);
      if (decl !== undefined) decls.push(decl);
      open = undefined;
      continue;
    }
    if (
      startsBlock &&
      tokens.length <= 5 &&
      !(open.kind !== "enum" && tokens.length === 3 && OCCURRENCES.includes(tokens[2] as Occurrence))
    ) {
      report(
        loc,
        `nested block: '${content}' inside ${open.kind} ${open.header[0] ?? ""} opened at line ${open.loc.line} (missing 'end'?)`,
      );
      const decl = closeBlock(open, report);
      if (decl !== undefined) decls.push(decl);
      open = openBlock(tokens, loc);
      continue;
    }
    open.lines.push({ tokens, loc });
  }
  if (open !== undefined) {
    report(open.loc, `${open.kind} ${open.header[0] ?? ""} is not closed by 'end'`);
    const decl = closeBlock(open, report);
    if (decl !== undefined) decls.push(decl);
  }
  if (problems.length > 0) throw new SchemaError(problems);
  return { file, decls };
}

function openBlock(tokens: string[], loc: SourceLoc): OpenBlock {
  const managed = tokens[0] === "managed";
  const rest = managed ? tokens.slice(2) : tokens.slice(1);
  const kind = (managed ? "object" : tokens[0]) as OpenBlock["kind"];
  return { kind, header: rest, managed, loc, lines: [] };
}

type Report = (loc: SourceLoc, message: string) => void;

function closeBlock(block: OpenBlock, report: Report): Decl | undefined {
  switch (block.kind) {
    case "enum":
      return closeEnum(block, report);
    case "object":
      return closeObject(block, report);
    case "method":
      return closeMethod(block, report);
  }
}

function checkName(what: string, name: string | undefined, loc: SourceLoc, report: Report): name is string {
  if (name === undefined) {
    report(loc, `${what} has no name`);
    return false;
  }
  if (!IDENT.test(name)) {
    report(loc, `${what} name '${name}' is not an identifier`);
    return false;
  }
  return true;
}

function closeEnum(block: OpenBlock, report: Report): EnumDecl | undefined {
  const [name, ...extra] = block.header;
  if (!checkName("enum", name, block.loc, report)) return undefined;
  if (extra.length > 0) report(block.loc, `enum ${name}: unexpected '${extra.join(" ")}' after the name`);
  const values: string[] = [];
  for (const { tokens, loc } of block.lines) {
    if (tokens.length !== 1) {
      report(loc, `enum ${name}: expected one value per line, found ${tokens.length} tokens`);
      continue;
    }
    values.push(tokens[0] ?? "");
  }
  return { kind: "enum", name, values, loc: block.loc };
}

function closeObject(block: OpenBlock, report: Report): ObjectDecl | undefined {
  const [name, kw, base, ...extra] = block.header;
  const what = block.managed ? "managed object" : "object";
  if (!checkName(what, name, block.loc, report)) return undefined;
  if (kw !== undefined && (kw !== "extends" || base === undefined || extra.length > 0)) {
    report(block.loc, `${what} ${name}: expected '${what} ${name} [extends <Base>]'`);
  }
  if (base !== undefined && kw === "extends" && !IDENT.test(base)) {
    report(block.loc, `${what} ${name}: base type '${base}' is not an identifier`);
  }
  const members: MemberDecl[] = [];
  for (const { tokens, loc } of block.lines) {
    const m = parseMember(`${what} ${name}`, tokens, loc, report, false);
    if (m !== undefined) members.push(m);
  }
  return {
    kind: "object",
    managed: block.managed,
    name,
    ...(kw === "extends" && base !== undefined ? { base } : {}),
    members,
    loc: block.loc,
  };
}

function closeMethod(block: OpenBlock, report: Report): MethodDecl | undefined {
  const [name, kw, rtype, rocc, kw2, ttype, tocc, ...extra] = block.header;
  if (!checkName("method", name, block.loc, report)) return undefined;
  let returns: ReturnDecl | undefined;
  let taskResult: ReturnDecl | undefined;
  const usage = `expected 'method ${name} [returns <Type> <occurrence> [result <Type> <occurrence>]]'`;
  const typed = (t: string, o: string, what: string): ReturnDecl | undefined => {
    const type = parseTypeRef(t, block.loc, report, `method ${name}`);
    const occ = parseOcc(o, block.loc, report, `method ${name} ${what}`);
    if (occ === "i") report(block.loc, `method ${name}: a ${what} value cannot be ignored ('i')`);
    return type !== undefined && occ !== undefined ? { type, occ } : undefined;
  };
  if (kw !== undefined) {
    if (kw !== "returns" || rtype === undefined || rocc === undefined || extra.length > 0) {
      report(block.loc, `method ${name}: ${usage}`);
    } else {
      returns = typed(rtype, rocc, "return");
      if (kw2 !== undefined) {
        if (kw2 !== "result" || ttype === undefined || tocc === undefined) report(block.loc, `method ${name}: ${usage}`);
        else taskResult = typed(ttype, tocc, "task result");
      }
    }
  }
  const params: ParamDecl[] = [];
  for (const { tokens, loc } of block.lines) {
    const p = parseMember(`method ${name}`, tokens, loc, report, true);
    if (p !== undefined) params.push(p);
  }
  return {
    kind: "method",
    name,
    ...(returns !== undefined ? { returns } : {}),
    ...(taskResult !== undefined ? { taskResult } : {}),
    params,
    loc: block.loc,
  };
}

function parseOcc(token: string, loc: SourceLoc, report: Report, what: string): Occurrence | undefined {
  if ((OCCURRENCES as readonly string[]).includes(token)) return token as Occurrence;
  report(loc, `${what}: bad occurrence '${token}' (expected one of ${OCCURRENCES.join(", ")})`);
  return undefined;
}

function parseTypeRef(token: string, loc: SourceLoc, report: Report, what: string): TypeRef | undefined {
  const colon = token.indexOf(":");
  const name = colon >= 0 ? token.slice(0, colon) : token;
  const moType = colon >= 0 ? token.slice(colon + 1) : undefined;
  if (!IDENT.test(name) || (moType !== undefined && !IDENT.test(moType))) {
    report(loc, `${what}: bad type '${token}'`);
    return undefined;
  }
  return moType === undefined ? { name } : { name, moType };
}

function parseMember(what: string, tokens: string[], loc: SourceLoc, report: Report, isParam: boolean): ParamDecl | undefined {
  if (tokens.length !== 3) {
    report(loc, `${what}: expected '<Type> <name> <occurrence>', found ${tokens.length} tokens`);
    return undefined;
  }
  const [typeTok = "", nameTok = "", occTok = ""] = tokens;
  const type = parseTypeRef(typeTok, loc, report, what);
  const occ = parseOcc(occTok, loc, report, `${what} member '${nameTok}'`);
  let name = nameTok;
  let bind: string | undefined;
  if (isParam && nameTok.startsWith("_this:")) {
    name = "_this";
    bind = nameTok.slice("_this:".length);
    if (!IDENT.test(bind)) report(loc, `${what}: bad ServiceContent member in '${nameTok}'`);
  }
  if (!IDENT.test(name)) {
    report(loc, `${what}: member name '${nameTok}' is not an identifier`);
    return undefined;
  }
  if (type === undefined || occ === undefined) return undefined;
  return { type, name, occ, loc, ...(bind !== undefined ? { bind } : {}) };
}
