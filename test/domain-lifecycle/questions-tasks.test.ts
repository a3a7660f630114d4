/**
 * The task path of the lifecycle commands on the simulator (ESX model): VM questions with
 * auto_answer=0 (the error names the question and its choices, the VM is unchanged) and
 * auto_answer=1 (answered; a question already pending is answered and the task is not
 * started), another task running on the VM refusing the new one (launcher -task-duration),
 * and task progress on a terminal.
 */
import { connectTo } from "../support/connect.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Connection } from "../../drivers/connection/connection.js";
import { lookupDomain } from "../../drivers/domain/lookup.js";
import { domainLifecycle } from "../../drivers/domain/lifecycle.js";
import { QuestionAnsweredError } from "../../drivers/domain/vm-task.js";
import { EsxviError } from "../../errors/esxvi-error.js";
import { TaskError } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { QuestionPendingError } from "../../runtime/vm-questions.js";
import { CancelTask, ReconfigVM_Task, type VirtualMachineQuestionInfo } from "../../generated/index.js";
import { esxvi, simulatorUri } from "../support/cli.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { esxviOnTerminal, lastTask, prop, progressPercents, serverState, taskInfo, vmOf } from "./helpers.js";

const VM0 = "ha-host_VM0";
const VM1 = "ha-host_VM1";
const CHOICES = "possible answers are 'Cancel', 'I Moved It', 'I Copied It'";

let sim: Simulator;
let conn: Connection;

async function methodCalls(method: string): Promise<number> {
  return (await sim.control.stats()).byMethod[method]?.calls ?? 0;
}

function questionOf(v: unknown): VirtualMachineQuestionInfo | undefined {
  return typeof v === "object" && v !== null ? (v as VirtualMachineQuestionInfo) : undefined;
}

async function question(name: string): Promise<VirtualMachineQuestionInfo | undefined> {
  return questionOf(prop(await serverState(conn), name, "runtime.question"));
}

async function powerOff(name: string): Promise<void> {
  if (prop(await serverState(conn), name, "runtime.powerState") !== "poweredOff")
    await domainLifecycle(conn, "destroy", await lookupDomain(conn, name));
}

