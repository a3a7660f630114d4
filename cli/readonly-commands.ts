/**
 * What -r/--readonly refuses: every command that changes something, with the libvirt API a
 * read-only connection would refuse ("operation forbidden: read only access prevents …").
 * A command that changes something only with some options or arguments says when. Command
 * groups registered elsewhere add their lines here.
 */
import { OperationInvalidError } from "../errors/esxvi-error.js";

interface Mutation {
  readonly api: string;
  /** Whether this invocation changes something (default: always). */
  readonly when?: (args: readonly unknown[], options: Readonly<Record<string, unknown>>) => boolean;
}

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  start: { api: "virDomainCreate" },
  shutdown: { api: "virDomainShutdown" },
  reboot: { api: "virDomainReboot" },
  reset: { api: "virDomainReset" },
  destroy: { api: "virDomainDestroy" },
  suspend: { api: "virDomainSuspend" },
  resume: { api: "virDomainResume" },
  setmem: { api: "virDomainSetMemoryFlags" },
  setmaxmem: { api: "virDomainSetMemoryFlags" },
  setvcpus: { api: "virDomainSetVcpusFlags" },
  memtune: {
    api: "virDomainSetMemoryParameters",
    when: (_a, o) => ["hardLimit", "softLimit", "swapHardLimit", "minGuarantee"].some((k) => o[k] !== undefined),
  },
  schedinfo: {
    api: "virDomainSetSchedulerParametersFlags",
    when: (a, o) => o["set"] !== undefined || (Array.isArray(a[1]) && a[1].length > 0),
  },
  autostart: { api: "virDomainSetAutostart" },
  define: { api: "virDomainDefineXMLFlags" },
  undefine: { api: "virDomainUndefineFlags" },
  "snapshot-create-as": { api: "virDomainSnapshotCreateXML", when: (_a, o) => o["printXml"] !== true },
  "snapshot-create": { api: "virDomainSnapshotCreateXML" },
  "snapshot-current": { api: "virDomainSnapshotCreateXML", when: (a) => typeof a[1] === "string" },
  "snapshot-edit": { api: "virDomainSnapshotCreateXML" },
  "snapshot-revert": { api: "virDomainRevertToSnapshot" },
  "snapshot-delete": { api: "virDomainSnapshotDelete" },
  migrate: { api: "virDomainMigrate3" },
  screenshot: { api: "virDomainScreenshot" },
  "pool-refresh": { api: "virStoragePoolRefresh" },
  "pool-autostart": { api: "virStoragePoolSetAutostart" },
  "vol-create": { api: "virStorageVolCreateXML" },
  "vol-create-as": { api: "virStorageVolCreateXML", when: (_a, o) => o["printXml"] !== true },
  "vol-create-from": { api: "virStorageVolCreateXMLFrom" },
  "vol-clone": { api: "virStorageVolCreateXMLFrom" },
  "vol-delete": { api: "virStorageVolDelete" },
  "vol-wipe": { api: "virStorageVolWipe" },
  "vol-resize": { api: "virStorageVolResize" },
  "vol-upload": { api: "virStorageVolUpload" },
  "vol-download": { api: "virStorageVolDownload" },
  "net-define": { api: "virNetworkDefineXMLFlags" },
  "net-undefine": { api: "virNetworkUndefine" },
  "net-autostart": { api: "virNetworkSetAutostart" },
  "net-start": { api: "virNetworkCreate" },
  "net-destroy": { api: "virNetworkDestroy" },
  "net-create": { api: "virNetworkCreateXMLFlags" },
};

/** Throws virsh's refusal when `command` with these arguments would change something. */
export function refuseIfMutating(command: string, args: readonly unknown[], options: Readonly<Record<string, unknown>>): void {
  const m = MUTATIONS[command];
  if (m === undefined || (m.when !== undefined && !m.when(args, options))) return;
  throw new OperationInvalidError(`operation forbidden: read only access prevents ${m.api}`, { code: "OPERATION_DENIED" });
}

/** The commands -r refuses (whatever their options). */
export function mutatingCommands(): string[] {
  return Object.keys(MUTATIONS);
}
