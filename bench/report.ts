/** The figures benches return and how bench/main.ts prints them against their targets. */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** e.g. "<= 2000" or ">= 60": compared with value to print a ratio and a verdict. */
  readonly target?: string;
}

export function verdict(f: Figure): string {
  if (f.target === undefined) return "";
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(f.target);
  if (m === null) return `target ${f.target}`;
  const limit = Number(m[2]);
  const ok = m[1] === "<=" ? f.value <= limit : f.value >= limit;
  const ratio = m[1] === "<=" ? limit / f.value : f.value / limit;
  return `target ${m[1]} ${limit} ${f.unit}: ${ok ? "met" : "MISSED"} (x${ratio.toFixed(2)})`;
}

export function formatFigure(f: Figure): string {
  const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 1);
  return `  ${f.name.padEnd(58)} ${`${v} ${f.unit}`.padStart(16)}   ${verdict(f)}`;
}
