/**
 * Waits for a task through the property collector (WaitForUpdatesEx on a private collector
 * with a filter on Task.info), never by sleeping: progress callbacks, a timeout, an
 * AbortSignal (which cancels the server-side wait and destroys the filter), and, for VM
 * tasks, questions raised while waiting (answered with auto_answer=1; otherwise the task is
 * cancelled when it is cancelable and the wait fails naming the question).
 */
import { AbortError, errorMessage, EsxviError } from "../errors/esxvi-error.js";
import { silentLogger, type Logger } from "./logger.js";
import type { Session } from "./session.js";
import { SoapFaultError, type CallOptions, type MoRef, type ResultRef } from "./soap/index.js";
import { handleQuestion, isQuestion, QuestionPendingError } from "./vm-questions.js";
import type { AnyMethodFault } from "../generated/core.js";
import {
  CancelWaitForUpdates,
  CreateFilter,
  CreatePropertyCollector,
  DestroyPropertyCollector,
  WaitForUpdatesEx,
  type PropertySpec,
  type ObjectSpec,
} from "../generated/property-collector.js";
import { CancelTask, type TaskInfo } from "../generated/tasks.js";

/**
 * The TaskInfo of a task that succeeded, with `result` typed as the method that started the
 * task declares it (a plain TaskInfo when the task's result type is not known).
 */
export type CompletedTask<R> = unknown extends R ? TaskInfo : Omit<TaskInfo, "result"> & { readonly result: R };

/** The task ended in the error state: carries the fault type and localized message. */
export class TaskError extends EsxviError {
  readonly info: TaskInfo;
  /** The fault's type, e.g. "InvalidPowerState" (a newer server's type name is kept). */
  readonly faultType: string | undefined;
  /** The fault, narrowed by its `_typeName` (a MethodFault subtype of these bindings). */
  readonly fault: AnyMethodFault | undefined;
  readonly localizedMessage: string | undefined;

  constructor(info: TaskInfo) {
    const fault = info.error?.fault;
    const faultType = fault === undefined ? undefined : (fault._wireType ?? fault._typeName);
    const text = info.error?.localizedMessage;
    super(
      "TASK_FAILED",
      faultType === undefined ? (text ?? "Unknown error") : `${faultType}${text === undefined || text === "" ? "" : ` - ${text}`}`,
    );
    this.info = info;
    this.faultType = faultType;
    this.fault = fault;
    this.localizedMessage = text;
  }
}

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

/** The longest a single WaitForUpdatesEx may block on the server, in seconds. */
const MAX_WAIT_SECONDS = 60;

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
  const client = session.client;

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

  let collector: MoRef<"PropertyCollector"> | undefined;
  let waiting = false;
  let cancelling: Promise<unknown> | undefined;
  const onStop = (): void => {
    // Ends the server-side wait now; the finally block destroys the collector and its filter.
    if (waiting && collector !== undefined)
      cancelling = CancelWaitForUpdates(client, collector, { timeoutMs: 10_000 }).catch(() => undefined);
  };
  stop.signal.addEventListener("abort", onStop, { once: true });
  const call: CallOptions = { signal: stop.signal };
  try {
    collector = await orStopped(CreatePropertyCollector(client, call));
    const propSet: PropertySpec[] = [{ _typeName: "PropertySpec", type: "Task", pathSet: ["info"] }];
    const objectSet: ObjectSpec[] = [{ _typeName: "ObjectSpec", obj: task }];
    if (options.vm !== undefined) {
      propSet.push({ _typeName: "PropertySpec", type: "VirtualMachine", pathSet: ["runtime.question"] });
      objectSet.push({ _typeName: "ObjectSpec", obj: options.vm });
    }
    await orStopped(
      CreateFilter(client, collector, { spec: { _typeName: "PropertyFilterSpec", propSet, objectSet }, partialUpdates: false }, call),
    );

    let version = "";
    let lastProgress = -1;
    /** The task's latest info across updates (a question may come in an update of its own). */
    let latest: TaskInfo | undefined;
    for (;;) {
      if (stop.signal.aborted) throw stopped();
      waiting = true;
      let update;
      try {
        update = await orStopped(
          WaitForUpdatesEx(
            client,
            collector,
            { version, options: { _typeName: "WaitOptions", maxWaitSeconds: MAX_WAIT_SECONDS } },
            { signal: stop.signal, timeoutMs: (MAX_WAIT_SECONDS + 30) * 1000 },
          ),
        );
      } finally {
        waiting = false;
      }
      if (update === undefined) continue;
      version = update.version;
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
    stop.signal.removeEventListener("abort", onStop);
    await cancelling;
    if (collector !== undefined) {
      await DestroyPropertyCollector(client, collector, { timeoutMs: 10_000 }).catch((e: unknown) => {
        logger.log("debug", `DestroyPropertyCollector: ${errorMessage(e)}`);
      });
    }
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
