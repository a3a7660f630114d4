/**
 * virsh's global options (-r, -d LEVEL, -l FILE, -t, -v/-V/--version[=short|long], -e),
 * `help` by group and by command, virsh's wording for malformed commands (stderr, exit 1,
 * nothing on stdout), and command strings ("list --all; dominfo x": one connection for all).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../cli/version.js";
import { esxvi } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), "esxvi-globals-"));

async function methodCalls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

function usageError(line: string): { status: number; stdout: string; stderr: string } {
  return { status: 1, stdout: "", stderr: `error: ${line}\n` };
}

test("-v, --version, --version=short: the version; -V, --version=long: the long form", async () => {
  for (const args of [["-v"], ["--version"], ["--version=short"]]) {
    assert.equal(await esxvi(undefined, args), { status: 0, stdout: `${VERSION}\n`, stderr: "" }, args.join(" "));
  }
  for (const args of [["-V"], ["--version=long"]]) {
    const r = await esxvi(undefined, args);
    assert.is(r.status, 0);
    assert.ok(r.stdout.startsWith(`esxvi command line tool ${VERSION}\n`), r.stdout);
    assert.match(r.stdout, /\nCompiled with support for:\n Hypervisors: ESX/);
  }
  assert.equal(await esxvi(undefined, ["--version=medium"]), usageError("unknown option '--version=medium'"));
});

test("malformed global options and commands: virsh's wording on stderr, exit 1", async () => {
  // A bare -d (what follows is not a number) is level 0: "x" is then the command.
  assert.equal(await esxvi(undefined, ["-d", "x"]), usageError("unknown command: 'x'"));
  assert.equal(await esxvi(undefined, ["--debug=x", "uri"]), usageError("option --debug takes a numeric argument"));
  assert.equal(await esxvi(undefined, ["-e", "abc", "uri"]), usageError("Invalid string 'abc' for escape sequence"));
  assert.equal(await esxvi(undefined, ["-z", "uri"]), usageError("unsupported option '-z'. See --help."));
  assert.equal(await esxvi(undefined, ["dominfo"]), usageError("command 'dominfo' requires <domain> option"));
  assert.equal(await esxvi(undefined, ["dominfo", "--bogus", "x"]), usageError("command 'dominfo' doesn't support option --bogus"));
  assert.equal(await esxvi(undefined, ["dominfo", "a", "b"]), usageError("unexpected data 'b'"));
  assert.equal(await esxvi(undefined, ["domifaddr", "x", "--interface"]), usageError("expected syntax: --interface <string>"));
  assert.equal(await esxvi(undefined, ["lsit"]), usageError("unknown command: 'lsit'"));
  assert.equal(await esxvi(undefined, ["dominfo 'unterminated"]), usageError("missing '"));
});

test("help: virsh's groups, one group, one command's page; an unknown topic is an error line", async () => {
  const all = await esxvi(undefined, ["help"]);
  assert.is(all.status, 0);
  assert.ok(all.stdout.startsWith("Grouped commands:\n\n Domain Management (help keyword 'domain'):\n    autostart  "), all.stdout);
  for (const title of [
    " Domain Monitoring (help keyword 'monitor'):\n",
    " Host and Hypervisor (help keyword 'host'):\n",
    " Snapshot (help keyword 'snapshot'):\n",
    " Virsh itself (help keyword 'virsh'):\n",
  ]) {
    assert.ok(all.stdout.includes(title), title);
  }
  const domain = (await esxvi(undefined, ["help", "domain"])).stdout;
  assert.match(domain, /^ Domain Management \(help keyword 'domain'\):\n/);
  assert.match(domain, /\n {4}start {26}start a \(previously defined\) inactive domain\n/);
  assert.not.match(domain, /\n {4}dominfo /);
  assert.match((await esxvi(undefined, ["help", "monitor"])).stdout, /\n {4}dominfo {24}domain information\n/);
  assert.is(
    (await esxvi(undefined, ["help", "domstate"])).stdout,
    "  NAME\n    domstate - domain state\n\n  SYNOPSIS\n    domstate <domain> [--reason] [--json]\n\n" +
      "  DESCRIPTION\n    domain state.\n\n  OPTIONS\n    [--domain] <string>  domain name, id or uuid\n" +
      "    --reason         also print reason for the state\n    --json           print JSON\n\n",
  );
  assert.equal(await esxvi(undefined, ["help", "lsit"], {}), usageError("command or command group 'lsit' doesn't exist"));
  const usage = await esxvi(undefined, ["--help"]);
  assert.is(usage.status, 0);
  assert.match(usage.stdout, /\n {4}-r \| --readonly +connect readonly/);
  assert.match(usage.stdout, /\n {4}-d \| --debug <NUM> +debug level \[0-4\]/);
});

if (requireSimulator("global options")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
  });

  test.after(async () => {
    await sim.stop();
  });

  test("-r refuses every command that changes something before connecting; reads work", async () => {
    await sim.control.resetStats();
    const refusals: [string[], string, string][] = [
      [["destroy", "ha-host_VM0"], "Failed to destroy domain 'ha-host_VM0'", "virDomainDestroy"],
      [["start", "ha-host_VM0"], "Failed to start domain 'ha-host_VM0'", "virDomainCreate"],
      [["setmem", "ha-host_VM0", "16M"], "Unable to change MemorySize of domain 'ha-host_VM0'", "virDomainSetMemoryFlags"],
      [
        ["memtune", "ha-host_VM0", "--min-guarantee", "1M"],
        "Unable to change memory parameters of domain 'ha-host_VM0'",
        "virDomainSetMemoryParameters",
      ],
      [["snapshot-create-as", "ha-host_VM0", "s"], "", "virDomainSnapshotCreateXML"],
      [["snapshot-current", "ha-host_VM0", "s"], "", "virDomainSnapshotCreateXML"],
      [["autostart", "ha-host_VM0"], "Failed to mark domain 'ha-host_VM0' as autostarted", "virDomainSetAutostart"],
      [["undefine", "ha-host_VM0"], "Failed to undefine domain 'ha-host_VM0'", "virDomainUndefineFlags"],
      [["net-autostart", "vSwitch0"], "failed to mark network vSwitch0 as autostarted", "virNetworkSetAutostart"],
    ];
    for (const [args, first, api] of refusals) {
      for (const flag of ["-r", "--readonly"]) {
        const r = await esxvi(sim, [flag, ...args]);
        const lines = [...(first === "" ? [] : [first]), `operation forbidden: read only access prevents ${api}`];
        assert.equal(r, { status: 1, stdout: "", stderr: lines.map((l) => `error: ${l}\n`).join("") }, args.join(" "));
      }
    }
    assert.equal(await methodCalls(), {});
    assert.equal(await esxvi(sim, ["-r", "domstate", "ha-host_VM0"]), { status: 0, stdout: "running\n", stderr: "" });
    assert.is((await esxvi(sim, ["-r", "memtune", "ha-host_VM0"])).status, 0);
    assert.is((await esxvi(sim, ["-r", "snapshot-create-as", "ha-host_VM0", "s", "--print-xml"])).status, 0);
  });

  test("-d LEVEL is the debug level, not a command; -d 0 shows debug lines; -l FILE logs every message; -t times", async () => {
    assert.equal(await esxvi(sim, ["-d", "2", "domstate", "ha-host_VM0"]), { status: 0, stdout: "running\n", stderr: "" });
    assert.equal(await esxvi(sim, ["-d4", "domstate", "ha-host_VM0"]), { status: 0, stdout: "running\n", stderr: "" });
    const debug = await esxvi(sim, ["-d", "0", "domstate", "ha-host_VM0"]);
    assert.is(debug.stdout, "running\n");
    assert.match(debug.stderr, /^debug: /m);
    const range = await esxvi(sim, ["-d", "7", "domstate", "ha-host_VM0"]);
    assert.equal(range, { status: 0, stdout: "running\n", stderr: "error: ignoring debug level 7 out of range [0-4]\n" });

    const log = join(dir, "esxvi.log");
    assert.equal(await esxvi(sim, ["-l", log, "domstate", "ha-host_VM0"]), { status: 0, stdout: "running\n", stderr: "" });
    assert.is((await esxvi(sim, ["--log", log, "domstate", "nosuch"])).status, 1);
    const lines = readFileSync(log, "utf8").split("\n").slice(0, -1);
    assert.ok(lines.length > 2, String(lines.length));
    for (const l of lines) assert.match(l, /^\[\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d esxvi \d+\] (DEBUG|INFO|WARNING|ERROR): /);
    assert.ok(lines.includes(lines.find((l) => l.endsWith("] ERROR: failed to get domain 'nosuch'")) ?? "?"));
    assert.not.match(readFileSync(log, "utf8"), new RegExp(sim.password));

    const timed = await esxvi(sim, ["-t", "domstate", "ha-host_VM0"], { separator: true });
    assert.match(timed.stdout, /^running\n\n\(Time: \d+\.\d{3} ms\)\n\n$/);
    assert.is((await esxvi(sim, ["-t", "-q", "domstate", "ha-host_VM0"], { separator: true })).stdout, "running\n");
    assert.equal(await esxvi(sim, ["-e", "^]", "domstate", "ha-host_VM0"]), { status: 0, stdout: "running\n", stderr: "" });
  });

  test("a command string: commands separated by ';' run in order on one connection; the last one's status", async () => {
    await sim.control.resetStats();
    const r = await esxvi(sim, ["list --all; domstate 'ha-host_VM1' ; domid \"ha-host_VM0\""], { separator: true });
    assert.equal(r, {
      status: 0,
      stdout:
        " Id   Name          State\n-----------------------------\n 9    ha-host_VM0   running\n 12   ha-host_VM1   running\n\nrunning\n\n9\n\n",
      stderr: "",
    });
    assert.equal(await methodCalls(), { RetrieveServiceContent: 1, Login: 1, RetrievePropertiesEx: 4, Logout: 1 });
    const failedFirst = await esxvi(sim, ["domstate nosuch; domid ha-host_VM0"]);
    assert.equal(failedFirst, {
      status: 0,
      stdout: "9\n",
      stderr: "error: failed to get domain 'nosuch'\nerror: Domain not found: no domain with name 'nosuch'\n",
    });
    assert.equal(await esxvi(sim, ["domid", "ha-host_VM0", ";", "domid", "ha-host_VM1"]), { status: 0, stdout: "9\n12\n", stderr: "" });
    assert.is((await esxvi(sim, ["domid ha-host_VM0; quit; domid ha-host_VM1"])).stdout, "9\n");
  });

  test.run();
} else {
  test.run();
}
