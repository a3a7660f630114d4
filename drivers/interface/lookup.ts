/**
 * Interfaces are the host's physical NICs (libvirt's ESX interface driver): name = device
 * (vmnic0), MAC, always active. A lookup returns a handle with the NIC retrieved with it
 * (config.network.pnic, one RetrievePropertiesEx); operations take the handle. Unlike
 * libvirt, whose lookup by name searches the MAC addresses, a name finds the NIC of that
 * device (case-insensitively, as libvirt's unused name lookup compares).
 */
import { NotFoundError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import { pickCallOptions, type CallOptions } from "../../runtime/soap/index.js";
import type { PhysicalNic } from "../../generated/network.js";
import type { Connection } from "../connection/connection.js";

export interface InterfaceHandle {
  readonly name: string;
  readonly mac: string;
  /** The PhysicalNic key (e.g. "key-vim.host.PhysicalNic-vmnic0"). */
  readonly key: string;
  readonly pnic: PhysicalNic;
}

function handleOf(pnic: PhysicalNic): InterfaceHandle {
  return { name: pnic.device, mac: pnic.mac, key: pnic.key ?? "", pnic };
}

/** Every physical NIC of the connection's host, in the server's order: one retrieval. */
export async function listInterfaces(conn: Connection, options: CallOptions = {}): Promise<InterfaceHandle[]> {
  const r = await retrieveOne(conn.primary, conn.inventory.hostSystem.ref, ["config.network.pnic"], pickCallOptions(options));
  const list = r.props["config.network.pnic"];
  return (Array.isArray(list) ? (list as PhysicalNic[]) : []).map(handleOf);
}

/** virMacAddrParse's acceptance: six 1-2 digit hex bytes separated by colons. */
export function isMacAddress(text: string): boolean {
  return /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(text);
}

/** Which ways of naming an interface a command accepts (virsh's VIRSH_BYNAME / BYMAC). */
export interface InterfaceLookupBy {
  readonly name?: boolean;
  readonly mac?: boolean;
}

function notFound(message: string): NotFoundError<"NO_INTERFACE"> {
  return new NotFoundError(`Interface not found: ${message}`, { code: "NO_INTERFACE" });
}

/**
 * Resolves a virsh INTERFACE argument as virsh does: a MAC address when it parses as one,
 * else a name — each only when `by` allows it (default both). MACs compare case-insensitively.
 */
export async function lookupInterface(
  conn: Connection,
  selector: string,
  options: { by?: InterfaceLookupBy } & CallOptions = {},
): Promise<InterfaceHandle> {
  const mac = isMacAddress(selector);
  if (mac && options.by?.mac === false) throw notFound(`'${selector}' is a MAC address, not an interface name`);
  if (!mac && options.by?.name === false) throw notFound(`'${selector}' is not a MAC address`);
  const all = await listInterfaces(conn, options);
  const wanted = selector.toLowerCase();
  const found = all.find((h) => (mac ? h.mac.toLowerCase() : h.name.toLowerCase()) === wanted);
  if (found === undefined)
    throw notFound(
      mac ? `Could not find physical NIC with MAC address '${selector}'` : `Could not find physical NIC with name '${selector}'`,
    );
  return found;
}
