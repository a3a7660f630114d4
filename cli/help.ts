/**
 * virsh's help: commands by group (`help`, `help domain`, virsh's group names and keywords)
 * and one command's NAME / SYNOPSIS / DESCRIPTION / OPTIONS page (`help dominfo`), made from
 * the commands as registered. A command's group comes from the table below, else from its
 * name's prefix (net-, pool-, vol-, iface-, snapshot-, …), so that groups registered elsewhere
 * land in virsh's group without a line here.
 */
import type { Command, Option } from "commander";
import { UsageError } from "./commands/failures.js";
import { globalOptionsHelp } from "./global-options.js";

export interface CommandGroup {
  readonly keyword: string;
  readonly title: string;
}

/** virsh's groups, in its order (vshCmdGrp). */
export const GROUPS: readonly CommandGroup[] = [
  { keyword: "domain", title: "Domain Management" },
  { keyword: "monitor", title: "Domain Monitoring" },
  { keyword: "checkpoint", title: "Checkpoint" },
  { keyword: "host", title: "Host and Hypervisor" },
  { keyword: "interface", title: "Interface" },
  { keyword: "filter", title: "Network Filter" },
  { keyword: "network", title: "Networking" },
  { keyword: "nodedev", title: "Node Device" },
  { keyword: "secret", title: "Secret" },
  { keyword: "snapshot", title: "Snapshot" },
  { keyword: "backup", title: "Backup" },
  { keyword: "pool", title: "Storage Pool" },
  { keyword: "volume", title: "Storage Volume" },
  { keyword: "virsh", title: "Virsh itself" },
];

const BY_NAME: Readonly<Record<string, string>> = {
  autostart: "domain",
  define: "domain",
  destroy: "domain",
  domid: "domain",
  domname: "domain",
  domuuid: "domain",
  domhostname: "domain",
  "domxml-from-native": "domain",
  "domxml-to-native": "domain",
  dumpxml: "domain",
  event: "domain",
  memtune: "domain",
  migrate: "domain",
  reboot: "domain",
  reset: "domain",
  resume: "domain",
  schedinfo: "domain",
  setmaxmem: "domain",
  setmem: "domain",
  setvcpus: "domain",
  shutdown: "domain",
  start: "domain",
  suspend: "domain",
  undefine: "domain",
  vcpucount: "domain",
  domblklist: "monitor",
  domiflist: "monitor",
  domifaddr: "monitor",
  dominfo: "monitor",
  dommemstat: "monitor",
  domstate: "monitor",
  list: "monitor",
  watch: "monitor",
  capabilities: "host",
  domcapabilities: "host",
  freecell: "host",
  hostname: "host",
  nodecpustats: "host",
  nodeinfo: "host",
  nodememstats: "host",
  sysinfo: "host",
  uri: "host",
  version: "host",
  connect: "virsh",
  exit: "virsh",
  help: "virsh",
  quit: "virsh",
};

const PREFIXES: readonly [string, string][] = [
  ["snapshot-", "snapshot"],
  ["checkpoint-", "checkpoint"],
  ["backup-", "backup"],
  ["net-", "network"],
  ["iface-", "interface"],
  ["nwfilter-", "filter"],
  ["nodedev-", "nodedev"],
  ["secret-", "secret"],
  ["pool-", "pool"],
  ["vol-", "volume"],
  ["find-storage-pool-sources", "pool"],
];

/** The group keyword of a command. */
export function groupOf(name: string): string {
  return BY_NAME[name] ?? PREFIXES.find(([p]) => name.startsWith(p))?.[1] ?? "virsh";
}

function groupBlock(group: CommandGroup, commands: readonly Command[]): string {
  const own = commands.filter((c) => groupOf(c.name()) === group.keyword).sort((a, b) => (a.name() < b.name() ? -1 : 1));
  if (own.length === 0) return "";
  const lines = own.map((c) => `    ${c.name().padEnd(30)} ${c.description()}\n`).join("");
  return ` ${group.title} (help keyword '${group.keyword}'):\n${lines}\n`;
}

/** virsh's `help`: every group with its commands. */
export function groupedHelp(program: Command): string {
  return `Grouped commands:\n\n${GROUPS.map((g) => groupBlock(g, program.commands)).join("")}`;
}

function optionValue(o: Option): string {
  return o.required || o.optional ? ` <${o.flags.match(/[<[]([^>\]]+)[>\]]/)?.[1] ?? "string"}>` : "";
}

/** virsh's page for one command. */
export function commandHelp(cmd: Command): string {
  const args = cmd.registeredArguments;
  const options = cmd.options.filter((o) => o.long !== "--help");
  const synopsis = [
    cmd.name(),
    ...args.map((a) => (a.required ? `<${a.name()}>` : `[<${a.name()}>]`)),
    ...options.map((o) => `[${o.long ?? o.flags}${optionValue(o)}]`),
  ].join(" ");
  const rows = [
    ...args.map((a) => [`${a.required ? "" : "["}[--${a.name()}] <string>${a.required ? "" : "]"}`, a.description] as const),
    ...options.map((o) => [`${o.long ?? o.flags}${optionValue(o)}`, o.description] as const),
  ];
  const optionLines = rows.map(([left, text]) => `    ${left.padEnd(15)}  ${text}\n`).join("");
  return (
    `  NAME\n    ${cmd.name()} - ${cmd.description()}\n\n` +
    `  SYNOPSIS\n    ${synopsis}\n\n` +
    `  DESCRIPTION\n    ${cmd.description()}.\n\n` +
    (optionLines === "" ? "" : `  OPTIONS\n${optionLines}\n`)
  );
}

/** `help [command|group]`. Throws virsh's error for a name that is neither. */
export function helpText(program: Command, topic: string | undefined): string {
  if (topic === undefined) return groupedHelp(program);
  const group = GROUPS.find((g) => g.keyword === topic);
  if (group !== undefined) return groupBlock(group, program.commands) || ` ${group.title} (help keyword '${group.keyword}'):\n\n`;
  const cmd = program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
  if (cmd === undefined) throw new UsageError(`command or command group '${topic}' doesn't exist`);
  return commandHelp(cmd);
}

/** `esxvi --help`: usage, the global options, then the commands by group. */
export function programHelp(program: Command): string {
  return (
    `\nesxvi [options]... [<command_string>]\nesxvi [options]... <command> [args...]\n\n` +
    `  options:\n${globalOptionsHelp()}\n` +
    `  commands (non interactive mode):\n\n${GROUPS.map((g) => groupBlock(g, program.commands)).join("")}` +
    `  (specify help <group> for details about the commands in the group)\n\n` +
    `  (specify help <command> for details about the command)\n\n`
  );
}
