/**
 * Control characters in text from a server (a VM name with NUL, ESC or CR in it) never
 * reach the terminal raw: as virsh's vshTableSafeEncode, each is shown as \xNN. Newline and
 * tab, which the output layouts themselves use, are kept.
 */

const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/** `text` with C0 and C1 control characters (but LF and TAB) as \xNN. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, hex);
}

/** JSON text with DEL and the C1 controls as \u00NN too (JSON.stringify escapes only C0). */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
