/**
 * XML text/attribute escaping the way libvirt's virBufferEscapeString does it:
 * `& < > " '` become entities and control characters other than TAB, LF and CR are dropped.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

// eslint-disable-next-line no-control-regex
const SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function escapeXml(text: string): string {
  return text.replace(SPECIAL, (ch) => ENTITIES[ch] ?? "");
}
