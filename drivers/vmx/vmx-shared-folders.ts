/** VMX -> domain: HGFS shared folders (virVMXParseFileSystem). */
import type { FilesystemDef } from "./domain-model.js";
import type { VmxDocument } from "./vmx-text.js";
import { vmxBoolean, vmxLong, vmxRequiredString } from "./vmx-values.js";

function parseSharedFolder(doc: VmxDocument, number: number): FilesystemDef | undefined {
  const prefix = `sharedFolder${number}`;
  const present = vmxBoolean(doc, `${prefix}.present`, false);
  const enabled = vmxBoolean(doc, `${prefix}.enabled`, false);
  if (!(present && enabled)) return undefined;
  const source = vmxRequiredString(doc, `${prefix}.hostPath`);
  const target = vmxRequiredString(doc, `${prefix}.guestName`);
  const writeAccess = vmxBoolean(doc, `${prefix}.writeAccess`, false);
  return { type: "mount", accessMode: "passthrough", source, target, readonly: !writeAccess };
}

/** Shared folders; none unless isolation.tools.hgfs.disable is false. */
export function parseVmxSharedFolders(doc: VmxDocument): FilesystemDef[] {
  if (vmxBoolean(doc, "isolation.tools.hgfs.disable", true)) return [];
  const maxNum = vmxLong(doc, "sharedFolder.maxNum", 0);
  // libvirt counts from 0 to maxNum, which the file sets (up to 2^63): only the numbers the
  // file has entries for can give a folder (or an error), so only those are looked at, in order.
  const out: FilesystemDef[] = [];
  for (const n of sharedFolderNumbers(doc)) {
    if (n >= maxNum) break;
    const fs = parseSharedFolder(doc, n);
    if (fs !== undefined) out.push(fs);
  }
  return out;
}

/** The numbers N of the file's sharedFolderN.present/.enabled entries, as the loop would spell them, ascending. */
function sharedFolderNumbers(doc: VmxDocument): number[] {
  const numbers = new Set<number>();
  for (const e of doc.entries) {
    const digits = /^sharedfolder(\d{1,15})\.(?:present|enabled)$/i.exec(e.key)?.[1];
    if (digits !== undefined && String(Number(digits)) === digits) numbers.add(Number(digits));
  }
  return [...numbers].sort((a, b) => a - b);
}
