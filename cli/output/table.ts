/**
 * virsh's table layout (tools/vsh-table.c): each cell is written as " <cell>", columns are
 * padded to their widest cell plus two spaces, the last column is not padded, and the
 * header is followed by a line of dashes, widest cell + 3 per column.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** The cell's width in code points: its length unless it holds a surrogate pair (no array of its characters then). */
function width(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], options: { header?: boolean } = {}): string {
  const showHeader = options.header ?? true;
  // Loops rather than arrays of cells: a listing of thousands of domains is formatted once,
  // early in a short process, before V8 has optimised any of this.
  const widths = header.map(() => 0);
  const measure = (r: readonly string[]): void => {
    for (let i = 0; i < widths.length; i++) {
      const w = width(r[i] ?? "");
      if (w > (widths[i] ?? 0)) widths[i] = w;
    }
  };
  if (showHeader) measure(header);
  for (const r of rows) measure(r);
  const line = (r: readonly string[]): string => {
    let out = "";
    const last = r.length - 1;
    for (let i = 0; i < last; i++) {
      const cell = r[i] ?? "";
      out += ` ${cell}${" ".repeat((widths[i] ?? 0) - width(cell) + 2)}`;
    }
    return last >= 0 ? `${out} ${r[last] ?? ""}\n` : "\n";
  };
  const lines: string[] = [];
  if (showHeader) {
    lines.push(line(header));
    let dashes = "";
    for (const w of widths) dashes += "-".repeat(w + 3);
    lines.push(`${dashes}\n`);
  }
  for (const r of rows) lines.push(line(r));
  return lines.join("");
}
