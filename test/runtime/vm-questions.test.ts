/**
 * Automatic question handling as libvirt's ESX driver does it (src/esx/README "Automatic
 * question handling"), on VMs whose questions the launcher raises:
 * - before a VM task (prepareForTask) a pending question blocks it: auto_answer=0 fails
 *   naming the question and its choices; auto_answer=1 answers with the default choice and
 *   the caller does not start its task; queued or running tasks on the VM refuse a new one;
 * - while waiting for a task, a question raised by it is handled the same way: answered
 *   (the task then succeeds), or unanswered, and then the task is cancelled.
 * Server state is read before and after: power state, runtime.question, tasks.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CancelTask, PowerOffVM_Task, PowerOnVM_Task, type TaskInfo } from "../../generated/index.js";
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import { retrieveOne } from "../../runtime/property-collector.js";
import type { Session } from "../../runtime/session.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { TaskError } from "../../runtime/faults.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { prepareForTask, QuestionPendingError, questionMessage } from "../../runtime/vm-questions.js";
import { requireSimulator, startSimulator, type Simulator } from "../support/vcsim.js";
import { captureLogger, connect, vmsByName } from "./helpers.js";

let sim: Simulator;
let session: Session;
let vms: Map<string, MoRef<"VirtualMachine">>;

const UUID_ALTERED =
  "msg.uuid.altered:This virtual machine might have been moved or copied.\n" +
  "In order to configure certain management and networking features, VMware ESX needs to know if this virtual machine was moved or copied.\n\n" +
  'If you don\'t know, answer "I Copied It".\n';

function vm(name: string): MoRef<"VirtualMachine"> {
  const v = vms.get(name);
  if (v === undefined) throw new Error(`no VM ${name}`);
  return v;
}

interface VmState {
  readonly power: string | undefined;
  readonly question: string | undefined;
  readonly tasks: number;
}

async function state(name: string): Promise<VmState> {
  const r = await retrieveOne(session, vm(name), ["runtime.powerState", "runtime.question", "recentTask"]);
  return { power: r.props["runtime.powerState"], question: r.props["runtime.question"]?.text, tasks: r.props.recentTask?.length ?? 0 };
}

async function taskInfo(task: MoRef<"Task">): Promise<TaskInfo> {
  const info = (await retrieveOne(session, task, ["info"])).props.info;
  if (info === undefined) throw new Error(`no info for ${task.value}`);
  return info;
}

async function calls(): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([k, v]) => [k, v.calls]));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("it succeeded");
}

if (requireSimulator("runtime VM questions")) {
  test.before(async () => {
    sim = await startSimulator({ model: "esx", vms: 6, powerOn: false });
    session = await connect(sim);
    vms = await vmsByName(session);
  });

  test.after(async () => {
    await session.close();
    await sim.stop();
  });

  test.after.each(async () => {
    await sim.control.taskDuration(0);
  });

  test("prepareForTask: nothing pending, nothing done", async () => {
    const before = await state("ha-host_VM0");
    await sim.control.resetStats();
    assert.equal(await prepareForTask(session, vm("ha-host_VM0"), false, captureLogger().logger), { answered: false });
    assert.equal(await calls(), { RetrievePropertiesEx: 1 });
    assert.equal(await state("ha-host_VM0"), before);
  });

  test("prepareForTask, auto_answer=0: a pending question blocks the task, naming it and its choices", async () => {
    await sim.control.question("ha-host_VM0", { now: true, text: "Continue booting?", choices: ["Cancel", "Yes", "No"], defaultIndex: 1 });
    const before = await state("ha-host_VM0");
    assert.equal(before, { power: "poweredOff", question: "Continue booting?", tasks: before.tasks });
    const e = await rejection(prepareForTask(session, vm("ha-host_VM0"), false, captureLogger().logger));
    assert.instance(e, QuestionPendingError);
    const q = e as QuestionPendingError;
    assert.is(q.code, "QUESTION_PENDING");
    assert.is(
      q.message,
      "Pending question blocks virtual machine execution, question is 'Continue booting?', possible answers are 'Cancel', 'Yes', 'No'",
    );
    assert.equal(
      q.question.choice.choiceInfo.map((c) => [c.key, c.label]),
      [
        ["0", "Cancel"],
        ["1", "Yes"],
        ["2", "No"],
      ],
    );
    assert.equal(await state("ha-host_VM0"), before, "the question is still pending, nothing started");
  });

  test("prepareForTask, auto_answer=1: the default choice answers it and the caller must not start its task", async () => {
    const before = await state("ha-host_VM0");
    assert.is(before.question, "Continue booting?");
    const log = captureLogger();
    await sim.control.resetStats();
    const prepared = await prepareForTask(session, vm("ha-host_VM0"), true, log.logger);
    assert.equal([prepared.answered, prepared.answer, prepared.question?.text], [true, "Yes", "Continue booting?"]);
    assert.equal(await calls(), { RetrievePropertiesEx: 1, AnswerVM: 1 });
    assert.equal(await state("ha-host_VM0"), { power: "poweredOff", question: undefined, tasks: before.tasks });
    assert.equal(
      log.lines.map((l) => [l.level, l.message]),
      [
        [
          "info",
          "Pending question blocks virtual machine execution, question is 'Continue booting?', possible answers are 'Cancel', 'Yes', 'No', responding with default answer 'Yes'",
        ],
      ],
    );
  });

  test("prepareForTask, auto_answer=1 without a default answer: blocked", async () => {
    // The launcher cannot put defaultIndex 0 on the wire (govmomi omits an int32 of 0): the
    // question arrives without a default, which libvirt refuses to guess.
    await sim.control.question("ha-host_VM1", { now: true, text: "Pick one", choices: ["A", "B"], defaultIndex: 0 });
    const e = await rejection(prepareForTask(session, vm("ha-host_VM1"), true, captureLogger().logger));
    assert.instance(e, QuestionPendingError);
    assert.is(
      (e as Error).message,
      "Pending question blocks virtual machine execution, question is 'Pick one', possible answers are 'A', 'B', but no default answer is specified",
    );
    assert.is((await state("ha-host_VM1")).question, "Pick one");
  });

  test("prepareForTask: a queued or running task on the VM refuses a new one", async () => {
    await sim.control.taskDuration(600_000);
    const running = await PowerOnVM_Task(session.client, vm("ha-host_VM2"), {});
    assert.is((await taskInfo(running)).state, "running");
    const e = await rejection(prepareForTask(session, vm("ha-host_VM2"), true, captureLogger().logger));
    assert.instance(e, OperationInvalidError);
    assert.is((e as OperationInvalidError).code, "OPERATION_INVALID");
    assert.is((e as Error).message, "Other tasks are pending for this domain");
    await CancelTask(session.client, running);
    const final = await rejection(waitForTask(session, running));
    assert.instance(final, TaskError);
    assert.is((final as TaskError).faultType, "RequestCanceled");
    // Once the task ended the VM takes tasks again.
    assert.equal(await prepareForTask(session, vm("ha-host_VM2"), false, captureLogger().logger), { answered: false });
    assert.is((await state("ha-host_VM2")).power, "poweredOff");
  });

  test("while waiting, auto_answer=1: the power-on's question is answered with its default and the task succeeds", async () => {
    await sim.control.question("ha-host_VM3");
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM3"), {});
    const during = await state("ha-host_VM3");
    assert.equal([during.power, during.question], ["poweredOff", UUID_ALTERED]);
    assert.is((await taskInfo(task)).cancelable, true);
    const log = captureLogger();
    await sim.control.resetStats();
    const info = await waitForTask(session, task, { vm: vm("ha-host_VM3"), autoAnswer: true, logger: log.logger });
    assert.is(info.state, "success");
    assert.is((await calls())["AnswerVM"], 1);
    const after = await state("ha-host_VM3");
    assert.equal([after.power, after.question], ["poweredOn", undefined]);
    assert.ok(
      log.lines.some((l) => l.message.endsWith("responding with default answer 'I Copied It'")),
      log.text(),
    );
  });

  test("while waiting, auto_answer=0: the unanswered question fails the wait and the task is cancelled", async () => {
    await sim.control.question("ha-host_VM4");
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM4"), {});
    assert.is((await state("ha-host_VM4")).question, UUID_ALTERED);
    await sim.control.resetStats();
    const e = await rejection(waitForTask(session, task, { vm: vm("ha-host_VM4"), autoAnswer: false }));
    assert.instance(e, QuestionPendingError);
    assert.is(
      (e as Error).message,
      `Pending question blocks virtual machine execution, question is '${UUID_ALTERED}', possible answers are 'Cancel', 'I Moved It', 'I Copied It'`,
    );
    assert.is((e as Error).message, questionMessage((e as QuestionPendingError).question));
    const c = await calls();
    assert.is(c["CancelTask"], 1);
    assert.is(c["AnswerVM"], undefined);
    assert.is(c["DestroyPropertyCollector"], 1);
    const info = await taskInfo(task);
    assert.is(info.state, "error");
    assert.is(info.cancelled, true);
    assert.is(info.error?.fault._typeName, "RequestCanceled");
    assert.equal(await state("ha-host_VM4").then((s) => [s.power, s.question]), ["poweredOff", undefined]);
  });

  test("while waiting without a default answer: blocked even with auto_answer=1, the task is cancelled", async () => {
    await sim.control.question("ha-host_VM5", { text: "Which one?", choices: ["Cancel", "Left", "Right"], defaultIndex: 0 });
    const task = await PowerOnVM_Task(session.client, vm("ha-host_VM5"), {});
    const e = await rejection(waitForTask(session, task, { vm: vm("ha-host_VM5"), autoAnswer: true }));
    assert.instance(e, QuestionPendingError);
    assert.is(
      (e as Error).message,
      "Pending question blocks virtual machine execution, question is 'Which one?', possible answers are 'Cancel', 'Left', 'Right', but no default answer is specified",
    );
    const info = await taskInfo(task);
    assert.equal([info.state, info.cancelled], ["error", true]);
    assert.equal(await state("ha-host_VM5").then((s) => [s.power, s.question]), ["poweredOff", undefined]);
  });

  test("while waiting, a question raised later (an update of its own) blocks and cancels the running task", async () => {
    await sim.control.taskDuration(600_000);
    const task = await PowerOffVM_Task(session.client, vm("ha-host_VM3"));
    assert.equal([(await taskInfo(task)).state, (await state("ha-host_VM3")).power], ["running", "poweredOn"]);
    const client = session.client;
    const invoke = client.invoke;
    let waits = 0;
    let raised: Promise<unknown> | undefined;
    // Raise the question once the waiter has seen the task and waits for the next change.
    client.invoke = (registry, method, args, options) => {
      const p = invoke.call(client, registry, method, args, options);
      if (method === "WaitForUpdatesEx" && ++waits === 2)
        raised = sim.control.question("ha-host_VM3", {
          now: true,
          text: "Disk full. Retry?",
          choices: ["Cancel", "Retry"],
          defaultIndex: 1,
        });
      return p;
    };
    let e: unknown;
    try {
      e = await rejection(waitForTask(session, task, { vm: vm("ha-host_VM3"), autoAnswer: false }));
    } finally {
      client.invoke = invoke;
    }
    await raised;
    assert.instance(e, QuestionPendingError);
    assert.is(
      (e as Error).message,
      "Pending question blocks virtual machine execution, question is 'Disk full. Retry?', possible answers are 'Cancel', 'Retry'",
    );
    const info = await taskInfo(task);
    assert.equal([info.state, info.cancelled, info.error?.fault._typeName], ["error", true, "RequestCanceled"]);
    assert.equal(await state("ha-host_VM3").then((st) => [st.power, st.question]), ["poweredOn", undefined]);
  });

  test("a task of another VM is not affected by the question of this one", async () => {
    await sim.control.question("ha-host_VM5", { now: true, text: "Still there?", choices: ["Cancel", "Yes"], defaultIndex: 1 });
    const other = await PowerOffVM_Task(session.client, vm("ha-host_VM3"));
    assert.is((await waitForTask(session, other, { vm: vm("ha-host_VM3") })).state, "success");
    assert.is((await state("ha-host_VM5")).question, "Still there?");
    assert.is((await state("ha-host_VM3")).power, "poweredOff");
  });

  test.run();
}
