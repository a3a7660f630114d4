/**
 * Domain events (beyond libvirt's ESX driver, which has none): lifecycle changes (power
 * state, domains appearing and disappearing), pending questions, and the completion of the
 * domains' tasks, streamed from WaitForUpdatesEx on a private property collector with one
 * filter over the host's VMs (or one VM) and their recent tasks (runtime/property-wait).
 * Starting takes the current state as the baseline (no events for it); closing cancels the
 * server-side wait and destroys the collector with its filter. A watch whose session is lost
 * goes on after the re-login: the whole state, read again, is compared with what it knew.
 */
import { AbortError } from "../../errors/esxvi-error.js";
import { faultText } from "../../runtime/faults.js";
import type { Logger } from "../../runtime/logger.js";
import { SELECT_SETS, traversal } from "../../runtime/property-collector.js";
import { PropertyWait } from "../../runtime/property-wait.js";
import { isQuestion } from "../../runtime/vm-questions.js";
import { pickCallOptions, type MoRef } from "../../runtime/soap/index.js";
import { type ObjectSpec, type ObjectUpdate, type UpdateSet } from "../../generated/property-collector.js";
import type { TaskInfo } from "../../generated/tasks.js";
import type { VirtualMachineQuestionInfo } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import { identityFrom } from "./identity.js";
import type { DomainHandle } from "./lookup.js";

/** The event types, as `virsh event --list` names them. */
export const DOMAIN_EVENT_TYPES = ["lifecycle", "question", "task"] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

export interface EventDomain {
  readonly ref: MoRef<"VirtualMachine">;
  readonly name: string;
  readonly uuid: string;
}

/** A lifecycle change in libvirt's terms (virDomainEventType and its detail, as virsh prints them). */
export interface LifecycleEvent {
  readonly type: "lifecycle";
  readonly time: Date;
  readonly domain: EventDomain;
  readonly event: "Defined" | "Undefined" | "Started" | "Suspended" | "Resumed" | "Stopped";
  readonly detail: "Added" | "Removed" | "Booted" | "Paused" | "Unpaused" | "Shutdown";
  /** The VM's power state after the change ("" when it left). */
  readonly powerState: string;
}

/** A question became pending on the domain, or the pending one went away (answered). */
export interface QuestionEvent {
  readonly type: "question";
  readonly time: Date;
  readonly domain: EventDomain;
  readonly state: "pending" | "answered";
  readonly id: string;
  /** The question (pending only). */
  readonly question?: VirtualMachineQuestionInfo;
}

/** One of the domain's tasks ended. */
export interface TaskEvent {
  readonly type: "task";
  readonly time: Date;
  readonly domain: EventDomain;
  readonly task: MoRef<"Task">;
  /** e.g. "VirtualMachine.powerOn". */
  readonly descriptionId: string;
  readonly name: string | undefined;
  readonly state: "success" | "error";
  /** The fault, as the task waiter reports it ("<fault type> - <message>"). */
  readonly error: string | undefined;
}

export type DomainEvent = LifecycleEvent | QuestionEvent | TaskEvent;

