/**
 * What the network suites share: a connection to the simulator, the host's network
 * configuration as a comparable snapshot, the simulator's call counts, and a temporary file.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { retrieveHostNetwork } from "../../drivers/network/host-network.js";
import { toJson } from "../../cli/output/json.js";
import { simulatorUri } from "../support/cli.js";
import type { Simulator } from "../support/vcsim.js";

export function connectTo(sim: Simulator, query: Readonly<Record<string, string>> = {}): Promise<Connection> {
  return openConnection(simulatorUri(sim, query), { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
}

/** config.network (vSwitches, port groups, NICs) and the datacenter's networks, as JSON text. */
export async function networkSnapshot(conn: Connection): Promise<string> {
  const n = await retrieveHostNetwork(conn, { portgroups: true, pnics: true, networks: true });
  return toJson({ vswitches: n.vswitches, portgroups: n.portgroups, pnics: n.pnics, networks: n.networks.map((x) => x.name).sort() });
}

export async function methodCalls(sim: Simulator): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

const dir = mkdtempSync(join(tmpdir(), "esxvi-net-"));
let counter = 0;

/** Writes `text` to a new temporary file and returns its path. */
export function tempFile(text: string): string {
  const file = join(dir, `net-${++counter}.xml`);
  writeFileSync(file, text);
  return file;
}
