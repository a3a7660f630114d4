package main

// The EnvironmentBrowser's config options as an ESXi 6.5 host answers them. vcsim 0.24 returns
// one hardware version, a VirtualMachineConfigOption without hardwareOptions (no supported
// vCPU counts, memory range or device options: fields a real host always sends) and guest
// descriptors holding only id and family. Here every hardware version an ESXi 6.5 host runs
// has its descriptor and its own options: vCPU and memory limits, the controllers and devices
// it offers (SATA from vmx-10, NVMe from vmx-13), EFI firmware from vmx-08. QueryConfigTarget
// stays vcsim's.

import (
	"fmt"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25/types"
)

// hardwareVersion is one virtual hardware version an ESXi 6.5 host supports.
type hardwareVersion struct {
	version     int32
	description string
	maxCPUs     int32
	maxMemoryMB int64
	create      bool
}

var hardwareVersions = []hardwareVersion{
	{4, "ESX 3.x virtual machine", 4, 65532, false},
	{7, "ESX/ESXi 4.x virtual machine", 8, 261120, true},
	{8, "ESXi 5.0 virtual machine", 32, 1035264, true},
	{9, "ESXi 5.1 virtual machine", 64, 1035264, true},
	{10, "ESXi 5.5 virtual machine", 64, 1035264, true},
	{11, "ESXi 6.0 virtual machine", 128, 4177920, true},
	{13, "ESXi 6.5 virtual machine", 128, 6275072, true},
}

func hardwareKey(v int32) string { return fmt.Sprintf("vmx-%02d", v) }

// environmentHosts are the hosts of the compute resource that owns the browser.
func environmentHosts(browser types.ManagedObjectReference) []types.ManagedObjectReference {
	for _, kind := range []string{"ComputeResource", "ClusterComputeResource"} {
		for _, e := range simulator.Map.All(kind) {
			if cr := computeResourceOf(&types.ManagedObjectReference{Type: kind, Value: e.Reference().Value}); cr != nil &&
				cr.EnvironmentBrowser != nil && *cr.EnvironmentBrowser == browser {
				return append([]types.ManagedObjectReference(nil), cr.Host...)
			}
		}
	}
	return nil
}

func intOption(min, max, def int32) types.IntOption {
	return types.IntOption{Min: min, Max: max, DefaultValue: def}
}

func controllerOption(kind string, devices int32) types.VirtualControllerOption {
	return types.VirtualControllerOption{
		VirtualDeviceOption: types.VirtualDeviceOption{Type: kind, PlugAndPlay: false},
		Devices:             intOption(0, devices, 0),
	}
}

func scsiOption(kind string) types.VirtualSCSIControllerOption {
	return types.VirtualSCSIControllerOption{
		VirtualControllerOption: controllerOption(kind, 15),
		NumSCSIDisks:            intOption(0, 15, 1),
		NumSCSICdroms:           intOption(0, 15, 0),
		NumSCSIPassthrough:      intOption(0, 15, 0),
		Sharing:                 []types.VirtualSCSISharing{types.VirtualSCSISharingNoSharing, types.VirtualSCSISharingVirtualSharing, types.VirtualSCSISharingPhysicalSharing},
		HotAddRemove:            types.BoolOption{Supported: true, DefaultValue: true},
		ScsiCtlrUnitNumber:      7,
	}
}

