package main

// VM runtime facts vcsim leaves empty: summary.quickStats (only guestHeartbeatStatus is set)
// and runtime.cleanPowerOff. A powered-on ESX VM reports memory and CPU quick stats; a
// powered-off one zeros; cleanPowerOff is true after a guest shutdown, false after a hard
// power-off (PowerOffVM_Task) and unset while the VM runs or is suspended. A registry
// handler keeps them in step with runtime.powerState. The stats are fixed fractions of the
// VM's configured memory so that tests can predict them:
//   guestMemoryUsage (active) = memoryMB/4, hostMemoryUsage (consumed) = memoryMB/2,
//   privateMemory = memoryMB/2, grantedMemory = memoryMB, consumedOverheadMemory = 20,
//   balloonedMemory = swappedMemory = sharedMemory = compressedMemory = 0,
//   overallCpuUsage = 23 MHz × vCPUs.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

type vmRuntimeTracker struct {
	self types.ManagedObjectReference
}

func (t *vmRuntimeTracker) Reference() types.ManagedObjectReference { return t.self }

func (t *vmRuntimeTracker) PutObject(mo.Reference) {}

func (t *vmRuntimeTracker) RemoveObject(types.ManagedObjectReference) {}

// UpdateObject reacts to power state changes of VMs.
func (t *vmRuntimeTracker) UpdateObject(o mo.Reference, changes []types.PropertyChange) {
	vm, ok := o.(*mo.VirtualMachine)
	if !ok {
		return
	}
	var state types.VirtualMachinePowerState
	powerTask := false
	for _, c := range changes {
		switch c.Name {
		case "runtime.powerState":
			if s, ok := c.Val.(types.VirtualMachinePowerState); ok {
				state = s
			}
		case "summary.runtime.bootTime":
			// vcsim's power tasks set it; ShutdownGuest does not.
			powerTask = true
		}
	}
	if state == "" {
		return
	}
	updates := []types.PropertyChange{{Name: "summary.quickStats", Val: quickStatsFor(vm, state)}}
	if state == types.VirtualMachinePowerStatePoweredOff {
		updates = append(updates, types.PropertyChange{Name: "runtime.cleanPowerOff", Val: !powerTask})
	} else {
		updates = append(updates, types.PropertyChange{Name: "runtime.cleanPowerOff", Val: nil})
	}
	simulator.Map.Update(vm, updates)
}

func quickStatsFor(vm *mo.VirtualMachine, state types.VirtualMachinePowerState) types.VirtualMachineQuickStats {
	qs := types.VirtualMachineQuickStats{GuestHeartbeatStatus: vm.Summary.QuickStats.GuestHeartbeatStatus}
	if qs.GuestHeartbeatStatus == "" {
		qs.GuestHeartbeatStatus = types.ManagedEntityStatusGray
	}
	if state != types.VirtualMachinePowerStatePoweredOn || vm.Config == nil {
		return qs
	}
	mem := vm.Config.Hardware.MemoryMB
	qs.OverallCpuUsage = 23 * vm.Config.Hardware.NumCPU
	qs.OverallCpuDemand = qs.OverallCpuUsage
	qs.GuestMemoryUsage = mem / 4
	qs.HostMemoryUsage = mem / 2
	qs.PrivateMemory = mem / 2
	qs.GrantedMemory = mem
	qs.ConsumedOverheadMemory = 20
	qs.StaticCpuEntitlement = 23 * vm.Config.Hardware.NumCPU
	qs.StaticMemoryEntitlement = mem + 20
	return qs
}

// trackVMRuntime fills the quick stats of the model VMs and follows later power changes.
func trackVMRuntime() {
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			simulator.Map.Update(vm, []types.PropertyChange{{Name: "summary.quickStats", Val: quickStatsFor(&vm.VirtualMachine, vm.Runtime.PowerState)}})
		})
	}
	simulator.Map.AddHandler(&vmRuntimeTracker{self: types.ManagedObjectReference{Type: "VmRuntimeTracker", Value: "vm-runtime-tracker"}})
}
