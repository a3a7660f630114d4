/**
 * Domain events without a server: power-state changes as libvirt lifecycle events, and the
 * text (virsh's "event 'lifecycle' for domain 'x': Started Booted") and JSON-line layouts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { moRef } from "../../runtime/soap/index.js";
import { eventJson, formatEventText } from "../../cli/commands/event.js";
import { lifecycleOf, type DomainEvent } from "../../drivers/domain/events.js";

const domain = { ref: moRef("VirtualMachine", "vm-9"), name: "web 1", uuid: "564d0000-0000-0000-0000-000000000009" };
const time = new Date("2026-01-02T03:04:05.678Z");

test("power-state changes map to libvirt's lifecycle events", () => {
  assert.equal(lifecycleOf("poweredOff", "poweredOn"), { event: "Started", detail: "Booted" });
  assert.equal(lifecycleOf("poweredOn", "poweredOff"), { event: "Stopped", detail: "Shutdown" });
  assert.equal(lifecycleOf("suspended", "poweredOff"), { event: "Stopped", detail: "Shutdown" });
  assert.equal(lifecycleOf("poweredOn", "suspended"), { event: "Suspended", detail: "Paused" });
  assert.equal(lifecycleOf("suspended", "poweredOn"), { event: "Resumed", detail: "Unpaused" });
  assert.is(lifecycleOf("poweredOn", "poweredOn"), undefined);
  assert.is(lifecycleOf(undefined, "poweredOn"), undefined);
});

test("text lines: lifecycle as virsh, questions with their answers, tasks with their fault", () => {
  const events: [DomainEvent, string][] = [
    [
      { type: "lifecycle", time, domain, event: "Started", detail: "Booted", powerState: "poweredOn" },
      "event 'lifecycle' for domain 'web 1': Started Booted",
    ],
    [
      { type: "lifecycle", time, domain, event: "Undefined", detail: "Removed", powerState: "" },
      "event 'lifecycle' for domain 'web 1': Undefined Removed",
    ],
    [
      {
        type: "question",
        time,
        domain,
        state: "pending",
        id: "_vmx1",
        question: {
          _typeName: "VirtualMachineQuestionInfo",
          id: "_vmx1",
          text: "Moved\nor copied?\n",
          choice: {
            _typeName: "ChoiceOption",
            choiceInfo: [
              { _typeName: "ElementDescription", key: "0", label: "Cancel", summary: "Cancel" },
              { _typeName: "ElementDescription", key: "2", label: "I Copied It", summary: "I Copied It" },
            ],
            defaultIndex: 1,
          },
        },
      },
      "event 'question' for domain 'web 1': pending 'Moved or copied?', possible answers are 'Cancel', 'I Copied It' (default 'I Copied It')",
    ],
    [{ type: "question", time, domain, state: "answered", id: "_vmx1" }, "event 'question' for domain 'web 1': answered"],
    [
      {
        type: "task",
        time,
        domain,
        task: moRef("Task", "task-7"),
        descriptionId: "VirtualMachine.powerOn",
        name: "PowerOnVM_Task",
        state: "error",
        error: "InvalidPowerState - bad state",
      },
      "event 'task' for domain 'web 1': VirtualMachine.powerOn error: InvalidPowerState - bad state",
    ],
    [
      {
        type: "task",
        time,
        domain,
        task: moRef("Task", "task-8"),
        descriptionId: "VirtualMachine.powerOff",
        name: undefined,
        state: "success",
        error: undefined,
      },
      "event 'task' for domain 'web 1': VirtualMachine.powerOff success",
    ],
  ];
  for (const [e, line] of events) assert.is(formatEventText(e), line);
});

test("JSON lines: one object per event with its type's fields", () => {
  const base = { time: "2026-01-02T03:04:05.678Z", domain: "web 1", uuid: domain.uuid };
  assert.equal(eventJson({ type: "lifecycle", time, domain, event: "Stopped", detail: "Shutdown", powerState: "poweredOff" }), {
    event: "lifecycle",
    ...base,
    type: "Stopped",
    detail: "Shutdown",
    powerState: "poweredOff",
  });
  assert.equal(eventJson({ type: "question", time, domain, state: "answered", id: "_vmx3" }), {
    event: "question",
    ...base,
    state: "answered",
    id: "_vmx3",
  });
  assert.equal(
    eventJson({
      type: "task",
      time,
      domain,
      task: moRef("Task", "task-8"),
      descriptionId: "VirtualMachine.suspend",
      name: undefined,
      state: "success",
      error: undefined,
    }),
    {
      event: "task",
      ...base,
      task: "task-8",
      descriptionId: "VirtualMachine.suspend",
      state: "success",
    },
  );
});

test.run();