if (requireSimulator("domain lifecycle: questions and tasks")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx" });
    conn = await connectTo(sim);
  });

  test.after(async () => {
    await conn.close();
    await sim.stop();
  });

  test("auto_answer=0: a question raised by the power-on fails start naming it and its choices; the task is cancelled, the VM stays off", async () => {
    await powerOff(VM0);
    await sim.control.question(VM0);
    const r = await esxvi(sim, ["start", VM0]);
    assert.is(r.status, 1);
    assert.is(r.stdout, "");
    assert.ok(
      r.stderr.startsWith(
        `error: Failed to start domain '${VM0}'\nerror: Pending question blocks virtual machine execution, question is 'msg.uuid.altered:This virtual machine might have been moved or copied.\n`,
      ),
      r.stderr,
    );
    assert.ok(r.stderr.endsWith(`', ${CHOICES}\n`), r.stderr);
    const after = await serverState(conn);
    assert.is(prop(after, VM0, "runtime.powerState"), "poweredOff");
    assert.is(prop(after, VM0, "runtime.question"), undefined);
    const task = lastTask(after, VM0);
    assert.ok(task !== undefined);
    const info = await taskInfo(conn, task);
    assert.is(info.state, "error");
    assert.is(info.cancelled, true);
    assert.is(info.error?.fault._typeName, "RequestCanceled");
  });

  test("auto_answer=1: the question raised by the power-on gets its default answer and the domain starts", async () => {
    await powerOff(VM0);
    await sim.control.question(VM0);
    await sim.control.resetStats();
    const r = await esxvi(sim, ["start", VM0], { uri: simulatorUri(sim, { auto_answer: "1" }) });
    assert.equal(r, { status: 0, stdout: `Domain '${VM0}' started\n`, stderr: "" });
    assert.is(await methodCalls("AnswerVM"), 1);
    const after = await serverState(conn);
    assert.is(prop(after, VM0, "runtime.powerState"), "poweredOn");
    assert.is(prop(after, VM0, "runtime.question"), undefined);
  });

  test("auto_answer=0 and a question already pending: refused before any task, question and VM unchanged", async () => {
    await powerOff(VM1);
    const raised = await sim.control.question(VM1, { now: true });
    const before = await serverState(conn);
    assert.is(questionOf(prop(before, VM1, "runtime.question"))?.id, raised.questionId);
    await sim.control.resetStats();
    const r = await esxvi(sim, ["start", VM1]);
    assert.is(r.status, 1);
    assert.ok(
      r.stderr.startsWith(
        `error: Failed to start domain '${VM1}'\nerror: Pending question blocks virtual machine execution, question is 'msg.uuid.altered:`,
      ),
      r.stderr,
    );
    assert.ok(r.stderr.endsWith(`', ${CHOICES}\n`), r.stderr);
    assert.is(await methodCalls("PowerOnVM_Task"), 0);
    assert.is(await methodCalls("AnswerVM"), 0);
    assert.equal(await serverState(conn), before);
    try {
      await domainLifecycle(conn, "start", await lookupDomain(conn, VM1));
      assert.unreachable("started with a pending question");
    } catch (e) {
      assert.instance(e, QuestionPendingError);
      assert.is((e as QuestionPendingError).code, "QUESTION_PENDING");
      assert.is((e as QuestionPendingError).question.id, raised.questionId);
    }
  });

  test("auto_answer=1 and a question already pending: it is answered with its default, the task is not started", async () => {
    const pending = await question(VM1);
    assert.ok(pending !== undefined, "the question of the previous test is still pending");
    const before = await serverState(conn);
    await sim.control.resetStats();
    const r = await esxvi(sim, ["start", VM1], { uri: simulatorUri(sim, { auto_answer: "1" }) });
    assert.is(r.status, 1);
    assert.is(r.stdout, "");
    assert.ok(r.stderr.startsWith(`error: Failed to start domain '${VM1}'\nerror: Pending question 'msg.uuid.altered:`), r.stderr);
    assert.ok(r.stderr.endsWith("' was answered with its default answer 'I Copied It'; the operation was not started\n"), r.stderr);
    assert.is(await methodCalls("AnswerVM"), 1);
    assert.is(await methodCalls("PowerOnVM_Task"), 0);
    const after = await serverState(conn);
    assert.is(prop(after, VM1, "runtime.question"), undefined);
    assert.is(prop(after, VM1, "runtime.powerState"), "poweredOff");
    assert.equal(vmOf(after, VM1).props["recentTask"], vmOf(before, VM1).props["recentTask"], "no task");
    // Nothing pending now: the same command starts the domain.
    const again = await esxvi(sim, ["start", VM1], { uri: simulatorUri(sim, { auto_answer: "1" }) });
    assert.equal(again, { status: 0, stdout: `Domain '${VM1}' started\n`, stderr: "" });
  });

  test("the driver reports the answered question as QuestionAnsweredError (OPERATION_INVALID)", async () => {
    const auto = await connectTo(sim, { auto_answer: "1" });
    try {
      await sim.control.question(VM1, { now: true, choices: ["Retry", "Abort"], defaultIndex: 1, text: "Disk full?" });
      try {
        await domainLifecycle(auto, "destroy", await lookupDomain(auto, VM1));
        assert.unreachable("destroyed with a pending question");
      } catch (e) {
        assert.instance(e, QuestionAnsweredError);
        assert.is((e as QuestionAnsweredError).code, "OPERATION_INVALID");
        assert.is((e as QuestionAnsweredError).answer, "Abort");
        assert.is((e as QuestionAnsweredError).question?.text, "Disk full?");
      }
      assert.is(await question(VM1), undefined);
      assert.is(prop(await serverState(conn), VM1, "runtime.powerState"), "poweredOn");
    } finally {
      await auto.close();
    }
  });

  test("a task that fails: exit 1, the error names the domain and the vSphere fault, the VM unchanged", async () => {
    await powerOff(VM0);
    // A question whose default answer is its cancel choice: auto_answer=1 gives it, the power-on is cancelled.
    await sim.control.question(VM0, { choices: ["Go on", "Stop"], defaultIndex: 1, cancelKey: "1", text: "Really?" });
    const r = await esxvi(sim, ["start", VM0], { uri: simulatorUri(sim, { auto_answer: "1" }) });
    assert.equal(r, {
      status: 1,
      stdout: "",
      stderr: `error: Failed to start domain '${VM0}'\nerror: RequestCanceled - The task was canceled by a user.\n`,
    });
    const after = await serverState(conn);
    assert.is(prop(after, VM0, "runtime.powerState"), "poweredOff");
    assert.is(prop(after, VM0, "runtime.question"), undefined);
    try {
      await sim.control.question(VM0, { choices: ["Go on", "Stop"], defaultIndex: 1, cancelKey: "1", text: "Really?" });
      const auto = await connectTo(sim, { auto_answer: "1" });
      try {
        await domainLifecycle(auto, "start", await lookupDomain(auto, VM0));
      } finally {
        await auto.close();
      }
      assert.unreachable("the cancelled power-on succeeded");
    } catch (e) {
      assert.instance(e, TaskError);
      assert.is((e as TaskError).code, "TASK_FAILED");
      assert.is((e as TaskError).faultType, "RequestCanceled");
    }
  });

  test("another task running on the VM refuses the new one: 'Other tasks are pending for this domain', nothing started", async () => {
    assert.is(prop(await serverState(conn), VM1, "runtime.powerState"), "poweredOn");
    await sim.control.taskDuration(600_000);
    const vm = vmOf(await serverState(conn), VM1).ref;
    const running = await ReconfigVM_Task(conn.primary.client, vm, { spec: { _typeName: "VirtualMachineConfigSpec" } });
    try {
      assert.is((await taskInfo(conn, running)).state, "running");
      const before = await serverState(conn);
      await sim.control.resetStats();
      for (const [action, line] of [
        ["suspend", `Failed to suspend domain '${VM1}'`],
        ["destroy", `Failed to destroy domain '${VM1}'`],
        ["reset", `Failed to reset domain '${VM1}'`],
      ] as const) {
        const r = await esxvi(sim, [action, VM1]);
        assert.equal(r, { status: 1, stdout: "", stderr: `error: ${line}\nerror: Other tasks are pending for this domain\n` }, action);
      }
      const r = await esxvi(sim, ["setmem", VM1, "64M"]);
      assert.equal(r, {
        status: 1,
        stdout: "",
        stderr: `error: Unable to change MemorySize of domain '${VM1}'\nerror: Other tasks are pending for this domain\n`,
      });
      for (const m of ["SuspendVM_Task", "PowerOffVM_Task", "ResetVM_Task", "ReconfigVM_Task"]) assert.is(await methodCalls(m), 0, m);
      assert.equal(await serverState(conn), before);
      try {
        await domainLifecycle(conn, "suspend", await lookupDomain(conn, VM1));
        assert.unreachable("suspended with a task running");
      } catch (e) {
        assert.instance(e, EsxviError);
        assert.is((e as EsxviError).code, "OPERATION_INVALID");
      }
    } finally {
      await CancelTask(conn.primary.client, running);
      await waitForTask(conn.primary, running).catch((e: unknown) => {
        if (!(e instanceof TaskError)) throw e;
      });
      await sim.control.taskDuration(0);
    }
    assert.is(prop(await serverState(conn), VM1, "runtime.powerState"), "poweredOn");
  });

  // The launcher's tasks report 0, 50 and 100 % over -task-duration; vcsim's XML drops a
  // progress of 0 (omitempty), so the first report a client can see is 50.
  test("progress on a terminal: the task's progress (50 then 100 with -task-duration) on stderr, the line ended", async () => {
    await sim.control.taskDuration(2_000);
    try {
      const r = await esxviOnTerminal(sim, ["destroy", VM1]);
      assert.is(r.status, 0);
      assert.is(r.stdout, `Domain '${VM1}' destroyed\n`);
      const percents = progressPercents(r.stderr, "Destroy");
      assert.equal(percents, [50, 100], r.stderr);
      assert.ok(r.stderr.endsWith("] 100 %\n"), JSON.stringify(r.stderr));
      assert.is(prop(await serverState(conn), VM1, "runtime.powerState"), "poweredOff");

      const seen: number[] = [];
      await domainLifecycle(conn, "start", await lookupDomain(conn, VM1), { onProgress: (p) => seen.push(p) });
      assert.equal(seen, [50, 100]);
      await sim.control.taskDuration(0);
      // -q: no progress line, no success line.
      const quiet = await esxviOnTerminal(sim, ["-q", "suspend", VM1]);
      assert.equal(quiet, { status: 0, stdout: "", stderr: "" });
      // Not a terminal: no progress.
      const plain = await esxvi(sim, ["resume", VM1]);
      assert.equal(plain, { status: 0, stdout: `Domain '${VM1}' resumed\n`, stderr: "" });
    } finally {
      await sim.control.taskDuration(0);
    }
  });

  test("a guest operation has no progress line", async () => {
    if (prop(await serverState(conn), VM1, "runtime.powerState") !== "poweredOn")
      await domainLifecycle(conn, "start", await lookupDomain(conn, VM1));
    const r = await esxviOnTerminal(sim, ["reboot", VM1]);
    assert.equal(r, { status: 0, stdout: `Domain '${VM1}' is being rebooted\n`, stderr: "" });
  });

  test.run();
}
