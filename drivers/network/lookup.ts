/**
 * Networks are the host's virtual switches (libvirt's ESX network driver). A lookup returns a
 * handle with the network's identity — name, UUID (MD5 of the vSwitch key, as libvirt
 * derives it) and key — and the vSwitch and the rest of the host's network configuration
 * retrieved with it, in one RetrievePropertiesEx. Operations take the handle.
 */
import { createHash } from "node:crypto";
import { NotFoundError } from "../../errors/esxvi-error.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { HostVirtualSwitch } from "../../generated/network.js";
import type { Connection } from "../connection/connection.js";
import { parseUuid } from "../vmx/uuid.js";
import { retrieveHostNetwork, type HostNetworkConfig, type HostNetworkParts } from "./host-network.js";

export interface NetworkHandle {
  readonly name: string;
  readonly uuid: string;
  /** The vSwitch key (e.g. "key-vim.host.VirtualSwitch-vSwitch0"). */
  readonly key: string;
  readonly vswitch: HostVirtualSwitch;
  /** The host's network configuration this handle was found in. */
  readonly host: HostNetworkConfig;
}

/** libvirt's network UUID: the MD5 digest of the vSwitch key, as a UUID. */
export function networkUuid(key: string): string {
  const hex = createHash("md5").update(key, "utf8").digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The handles of every network of a retrieved configuration, in the server's order. */
export function networkHandles(host: HostNetworkConfig): NetworkHandle[] {
  return host.vswitches.map((vswitch) => ({ name: vswitch.name, uuid: networkUuid(vswitch.key), key: vswitch.key, vswitch, host }));
}

/** Which ways of naming a network a command accepts (virsh's VIRSH_BYUUID / BYNAME). */
export interface NetworkLookupBy {
  readonly uuid?: boolean;
  readonly name?: boolean;
}

export function networkNotFound(message: string): NotFoundError<"NO_NETWORK"> {
  return new NotFoundError(`Network not found: ${message}`, { code: "NO_NETWORK" });
}

/**
 * Resolves a virsh NETWORK argument as virsh does: a UUID when it is 36 characters long (and
 * `by.uuid`), else — or when no network has that UUID — a name (exact, as libvirt compares
 * vSwitch names). One retrieval, with the `parts` asked for. Throws NO_NETWORK with the
 * message of the last way tried.
 */
export async function lookupNetwork(
  conn: Connection,
  selector: string,
  options: { by?: NetworkLookupBy; parts?: HostNetworkParts } & CallOptions = {},
): Promise<NetworkHandle> {
  const byUuid = options.by?.uuid ?? true;
  const byName = options.by?.name ?? true;
  const host = await retrieveHostNetwork(conn, options.parts ?? {}, options);
  const handles = networkHandles(host);
  let message = "";
  if (byUuid && selector.length === 36) {
    const uuid = parseUuid(selector);
    const found = uuid === undefined ? undefined : handles.find((h) => h.uuid === uuid);
    if (found !== undefined) return found;
    message = `Could not find network with UUID '${uuid ?? selector}'`;
  }
  if (byName) {
    const found = handles.find((h) => h.name === selector);
    if (found !== undefined) return found;
    message = `Could not find network with name '${selector}'`;
  }
  if (message === "") message = `Could not find network with UUID '${selector}'`;
  throw networkNotFound(message);
}
