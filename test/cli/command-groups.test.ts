/**
 * The command groups' table (cli/commands/index.ts), by which a command line loads only the
 * group of the command it runs: each group registers exactly the names the table gives it, no
 * name is in two groups, and with virsh's own commands they are all the program's commands.
 */
import { Command } from "commander";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMMAND_GROUPS, registerCommands } from "../../cli/commands/index.js";
import { commandNames } from "../../cli/program.js";

const noRun = () => async () => undefined;

test("each group registers the names the table gives it", async () => {
  for (const group of COMMAND_GROUPS) {
    const program = new Command();
    (await group.load())(program, noRun);
    assert.equal(
      program.commands.map((c) => c.name()),
      [...group.names],
    );
  }
});

test("no name is in two groups; the groups and virsh's own commands are the program's commands", async () => {
  const names = COMMAND_GROUPS.flatMap((g) => g.names);
  assert.is(new Set(names).size, names.length);
  const all = (await commandNames()).map((c) => c.name);
  assert.equal([...names, "help", "connect", "quit", "exit"].sort(), [...all].sort());
});

test("registerCommands: the group of a known name, every group for an unknown name or none", async () => {
  const one = new Command();
  await registerCommands(one, noRun, "hostname");
  assert.equal(
    one.commands.map((c) => c.name()),
    ["version", "uri", "hostname", "nodeinfo"],
  );
  for (const name of ["nosuch", undefined]) {
    const every = new Command();
    await registerCommands(every, noRun, name);
    assert.is(every.commands.length, COMMAND_GROUPS.flatMap((g) => g.names).length, String(name));
  }
});

test.run();
