/** A small seeded PRNG (mulberry32) for reproducible property tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random string over `alphabet` (code points), length 0..maxLength. */
export function randomString(next: () => number, alphabet: readonly string[], maxLength: number): string {
  const length = Math.floor(next() * (maxLength + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)] ?? "";
  return out;
}

/** Printable ASCII plus a few multi-byte characters and the escape-relevant ones. */
export const TEST_ALPHABET: readonly string[] = [..."abcXYZ019 _-.,'()%/\\|\"*<>:?#~!&[]{}", "ä", "ß", "€", "標", "😀", "\t"];
