/**
 * Waits for a task through the property collector (runtime/property-wait: a private
 * collector with a filter on Task.info), never by sleeping: progress callbacks, a timeout, an
 * AbortSignal (which cancels the server-side wait and destroys the filter), and, for VM
 * tasks, questions raised while waiting (answered with auto_answer=1; otherwise the task is
 * cancelled when it is cancelable and the wait fails naming the question). A wait whose
 * session is lost goes on after the re-login and reports the task's real outcome.
 */
import { AbortError, errorMessage } from "../errors/esxvi-error.js";
import { TaskError } from "./faults.js";
import { silentLogger, type Logger } from "./logger.js";
import { PropertyWait } from "./property-wait.js";
import type { Session } from "./session.js";
import { SoapFaultError, type CallOptions, type MoRef, type ResultRef } from "./soap/index.js";
import { handleQuestion, isQuestion, QuestionPendingError } from "./vm-questions.js";
import type { PropertySpec, ObjectSpec } from "../generated/property-collector.js";
import { CancelTask, type TaskInfo } from "../generated/tasks.js";

/**
 * The TaskInfo of a task that succeeded, with `result` typed as the method that started the
 * task declares it (a plain TaskInfo when the task's result type is not known).
 */
export type CompletedTask<R> = unknown extends R ? TaskInfo : Omit<TaskInfo, "result"> & { readonly result: R };

export interface WaitTaskOptions {
  /** Also watch this VM's pending question (for VM tasks). */
  readonly vm?: MoRef<"VirtualMachine">;
  /** libvirt's auto_answer: answer questions with their default choice. */
  readonly autoAnswer?: boolean;
  /** Called with the task's progress (0–100) whenever it changes. */
  readonly onProgress?: (percent: number, info: TaskInfo) => void;
  /** Give up after this many milliseconds (the task keeps running on the server). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Waits until the task succeeds (returns its final TaskInfo) or fails (throws TaskError).
 * A timeout or an abort ends the wait at once: the pending WaitForUpdatesEx is cancelled on
 * the server (CancelWaitForUpdates) and the private collector, with its filter, destroyed.
 */
export async function waitForTask<R = unknown>(
  session: Session,
  task: ResultRef<"Task", R>,
  options: WaitTaskOptions = {},
): Promise<CompletedTask<R>> {
  const logger = options.logger ?? silentLogger;
  const { signal } = options;
  if (signal?.aborted === true) throw new AbortError(`stopped waiting for ${task.value}`, { cause: signal.reason });

  // One signal for both ways to stop: the caller's signal and the timeout.
  const stop = new AbortController();
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop.abort();
        }, options.timeoutMs);
  const onCallerAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onCallerAbort, { once: true });
  const stopped = (cause?: unknown): AbortError =>
    timedOut
      ? new AbortError(`timed out after ${options.timeoutMs} ms waiting for ${task.value}`, {
          timeout: true,
          ...(cause !== undefined ? { cause } : {}),
        })
      : new AbortError(`stopped waiting for ${task.value}`, { cause: cause ?? signal?.reason });
  /** A call's own failure, or the stop's when the wait was stopped meanwhile. */
  const orStopped = <T>(call: Promise<T>): Promise<T> =>
    call.catch((e: unknown) => {
      throw stop.signal.aborted ? stopped(e) : e;
    });

  const propSet: PropertySpec[] = [{ _typeName: "PropertySpec", type: "Task", pathSet: ["info"] }];
  const objectSet: ObjectSpec[] = [{ _typeName: "ObjectSpec", obj: task }];
  if (options.vm !== undefined) {
    propSet.push({ _typeName: "PropertySpec", type: "VirtualMachine", pathSet: ["runtime.question"] });
    objectSet.push({ _typeName: "ObjectSpec", obj: options.vm });
  }
  const call: CallOptions = { signal: stop.signal };
  let wait: PropertyWait | undefined;
  try {
    wait = await orStopped(
      PropertyWait.open(session, { _typeName: "PropertyFilterSpec", propSet, objectSet }, { logger, signal: stop.signal }),
    );
    let lastProgress = -1;
    /** The task's latest info across updates (a question may come in an update of its own). */
    let latest: TaskInfo | undefined;
    for (;;) {
      if (stop.signal.aborted) throw stopped();
      const { update } = await orStopped(wait.next({ signal: stop.signal }));
      if (update === undefined) continue;
      let info: TaskInfo | undefined;
      let question: unknown;
      for (const fs of update.filterSet ?? []) {
        for (const os of fs.objectSet ?? []) {
          for (const change of os.changeSet ?? []) {
            if (change.name === "info" && (change.op === "assign" || change.op === "add")) info = change.val as TaskInfo;
            else if (change.name === "runtime.question") question = change.op === "assign" || change.op === "add" ? change.val : undefined;
          }
        }
      }
      if (info !== undefined) latest = info;
      if (info !== undefined && info.progress !== undefined && info.progress !== lastProgress) {
        lastProgress = info.progress;
        options.onProgress?.(info.progress, info);
      }
      if (info?.state === "success") {
        if (lastProgress !== 100) options.onProgress?.(100, info);
        // The result's type is the one the task's method declares (ResultRef).
        return info as CompletedTask<R>;
      }
      if (info?.state === "error") throw new TaskError(info);
      if (stop.signal.aborted) throw stopped();
      if (options.vm !== undefined && isQuestion(question)) {
        try {
          await handleQuestion(session, options.vm, question, options.autoAnswer ?? false, logger, call);
        } catch (e) {
          if (e instanceof QuestionPendingError || e instanceof SoapFaultError) await cancelBlockedTask(session, task, latest, logger);
          throw stop.signal.aborted ? stopped(e) : e;
        }
      }
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onCallerAbort);
    await wait?.close();
  }
}

/** libvirt: a task blocked by an unanswered question is cancelled when it is cancelable. */
async function cancelBlockedTask(session: Session, task: MoRef<"Task">, info: TaskInfo | undefined, logger: Logger): Promise<void> {
  if (info !== undefined && !info.cancelable) {
    logger.log("warn", "Non-cancelable task is blocked by an unanswered question");
    return;
  }
  try {
    await CancelTask(session.client, task);
  } catch (e) {
    logger.log("warn", `Cancelable task is blocked by an unanswered question but cancellation failed: ${errorMessage(e)}`);
  }
}
