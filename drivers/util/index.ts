/** ESX utilities: escaping schemes, datastore paths and small formats. */
export { parseDatastorePath, type DatastorePath } from "./datastore-path.js";
export { escapeHex, unescapeHex, escapeHexPercent, unescapeHexPercent, escapeHexPipe, unescapeHexPipe } from "./hex-escape.js";
export { escapeBase64Runs } from "./base64-runs.js";
export { escapeDatastoreItem, replaceWindowsSpecialChars } from "./datastore-item-escape.js";
export { dateTimeToEpoch } from "./date-time.js";
export { decodeWindows1252, windows1252ToUtf8 } from "./windows-1252.js";
export { escapeXml } from "./xml-escape.js";
export { toNumber } from "./to-number.js";
