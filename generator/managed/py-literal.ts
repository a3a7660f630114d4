/**
 * Reads the Python literals of pyVmomi's type tables: calls such as
 * `CreateManagedType("vim.Task", "Task", …, [(…), …], [(…), …])` whose arguments are strings,
 * numbers, None, flag names (`F_OPTIONAL`, `F_LINK | F_OPTIONAL`) and nested tuples and lists.
 * Nothing is evaluated; an unexpected token stops the read with its position.
 */

/** A parsed literal: tuples and lists are arrays, None is null, a flag expression is the list of its names. */
export type PyValue = string | number | null | PyFlags | readonly PyValue[];

export interface PyFlags {
  readonly flags: readonly string[];
}

export function isFlags(v: PyValue): v is PyFlags {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class PyLiteralError extends Error {}

/** The arguments of one call written on one line (`Name(arg, arg, …)`). */
export function parseCallArgs(line: string): { readonly callee: string; readonly args: readonly PyValue[] } {
  const open = line.indexOf("(");
  if (open < 0) throw new PyLiteralError(`not a call: ${line.slice(0, 60)}`);
  const p = new Parser(line, open);
  const args = p.sequence("(", ")");
  return { callee: line.slice(0, open).trim(), args };
}

class Parser {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  private skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private fail(what: string): never {
    throw new PyLiteralError(`${what} at column ${this.pos + 1}: ${JSON.stringify(this.text.slice(this.pos, this.pos + 30))}`);
  }

  sequence(open: string, close: string): PyValue[] {
    this.skip();
    if (this.text[this.pos] !== open) this.fail(`expected '${open}'`);
    this.pos++;
    const out: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skip();
      const c = this.text[this.pos];
      if (c === ",") this.pos++;
      else if (c !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private value(): PyValue {
    this.skip();
    const c = this.text[this.pos];
    if (c === "(") return this.sequence("(", ")");
    if (c === "[") return this.sequence("[", "]");
    if (c === '"' || c === "'") return this.string(c);
    const m = /^(?:-?\d+|[A-Za-z_][A-Za-z0-9_]*(?:\s*\|\s*[A-Za-z_][A-Za-z0-9_]*)*)/.exec(this.text.slice(this.pos));
    if (m === null) this.fail("unexpected token");
    this.pos += m[0].length;
    const tok = m[0];
    if (/^-?\d+$/.test(tok)) return Number(tok);
    if (tok === "None") return null;
    return { flags: tok.split("|").map((s) => s.trim()) };
  }

  private string(quote: string): string {
    let out = "";
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] ?? "";
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === "\\") {
        out += this.text[this.pos + 1] ?? "";
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    return this.fail("unterminated string");
  }
}
