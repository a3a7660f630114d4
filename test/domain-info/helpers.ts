/**
 * What the domain information suites share: a connection to the simulator, the SOAP calls
 * the simulator counted, and a prepared set of five domains (ESX model, VMs 0–4) in every
 * state libvirt distinguishes:
 *   ha-host_VM0 (id 9)  running, one snapshot, autostart on
 *   ha-host_VM1 (12)    shut off by a hard power-off (cleanPowerOff false), autostart on
 *   ha-host_VM2 (15)    paused (suspended), autostart entry with start action "none"
 *   ha-host_VM3 (18)    shut off by a guest shutdown (cleanPowerOff true)
 *   web/app%x   (21)    running, named "web%2fapp%25x" on the server (libvirt unescapes),
 *                       guest host name "web01" and address 10.0.0.42 (vcsim's SET.guest.* hook)
 */
import { type Connection } from "../../drivers/connection/connection.js";
import { retrieveDomains } from "../../drivers/domain/lookup.js";
import type { MoRef } from "../../runtime/soap/index.js";
import { waitForTask } from "../../runtime/task-waiter.js";
import {
  CreateSnapshot_Task,
  PowerOffVM_Task,
  ReconfigVM_Task,
  ReconfigureAutostart,
  ShutdownGuest,
  SuspendVM_Task,
  type VirtualMachineConfigSpec,
} from "../../generated/index.js";
import type { Simulator } from "../support/vcsim.js";

/** The simulator's count of SOAP calls by method since its last reset. */
export async function methodCalls(sim: Simulator): Promise<Record<string, number>> {
  const s = await sim.control.stats();
  return Object.fromEntries(Object.entries(s.byMethod).map(([m, v]) => [m, v.calls]));
}

/** The VMs of the host by their name on the server. */
export async function vmRefs(conn: Connection): Promise<Record<string, MoRef<"VirtualMachine">>> {
  const r = await retrieveDomains(conn, []);
  return Object.fromEntries(r.domains.map((d) => [d.props["name"] as string, d.identity.ref]));
}

async function reconfigure(
  conn: Connection,
  vm: MoRef<"VirtualMachine">,
  spec: Omit<VirtualMachineConfigSpec, "_typeName">,
): Promise<void> {
  await waitForTask(
    conn.primary,
    await ReconfigVM_Task(conn.primary.client, vm, { spec: { _typeName: "VirtualMachineConfigSpec", ...spec } }),
  );
}

/** Sets guest.* string properties through vcsim's extraConfig hook. */
export async function setGuest(conn: Connection, vm: MoRef<"VirtualMachine">, values: Readonly<Record<string, string>>): Promise<void> {
  await reconfigure(conn, vm, {
    extraConfig: Object.entries(values).map(([k, v]) => ({ _typeName: "OptionValue" as const, key: `SET.guest.${k}`, value: v })),
  });
}

export const RENAMED = "web%2fapp%25x";
export const RENAMED_DOMAIN = "web/app%x";

/** Brings the five model VMs into the states listed above. */
export async function prepareDomains(conn: Connection): Promise<Record<string, MoRef<"VirtualMachine">>> {
  const vms = await vmRefs(conn);
  const vm = (name: string): MoRef<"VirtualMachine"> => {
    const v = vms[name];
    if (v === undefined) throw new Error(`no VM ${name}`);
    return v;
  };
  const c = conn.primary.client;
  await waitForTask(conn.primary, await CreateSnapshot_Task(c, vm("ha-host_VM0"), { name: "s1", memory: false, quiesce: false }));
  await waitForTask(conn.primary, await PowerOffVM_Task(c, vm("ha-host_VM1")));
  await waitForTask(conn.primary, await SuspendVM_Task(c, vm("ha-host_VM2")));
  await ShutdownGuest(c, vm("ha-host_VM3"));
  await reconfigure(conn, vm("ha-host_VM4"), { name: RENAMED });
  await setGuest(conn, vm("ha-host_VM4"), { hostName: "web01", ipAddress: "10.0.0.42" });
  const mgr = conn.inventory.hostSystem.configManager?.autoStartManager;
  if (mgr === undefined) throw new Error("no autostart manager");
  const entry = (key: MoRef<"VirtualMachine">, startAction: string) => ({
    _typeName: "AutoStartPowerInfo" as const,
    key,
    startOrder: -1,
    startDelay: -1,
    waitForHeartbeat: "systemDefault",
    startAction,
    stopDelay: -1,
    stopAction: "none",
  });
  await ReconfigureAutostart(c, mgr, {
    spec: {
      _typeName: "HostAutoStartManagerConfig",
      defaults: { _typeName: "AutoStartDefaults", enabled: true },
      powerInfo: [entry(vm("ha-host_VM0"), "powerOn"), entry(vm("ha-host_VM1"), "PowerOn"), entry(vm("ha-host_VM2"), "none")],
    },
  });
  return { ...vms, [RENAMED_DOMAIN]: vm("ha-host_VM4") };
}