// deviceOptions are the devices a VM of hardware version v can have.
func deviceOptions(v int32) []types.BaseVirtualDeviceOption {
	device := func(kind string) types.VirtualDeviceOption { return types.VirtualDeviceOption{Type: kind} }
	out := []types.BaseVirtualDeviceOption{
		&types.VirtualIDEControllerOption{
			VirtualControllerOption: controllerOption("VirtualIDEController", 2),
			NumIDEDisks:             intOption(0, 2, 0),
			NumIDECdroms:            intOption(0, 2, 1),
		},
		&types.VirtualBusLogicControllerOption{VirtualSCSIControllerOption: scsiOption("VirtualBusLogicController")},
		&types.VirtualLsiLogicControllerOption{VirtualSCSIControllerOption: scsiOption("VirtualLsiLogicController")},
	}
	if v >= 7 {
		out = append(out,
			&types.VirtualLsiLogicSASControllerOption{VirtualSCSIControllerOption: scsiOption("VirtualLsiLogicSASController")},
			&types.ParaVirtualSCSIControllerOption{VirtualSCSIControllerOption: scsiOption("ParaVirtualSCSIController")},
		)
	}
	if v >= 10 {
		out = append(out, &types.VirtualAHCIControllerOption{VirtualSATAControllerOption: types.VirtualSATAControllerOption{
			VirtualControllerOption: controllerOption("VirtualAHCIController", 30),
			NumSATADisks:            intOption(0, 30, 0),
			NumSATACdroms:           intOption(0, 30, 0),
		}})
	}
	if v >= 13 {
		out = append(out, &types.VirtualNVMEControllerOption{
			VirtualControllerOption: controllerOption("VirtualNVMEController", 15),
			NumNVMEDisks:            intOption(0, 15, 0),
		})
	}
	out = append(out,
		&types.VirtualDiskOption{VirtualDeviceOption: device("VirtualDisk"), CapacityInKB: types.LongOption{Min: 1024, Max: 66571993088, DefaultValue: 4194304}},
		&types.VirtualCdromOption{VirtualDeviceOption: device("VirtualCdrom")},
		&types.VirtualFloppyOption{VirtualDeviceOption: device("VirtualFloppy")},
		&types.VirtualVideoCardOption{VirtualDeviceOption: device("VirtualMachineVideoCard")},
	)
	return out
}

// guestDescriptor describes a guest OS on hardware version hw.
func guestDescriptor(id string, hw hardwareVersion) types.GuestOsDescriptor {
	family := string(types.VirtualMachineGuestOsFamilyLinuxGuest)
	switch {
	case strings.HasPrefix(id, "win"):
		family = string(types.VirtualMachineGuestOsFamilyWindowsGuest)
	case strings.HasPrefix(id, "darwin"):
		family = string(types.VirtualMachineGuestOsFamilyDarwinGuestFamily)
	}
	firmware := []string{"bios"}
	if hw.version >= 8 {
		firmware = append(firmware, "efi")
	}
	return types.GuestOsDescriptor{
		Id:                          id,
		Family:                      family,
		FullName:                    id,
		SupportedMaxCPUs:            hw.maxCPUs,
		SupportedMinMemMB:           4,
		SupportedMaxMemMB:           int32(hw.maxMemoryMB),
		RecommendedMemMB:            1024,
		RecommendedColorDepth:       24,
		SupportedDiskControllerList: []string{"VirtualLsiLogicController", "VirtualBusLogicController", "VirtualIDEController"},
		RecommendedSCSIController:   "VirtualLsiLogicController",
		RecommendedDiskController:   "VirtualLsiLogicController",
		SupportedNumDisks:           60,
		RecommendedDiskSizeMB:       16384,
		SupportedEthernetCard:       []string{"VirtualE1000", "VirtualVmxnet3"},
		RecommendedEthernetCard:     "VirtualE1000",
		SupportsWakeOnLan:           true,
		SupportedFirmware:           firmware,
		RecommendedFirmware:         "bios",
	}
}

