/**
 * npm run demo: prepares the bundled simulator as npm test does (`node scripts/vcsim.mjs
 * ensure`: its Debian packages when missing and allowed, the launcher built once), starts
 * it (vcsim, ESX model, TLS with a generated certificate), runs a short tour of the esxvi
 * command line against it, and stops it. The password goes to the CLI through its
 * environment, never its arguments.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { runCli } from "../cli/program.js";
import { ROOT } from "../test/support/paths.js";
import { startSimulator } from "../test/support/vcsim.js";

/** Runs `node scripts/vcsim.mjs ensure`; its progress and errors go to stderr. */
function ensureSimulator(): boolean {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "vcsim.mjs"), "ensure"], { stdio: ["ignore", "ignore", "inherit"] });
  return r.status === 0;
}

async function main(): Promise<number> {
  process.stdout.write("Preparing the simulator (node scripts/vcsim.mjs ensure)…\n");
  if (!ensureSimulator()) {
    process.stderr.write("demo: the simulator could not be prepared (see above)\n");
    return 1;
  }
  process.stdout.write("Starting the simulator (vcsim, ESX model)…\n");
  const sim = await startSimulator({ model: "esx", tls: true, vms: 3 });
  let failures = 0;
  try {
    const uri = `esx://${sim.user}@127.0.0.1:${sim.port}/?thumbprint=${sim.thumbprintSha256 ?? ""}`;
    const env = { ...process.env, ESXVI_PASSWORD: sim.password };
    const tour: string[][] = [
      ["version"],
      ["uri"],
      ["hostname"],
      ["nodeinfo"],
      ["list", "--all"],
      ["dominfo", "ha-host_VM0"],
      ["destroy", "ha-host_VM1"],
      ["list", "--all"],
      ["start", "ha-host_VM1"],
      ["snapshot-create-as", "ha-host_VM0", "before-upgrade", "a first snapshot"],
      ["snapshot-list", "ha-host_VM0"],
      ["dumpxml", "ha-host_VM0"],
      ["list", "--all", "--json"],
    ];
    process.stdout.write(`Simulator at ${sim.url}, certificate pinned by its SHA-256 thumbprint.\n`);
    for (const args of tour) {
      process.stdout.write(
        `\n$ esxvi -c '${uri.replace(/thumbprint=[0-9A-F:]+/, "thumbprint=…")}' ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ")}\n`,
      );
      const status = await runCli(["-c", uri, ...args], { stdout: process.stdout, stderr: process.stderr, env });
      if (status !== 0) failures++;
    }
  } finally {
    await sim.stop();
    process.stdout.write("\nSimulator stopped.\n");
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
