/** CPU sets in libvirt's bitmap syntax: "0-2,5,^1" (virBitmapParse / virBitmapFormat). */
import { DomainXmlError } from "./errors.js";

/** The largest host CPU number libvirt accepts in a domain cpumask, plus one. */
export const CPUMASK_LEN = 2 << 15;

/** Parses "0-3,^2,7" into a sorted list of CPU numbers. */
export function parseCpuset(text: string): number[] {
  const set = new Set<number>();
  const fail = (): never => {
    throw new DomainXmlError(`Failed to parse bitmap '${text}'`);
  };
  for (const rawTerm of text.split(",")) {
    let term = rawTerm.trim();
    if (term === "") fail();
    const negate = term.startsWith("^");
    if (negate) term = term.slice(1).trim();
    const m = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(term);
    if (!m) fail();
    const first = Number(m?.[1]);
    const last = m?.[2] === undefined ? first : Number(m[2]);
    if (last < first || last >= CPUMASK_LEN || (negate && m?.[2] !== undefined)) fail();
    for (let cpu = first; cpu <= last; cpu++) {
      if (negate) set.delete(cpu);
      else set.add(cpu);
    }
  }
  return [...set].sort((a, b) => a - b);
}

/** Formats sorted CPU numbers as ranges: [0,1,2,5,6,7] -> "0-2,5-7". */
export function formatCpuset(cpus: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < cpus.length) {
    const start = cpus[i] ?? 0;
    let end = start;
    while (i + 1 < cpus.length && cpus[i + 1] === end + 1) {
      end++;
      i++;
    }
    parts.push(start === end ? `${start}` : `${start}-${end}`);
    i++;
  }
  return parts.join(",");
}
