package main

// RebootGuest, missing in vcsim. Like ESX it needs a powered-on VM (InvalidPowerState
// otherwise) and returns at once; the VM stays powered on. (ESX also needs VMware Tools
// running; vcsim has no tools state worth checking, as its ShutdownGuest does not either.)

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func (s *server) rebootGuest(c *soapCall) bool {
	vm, ok := simulator.Map.Get(c.req.This).(*simulator.VirtualMachine)
	if !ok {
		return false // vcsim answers ManagedObjectNotFound
	}
	if !s.requireSession(c) {
		return true
	}
	if st := powerState(vm); st != types.VirtualMachinePowerStatePoweredOn {
		writeFault(c.w, "The attempted operation cannot be performed in the current state ("+string(st)+").",
			&types.InvalidPowerState{RequestedState: types.VirtualMachinePowerStatePoweredOn, ExistingState: st})
		return true
	}
	writeSOAP(c.w, 200, voidResponse("RebootGuest"))
	return true
}
