/**
 * Seeded mutations of reference documents for the fuzz suites: bit flips, truncation,
 * splicing two documents, repeating a slice, and inserting tokens that parsers have
 * tripped over (character references to nothing, entities, DOCTYPE, huge numbers).
 */
import { EsxviError } from "../../errors/esxvi-error.js";

const TOKENS = [
  "&#0;",
  "&#xD800;",
  "&#x110000;",
  "&#99999999999999999999;",
  "&lol9;",
  "&amp",
  '<!DOCTYPE d [<!ENTITY a "aaaa">]>',
  "<![CDATA[",
  "]]>",
  "<",
  ">",
  "</",
  "/>",
  "&",
  "\0",
  "\u001b[2J",
  "=",
  '"',
  "'",
  "\n",
  "9999999999",
  "-1",
  "999999999",
  "4294967296",
  "1e400",
  "0x",
  'xsi:type="Unknown" ',
  "scsi0:999999999",
  'sharedFolder.maxNum = "9999999999"\n',
];

export type Mutator = (input: Buffer, next: () => number, other: Buffer) => Buffer;

function at(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

const MUTATORS: readonly Mutator[] = [
  // Bit flips.
  (input, next) => {
    const out = Buffer.from(input);
    const flips = 1 + at(next, 8);
    for (let i = 0; i < flips && out.length > 0; i++) {
      const p = at(next, out.length);
      out[p] = (out[p] as number) ^ (1 << at(next, 8));
    }
    return out;
  },
  // Truncation.
  (input, next) => input.subarray(0, at(next, input.length + 1)),
  // Splice: the start of one document, the end of another.
  (input, next, other) => Buffer.concat([input.subarray(0, at(next, input.length + 1)), other.subarray(at(next, other.length + 1))]),
  // A slice repeated.
  (input, next) => {
    const start = at(next, input.length + 1);
    const end = Math.min(input.length, start + at(next, 200));
    const times = 1 + at(next, 50);
    return Buffer.concat([input.subarray(0, end), ...Array.from({ length: times }, () => input.subarray(start, end)), input.subarray(end)]);
  },
  // A token inserted, or written over a few bytes.
  (input, next) => {
    const token = Buffer.from(TOKENS[at(next, TOKENS.length)] ?? "", "utf8");
    const p = at(next, input.length + 1);
    const skip = next() < 0.5 ? 0 : at(next, 8);
    return Buffer.concat([input.subarray(0, p), token, input.subarray(Math.min(input.length, p + skip))]);
  },
];

/** Applies 1 to 3 random mutations of `input` (`others` for splicing). */
export function mutate(input: Buffer, next: () => number, others: readonly Buffer[]): Buffer {
  let out = input;
  const rounds = 1 + at(next, 3);
  for (let i = 0; i < rounds; i++) {
    const m = MUTATORS[at(next, MUTATORS.length)] as Mutator;
    out = m(out, next, others[at(next, others.length)] ?? input);
  }
  return out;
}

/** The most a single case may take: a bound against endless loops, not a measure of speed. */
export const CASE_LIMIT_MS = 1000;

export interface FuzzFinding {
  readonly index: number;
  readonly problem: string;
}

/**
 * Runs `run` on each mutated case; a finding is an exception that is not an EsxviError with
 * a code, or a case that took longer than CASE_LIMIT_MS.
 */
export function fuzz(
  cases: number,
  seed: (i: number) => { input: Buffer; next: () => number },
  others: readonly Buffer[],
  run: (input: Buffer) => void,
): FuzzFinding[] {
  const findings: FuzzFinding[] = [];
  for (let i = 0; i < cases; i++) {
    const { input, next } = seed(i);
    const mutated = mutate(input, next, others);
    const started = performance.now();
    try {
      run(mutated);
    } catch (e) {
      if (!(e instanceof EsxviError) || typeof e.code !== "string" || (e.code as string) === "") {
        findings.push({ index: i, problem: `untyped ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300) });
      }
    }
    const ms = performance.now() - started;
    if (ms > CASE_LIMIT_MS) findings.push({ index: i, problem: `took ${Math.round(ms)} ms` });
  }
  return findings;
}
