/**
 * Domain events on the simulator (ESX model). The watcher: power changes made through SOAP
 * (off, on, suspend, resume) come as lifecycle events followed by their task's completion,
 * a question raised by a power-on and its answer, a failed task, one domain only, a domain
 * unregistered and registered again, and a clean stop (CancelWaitForUpdates, collector destroyed: the launcher's call counts). The
 * CLI: virsh's event (one-shot, --loop until Ctrl-C, --timeout, --json lines, --list and its
 * option errors) and watch. No sleeps: every step awaits the event it causes, and commands
 * run in process are driven once their --debug line says they watch.
 */
import { Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AnswerVM, PowerOffVM_Task, PowerOnVM_Task, RegisterVM_Task, SuspendVM_Task, UnregisterVM } from "../../generated/index.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { runCli } from "../../cli/program.js";
import { openConnection, type Connection } from "../../drivers/connection/connection.js";
import { DomainEventWatcher, type DomainEvent } from "../../drivers/domain/events.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

let sim: Simulator;
let watcherConn: Connection;
let driver: Connection;
const refs = new Map<string, MoRef<"VirtualMachine">>();
const uuids = new Map<string, string>();

function vm(name: string): MoRef<"VirtualMachine"> {
  const r = refs.get(name);
  if (r === undefined) throw new Error(`no VM ${name}`);
  return r;
}

/** An event reduced to what the tests compare. */
function brief(e: DomainEvent | undefined): string {
  if (e === undefined) return "(closed)";
  switch (e.type) {
    case "lifecycle":
      return `${e.domain.name} lifecycle ${e.event} ${e.detail} ${e.powerState}`;
    case "question":
      return `${e.domain.name} question ${e.state} ${e.id}`;
    case "task":
      return `${e.domain.name} task ${e.descriptionId} ${e.state}${e.error === undefined ? "" : ` ${e.error}`}`;
  }
}

async function take(w: DomainEventWatcher, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(brief(await w.next()));
  return out;
}

/** A stream for a command run in process; `until` resolves once its text matches. */
class Stream extends Writable {
  text = "";
  isTTY = false;
  #waiters: { re: RegExp; resolve: () => void }[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.re.test(this.text)) return true;
      w.resolve();
      return false;
    });
    done();
  }
  until(re: RegExp): Promise<void> {
    if (re.test(this.text)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ re, resolve }));
  }
}

/** Starts `esxvi --debug -c <sim> <args>` in process; resolves once it watches. */
async function startCli(args: readonly string[]): Promise<{ stdout: Stream; stderr: Stream; done: Promise<number> }> {
  const stdout = new Stream();
  const stderr = new Stream();
  const done = runCli(["--debug", "-c", simulatorUri(sim), ...args], {
    stdout,
    stderr,
    env: { ESXVI_PASSWORD: sim.password },
    separator: false,
  });
  await Promise.race([
    stderr.until(/debug: watching \d+ domain\(s\) for events\n/),
    done.then((s) => Promise.reject(new Error(`esxvi ended (${s}) before watching:\n${stderr.text}`))),
  ]);
  return { stdout, stderr, done };
}

function errors(s: Stream): string[] {
  return s.text.split("\n").filter((l) => l.startsWith("error: "));
}

