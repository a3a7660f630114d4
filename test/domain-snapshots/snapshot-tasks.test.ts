/**
 * Snapshot commands as VM tasks on the simulator (ESX model): a pending question blocks
 * snapshot-create with auto_answer=0 and is answered (the snapshot then not taken) with
 * auto_answer=1; a running task refuses the pre-task check, and revert/delete fail with the
 * task's fault (TaskInProgress) naming the snapshot; the progress line on a terminal; a
 * powered-off domain's snapshot is "shutoff". Server state is checked after each.
 */
import { connectTo } from "../support/connect.js";
import { Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CancelTask, PowerOffVM_Task, type VirtualMachineQuestionInfo, type VirtualMachineSnapshotInfo } from "../../generated/index.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { runCli } from "../../cli/program.js";
import { type Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { esxvi, simulatorUri, type CliResult } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";

const VM = "ha-host_VM1";

let sim: Simulator;
let observer: Connection;
let vm: MoRef<"VirtualMachine">;

async function snapshotNames(): Promise<string[]> {
  const info = (await retrieveOne(observer.primary, vm, ["snapshot"])).props.snapshot as VirtualMachineSnapshotInfo | undefined;
  const out: string[] = [];
  const walk = (list: VirtualMachineSnapshotInfo["rootSnapshotList"]): void => {
    for (const t of list) {
      out.push(t.name);
      walk(t.childSnapshotList ?? []);
    }
  };
  walk(info?.rootSnapshotList ?? []);
  return out;
}

async function question(): Promise<VirtualMachineQuestionInfo | undefined> {
  return (await retrieveOne(observer.primary, vm, ["runtime.question"])).props["runtime.question"] as
    VirtualMachineQuestionInfo | undefined;
}

function fails(r: CliResult, stderr: string): void {
  assert.is(r.stdout, "");
  assert.is(r.stderr, stderr);
  assert.is(r.status, 1);
}

class Capture extends Writable {
  text = "";
  constructor(
    readonly isTTY: boolean,
    private readonly onWrite?: (text: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    this.onWrite?.(this.text);
    done();
  }
}

if (requireSimulator("domain snapshot tasks")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    observer = await connectTo(sim);
    vm = (await lookupDomain(observer, VM)).identity.ref;
  });

  test.after(async () => {
    await observer.close();
    await sim.stop();
  });

  test("auto_answer=0: a pending question blocks snapshot-create-as, naming it; nothing changes", async () => {
    const raised = await sim.control.question(VM, { now: true });
    const q = await question();
    assert.is(q?.id, raised.questionId);
    fails(
      await esxvi(sim, ["snapshot-create-as", VM, "q1"]),
      `error: Pending question blocks virtual machine execution, question is '${q?.text ?? ""}', possible answers are 'Cancel', 'I Moved It', 'I Copied It'\n`,
    );
    assert.equal(await snapshotNames(), []);
    assert.is((await question())?.id, raised.questionId);
  });

  test("auto_answer=1: the question is answered with its default and the snapshot is not taken; the next try takes it", async () => {
    const uri = simulatorUri(sim, { auto_answer: "1" });
    const text = (await question())?.text ?? "";
    fails(
      await esxvi(sim, ["snapshot-create-as", VM, "q1"], { uri }),
      `error: Pending question '${text}' was answered with its default answer 'I Copied It'; the operation was not started\n`,
    );
    assert.is(await question(), undefined);
    assert.equal(await snapshotNames(), []);
    const r = await esxvi(sim, ["snapshot-create-as", VM, "q1"], { uri });
    assert.is(r.stdout, "Domain snapshot q1 created\n");
    assert.equal(await snapshotNames(), ["q1"]);
  });

  test("a running task: create is refused before the task, revert and delete fail with the task's fault", async () => {
    await sim.control.taskDuration(600_000);
    const pending = await PowerOffVM_Task(observer.primary.client, vm);
    try {
      fails(await esxvi(sim, ["snapshot-create-as", VM, "q2"]), "error: Other tasks are pending for this domain\n");
      fails(
        await esxvi(sim, ["snapshot-delete", VM, "q1"]),
        "error: Failed to delete snapshot q1\nerror: TaskInProgress - Another task is already in progress.\n",
      );
      fails(
        await esxvi(sim, ["snapshot-revert", VM, "--current"]),
        "error: Failed to revert snapshot q1\nerror: TaskInProgress - Another task is already in progress.\n",
      );
      fails(await esxvi(sim, ["snapshot-create-as", "--name", "q2", VM, "--quiesce"]), "error: Other tasks are pending for this domain\n");
      assert.equal(await snapshotNames(), ["q1"]);
    } finally {
      await CancelTask(observer.primary.client, pending);
      await sim.control.taskDuration(0);
    }
    const info = (await retrieveOne(observer.primary, pending, ["info"])).props.info;
    assert.is(info?.state, "error");
    assert.is((await retrieveOne(observer.primary, vm, ["runtime.powerState"])).props["runtime.powerState"], "poweredOn");
  });

  test("a failed create task (cancelled while it runs) names the snapshot, the domain and the fault", async () => {
    await sim.control.taskDuration(600_000);
    try {
      const stdout = new Capture(false);
      let cancelled: Promise<unknown> | undefined;
      // Once the CLI logs (--debug) that the server answered CreateSnapshot_Task, the task is
      // running: cancel it (found through recentTask). vcsim sends no progress 0 to wait for.
      const stderr = new Capture(true, (text) => {
        if (!/CreateSnapshot_Task: HTTP 200/.test(text)) return;
        cancelled ??= (async () => {
          const recent = (await retrieveOne(observer.primary, vm, ["recentTask"])).props.recentTask ?? [];
          for (const t of recent) {
            if ((await retrieveOne(observer.primary, t, ["info.state"])).props["info.state"] === "running")
              await CancelTask(observer.primary.client, t);
          }
        })();
      });
      const status = await runCli(["--debug", "-c", simulatorUri(sim), "snapshot-create-as", VM, "q3"], {
        stdout,
        stderr,
        env: { ESXVI_PASSWORD: sim.password },
        separator: false,
      });
      await cancelled;
      assert.is(status, 1);
      assert.is(stdout.text, "");
      const errors = stderr.text.split("\n").filter((l) => l.startsWith("error: "));
      assert.equal(errors, [
        "error: Could not create snapshot 'q3' of domain 'ha-host_VM1'",
        "error: RequestCanceled - The task was canceled by a user.",
      ]);
    } finally {
      await sim.control.taskDuration(0);
    }
    assert.equal(await snapshotNames(), ["q1"]);
  });

  test("a snapshot of a powered-off domain is 'shutoff'; a progress line on a terminal", async () => {
    await waitForTask(observer.primary, await PowerOffVM_Task(observer.primary.client, vm));
    await sim.control.taskDuration(600);
    try {
      const stdout = new Capture(false);
      const stderr = new Capture(true);
      const status = await runCli(["-c", simulatorUri(sim), "snapshot-create-as", VM, "off"], {
        stdout,
        stderr,
        env: { ESXVI_PASSWORD: sim.password },
        separator: false,
      });
      assert.is(status, 0);
      assert.is(stdout.text, "Domain snapshot off created\n");
      assert.ok(stderr.text.startsWith("\rSnapshot ["), JSON.stringify(stderr.text));
      assert.ok(stderr.text.endsWith("\rSnapshot [####################] 100 %\n"), JSON.stringify(stderr.text));
    } finally {
      await sim.control.taskDuration(0);
    }
    const r = await esxvi(sim, ["snapshot-info", VM, "off"]);
    assert.match(r.stdout, /\nState:          shutoff\n/);
    assert.equal(await snapshotNames(), ["q1", "off"]);
  });
}

test.run();
