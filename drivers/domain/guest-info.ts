/**
 * What VMware Tools report from inside a running guest, as libvirt's ESX driver reads it:
 * the guest's host name (domainGetHostname: guest.hostName) and its interface addresses
 * (domainInterfaceAddresses: guest.net, connected NICs on a network, addresses from
 * ipConfig.ipAddress with their prefixes, else the legacy ipAddress strings with prefix 0).
 * Read from the handle (HOSTNAME_PATHS, INTERFACE_ADDRESS_PATHS).
 */
import { isIP } from "node:net";
import { OperationFailedError, OperationInvalidError, UnsupportedError } from "../../errors/esxvi-error.js";
import type { CallOptions } from "../../runtime/soap/index.js";
import type { GuestNicInfo } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import type { DomainIdentity } from "./identity.js";
import { withDomainData, type DomainHandle } from "./lookup.js";

function requirePoweredOn(identity: DomainIdentity): void {
  if (identity.powerState !== "poweredOn") throw new OperationInvalidError("Domain is not powered on");
}

export interface DomainHostname {
  readonly identity: DomainIdentity;
  readonly hostname: string;
}

export const HOSTNAME_PATHS = ["guest.hostName"] as const;

export async function domainHostname(conn: Connection, domain: DomainHandle, options: CallOptions = {}): Promise<DomainHostname> {
  const d = await withDomainData(conn, domain, HOSTNAME_PATHS, options);
  requirePoweredOn(d.identity);
  const hostname = d.props["guest.hostName"];
  if (typeof hostname !== "string" || hostname === "") {
    throw new OperationFailedError("hostname could not be determined, missing VMware Tools?");
  }
  return { identity: d.identity, hostname };
}

/** libvirt's address sources (virDomainInterfaceAddressesSource); ESX has only the agent. */
export type AddressSource = "lease" | "agent" | "arp";

const SOURCE_NUMBERS: Record<AddressSource, number> = { lease: 0, agent: 1, arp: 2 };

export interface InterfaceAddress {
  readonly type: "ipv4" | "ipv6";
  readonly address: string;
  readonly prefix: number;
}

export interface DomainInterface {
  /** libvirt names an ESX interface after its network. */
  readonly name: string;
  readonly hwaddr: string | undefined;
  readonly addresses: readonly InterfaceAddress[];
}

function address(ip: string, prefix: number): InterfaceAddress | undefined {
  const family = isIP(ip);
  if (family === 0) return undefined;
  return { type: family === 4 ? "ipv4" : "ipv6", address: ip, prefix };
}

/** The interfaces libvirt reports for a guest.net list. */
export function interfacesFrom(nics: readonly GuestNicInfo[]): DomainInterface[] {
  const out: DomainInterface[] = [];
  for (const nic of nics) {
    if (nic.connected !== true || nic.network === undefined) continue;
    const configured = nic.ipConfig?.ipAddress;
    const addresses =
      configured !== undefined
        ? configured.map((a) => address(a.ipAddress, a.prefixLength))
        : (nic.ipAddress ?? []).map((ip) => address(ip, 0));
    out.push({ name: nic.network, hwaddr: nic.macAddress, addresses: addresses.filter((a) => a !== undefined) });
  }
  return out;
}

export interface DomainInterfaceAddresses {
  readonly identity: DomainIdentity;
  readonly interfaces: readonly DomainInterface[];
}

export const INTERFACE_ADDRESS_PATHS = ["guest.net"] as const;

export async function domainInterfaceAddresses(
  conn: Connection,
  domain: DomainHandle,
  source: AddressSource = "agent",
  options: CallOptions = {},
): Promise<DomainInterfaceAddresses> {
  const d = await withDomainData(conn, domain, INTERFACE_ADDRESS_PATHS, options);
  if (source !== "agent") {
    throw new UnsupportedError(
      `Unknown IP address data source ${SOURCE_NUMBERS[source]}: ESX reports guest addresses through VMware Tools only (source 'agent')`,
      { code: "ARGUMENT_UNSUPPORTED" },
    );
  }
  requirePoweredOn(d.identity);
  const nics = d.props["guest.net"];
  return { identity: d.identity, interfaces: interfacesFrom(Array.isArray(nics) ? (nics as GuestNicInfo[]) : []) };
}
