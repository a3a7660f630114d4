/**
 * Migration through vCenter as libvirt's ESX driver does it (migration protocol v1):
 * Prepare on the destination connection gives vpxmigr://<vCenter IP>/<resource pool>/<host>
 * from its vCenter inventory; Perform on the source looks the domain up on the vCenter, runs
 * the pre-task check, ValidateMigration (any event returned is an error, reported with the
 * first event's fullFormattedMessage), vSphere's compatibility check where the server offers
 * it (vmotion-compatibility.ts) and MigrateVM_Task with that pool and host, then waits;
 * Finish looks the domain up by name on the destination.
 */
import { EsxviError, InvalidInputError } from "../../errors/esxvi-error.js";
import type { Session } from "../../runtime/session.js";
import { moRef, pickCallOptions, type CallOptions, type MoRef } from "../../runtime/soap/index.js";
import { ValidateMigration, type AnyEvent } from "../../generated/core.js";
import { MigrateVM_Task } from "../../generated/vm.js";
import type { Connection } from "../connection/connection.js";
import { ipv4 } from "../connection/ipv4.js";
import type { DomainIdentity } from "./identity.js";
import { domainViaVCenter, lookupDomain } from "./lookup.js";
import { runDomainTask, type DomainTaskOptions } from "./vm-task.js";
import { checkVMotionCompatibility } from "./vmotion-compatibility.js";

const SERVICE_INSTANCE = moRef("ServiceInstance", "ServiceInstance");

/** Where a vpxmigr:// URI sends a domain. */
export interface MigrationUri {
  /** The vCenter's IP address. */
  readonly server: string;
  readonly resourcePool: MoRef<"ResourcePool">;
  readonly hostSystem: MoRef<"HostSystem">;
}

/** ValidateMigration reported a problem (the events are kept; the message is the first one's). */
export class MigrationValidationError extends EsxviError {
  readonly events: readonly AnyEvent[];

  constructor(domain: string, events: readonly AnyEvent[]) {
    const first = events[0]?.fullFormattedMessage;
    super(
      "INTERNAL_ERROR",
      `Could not migrate domain '${domain}', validation reported a problem${first === undefined || first === "" ? "" : `: ${first}`}`,
    );
    this.events = events;
  }
}

function noVCenter(): InvalidInputError {
  return new InvalidInputError("Migration not possible without a vCenter: connect with vpx://… or esx://…?vcenter=…");
}

/** libvirt's first check: migration needs the connection's vCenter. */
export function requireVCenter(conn: Connection): Session {
  if (conn.vcenter === undefined) throw noVCenter();
  return conn.vcenter;
}

/** The host name of the connection's vCenter, as the URI (or the host's managing vCenter) gives it. */
function vcenterHostOf(conn: Connection): string {
  if (conn.vcenter === undefined) throw noVCenter();
  if (conn.uri.scheme === "vpx") return conn.uri.host;
  if (conn.uri.vcenter === undefined || conn.uri.vcenter === "*") {
    const ip = conn.inventory.hostSystem.managementServerIp;
    if (ip === undefined) throw noVCenter();
    return ip;
  }
  return conn.uri.vcenter;
}

/** The IPv4 address of the connection's vCenter (libvirt's ctx->ipAddress). */
export async function vcenterAddress(conn: Connection): Promise<string> {
  return ipv4(vcenterHostOf(conn));
}

export function formatMigrationUri(u: MigrationUri): string {
  return `vpxmigr://${u.server}/${u.resourcePool.value}/${u.hostSystem.value}`;
}

/** The parts of a vpxmigr:// URI (the scheme checked, the path not yet). */
function splitMigrationUri(uri: string): { server: string; pool: string; host: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?/.exec(uri.trim());
  if (m === null || (m[1] ?? "").toLowerCase() !== "vpxmigr") throw new InvalidInputError("Only vpxmigr:// migration URIs are supported");
  const server = (m[2] ?? "")
    .replace(/^.*@/, "")
    .replace(/:\d*$/, "")
    .replace(/^\[|\]$/g, "");
  const path = (m[3] ?? "").replace(/^\/+/, "");
  const slash = path.indexOf("/");
  return { server, pool: slash < 0 ? path : path.slice(0, slash), host: slash < 0 ? "" : path.slice(slash + 1).replace(/^\/+/, "") };
}

function targetOf(parts: { server: string; pool: string; host: string }): MigrationUri {
  if (parts.pool === "" || parts.host === "") throw new InvalidInputError("Migration URI has to specify resource pool and host system");
  return {
    server: parts.server,
    resourcePool: moRef("ResourcePool", decodeURIComponent(parts.pool)),
    hostSystem: moRef("HostSystem", decodeURIComponent(parts.host)),
  };
}

/** Reads a vpxmigr://<vCenter>/<resource pool>/<host system> URI with libvirt's checks. */
export function parseMigrationUri(uri: string): MigrationUri {
  return targetOf(splitMigrationUri(uri));
}

/** domainMigratePrepare: the destination's vpxmigr:// URI (its vCenter, resource pool and host). */
export async function prepareMigration(dest: Connection): Promise<string> {
  const inventory = dest.vcenterInventory;
  if (dest.vcenter === undefined || inventory === undefined) throw noVCenter();
  return formatMigrationUri({
    server: await vcenterAddress(dest),
    resourcePool: inventory.computeResource.resourcePool,
    hostSystem: inventory.hostSystem.ref,
  });
}

export interface MigrateOptions extends DomainTaskOptions {
  /** A new name on the destination: libvirt's ESX driver refuses it. */
  readonly dname?: string;
}

/**
 * domainMigratePerform: moves the domain to the pool and host of a vpxmigr:// URI of this
 * connection's vCenter. Nothing changes on the server when a check or the validation fails.
 */
export async function performMigration(
  conn: Connection,
  selector: string,
  uri: string,
  options: MigrateOptions = {},
): Promise<{ domain: DomainIdentity; target: MigrationUri }> {
  const vc = requireVCenter(conn);
  if (options.dname !== undefined) throw new InvalidInputError("Renaming domains on migration not supported");
  const parts = splitMigrationUri(uri);
  if (parts.server.toLowerCase() !== (await vcenterAddress(conn)).toLowerCase()) {
    throw new InvalidInputError("Migration source and destination have to refer to the same vCenter");
  }
  const target = targetOf(parts);
  const call = pickCallOptions(options);
  const found = await lookupDomain(conn, selector, [], call);
  // The VM as the vCenter knows it (vpx://: the lookup's own reference; esx://…?vcenter=…: found there by UUID).
  const { vm } = await domainViaVCenter(conn, found.identity, call);
  // The pre-task check, then ValidateMigration and MigrateVM_Task, then the wait.
  await runDomainTask(
    conn,
    vc,
    vm,
    async (c) => {
      const events =
        (await ValidateMigration(vc.client, SERVICE_INSTANCE, { vm: [vm], pool: target.resourcePool, host: target.hostSystem }, c)) ?? [];
      if (events.length > 0) throw new MigrationValidationError(found.identity.name, events);
      await checkVMotionCompatibility(vc, vm, target, found.identity.name, c);
      return MigrateVM_Task(vc.client, vm, { pool: target.resourcePool, host: target.hostSystem, priority: "defaultPriority" }, c);
    },
    options,
  );
  return { domain: found.identity, target };
}

/** domainMigrateFinish: the domain, by name, as the destination sees it. */
export async function finishMigration(dest: Connection, name: string, options: CallOptions = {}): Promise<DomainIdentity> {
  return (await lookupDomain(dest, name, [], options)).identity;
}
