/** An interface's XML description and state (libvirt's interfaceGetXMLDesc / interfaceIsActive on ESX): no call, from the handle. */
import type { InterfaceHandle } from "./lookup.js";
import { formatInterfaceXml } from "./interface-xml-format.js";

export function interfaceXmlDesc(handle: InterfaceHandle, options: { inactive?: boolean } = {}): string {
  return formatInterfaceXml(handle.pnic, options);
}

/** A physical NIC is always active for libvirt. */
export function interfaceIsActive(_handle: InterfaceHandle): boolean {
  return true;
}