export interface WatchOptions {
  /** Only this domain. */
  readonly domain?: DomainHandle;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

const VM_PATHS = ["name", "config.uuid", "configStatus", "runtime.powerState", "runtime.question", "recentTask"];

interface VmState {
  props: Record<string, unknown>;
  domain: EventDomain;
}

interface TaskState {
  vm: string | undefined;
  ended: boolean;
}

const TRANSITIONS: Readonly<Record<string, Pick<LifecycleEvent, "event" | "detail">>> = {
  "poweredOff>poweredOn": { event: "Started", detail: "Booted" },
  "poweredOn>poweredOff": { event: "Stopped", detail: "Shutdown" },
  "suspended>poweredOff": { event: "Stopped", detail: "Shutdown" },
  "poweredOn>suspended": { event: "Suspended", detail: "Paused" },
  "poweredOff>suspended": { event: "Suspended", detail: "Paused" },
  "suspended>poweredOn": { event: "Resumed", detail: "Unpaused" },
};

/** The lifecycle event of a power-state change, when libvirt has one. */
export function lifecycleOf(from: string | undefined, to: string | undefined): Pick<LifecycleEvent, "event" | "detail"> | undefined {
  return TRANSITIONS[`${from ?? ""}>${to ?? ""}`];
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** The fault of a failed task, described as the task waiter's TaskError describes it. */
function taskErrorText(info: TaskInfo): string | undefined {
  if (info.state !== "error") return undefined;
  const fault = info.error?.fault;
  const text = info.error?.localizedMessage;
  return fault === undefined ? (text ?? "Unknown error") : faultText(fault._wireType ?? fault._typeName, text);
}

/**
 * A running watch. `start` resolves once the baseline is taken; `next` resolves with the next
 * event (undefined once closed); `close` ends the watch at once and cleans up on the server.
 */
export class DomainEventWatcher implements AsyncIterable<DomainEvent> {
  readonly #wait: PropertyWait;
  readonly #logger: Logger;
  readonly #vms = new Map<string, VmState>();
  readonly #tasks = new Map<string, TaskState>();
  readonly #queue: DomainEvent[] = [];
  #closed = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.close();

  private constructor(wait: PropertyWait, logger: Logger, signal: AbortSignal | undefined) {
    this.#wait = wait;
    this.#logger = logger;
    this.#signal = signal;
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Watches the connection's domains (or one): creates the collector and filter and takes the baseline. */
  static async start(conn: Connection, options: WatchOptions = {}): Promise<DomainEventWatcher> {
    const { signal } = options;
    if (aborted(signal)) throw new AbortError("stopped before watching", { cause: signal?.reason });
    const call = pickCallOptions(options);
    const logger = options.logger ?? conn.logger;
    const only = options.domain?.ref;
    const toTasks = traversal("vmToRecentTask", "VirtualMachine", "recentTask");
    const objectSet: ObjectSpec =
      only !== undefined
        ? { _typeName: "ObjectSpec", obj: only, skip: false, selectSet: [toTasks] }
        : {
            _typeName: "ObjectSpec",
            obj: conn.inventory.hostSystem.ref,
            skip: true,
            selectSet: [
              ...SELECT_SETS.hostSystemToVm().map((s) => ({
                ...s,
                selectSet: [{ _typeName: "SelectionSpec" as const, name: "vmToRecentTask" }],
              })),
              toTasks,
            ],
          };
    const spec = {
      _typeName: "PropertyFilterSpec" as const,
      propSet: [
        { _typeName: "PropertySpec" as const, type: "VirtualMachine", pathSet: VM_PATHS },
        { _typeName: "PropertySpec" as const, type: "Task", pathSet: ["info"] },
      ],
      objectSet: [objectSet],
    };
    const wait = await PropertyWait.open(conn.primary, spec, { logger, ...call });
    const watcher = new DomainEventWatcher(wait, logger, signal);
    try {
      const baseline = await wait.next({ maxWaitSeconds: 0, ...(signal !== undefined ? { signal } : {}) });
      watcher.#apply(baseline.update, "baseline");
    } catch (e) {
      await watcher.close();
      throw aborted(signal) ? new AbortError("stopped before watching", { cause: e }) : e;
    }
    watcher.#logger.log("debug", `watching ${watcher.#vms.size} domain(s) for events`);
    return watcher;
  }

  /** The number of domains watched. */
  get domains(): number {
    return this.#vms.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The next event; undefined once the watch is closed. */
  async next(): Promise<DomainEvent | undefined> {
    for (;;) {
      const queued = this.#queue.shift();
      if (queued !== undefined) return queued;
      if (this.#closed) return undefined;
      let step;
      try {
        step = await this.#wait.next();
      } catch (e) {
        if (this.#closed) return undefined;
        throw e;
      }
      if (this.#closed) return undefined;
      this.#apply(step.update, step.resumed ? "resync" : "changes");
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<DomainEvent> {
    for (;;) {
      const e = await this.next();
      if (e === undefined) return;
      yield e;
    }
  }

  /** Ends the watch: cancels a pending wait and destroys the collector (once). */
  close(): Promise<void> {
    this.#closed = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    return this.#wait.close();
  }

  /** Turns an update set into events: VM changes first (in order), then task endings. */
  #apply(update: UpdateSet | undefined, kind: "baseline" | "changes" | "resync"): void {
    if (update === undefined) return;
    const baseline = kind === "baseline";
    const vmUpdates: ObjectUpdate[] = [];
    const taskUpdates: ObjectUpdate[] = [];
    for (const fs of update.filterSet ?? []) {
      for (const os of fs.objectSet ?? []) (os.obj.type === "Task" ? taskUpdates : vmUpdates).push(os);
    }
    const time = new Date();
    if (kind === "resync") {
      // The whole state again, on a new collector: a domain it no longer holds left meanwhile.
      const present = new Set(vmUpdates.map((u) => u.obj.value));
      for (const [key, vm] of this.#vms)
        if (!present.has(key)) vmUpdates.push({ _typeName: "ObjectUpdate", kind: "leave", obj: vm.domain.ref });
    }
    for (const u of vmUpdates) this.#applyVm(u, baseline, time);
    for (const u of taskUpdates) this.#applyTask(u, baseline, time);
  }

  #emit(e: DomainEvent): void {
    this.#queue.push(e);
  }

  #applyVm(u: ObjectUpdate, baseline: boolean, time: Date): void {
    const key = u.obj.value;
    const ref = u.obj as MoRef<"VirtualMachine">;
    const known = this.#vms.get(key);
    if (u.kind === "leave") {
      if (known === undefined) return;
      this.#vms.delete(key);
      this.#emit({ type: "lifecycle", time, domain: known.domain, event: "Undefined", detail: "Removed", powerState: "" });
      return;
    }
    const state: VmState = known ?? { props: {}, domain: { ref, name: "", uuid: "" } };
    const before = { ...state.props };
    for (const c of u.changeSet ?? []) {
      if (c.op === "remove" || c.op === "indirectRemove") delete state.props[c.name];
      else state.props[c.name] = c.val;
    }
    const identity = identityFrom(ref, state.props);
    state.domain = { ref, name: identity.name, uuid: identity.uuid };
    this.#vms.set(key, state);
    if (baseline) return;
    if (known === undefined) {
      this.#emit({ type: "lifecycle", time, domain: state.domain, event: "Defined", detail: "Added", powerState: identity.powerState });
      return;
    }
    // Changes in the order they came: a question that went away, the power state, a new question.
    const oldQuestion = isQuestion(before["runtime.question"]) ? before["runtime.question"] : undefined;
    const newQuestion = isQuestion(state.props["runtime.question"]) ? state.props["runtime.question"] : undefined;
    if (oldQuestion !== undefined && oldQuestion.id !== newQuestion?.id) {
      this.#emit({ type: "question", time, domain: state.domain, state: "answered", id: oldQuestion.id });
    }
    const from = typeof before["runtime.powerState"] === "string" ? before["runtime.powerState"] : undefined;
    const change = from === identity.powerState ? undefined : lifecycleOf(from, identity.powerState);
    if (change !== undefined) this.#emit({ type: "lifecycle", time, domain: state.domain, ...change, powerState: identity.powerState });
    if (newQuestion !== undefined && newQuestion.id !== oldQuestion?.id) {
      this.#emit({ type: "question", time, domain: state.domain, state: "pending", id: newQuestion.id, question: newQuestion });
    }
  }

  /** The watched VM a task belongs to: the one listing it in recentTask, else its entity. */
  #vmOfTask(task: string, info: TaskInfo | undefined): VmState | undefined {
    for (const vm of this.#vms.values()) {
      const recent = vm.props["recentTask"];
      if (
        Array.isArray(recent) &&
        recent.some((r: unknown) => typeof r === "object" && r !== null && (r as { value?: unknown }).value === task)
      )
        return vm;
    }
    const entity = info?.entity;
    return entity === undefined ? undefined : this.#vms.get(entity.value);
  }

  #applyTask(u: ObjectUpdate, baseline: boolean, time: Date): void {
    const key = u.obj.value;
    if (u.kind === "leave") {
      this.#tasks.delete(key);
      return;
    }
    let info: TaskInfo | undefined;
    for (const c of u.changeSet ?? []) {
      if (c.name === "info" && (c.op === "assign" || c.op === "add")) info = c.val as TaskInfo;
    }
    const state = this.#tasks.get(key) ?? { vm: undefined, ended: false };
    this.#tasks.set(key, state);
    if (info === undefined) return;
    const done = info.state === "success" || info.state === "error";
    if (baseline || state.ended || !done) {
      state.ended ||= done;
      return;
    }
    state.ended = true;
    const vm = this.#vmOfTask(key, info);
    if (vm === undefined) return;
    this.#emit({
      type: "task",
      time,
      domain: vm.domain,
      task: u.obj as MoRef<"Task">,
      descriptionId: info.descriptionId,
      name: info.name,
      state: info.state === "success" ? "success" : "error",
      error: taskErrorText(info),
    });
  }
}
