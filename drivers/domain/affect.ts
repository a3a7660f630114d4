/**
 * virsh's --live / --config / --current flags resolved against a domain's power state, the
 * way libvirt resolves VIR_DOMAIN_AFFECT_* (virDomainObjUpdateModificationImpact): no flag
 * (or --current) means the live domain when it is active, else its configuration; --live on
 * an inactive domain is refused. What vSphere can then do with the result is each setting's
 * business: a resource allocation (memory limit and reservation, CPU allocation) is one
 * value that applies at once and persists, so it cannot be changed "for the next boot only".
 */
import { InvalidInputError, OperationInvalidError } from "../../errors/esxvi-error.js";
import { isActive } from "./identity.js";

export interface AffectFlags {
  readonly live?: boolean;
  readonly config?: boolean;
  readonly current?: boolean;
}

export interface Affected {
  /** Change the running domain. */
  readonly live: boolean;
  /** Change the persistent configuration. */
  readonly config: boolean;
  /** The domain is active (powered on or suspended). */
  readonly active: boolean;
}

/** Throws INVALID_ARG for --current with --live or --config (virsh's VSH_EXCLUSIVE_OPTIONS). */
export function checkAffectFlags(flags: AffectFlags): void {
  if (flags.current !== true) return;
  if (flags.live === true) throw new InvalidInputError("Options --current and --live are mutually exclusive");
  if (flags.config === true) throw new InvalidInputError("Options --current and --config are mutually exclusive");
}

export function resolveAffect(flags: AffectFlags, powerState: string): Affected {
  checkAffectFlags(flags);
  const active = isActive(powerState);
  let live = flags.live === true;
  let config = flags.config === true;
  if (!live && !config) {
    live = active;
    config = !active;
  }
  if (live && !active) throw new OperationInvalidError("domain is not running");
  return { live, config, active };
}

/**
 * For a resource allocation: refuses a change of the configuration alone on an active
 * domain, which vSphere would apply to the running domain as well.
 */
export function checkAllocationAffect(affected: Affected): void {
  if (affected.active && affected.config && !affected.live) {
    throw new OperationInvalidError(
      "vSphere applies this setting to the running domain too: use --live (with or without --config), or power the domain off to change its configuration only",
    );
  }
}
