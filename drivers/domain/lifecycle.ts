/**
 * Domain lifecycle as libvirt's ESX driver does it: start (PowerOnVM_Task), shutdown
 * (ShutdownGuest) and reboot (RebootGuest) — guest operations, not tasks —, destroy
 * (PowerOffVM_Task, through the vCenter session when there is one), suspend (SuspendVM_Task),
 * resume (PowerOnVM_Task), plus reset (ResetVM_Task, which libvirt lacks). Each checks
 * libvirt's power-state precondition on the handle's state (as of its lookup), so a refused
 * operation costs no call and changes nothing; tasks go through the pre-task check and the
 * waiter.
 */
import { OperationInvalidError } from "../../errors/esxvi-error.js";
import { pickCallOptions, type CallOptions, type MoRef, type SoapCaller } from "../../runtime/soap/index.js";
import { PowerOffVM_Task, PowerOnVM_Task, RebootGuest, ResetVM_Task, ShutdownGuest, SuspendVM_Task } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import type { DomainIdentity } from "./identity.js";
import { domainViaVCenter, type DomainHandle } from "./lookup.js";
import { checkFlags } from "./unsupported-flags.js";
import { runDomainTask, type DomainTaskOptions } from "./vm-task.js";

export type LifecycleAction = "start" | "shutdown" | "reboot" | "reset" | "destroy" | "suspend" | "resume";

interface ActionRule {
  /** The power state the VM must be in. */
  readonly requires: "poweredOff" | "poweredOn" | "suspended";
  /** libvirt's message when it is not. */
  readonly refusal: string;
  /** A task (prepared, then waited for) or a guest operation that returns at once. */
  readonly task?: (client: SoapCaller, vm: MoRef<"VirtualMachine">, call: CallOptions) => Promise<MoRef<"Task">>;
  readonly guest?: (client: SoapCaller, vm: MoRef<"VirtualMachine">, call: CallOptions) => Promise<void>;
  /** libvirt's destroy goes through the vCenter when the connection has one. */
  readonly viaVCenter?: boolean;
  /** The libvirt driver function (named in an unsupported-flags error) and the flags it takes. */
  readonly fn: string;
  readonly allowedFlags?: number;
}

/** virDomainShutdownFlagValues / virDomainRebootFlagValues: the VMware Tools call is the guest agent's way. */
export const GUEST_AGENT_FLAG = 2;

const RULES: Readonly<Record<LifecycleAction, ActionRule>> = {
  start: {
    requires: "poweredOff",
    refusal: "Domain is not powered off",
    task: (c, vm, call) => PowerOnVM_Task(c, vm, {}, call),
    fn: "esxDomainCreateWithFlags",
  },
  resume: {
    requires: "suspended",
    refusal: "Domain is not suspended",
    task: (c, vm, call) => PowerOnVM_Task(c, vm, {}, call),
    fn: "esxDomainResume",
  },
  suspend: {
    requires: "poweredOn",
    refusal: "Domain is not powered on",
    task: (c, vm, call) => SuspendVM_Task(c, vm, call),
    fn: "esxDomainSuspend",
  },
  reset: {
    requires: "poweredOn",
    refusal: "Domain is not powered on",
    task: (c, vm, call) => ResetVM_Task(c, vm, call),
    fn: "esxDomainReset",
  },
  destroy: {
    requires: "poweredOn",
    refusal: "Domain is not powered on",
    task: (c, vm, call) => PowerOffVM_Task(c, vm, call),
    viaVCenter: true,
    fn: "esxDomainDestroyFlags",
  },
  shutdown: {
    requires: "poweredOn",
    refusal: "Domain is not powered on",
    guest: (c, vm, call) => ShutdownGuest(c, vm, call),
    fn: "esxDomainShutdownFlags",
    allowedFlags: GUEST_AGENT_FLAG,
  },
  reboot: {
    requires: "poweredOn",
    refusal: "Domain is not powered on",
    guest: (c, vm, call) => RebootGuest(c, vm, call),
    fn: "esxDomainReboot",
    allowedFlags: GUEST_AGENT_FLAG,
  },
};

export interface LifecycleOptions extends DomainTaskOptions {
  /**
   * virsh's flags for the action (start --paused 0x1, destroy --graceful 0x1, shutdown and
   * reboot --mode bits). Flags the action cannot honour fail as in libvirt, after the lookup
   * and before anything changes; the guest-agent mode of shutdown and reboot is what
   * VMware Tools does, so it is accepted.
   */
  readonly flags?: number;
}

/**
 * Runs a lifecycle action on the domain. Resolves with the domain's identity as looked up
 * (before the action).
 */
export async function domainLifecycle(
  conn: Connection,
  action: LifecycleAction,
  domain: DomainHandle,
  options: LifecycleOptions = {},
): Promise<DomainIdentity> {
  const rule = RULES[action];
  const call = pickCallOptions(options);
  const identity = domain.identity;
  checkFlags(rule.fn, options.flags ?? 0, rule.allowedFlags);
  if (identity.powerState !== rule.requires) throw new OperationInvalidError(rule.refusal);
  const { session, vm } =
    rule.viaVCenter === true ? await domainViaVCenter(conn, identity, call) : { session: conn.primary, vm: identity.ref };
  if (rule.guest !== undefined) {
    await rule.guest(session.client, vm, call);
  } else if (rule.task !== undefined) {
    const start = rule.task;
    await runDomainTask(conn, session, vm, (c) => start(session.client, vm, c), options);
  }
  return identity;
}
