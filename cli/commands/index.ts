/**
 * Every command group of esxvi, with the names of its commands: a command line loads only
 * the group of the command it runs (a group's module brings its drivers and output code), all
 * of them when it needs every command (help, the shell, a name no group has). Keep one entry
 * per group here; test/cli/command-groups.test.ts checks the names against what each group
 * registers.
 */
import type { Command } from "commander";
import type { ActionRunner } from "../action-runner.js";

type Register = (program: Command, run: ActionRunner) => void;

export interface CommandGroupModule {
  /** The commands the group registers, in its order. */
  readonly names: readonly string[];
  readonly load: () => Promise<Register>;
}

export const COMMAND_GROUPS: readonly CommandGroupModule[] = [
  {
    names: ["version", "uri", "hostname", "nodeinfo"],
    load: async () => (await import("./connection.js")).registerConnectionCommands,
  },
  { names: ["list"], load: async () => (await import("./list.js")).registerListCommand },
  {
    names: [
      "dominfo",
      "domstate",
      "domuuid",
      "domid",
      "domname",
      "domhostname",
      "domifaddr",
      "domblklist",
      "domiflist",
      "vcpucount",
      "dommemstat",
    ],
    load: async () => (await import("./domain-info.js")).registerDomainInfoCommands,
  },
  {
    names: ["capabilities", "freecell", "sysinfo", "nodememstats", "nodecpustats"],
    load: async () => (await import("./host.js")).registerHostCommands,
  },
  { names: ["domcapabilities"], load: async () => (await import("./domain-capabilities.js")).registerDomainCapabilitiesCommand },
  {
    names: ["dumpxml", "define", "undefine", "domxml-from-native", "domxml-to-native"],
    load: async () => (await import("./domain-xml.js")).registerDomainXmlCommands,
  },
  {
    names: ["start", "shutdown", "reboot", "reset", "destroy", "suspend", "resume"],
    load: async () => (await import("./domain-lifecycle.js")).registerLifecycleCommands,
  },
  {
    names: ["setmem", "setmaxmem", "setvcpus", "memtune", "schedinfo"],
    load: async () => (await import("./domain-tuning.js")).registerTuningCommands,
  },
  { names: ["autostart"], load: async () => (await import("./autostart.js")).registerAutostartCommand },
  {
    names: [
      "snapshot-create-as",
      "snapshot-create",
      "snapshot-list",
      "snapshot-info",
      "snapshot-dumpxml",
      "snapshot-current",
      "snapshot-parent",
      "snapshot-revert",
      "snapshot-delete",
      "snapshot-edit",
    ],
    load: async () => (await import("./snapshot.js")).registerSnapshotCommands,
  },
  { names: ["migrate"], load: async () => (await import("./migrate.js")).registerMigrateCommand },
  { names: ["event", "watch"], load: async () => (await import("./event.js")).registerEventCommands },
  {
    names: [
      "net-list",
      "net-info",
      "net-uuid",
      "net-name",
      "net-dumpxml",
      "net-define",
      "net-undefine",
      "net-autostart",
      "net-start",
      "net-destroy",
      "net-create",
    ],
    load: async () => (await import("./network.js")).registerNetworkCommands,
  },
  {
    names: ["iface-list", "iface-name", "iface-mac", "iface-dumpxml"],
    load: async () => (await import("./interface.js")).registerInterfaceCommands,
  },
  {
    names: ["pool-list", "pool-info", "pool-uuid", "pool-name", "pool-dumpxml", "pool-refresh", "pool-autostart"],
    load: async () => (await import("./storage-pool.js")).registerStoragePoolCommands,
  },
  {
    names: ["vol-list", "vol-info", "vol-dumpxml", "vol-path", "vol-key", "vol-name", "vol-pool"],
    load: async () => (await import("./storage-volume.js")).registerStorageVolumeCommands,
  },
  {
    names: ["vol-create", "vol-create-as", "vol-create-from", "vol-clone", "vol-delete", "vol-wipe", "vol-resize"],
    load: async () => (await import("./storage-volume-changes.js")).registerStorageVolumeChangeCommands,
  },
  { names: ["vol-upload", "vol-download"], load: async () => (await import("./storage-transfer.js")).registerStorageTransferCommands },
  { names: ["screenshot"], load: async () => (await import("./screenshot.js")).registerScreenshotCommand },
];

/**
 * Registers the group whose commands include `name`, or every group when `name` is undefined
 * or no group has it (commander then reports an unknown command as it would with all of them).
 */
export async function registerCommands(program: Command, run: ActionRunner, name?: string): Promise<void> {
  const own = name === undefined ? undefined : COMMAND_GROUPS.find((g) => g.names.includes(name));
  const groups = own === undefined ? COMMAND_GROUPS : [own];
  const registers = await Promise.all(groups.map((g) => g.load()));
  for (const register of registers) register(program, run);
}
