/** esxvi's version, as package.json gives it (read once, from the package this file ships in). */
import { readFileSync } from "node:fs";

function readVersion(): string {
  // dist/cli/version.js and cli/version.ts both sit two folders below package.json.
  const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const v = typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
  return typeof v === "string" ? v : "unknown";
}

export const VERSION = readVersion();
