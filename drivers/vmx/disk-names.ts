/** Disk target names and indexes (libvirt's virDiskNameToIndex / virIndexToDiskName). */

const PREFIXES = ["fd", "hd", "vd", "sd", "xvd", "ubd"] as const;

/** "sda" -> 0, "hdb" -> 1, "sdaa" -> 26; -1 when the name has no known prefix or bad suffix. */
export function diskNameToIndex(name: string): number {
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  if (prefix === undefined) return -1;
  let i = prefix.length;
  let idx = 0;
  let letters = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c < 97 || c > 122) break;
    idx = (idx + (letters < 1 ? 0 : 1)) * 26 + (c - 97);
    letters++;
    i++;
  }
  for (; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return idx;
}

/** 0 -> "a", 25 -> "z", 26 -> "aa", with `prefix` in front. */
export function indexToDiskName(idx: number, prefix: string): string {
  let letters = "";
  for (let n = idx; n >= 0; n = Math.floor(n / 26) - 1) {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
  }
  return prefix + letters;
}
