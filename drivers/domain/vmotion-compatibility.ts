/**
 * vSphere's own compatibility check before a migration, where the server offers it: a vCenter
 * names its VirtualMachineCompatibilityChecker in ServiceContent.vmCompatibilityChecker (an
 * ESX host does not). CheckCompatibility_Task tests whether the VM can run on the target host
 * in the target pool (host, resource pool, datastores, networks and, for a running VM, the
 * CPU: what vMotion needs beyond ValidateMigration's checks). Its errors are reported as
 * libvirt reports a failed validation: "Could not migrate domain '<name>', validation
 * reported a problem: <first error's message>". Warnings do not stop a migration.
 */
import { EsxviError } from "../../errors/esxvi-error.js";
import type { Session } from "../../runtime/session.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import { moRef, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { CheckCompatibility_Task, type CheckResult, type LocalizedMethodFault } from "../../generated/index.js";

/** The compatibility checker found problems (kept; the message is the first one's). */
export class MigrationCompatibilityError extends EsxviError {
  readonly faults: readonly LocalizedMethodFault[];

  constructor(domain: string, faults: readonly LocalizedMethodFault[]) {
    const first = faults[0]?.localizedMessage;
    super(
      "INTERNAL_ERROR",
      `Could not migrate domain '${domain}', validation reported a problem${first === undefined || first === "" ? "" : `: ${first}`}`,
    );
    this.faults = faults;
  }
}

function isCheckResult(value: unknown): value is CheckResult {
  return typeof value === "object" && value !== null && (value as { _typeName?: unknown })._typeName === "CheckResult";
}

/**
 * Runs the server's compatibility check of `vm` against the target host and pool; throws
 * MigrationCompatibilityError when it reports an error. Does nothing when the server has no
 * checker.
 */
export async function checkVMotionCompatibility(
  session: Session,
  vm: MoRef<"VirtualMachine">,
  target: { readonly hostSystem: MoRef<"HostSystem">; readonly resourcePool: MoRef<"ResourcePool"> },
  domain: string,
  options: CallOptions = {},
): Promise<void> {
  const checker = session.serviceContent.vmCompatibilityChecker;
  if (checker === undefined) return;
  const task = await CheckCompatibility_Task(
    session.client,
    moRef("VirtualMachineCompatibilityChecker", checker.value),
    { vm, host: target.hostSystem, pool: target.resourcePool },
    options,
  );
  const info = await waitForTask(session, task, options.signal !== undefined ? { signal: options.signal } : {});
  const results: unknown[] = Array.isArray(info.result) ? info.result : [info.result];
  const errors = results.filter(isCheckResult).flatMap((r) => r.error ?? []);
  if (errors.length > 0) throw new MigrationCompatibilityError(domain, errors);
}