if (requireSimulator("domain events")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    const opts = { credentials: { env: { ESXVI_PASSWORD: sim.password } } };
    watcherConn = await openConnection(simulatorUri(sim), opts);
    driver = await openConnection(simulatorUri(sim), opts);
    for (const name of ["ha-host_VM0", "ha-host_VM1"]) {
      const d = await lookupDomain(driver, name);
      refs.set(name, d.identity.ref);
      uuids.set(name, d.identity.uuid);
    }
  });

  test.after(async () => {
    await watcherConn.close();
    await driver.close();
    await sim.stop();
  });

  test("power off, on, suspend and resume through SOAP: lifecycle events, then each task's completion", async () => {
    const w = await DomainEventWatcher.start(watcherConn);
    try {
      assert.is(w.domains, 2);
      await PowerOffVM_Task(driver.primary.client, vm("ha-host_VM0"));
      const first = await w.next();
      assert.is(brief(first), "ha-host_VM0 lifecycle Stopped Shutdown poweredOff");
      assert.equal(first?.domain, { ref: vm("ha-host_VM0"), name: "ha-host_VM0", uuid: uuids.get("ha-host_VM0") });
      assert.equal(await take(w, 1), ["ha-host_VM0 task VirtualMachine.powerOff success"]);
      await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM0"));
      assert.equal(await take(w, 2), ["ha-host_VM0 lifecycle Started Booted poweredOn", "ha-host_VM0 task VirtualMachine.powerOn success"]);
      await SuspendVM_Task(driver.primary.client, vm("ha-host_VM0"));
      assert.equal(await take(w, 2), [
        "ha-host_VM0 lifecycle Suspended Paused suspended",
        "ha-host_VM0 task VirtualMachine.suspend success",
      ]);
      await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM0"));
      assert.equal(await take(w, 2), [
        "ha-host_VM0 lifecycle Resumed Unpaused poweredOn",
        "ha-host_VM0 task VirtualMachine.powerOn success",
      ]);
    } finally {
      await w.close();
    }
  });

  test("a question raised by a power-on, then answered: pending, answered, Started, the task's success", async () => {
    await waitForTask(driver.primary, await PowerOffVM_Task(driver.primary.client, vm("ha-host_VM1")));
    const w = await DomainEventWatcher.start(watcherConn);
    try {
      await sim.control.question("ha-host_VM1");
      await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM1"));
      const pending = await w.next();
      assert.ok(pending?.type === "question" && pending.state === "pending");
      assert.is(pending.question?.choice.choiceInfo.map((c) => c.label).join("|"), "Cancel|I Moved It|I Copied It");
      await AnswerVM(driver.primary.client, vm("ha-host_VM1"), { questionId: pending.id, answerChoice: "2" });
      assert.equal(await take(w, 3), [
        `ha-host_VM1 question answered ${pending.id}`,
        "ha-host_VM1 lifecycle Started Booted poweredOn",
        "ha-host_VM1 task VirtualMachine.powerOn success",
      ]);
    } finally {
      await w.close();
    }
  });

  test("a failed task is reported with its fault; a one-domain watch ignores the others", async () => {
    const w = await DomainEventWatcher.start(watcherConn, { domain: await lookupDomain(watcherConn, "ha-host_VM1") });
    try {
      assert.is(w.domains, 1);
      await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM0"));
      await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM1"));
      assert.equal(await take(w, 1), ["ha-host_VM1 task VirtualMachine.powerOn error InvalidPowerState - *types.InvalidPowerState"]);
    } finally {
      await w.close();
    }
  });

  test("aborting ends a pending next() with no event; the server-side wait is cancelled and the collector destroyed", async () => {
    const abort = new AbortController();
    const w = await DomainEventWatcher.start(watcherConn, { signal: abort.signal });
    await sim.control.resetStats();
    const pending = w.next();
    abort.abort();
    assert.is(await pending, undefined);
    await w.close();
    assert.is(w.closed, true);
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["CancelWaitForUpdates"]?.calls, 1);
    assert.is(stats.byMethod["DestroyPropertyCollector"]?.calls, 1);
    assert.is(await w.next(), undefined);
  });

  test("event --list, and virsh's option errors", async () => {
    const list = await esxvi(sim, ["event", "--list"]);
    assert.equal([list.status, list.stdout, list.stderr], [0, "lifecycle\nquestion\ntask\n", ""]);
    for (const [args, message] of [
      [["event"], "one of --list, --all, or --event <type> is required"],
      [["event", "--event", "reboot"], "unknown event type reboot"],
      [["event", "--all", "--event", "lifecycle"], "Options --all and --event are mutually exclusive"],
      [["event", "--list", "--all"], "Options --list and --all are mutually exclusive"],
      [["event", "--all", "--timeout", "0"], "invalid timeout"],
      [["watch", "--event", "power"], "unknown event type power"],
    ] as const) {
      const r = await esxvi(sim, args);
      assert.equal([r.status, r.stdout, r.stderr], [1, "", `error: ${message}\n`]);
    }
    const r = await esxvi(sim, ["event", "nodom", "--all"]);
    assert.equal(
      [r.status, r.stdout, r.stderr],
      [1, "", "error: failed to get domain 'nodom'\nerror: Domain not found: no domain with name 'nodom'\n"],
    );
  });

  test("event DOMAIN --event lifecycle: one event, then the count", async () => {
    const cli = await startCli(["event", "ha-host_VM0", "--event", "lifecycle"]);
    await PowerOffVM_Task(driver.primary.client, vm("ha-host_VM0"));
    assert.is(await cli.done, 0);
    assert.is(cli.stdout.text, "event 'lifecycle' for domain 'ha-host_VM0': Stopped Shutdown\nevents received: 1\n");
    assert.equal(errors(cli.stderr), []);
  });

  test("event --all --loop --json until Ctrl-C: JSON lines in order; the watch is cleaned up on the server", async () => {
    await sim.control.resetStats();
    const cli = await startCli(["event", "--all", "--loop", "--json"]);
    await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM0"));
    await cli.stdout.until(/"event":"task"/);
    process.emit("SIGINT");
    assert.is(await cli.done, 0);
    const lines = cli.stdout.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(
      lines.map(({ time, ...rest }) => {
        assert.type(time, "string");
        return rest;
      }),
      [
        {
          event: "lifecycle",
          domain: "ha-host_VM0",
          uuid: uuids.get("ha-host_VM0"),
          type: "Started",
          detail: "Booted",
          powerState: "poweredOn",
        },
        {
          event: "task",
          domain: "ha-host_VM0",
          uuid: uuids.get("ha-host_VM0"),
          task: (lines[1] ?? {})["task"],
          descriptionId: "VirtualMachine.powerOn",
          state: "success",
        },
      ],
    );
    const stats = await sim.control.stats();
    assert.is(stats.byMethod["CreatePropertyCollector"]?.calls, 1);
    assert.is(stats.byMethod["CancelWaitForUpdates"]?.calls, 1);
    assert.is(stats.byMethod["DestroyPropertyCollector"]?.calls, 1);
    assert.is(stats.byMethod["Logout"]?.calls, 1);
  });

  test("event --loop in text until Ctrl-C: virsh's lines and summary", async () => {
    const cli = await startCli(["event", "ha-host_VM1", "--event", "lifecycle", "--loop"]);
    await PowerOffVM_Task(driver.primary.client, vm("ha-host_VM1"));
    await cli.stdout.until(/Stopped Shutdown\n/);
    await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM1"));
    await cli.stdout.until(/Started Booted\n/);
    process.emit("SIGINT");
    assert.is(await cli.done, 0);
    assert.is(
      cli.stdout.text,
      "event 'lifecycle' for domain 'ha-host_VM1': Stopped Shutdown\nevent 'lifecycle' for domain 'ha-host_VM1': Started Booted\nevent loop interrupted\nevents received: 2\n",
    );
  });

  test("event --timeout with nothing happening: timed out, none received, exit 1", async () => {
    const r = await esxvi(sim, ["event", "ha-host_VM1", "--event", "question", "--timeout", "1"]);
    assert.equal([r.status, r.stdout, r.stderr], [1, "event loop timed out\nevents received: 0\n", ""]);
  });

  test("watch DOMAIN streams every type until Ctrl-C (exit 0, no summary)", async () => {
    await waitForTask(driver.primary, await PowerOffVM_Task(driver.primary.client, vm("ha-host_VM1")));
    const cli = await startCli(["watch", "ha-host_VM1"]);
    await sim.control.question("ha-host_VM1", { text: "Go on?", choices: ["No", "Yes"], defaultIndex: 1, cancelKey: "0" });
    await PowerOnVM_Task(driver.primary.client, vm("ha-host_VM1"));
    await cli.stdout.until(/pending/);
    const question = cli.stdout.text;
    assert.is(question, "event 'question' for domain 'ha-host_VM1': pending 'Go on?', possible answers are 'No', 'Yes' (default 'Yes')\n");
    const q = (await retrieveOne(driver.primary, vm("ha-host_VM1"), ["runtime.question"])).props["runtime.question"];
    assert.ok(q !== undefined);
    await AnswerVM(driver.primary.client, vm("ha-host_VM1"), { questionId: q.id, answerChoice: "0" });
    await cli.stdout.until(/task'.*\n/);
    process.emit("SIGINT");
    assert.is(await cli.done, 0);
    assert.is(
      cli.stdout.text,
      question +
        "event 'question' for domain 'ha-host_VM1': answered\n" +
        "event 'task' for domain 'ha-host_VM1': VirtualMachine.powerOn error: RequestCanceled - The task was canceled by a user.\n",
    );
  });

  test("unregistering and registering a domain: Undefined Removed, Defined Added", async () => {
    const ref = vm("ha-host_VM0");
    const path = (await retrieveOne(driver.primary, ref, ["config.files.vmPathName"])).props["config.files.vmPathName"] ?? "";
    await waitForTask(driver.primary, await PowerOffVM_Task(driver.primary.client, ref));
    const w = await DomainEventWatcher.start(watcherConn);
    try {
      await UnregisterVM(driver.primary.client, ref);
      assert.equal(await take(w, 1), ["ha-host_VM0 lifecycle Undefined Removed "]);
      const inv = driver.inventory;
      await waitForTask(
        driver.primary,
        await RegisterVM_Task(driver.primary.client, inv.datacenter.vmFolder, {
          path,
          asTemplate: false,
          pool: inv.computeResource.resourcePool,
          host: inv.hostSystem.ref,
        }),
      );
      assert.equal(await take(w, 1), ["ha-host_VM0 lifecycle Defined Added poweredOff"]);
    } finally {
      await w.close();
    }
  });

  test("--help on event and watch", async () => {
    for (const cmd of ["event", "watch"]) {
      const r = await esxvi(undefined, [cmd, "--help"]);
      assert.is(r.status, 0);
      assert.ok(r.stdout.startsWith(`Usage: esxvi ${cmd} [options] [domain]`), r.stdout);
    }
  });
}

test.run();
