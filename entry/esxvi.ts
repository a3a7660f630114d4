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
export { lookupDomain, retrieveDomains, type FoundDomain, type DomainLookup, type LookupBy } from "../drivers/domain/lookup.js";
export { stateOf, domainId, type DomainIdentity, type DomainState } from "../drivers/domain/identity.js";
export { listDomains, type DomainListEntry, type ListFilters } from "../drivers/domain/list.js";
export { domainInfo, type DomainInfo } from "../drivers/domain/info.js";
export { domainLifecycle, type LifecycleAction } from "../drivers/domain/lifecycle.js";
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
export { isFault, faultTypeOf, faultText, TaskError } from "../runtime/faults.js";
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
export { SoapFaultError, DecodeError, EncodeError } from "../runtime/soap/index.js";
export { QuestionPendingError } from "../runtime/vm-questions.js";
