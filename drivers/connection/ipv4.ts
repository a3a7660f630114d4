/** libvirt's esxUtil_ResolveHostname: a host name's IPv4 address, with libvirt's error when the lookup fails. */
import { lookup } from "node:dns/promises";
import { InvalidInputError } from "../../errors/esxvi-error.js";

export async function ipv4(host: string): Promise<string> {
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch (e) {
    throw new InvalidInputError(`IP address lookup for host '${host}' failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
