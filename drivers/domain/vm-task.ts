/**
 * Running a task on a domain as libvirt's ESX driver does: first the pre-task check (a
 * pending question is answered with auto_answer=1 or reported with auto_answer=0; queued or
 * running tasks on the VM refuse the new one), then the task, then the wait for it with the
 * connection's auto_answer (questions raised while it runs) and progress reports.
 */
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import type { Session } from "../../runtime/session.js";
import { pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { prepareForTask } from "../../runtime/vm-questions.js";
import type { TaskInfo } from "../../generated/tasks.js";
import type { VirtualMachineQuestionInfo } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";

export interface DomainTaskOptions {
  readonly signal?: AbortSignal;
  /** Called with the task's progress (0–100) whenever it changes, and with 100 at the end. */
  readonly onProgress?: (percent: number) => void;
}

/**
 * A pending question was answered with its default answer (auto_answer=1) before the task:
 * as the brief of esxvi asks, the task is then not started (whatever the question held up —
 * typically an earlier power-on — goes on instead). Nothing else was changed.
 */
export class QuestionAnsweredError extends OperationInvalidError {
  readonly question: VirtualMachineQuestionInfo | undefined;
  readonly answer: string | undefined;

  constructor(question: VirtualMachineQuestionInfo | undefined, answer: string | undefined) {
    super(
      `Pending question ${question === undefined ? "" : `'${question.text}' `}was answered with its default answer${answer === undefined ? "" : ` '${answer}'`}; the operation was not started`,
    );
    this.question = question;
    this.answer = answer;
  }
}

/**
 * Prepares the VM for a task (one retrieval), starts the task with `start` and waits for
 * it. Throws QuestionPendingError (auto_answer=0, question pending or raised while waiting),
 * QuestionAnsweredError (auto_answer=1, question pending before the task),
 * OperationInvalidError "Other tasks are pending for this domain", or TaskError.
 */
export async function runDomainTask(
  conn: Connection,
  session: Session,
  vm: MoRef<"VirtualMachine">,
  start: (call: CallOptions) => Promise<MoRef<"Task">>,
  options: DomainTaskOptions = {},
): Promise<TaskInfo> {
  const call = pickCallOptions(options);
  const prepared = await prepareForTask(session, vm, conn.autoAnswer, conn.logger, call);
  if (prepared.answered) throw new QuestionAnsweredError(prepared.question, prepared.answer);
  const task = await start(call);
  return waitForDomainTask(conn, session, vm, task, options);
}

/** Waits for a task on the VM with the connection's auto_answer (questions raised while it runs) and progress reports. */
export async function waitForDomainTask(
  conn: Connection,
  session: Session,
  vm: MoRef<"VirtualMachine">,
  task: MoRef<"Task">,
  options: DomainTaskOptions = {},
): Promise<TaskInfo> {
  return waitForTask(session, task, {
    vm,
    autoAnswer: conn.autoAnswer,
    logger: conn.logger,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
}
