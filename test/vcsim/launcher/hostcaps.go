package main

// HostSystem.capability is nil in vcsim; a real ESXi 6.5 host reports a HostCapability.
// libvirt reads maxSupportedVcpus (domainGetMaxVcpus), vmotionSupported (migration
// feature) and screenshotSupported (domainScreenshot: the launcher serves /screen, screen.go).

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func hostCapability() types.HostCapability {
	yes, no := types.NewBool(true), types.NewBool(false)
	return types.HostCapability{
		RecursiveResourcePoolsSupported:          true,
		CpuMemoryResourceConfigurationSupported:  true,
		RebootSupported:                          true,
		ShutdownSupported:                        true,
		VmotionSupported:                         true,
		StandbySupported:                         true,
		IpmiSupported:                            yes,
		MaxSupportedVMs:                          0,
		MaxRunningVMs:                            0,
		MaxSupportedVcpus:                        128,
		MaxRegisteredVMs:                         1024,
		DatastorePrincipalSupported:              false,
		SanSupported:                             true,
		NfsSupported:                             true,
		IscsiSupported:                           true,
		VlanTaggingSupported:                     true,
		NicTeamingSupported:                      true,
		HighGuestMemSupported:                    true,
		MaintenanceModeSupported:                 true,
		SuspendedRelocateSupported:               true,
		RestrictedSnapshotRelocateSupported:      true,
		PerVmSwapFiles:                           true,
		LocalSwapDatastoreSupported:              true,
		UnsharedSwapVMotionSupported:             true,
		BackgroundSnapshotsSupported:             false,
		PreAssignedPCIUnitNumbersSupported:       true,
		ScreenshotSupported:                      true,
		ScaledScreenshotSupported:                false,
		StorageVMotionSupported:                  yes,
		VmotionWithStorageVMotionSupported:       yes,
		VmotionAcrossNetworkSupported:            yes,
		MaxNumDisksSVMotion:                      248,
		HbrNicSelectionSupported:                 yes,
		VrNfcNicSelectionSupported:               yes,
		RecordReplaySupported:                    no,
		FtSupported:                              no,
		ReplayUnsupportedReason:                  "incompatibleCpu",
		SmpFtSupported:                           no,
		MaxVcpusPerFtVm:                          4,
		LoginBySSLThumbprintSupported:            yes,
		CloneFromSnapshotSupported:               yes,
		DeltaDiskBackingsSupported:               yes,
		PerVMNetworkTrafficShapingSupported:      no,
		TpmSupported:                             no,
		VirtualExecUsageSupported:                yes,
		StorageIORMSupported:                     yes,
		VmDirectPathGen2Supported:                no,
		SupportedVmfsMajorVersion:                []int32{5, 6},
		VStorageCapable:                          yes,
		SnapshotRelayoutSupported:                yes,
		FirewallIpRulesSupported:                 yes,
		ServicePackageInfoSupported:              yes,
		MaxHostRunningVms:                        1024,
		MaxHostSupportedVcpus:                    4096,
		VmfsDatastoreMountCapable:                yes,
		EightPlusHostVmfsSharedAccessSupported:   yes,
		NestedHVSupported:                        yes,
		VPMCSupported:                            yes,
		InterVMCommunicationThroughVMCISupported: no,
		ScheduledHardwareUpgradeSupported:        yes,
		FeatureCapabilitiesSupported:             yes,
		LatencySensitivitySupported:              yes,
		StoragePolicySupported:                   yes,
		Accel3dSupported:                         no,
		ReliableMemoryAware:                      yes,
		MultipleNetworkStackInstanceSupported:    yes,
		MessageBusProxySupported:                 yes,
		VsanSupported:                            yes,
		VFlashSupported:                          yes,
		HostAccessManagerSupported:               yes,
	}
}

func fillHostCapability(host *simulator.HostSystem) {
	if host.Capability != nil {
		return
	}
	c := hostCapability()
	simulator.Map.WithLock(host, func() {
		simulator.Map.Update(host, []types.PropertyChange{{Name: "capability", Val: c}})
	})
}
