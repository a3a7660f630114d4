/**
 * `import … from "esxvi"`: the library. Connecting (a libvirt URI plus user, password,
 * thumbprint, CA, proxy and signal), the connection and its sessions, the domain driver,
 * tasks, the property collector, VI faults and the error classes. The vSphere API itself
 * (every type and method stub) is `esxvi/vi`; the VMX converter is `esxvi/vmx`.
 */

// Connecting
export {
  openConnection as connect,
  openConnection,
  Connection,
  type OpenOptions as ConnectOptions,
} from "../drivers/connection/connection.js";
export { parseConnectionUri, type ConnectionUri, type Scheme } from "../drivers/connection/uri.js";
export type { CredentialSources, PasswordPrompt } from "../drivers/connection/credentials.js";
export { Session, type SessionOptions, type ProductLine } from "../runtime/session.js";
export type { TlsSettings } from "../runtime/http/tls.js";
export type { RetryPolicy } from "../runtime/read-retry.js";
export { silentLogger, type Logger, type LogLevel } from "../runtime/logger.js";

// Domains
export {
  lookupDomain,
  refreshDomain,
  retrieveDomains,
  type DomainHandle,
  type DomainProps,
  type VmPath,
  type FoundDomain,
  type LookupBy,
  type LookupOptions,
} from "../drivers/domain/lookup.js";
export { stateOf, domainId, type DomainIdentity, type DomainState } from "../drivers/domain/identity.js";
export { listDomains, type DomainListEntry, type ListFilters } from "../drivers/domain/list.js";
export {
  domainInfo,
  domainVcpuCounts,
  domainMemoryStats,
  DOMAIN_INFO_PATHS,
  VCPU_COUNT_PATHS,
  MEMORY_STATS_PATHS,
  type DomainInfo,
  type VcpuCounts,
  type DomainMemoryStats,
} from "../drivers/domain/info.js";
export { domainState, DOMAIN_STATE_PATHS, type DomainStateInfo } from "../drivers/domain/state.js";
export { domainLifecycle, type LifecycleAction, type LifecycleOptions } from "../drivers/domain/lifecycle.js";
export {
  setDomainMemory,
  setDomainMaxMemory,
  getMemoryParameters,
  setMemoryParameters,
  MEMORY_ALLOCATION_PATHS,
  MAX_MEMORY_PATHS,
} from "../drivers/domain/memory.js";
export { setDomainVcpus, SET_VCPUS_PATHS, SET_VCPUS_HOST_PATHS } from "../drivers/domain/vcpus.js";
export { getSchedulerInfo, setSchedulerParameters, SCHEDULER_PATHS, type SchedulerParameters } from "../drivers/domain/scheduler.js";
export { setDomainAutostart } from "../drivers/domain/autostart.js";
export { domainXmlDesc, domainDefinition, DOMAIN_XML_PATHS, type XmlDescOptions } from "../drivers/domain/xml-desc.js";
export { domainDevices, type DomainDevices } from "../drivers/domain/devices.js";
export { defineDomain } from "../drivers/domain/define.js";
export { undefineDomain } from "../drivers/domain/undefine.js";
export {
  domainSnapshots,
  createSnapshot,
  revertToSnapshot,
  deleteSnapshot,
  SNAPSHOT_PATHS,
  SnapshotTree,
  type SnapshotNode,
  type SnapshotSelector,
} from "../drivers/domain/snapshots.js";
export { domainHostname, domainInterfaceAddresses, HOSTNAME_PATHS, INTERFACE_ADDRESS_PATHS } from "../drivers/domain/guest-info.js";
export { performMigration, prepareMigration, finishMigration, migrationTarget } from "../drivers/domain/migrate.js";
export { domainScreenshot, SCREENSHOT_HOST_PATHS, type Screenshot, type ScreenshotOptions } from "../drivers/domain/screenshot.js";
export { DomainEventWatcher, type DomainEvent, type WatchOptions } from "../drivers/domain/events.js";

// Networks (host virtual switches) and interfaces (physical NICs)
export { listNetworks, type NetworkListFilters } from "../drivers/network/list.js";
export { lookupNetwork, type NetworkHandle } from "../drivers/network/lookup.js";
export { defineNetwork } from "../drivers/network/define.js";
export { undefineNetwork } from "../drivers/network/undefine.js";
export { networkXmlDesc } from "../drivers/network/xml-desc.js";
export { listInterfaces, lookupInterface, type InterfaceHandle } from "../drivers/interface/lookup.js";
export { interfaceXmlDesc } from "../drivers/interface/xml-desc.js";

// Storage: pools (datastores, iSCSI targets) and volumes, streamed transfers
export * as storage from "../drivers/storage/storage.js";
export type { StoragePool, StorageVolume, VolumeEntry } from "../drivers/storage/handles.js";
export {
  downloadVolume,
  downloadVolumeToFile,
  uploadVolume,
  uploadVolumeFromFile,
  type TransferOptions,
} from "../drivers/storage/volume-transfer.js";

// Tasks, properties, faults
export { waitForTask, type WaitTaskOptions, type CompletedTask } from "../runtime/task-waiter.js";
export { PropertyWait, type WaitStep } from "../runtime/property-wait.js";
export {
  retrieveOne,
  retrieveMany,
  retrieveAll,
  retrieveFromView,
  lookupByType,
  ref,
  type Retrieved,
  type PathValue,
} from "../runtime/property-collector.js";
export { isFault, faultTypeOf, faultText, TaskError, SoapFaultError } from "../runtime/faults.js";
export { moRef, isMoRef, type MoRef, type ResultRef, type DataObject, type CallOptions, type SoapCaller } from "../runtime/soap/index.js";

// Errors
export {
  EsxviError,
  InternalError,
  InvalidInputError,
  NotFoundError,
  OperationInvalidError,
  OperationFailedError,
  UnsupportedError,
  AbortError,
  errorMessage,
  causeChain,
  type ErrorOptions,
} from "../errors/esxvi-error.js";
export { AuthenticationError } from "../runtime/auth-error.js";
export { HttpError, TransportError, TlsError } from "../runtime/http/http-errors.js";
export { DecodeError, EncodeError } from "../runtime/soap/index.js";
export { QuestionPendingError } from "../runtime/vm-questions.js";
