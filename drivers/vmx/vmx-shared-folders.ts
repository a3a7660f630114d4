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
  const out: FilesystemDef[] = [];
  for (let n = 0; n < maxNum; n++) {
    const fs = parseSharedFolder(doc, n);
    if (fs !== undefined) out.push(fs);
  }
  return out;
}
