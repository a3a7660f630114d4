/**
 * esxUtil_EscapeDatastoreItem: how the ESX driver names files and directories it
 * creates on a datastore. Not reversible.
 */
import { escapeBase64Runs } from "./base64-runs.js";
import { escapeHexPercent } from "./hex-escape.js";

/** Characters Windows does not allow in file names; each becomes "_". */
const WINDOWS_SPECIAL = /["*<>:|?]/g;

export function replaceWindowsSpecialChars(text: string): string {
  return text.replace(WINDOWS_SPECIAL, "_");
}

export function escapeDatastoreItem(item: string): string {
  return escapeBase64Runs(escapeHexPercent(replaceWindowsSpecialChars(item)));
}