func configOption(hw hardwareVersion, guestIDs []string) *types.VirtualMachineConfigOption {
	opt := &types.VirtualMachineConfigOption{
		Version:     hardwareKey(hw.version),
		Description: hw.description,
		HardwareOptions: types.VirtualHardwareOption{
			HwVersion:           hw.version,
			VirtualDeviceOption: deviceOptions(hw.version),
			NumCoresPerSocket:   &types.IntOption{Min: 1, Max: hw.maxCPUs, DefaultValue: 1},
			MemoryMB:            types.LongOption{Min: 4, Max: hw.maxMemoryMB, DefaultValue: 1024},
			NumPCIControllers:   intOption(1, 1, 1),
			NumIDEControllers:   intOption(2, 2, 2),
			NumUSBControllers:   intOption(0, 1, 0),
			NumSIOControllers:   intOption(1, 1, 1),
			NumPS2Controllers:   intOption(1, 1, 1),
		},
		Capabilities:         types.VirtualMachineCapability{SnapshotOperationsSupported: true, MultipleSnapshotsSupported: true, PoweredOffSnapshotsSupported: true, MemorySnapshotsSupported: true, RevertToSnapshotSupported: true, QuiescedSnapshotsSupported: true, CpuFeatureMaskSupported: true, BootOptionsSupported: true},
		DefaultDevice:        esx.VirtualDevice,
		SupportedMonitorType: []string{"release", "debug", "stats"},
	}
	for n := int32(1); n <= hw.maxCPUs; n++ {
		opt.HardwareOptions.NumCPU = append(opt.HardwareOptions.NumCPU, n)
	}
	for _, id := range guestIDs {
		opt.GuestOSDescriptor = append(opt.GuestOSDescriptor, guestDescriptor(id, hw))
	}
	return opt
}

// knownGuests filters vcsim's guest ids by the requested ones; none known: all of them, as
// the API documents.
func knownGuests(requested []string) []string {
	var all, picked []string
	for _, g := range simulator.GuestID {
		all = append(all, string(g))
		for _, r := range requested {
			if r == string(g) {
				picked = append(picked, r)
			}
		}
	}
	if len(picked) > 0 {
		return picked
	}
	return all
}

func defaultHardware() hardwareVersion { return hardwareVersions[len(hardwareVersions)-1] }

func findHardware(key string) (hardwareVersion, bool) {
	for _, hw := range hardwareVersions {
		if hardwareKey(hw.version) == key {
			return hw, true
		}
	}
	return hardwareVersion{}, false
}

func (s *server) environmentBrowser(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	if _, ok := simulator.Map.Get(c.req.This).(*simulator.EnvironmentBrowser); !ok {
		return false // vcsim answers ManagedObjectNotFound
	}
	if !s.requireSession(c) {
		return true
	}
	switch req := decoded.(type) {
	case *types.QueryConfigOptionDescriptor:
		hosts := environmentHosts(req.This)
		var out []types.VirtualMachineConfigOptionDescriptor
		for _, hw := range hardwareVersions {
			out = append(out, types.VirtualMachineConfigOptionDescriptor{
				Key:                 hardwareKey(hw.version),
				Description:         hw.description,
				Host:                hosts,
				CreateSupported:     types.NewBool(hw.create),
				DefaultConfigOption: types.NewBool(hw.version == defaultHardware().version),
				RunSupported:        types.NewBool(true),
				UpgradeSupported:    types.NewBool(hw.version != defaultHardware().version),
			})
		}
		writeResult(c.w, &types.QueryConfigOptionDescriptorResponse{Returnval: out})
	case *types.QueryConfigOptionEx:
		hw, key, guests := defaultHardware(), "", []string(nil)
		if req.Spec != nil {
			key, guests = req.Spec.Key, req.Spec.GuestId
		}
		if key != "" {
			found, ok := findHardware(key)
			if !ok {
				writeFault(c.w, "A specified parameter was not correct: key", &types.InvalidArgument{InvalidProperty: "key"})
				return true
			}
			hw = found
		}
		writeResult(c.w, &types.QueryConfigOptionExResponse{Returnval: configOption(hw, knownGuests(guests))})
	case *types.QueryConfigOption:
		hw := defaultHardware()
		if req.Key != "" {
			found, ok := findHardware(req.Key)
			if !ok {
				writeFault(c.w, "A specified parameter was not correct: key", &types.InvalidArgument{InvalidProperty: "key"})
				return true
			}
			hw = found
		}
		writeResult(c.w, &types.QueryConfigOptionResponse{Returnval: configOption(hw, knownGuests(nil))})
	default:
		return false
	}
	return true
}
