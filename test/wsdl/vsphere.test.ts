/**
 * Imports from the real vSphere 7.0 U2 WSDL (../shared/reference/vsphere-wsdl-7.0u2, read in
 * place): a handful of types and methods against hand-checked expectations (each entry was
 * compared element by element with vim-types.xsd / query-messagetypes.xsd / vim.wsdl).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { importWsdl, loadWsdl } from "../../generator/wsdl/import.js";
import { missingReference, names, printedOf, squeeze, WSDL_DIR } from "./support.js";

const skip = missingReference(WSDL_DIR);
if (skip !== undefined) {
  console.log(`wsdl/vsphere: ${skip}`);
} else {
  const wsdl = await loadWsdl(WSDL_DIR);

  /** given: the requested names; want: entries of the output (squeezed text), closure facts. */
  interface Case {
    readonly types?: string[];
    readonly methods?: string[];
    readonly entries: string[];
    /** Exactly the output's enums and objects (closure, in any order), when given. */
    readonly closure?: string[];
    /** Must be in the output / must not be. */
    readonly includes?: string[];
    readonly excludes?: string[];
    readonly counts?: { enums: number; objects: number; methods: number };
  }

  const CASES: Record<string, Case> = {
    VirtualMachineConfigSpec: {
      types: ["VirtualMachineConfigSpec"],
      entries: [
        `object VirtualMachineConfigSpec
String changeVersion o
String name o
String version o
DateTime createDate o
String uuid o
String instanceUuid o
Long npivNodeWorldWideName ol
Long npivPortWorldWideName ol
String npivWorldWideNameType o
Short npivDesiredNodeWwns o
Short npivDesiredPortWwns o
Boolean npivTemporaryDisabled o
Boolean npivOnNonRdmDisks o
String npivWorldWideNameOp o
String locationId o
String guestId o
String alternateGuestName o
String annotation o
VirtualMachineFileInfo files o
ToolsConfigInfo tools o
VirtualMachineFlagInfo flags o
VirtualMachineConsolePreferences consolePreferences o
VirtualMachineDefaultPowerOpInfo powerOpInfo o
Int numCPUs o
VirtualMachineVcpuConfig vcpuConfig ol
Int numCoresPerSocket o
Long memoryMB o
Boolean memoryHotAddEnabled o
Boolean cpuHotAddEnabled o
Boolean cpuHotRemoveEnabled o
Boolean virtualICH7MPresent o
Boolean virtualSMCPresent o
VirtualDeviceConfigSpec deviceChange ol
ResourceAllocationInfo cpuAllocation o
ResourceAllocationInfo memoryAllocation o
LatencySensitivity latencySensitivity o
VirtualMachineAffinityInfo cpuAffinity o
VirtualMachineAffinityInfo memoryAffinity o
VirtualMachineNetworkShaperInfo networkShaper o
VirtualMachineCpuIdInfoSpec cpuFeatureMask ol
OptionValue extraConfig ol
String swapPlacement o
VirtualMachineBootOptions bootOptions o
VmConfigSpec vAppConfig o
FaultToleranceConfigInfo ftInfo o
ReplicationConfigSpec repConfig o
Boolean vAppConfigRemoved o
Boolean vAssertsEnabled o
Boolean changeTrackingEnabled o
String firmware o
Int maxMksConnections o
Boolean guestAutoLockEnabled o
ManagedByInfo managedBy o
Boolean memoryReservationLockedToMax o
Boolean nestedHVEnabled o
Boolean vPMCEnabled o
ScheduledHardwareUpgradeInfo scheduledHardwareUpgradeInfo o
VirtualMachineProfileSpec vmProfile ol
Boolean messageBusTunnelEnabled o
CryptoSpec crypto o
String migrateEncryption o
VirtualMachineSgxInfo sgxInfo o
String ftEncryptionMode o
VirtualMachineGuestMonitoringModeInfo guestMonitoringModeInfo o
Boolean sevEnabled o
Boolean pmemFailoverEnabled o
end`,
        `object VirtualDeviceConfigSpec
VirtualDeviceConfigSpecOperation operation o
VirtualDeviceConfigSpecFileOperation fileOperation o
VirtualDevice device r
VirtualMachineProfileSpec profile ol
VirtualDeviceConfigSpecBackingSpec backing o
end`,
        `enum VirtualDeviceConfigSpecOperation
add
remove
edit
end`,
        `object ResourceAllocationInfo
Long reservation o
Boolean expandableReservation o
Long limit o
SharesInfo shares o
Long overheadLimit o
end`,
        `object SharesInfo
Int shares r
SharesLevel level r
end`,
        `object VAppProductSpec extends ArrayUpdateSpec
VAppProductInfo info o
end`,
      ],
      includes: [
        "VirtualDevice",
        "VirtualDeviceBackingInfo",
        "SharesLevel",
        "OptionValue",
        "CryptoSpec",
        "ArrayUpdateSpec",
        "ArrayUpdateOperation",
      ],
      // Subtypes are not part of the closure (name them to import them); wrappers never are.
      excludes: ["VirtualDisk", "VirtualEthernetCard", "DynamicData", "ArrayOfVirtualDeviceConfigSpec", "MethodFault"],
      counts: { enums: 5, objects: 46, methods: 0 },
    },
    TaskInfo: {
      types: ["TaskInfo"],
      entries: [
        `object TaskInfo
String key r
ManagedObjectReference task r
LocalizableMessage description o
String name o
String descriptionId r
ManagedObjectReference entity o
String entityName o
ManagedObjectReference locked ol
TaskInfoState state r
Boolean cancelled r
Boolean cancelable r
LocalizedMethodFault error o
AnyType result o
Int progress o
TaskReason reason r
DateTime queueTime r
DateTime startTime o
DateTime completeTime o
Int eventChainId r
String changeTag o
String parentTaskKey o
String rootTaskKey o
String activationId o
end`,
        `enum TaskInfoState
queued
running
success
error
end`,
        `object LocalizedMethodFault
MethodFault fault r
String localizedMessage o
end`,
      ],
      closure: ["KeyAnyValue", "LocalizableMessage", "LocalizedMethodFault", "TaskInfo", "TaskInfoState", "TaskReason"],
    },
    HostVirtualSwitch: {
      types: ["HostVirtualSwitch"],
      entries: [
        `object HostVirtualSwitch
String name r
String key r
Int numPorts r
Int numPortsAvailable r
Int mtu o
String portgroup ol
String pnic ol
HostVirtualSwitchSpec spec r
end`,
        `object HostVirtualSwitchSpec
Int numPorts r
HostVirtualSwitchBridge bridge o
HostNetworkPolicy policy o
Int mtu o
end`,
        `object HostNicOrderPolicy
String activeNic ol
String standbyNic ol
end`,
      ],
      closure: [
        "HostNetOffloadCapabilities",
        "HostNetworkPolicy",
        "HostNetworkSecurityPolicy",
        "HostNetworkTrafficShapingPolicy",
        "HostNicFailureCriteria",
        "HostNicOrderPolicy",
        "HostNicTeamingPolicy",
        "HostVirtualSwitch",
        "HostVirtualSwitchBridge",
        "HostVirtualSwitchSpec",
      ],
    },
    "an enum list (TaskFilterSpec.state)": {
      types: ["TaskFilterSpec"],
      entries: [
        `object TaskFilterSpec
TaskFilterSpecByEntity entity o
TaskFilterSpecByTime time o
TaskFilterSpecByUsername userName o
String activationId ol
# TaskInfoState list: written as String (enums cannot be lists)
String state ol
ManagedObjectReference alarm o
ManagedObjectReference scheduledTask o
Int eventChainId ol
String tag ol
String parentTaskKey ol
String rootTaskKey ol
end`,
      ],
      includes: ["TaskInfoState"],
    },
    "a fault: InvalidPowerState and its base chain to MethodFault": {
      types: ["InvalidPowerState"],
      entries: [
        `object InvalidPowerState extends InvalidState
VirtualMachinePowerState requestedState o
VirtualMachinePowerState existingState r
end`,
        `object InvalidState extends VimFault
end`,
        `object VimFault extends MethodFault
end`,
      ],
      closure: ["InvalidPowerState", "InvalidState", "VimFault", "VirtualMachinePowerState"],
    },
    PowerOnVM_Task: {
      methods: ["PowerOnVM_Task"],
      entries: [
        `method PowerOnVM_Task returns ManagedObjectReference r
ManagedObjectReference _this r
ManagedObjectReference host o
end`,
      ],
      // Its declared faults, and what they need.
      closure: ["FileFault", "InsufficientResourcesFault", "InvalidState", "RuntimeFault", "TaskInProgress", "VimFault", "VmConfigFault"],
    },
    RetrievePropertiesEx: {
      methods: ["RetrievePropertiesEx"],
      entries: [
        `method RetrievePropertiesEx returns RetrieveResult o
ManagedObjectReference _this r
PropertyFilterSpec specSet rl
RetrieveOptions options r
end`,
      ],
      closure: [
        "DynamicProperty",
        "InvalidProperty",
        "LocalizedMethodFault",
        "MissingProperty",
        "ObjectContent",
        "ObjectSpec",
        "PropertyFilterSpec",
        "PropertySpec",
        "RetrieveOptions",
        "RetrieveResult",
        "RuntimeFault",
        "SelectionSpec",
      ],
    },
    WaitForUpdatesEx: {
      methods: ["WaitForUpdatesEx"],
      entries: [
        `method WaitForUpdatesEx returns UpdateSet o
ManagedObjectReference _this r
String version o
WaitOptions options o
end`,
      ],
      includes: [
        "UpdateSet",
        "PropertyFilterUpdate",
        "ObjectUpdate",
        "ObjectUpdateKind",
        "PropertyChange",
        "PropertyChangeOp",
        "WaitOptions",
        "InvalidCollectorVersion",
      ],
    },
    Login: {
      methods: ["Login"],
      entries: [
        `method Login returns UserSession r
ManagedObjectReference _this r
String userName r
String password r
String locale o
end`,
      ],
      closure: ["InvalidLocale", "InvalidLogin", "RuntimeFault", "UserSession", "VimFault"],
    },
  };

  for (const [name, c] of Object.entries(CASES)) {
    test(`vSphere 7.0 U2: ${name}`, async () => {
      const r = await importWsdl({ wsdl, types: c.types ?? [], methods: c.methods ?? [] });
      assert.equal(r.unresolved, []);
      for (const entry of c.entries) {
        const head = /^(?:#.*\n)?(\S+) (\S+)/.exec(entry);
        assert.ok(head !== null);
        const kind = head[1] === "enum" ? "enum" : head[1] === "object" ? "object" : "method";
        const got = printedOf(r.decls, head[2] ?? "", kind);
        assert.ok(got !== undefined, `${head[2] ?? ""} is not in the output`);
        assert.fixture(squeeze(got), entry);
      }
      const types = names(r.decls.filter((d) => d.kind !== "method"));
      if (c.closure !== undefined) assert.equal([...types].sort(), [...c.closure].sort());
      for (const n of c.includes ?? []) assert.ok(types.includes(n), `${n} is in the closure`);
      for (const n of c.excludes ?? []) assert.ok(!types.includes(n), `${n} is not in the closure`);
      if (c.counts !== undefined) {
        const count = (k: string): number => r.decls.filter((d) => d.kind === k).length;
        assert.equal({ enums: count("enum"), objects: count("object"), methods: count("method") }, c.counts);
      }
      // MethodFault stays predefined; the output refers to it.
      assert.ok(!types.includes("MethodFault"));
    });
  }

  test("vSphere 7.0 U2: the model", () => {
    assert.is(wsdl.apiVersion, "7.0.2.0");
    assert.is(wsdl.operations.size, 920);
    assert.equal(
      wsdl.documents.map((d) => d.slice(WSDL_DIR.length + 1)),
      [
        "vim.wsdl",
        "core-types.xsd",
        "reflect-messagetypes.xsd",
        "reflect-types.xsd",
        "query-messagetypes.xsd",
        "query-types.xsd",
        "vim-messagetypes.xsd",
        "vim-types.xsd",
      ],
    );
    assert.equal(wsdl.problems, []);
  });
}

test.run();
