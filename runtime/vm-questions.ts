/**
 * Automatic question handling, as libvirt's ESX driver does it (src/esx/README "Automatic
 * question handling"): a question pending on a VM blocks tasks on it. With auto_answer=1
 * it is answered with its default choice; with auto_answer=0 the operation fails naming
 * the question and its possible answers. Also the check before starting a VM task.
 */
import { EsxviError, OperationInvalidError } from "../errors/esxvi-error.js";
import type { Logger } from "./logger.js";
import { retrieveAll, traversal } from "./property-collector.js";
import type { Session } from "./session.js";
import { hasTypeName, type CallOptions, type MoRef } from "./soap/index.js";
import { AnswerVM, type VirtualMachineQuestionInfo } from "../generated/vm.js";

/** A question blocks the operation (auto_answer=0, or no default answer to give). */
export class QuestionPendingError extends EsxviError {
  readonly question: VirtualMachineQuestionInfo;

  constructor(message: string, question: VirtualMachineQuestionInfo) {
    super("QUESTION_PENDING", message);
    this.question = question;
  }
}

/** The message libvirt gives for a question it does not answer (and the start of the others). */
export function questionMessage(q: VirtualMachineQuestionInfo): string {
  const answers = q.choice.choiceInfo.map((c) => `'${c.label}'`);
  return `Pending question blocks virtual machine execution, question is '${q.text}', ${answers.length === 0 ? "no possible answers" : `possible answers are ${answers.join(", ")}`}`;
}

/**
 * Handles a pending question: answers it with the default choice when `autoAnswer`, else
 * throws QuestionPendingError. Returns the label of the answer given.
 */
export async function handleQuestion(
  session: Session,
  vm: MoRef<"VirtualMachine">,
  question: VirtualMachineQuestionInfo,
  autoAnswer: boolean,
  logger: Logger,
  options?: CallOptions,
): Promise<string> {
  if (!autoAnswer) throw new QuestionPendingError(questionMessage(question), question);
  const choices = question.choice.choiceInfo;
  const index = question.choice.defaultIndex;
  const answer = index === undefined ? undefined : choices[index];
  if (answer === undefined) {
    const message = questionMessage(question);
    throw new QuestionPendingError(choices.length === 0 ? message : `${message}, but no default answer is specified`, question);
  }
  logger.log("info", `${questionMessage(question)}, responding with default answer '${answer.label}'`);
  await AnswerVM(session.client, vm, { questionId: question.id, answerChoice: answer.key }, options);
  return answer.label;
}

export interface PrepareResult {
  /** A pending question was answered (auto_answer=1): the caller must not start its task. */
  readonly answered: boolean;
  /** The question that was answered. */
  readonly question?: VirtualMachineQuestionInfo;
  /** The label of the answer given. */
  readonly answer?: string;
}

/**
 * Before a VM task (libvirt's LookupVirtualMachineByUuidAndPrepareForTask): one retrieval of
 * the VM's pending question and the states of its recent tasks. A question is handled as
 * above; queued or running tasks refuse the new one.
 */
export async function prepareForTask(
  session: Session,
  vm: MoRef<"VirtualMachine">,
  autoAnswer: boolean,
  logger: Logger,
  options?: CallOptions,
): Promise<PrepareResult> {
  const found = await retrieveAll(
    session,
    [
      {
        _typeName: "PropertyFilterSpec",
        propSet: [
          { _typeName: "PropertySpec", type: "VirtualMachine", pathSet: ["runtime.question"] },
          { _typeName: "PropertySpec", type: "Task", pathSet: ["info.state"] },
        ],
        objectSet: [
          { _typeName: "ObjectSpec", obj: vm, skip: false, selectSet: [traversal("vmToRecentTask", "VirtualMachine", "recentTask")] },
        ],
      },
    ],
    options,
  );
  let question: VirtualMachineQuestionInfo | undefined;
  let pending = 0;
  for (const oc of found) {
    for (const p of oc.propSet ?? []) {
      if (p.name === "runtime.question" && isQuestion(p.val)) question = p.val;
      if (p.name === "info.state" && (p.val === "queued" || p.val === "running")) pending++;
    }
  }
  if (question !== undefined) {
    const answer = await handleQuestion(session, vm, question, autoAnswer, logger, options);
    return { answered: true, question, answer };
  }
  if (pending > 0) throw new OperationInvalidError("Other tasks are pending for this domain");
  return { answered: false };
}

export function isQuestion(v: unknown): v is VirtualMachineQuestionInfo {
  return hasTypeName<VirtualMachineQuestionInfo>(v, "VirtualMachineQuestionInfo");
}
