/**
 * Runs the esxvi command line in process for tests, capturing stdout and stderr, with the
 * simulator's URI and password (through the environment, as users do).
 */
import { Writable } from "node:stream";
import { runCli } from "../../cli/program.js";
import type { Simulator } from "./vcsim.js";

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Capture extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The URI of a simulator: https with its certificate pinned, or plain http. */
export function simulatorUri(sim: Simulator, query: Readonly<Record<string, string>> = {}): string {
  const params = new URLSearchParams(query);
  if (sim.tls && !params.has("no_verify") && !params.has("thumbprint")) params.set("thumbprint", sim.thumbprintSha256 ?? "");
  if (!sim.tls) params.set("transport", "http");
  const scheme = sim.model === "vpx" ? "vpx" : "esx";
  const path = sim.model === "vpx" ? (query["path"] ?? "") : "";
  params.delete("path");
  const q = params.toString();
  return `${scheme}://${encodeURIComponent(sim.user)}@127.0.0.1:${sim.port}/${path}${q === "" ? "" : `?${q}`}`;
}

/**
 * Runs `esxvi -c <uri> <args>` in process. The blank line virsh (and esxvi) print after each
 * command is left out unless `separator` is set, so that tests compare the command's own
 * output; test/cli/separator.test.ts checks the separator itself.
 */
export async function esxvi(
  sim: Simulator | undefined,
  args: readonly string[],
  options: { uri?: string; env?: Readonly<Record<string, string>>; separator?: boolean } = {},
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env: Record<string, string | undefined> = { PATH: process.env["PATH"], HOME: "/nonexistent", ...options.env };
  if (sim !== undefined && env["ESXVI_PASSWORD"] === undefined) env["ESXVI_PASSWORD"] = sim.password;
  const uri = options.uri ?? (sim === undefined ? undefined : simulatorUri(sim));
  const argv = uri === undefined ? [...args] : ["-c", uri, ...args];
  const status = await runCli(argv, { stdout, stderr, env, separator: options.separator ?? false });
  return { status, stdout: stdout.text, stderr: stderr.text };
}
