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
  const all = showHeader ? [header, ...rows] : rows;
  const widths = header.map((_, i) => Math.max(0, ...all.map((r) => width(r[i] ?? ""))));
  const line = (r: readonly string[]): string =>
    r.map((cell, i) => (i < r.length - 1 ? ` ${cell}${" ".repeat((widths[i] ?? 0) - width(cell) + 2)}` : ` ${cell}`)).join("") + "\n";
  let out = "";
  if (showHeader) {
    out += line(header);
    out += widths.map((w) => "-".repeat(w + 3)).join("") + "\n";
  }
  for (const r of rows) out += line(r);
  return out;
}
