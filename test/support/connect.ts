/** The one way suites open a driver connection to a simulator: its URI, the password from the environment. */
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { simulatorUri } from "./cli.js";
import type { Simulator } from "./vcsim.js";

export function connectTo(sim: Simulator, query: Readonly<Record<string, string>> = {}): Promise<Connection> {
  return openConnection(simulatorUri(sim, query), { credentials: { env: { ESXVI_PASSWORD: sim.password } } });
}
