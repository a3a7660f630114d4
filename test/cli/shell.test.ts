/**
 * The interactive shell through a pseudo-terminal (python3's pty module), against the
 * simulator: virsh's prompt, several commands on a line, one connection for the whole
 * session (opened by the first command), tab completion of commands, options and domain
 * names, Ctrl-C stopping a running command and not the shell, connect, quit, and the history
 * kept in $XDG_CONFIG_HOME/esxvi/history for the next session. Without a terminal the shell
 * reads its commands from stdin.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { simulatorUri } from "../support/cli.js";
import { ROOT } from "../support/paths.js";
import { ptyAvailable, Terminal } from "../support/pty.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

const MAIN = join(ROOT, "dist", "bin", "esxvi.cjs");
const PROMPT = /esxvi # $/;

/** The output up to a prompt that follows `text` (a prompt redrawn while typing does not count). */
function after(text: string): RegExp {
  return new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n*esxvi # $`);
}
let sim: Simulator;
let env: Record<string, string | undefined>;
const home = mkdtempSync(join(tmpdir(), "esxvi-shell-"));

async function calls(method: string): Promise<number> {
  return (await sim.control.stats()).byMethod[method]?.calls ?? 0;
}

if (!ptyAvailable()) {
  if (process.env["ESXVI_REQUIRE_VCSIM"] === "1") throw new Error("shell tests: python3 with its pty module is required");
  process.stdout.write("skipped: shell: python3 (pty) is not available\n");
} else if (requireSimulator("interactive shell")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    env = {
      PATH: process.env["PATH"],
      HOME: home,
      XDG_CONFIG_HOME: join(home, "xdg"),
      ESXVI_PASSWORD: sim.password,
      TERM: "xterm",
    };
  });

  test.after(async () => {
    await sim.stop();
  });

  test("a session: prompt, commands separated by ';', one connection, completion, Ctrl-C, connect, quit, history", async () => {
    const uri = simulatorUri(sim);
    const t = new Terminal([process.execPath, MAIN, "-c", uri], env);
    try {
      const welcome = await t.expect(PROMPT);
      assert.ok(welcome.startsWith("Welcome to esxvi"), welcome);
      await sim.control.resetStats();

      t.send("list --all; domstate ha-host_VM1\r");
      const listed = await t.expect(after("\nrunning\n"));
      assert.ok(
        listed.includes(
          " Id   Name          State\n-----------------------------\n 9    ha-host_VM0   running\n 12   ha-host_VM1   running\n\nrunning\n\n",
        ),
        listed,
      );

      // A command, then the common prefix of the domain names (asked of the server), then an option.
      t.send("dominf\t");
      await t.expect(/dominfo $/);
      t.send("ha-h\t");
      await t.expect(/ha-host_VM$/);
      t.send("0\r");
      const info = await t.expect(after("Managed save:   no\n"));
      assert.match(info, /\nName:           ha-host_VM0\n/);
      t.send("domstate --rea\t");
      await t.expect(/domstate --reason $/);
      t.send("ha-host_VM0\r");
      assert.match(await t.expect(/\nrunning \([^)\n]*\)\n\nesxvi # $/), /\nrunning \(/);

      // Ctrl-C ends the running command (its "interrupted" lines), the shell goes on.
      t.send("event --loop --all\r");
      await t.expect(/event --loop --all\n/);
      while ((await calls("WaitForUpdatesEx")) === 0) await sim.control.stats();
      t.send("\u0003");
      const interrupted = await t.expect(after("events received: 0\n"));
      assert.match(interrupted, /event loop interrupted\nevents received: 0\n/);

      // Every command so far (completion included) on the one connection the first command opened.
      assert.is(await calls("Login"), 1);
      assert.is(await calls("Logout"), 0);

      t.send("uri\r");
      await t.expect(after(`\n${uri}\n`));
      const other = simulatorUri(sim, { no_verify: "1" });
      t.send(`connect ${other}\r`);
      await t.expect(after(`connect ${other}\n`));
      assert.equal([await calls("Login"), await calls("Logout")], [2, 1]);
      t.send("uri\r");
      await t.expect(after(`\n${other}\n`));

      t.send("lsit\r");
      await t.expect(after("error: unknown command: 'lsit'\n"));
      t.send("quit\r");
      assert.is(await t.exited, 0);
    } finally {
      t.kill();
    }
    assert.equal([await calls("Login"), await calls("Logout")], [2, 2]);
    const history = readFileSync(join(home, "xdg", "esxvi", "history"), "utf8").split("\n");
    assert.equal(history.slice(0, 2), ["list --all; domstate ha-host_VM1", "dominfo ha-host_VM0"]);
    assert.equal(history.slice(-3), ["lsit", "quit", ""]);
  });

  test("the history comes back in the next session (up arrow); exit; no -c: the URI from the environment", async () => {
    const t = new Terminal([process.execPath, MAIN], { ...env, ESXVI_DEFAULT_URI: simulatorUri(sim) });
    try {
      await t.expect(PROMPT);
      t.send("\u001b[A");
      await t.expect(/quit$/);
      t.send("\u001b[A");
      await t.expect(/lsit$/);
      t.send("\u0015hostname\r");
      await t.expect(after("\nlocalhost.localdomain\n"));
      t.send("exit\r");
      assert.is(await t.exited, 0);
    } finally {
      t.kill();
    }
  });

  test("completion candidates: commands, options, domain and network names, the value of an option naming a domain", async () => {
    const { complete } = await import("../../cli/completion.js");
    const { connectTo } = await import("../support/connect.js");
    const { Command } = await import("commander");
    const program = new Command();
    program.command("dominfo").argument("<domain>").option("--json");
    program.command("domifaddr").argument("<domain>").argument("[interface]").option("--full");
    program.command("event").argument("[domain]").option("--domain <domain>").option("--loop");
    program.command("net-info").argument("<network>");
    const conn = await connectTo(sim);
    try {
      const ctx = { program, connection: async () => conn };
      assert.equal(await complete("domi", ctx), [["domifaddr", "dominfo"], "domi"]);
      assert.equal(await complete("list; domin", ctx), [["dominfo "], "domin"]);
      assert.equal(await complete("domifaddr --", ctx), [["--full "], "--"]);
      assert.equal(await complete("dominfo ", ctx), [["ha-host_VM0", "ha-host_VM1"], ""]);
      assert.equal(await complete("domifaddr ha-host_VM0 ", ctx), [[], ""]);
      assert.equal(await complete("event --domain ha-host_VM1", ctx), [["ha-host_VM1 "], "ha-host_VM1"]);
      assert.equal(await complete("nosuch x", ctx), [[], "x"]);
      const { listNetworks } = await import("../../drivers/network/list.js");
      const networks = (await listNetworks(conn, { active: true, inactive: true })).map((n) => n.name).sort();
      assert.ok(networks.length > 0);
      assert.equal(await complete("net-info ", ctx), [networks.length === 1 ? [`${networks[0] ?? ""} `] : networks, ""]);
    } finally {
      await conn.close();
    }
  });

  test("without a terminal the shell reads commands from stdin (no prompt, no history)", () => {
    const r = spawnSync(process.execPath, [MAIN, "-q", "-c", simulatorUri(sim)], {
      input: "domstate ha-host_VM0\ndomid ha-host_VM1; quit\nuri\n",
      encoding: "utf8",
      env: { ...env, XDG_CONFIG_HOME: join(home, "piped") },
    });
    assert.equal([r.status, r.stdout, r.stderr], [0, "running\n12\n", ""]);
  });

  test.run();
}
