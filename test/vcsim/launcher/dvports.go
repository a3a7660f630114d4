package main

// Distributed port binding. vCenter binds a VM's NIC on a distributed port group to a port
// of its own (VirtualEthernetCardDistributedVirtualPortBackingInfo.port.portKey) with a
// connection cookie; vcsim leaves both empty, so .vmx files had no ethernetN.dvs.portId or
// .connectionId. Each unbound NIC gets the lowest port key from 1 its switch does not use yet
// (libvirt writes no portid for 0, so 0 would hide the binding) and a
// cookie derived from the VM and the port, for the model VMs and after every VM task that
// can add or change a NIC.

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// dvPortsInUse collects the port keys bound on each switch (by switch UUID).
func dvPortsInUse() map[string]map[string]bool {
	used := map[string]map[string]bool{}
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		simulator.Map.WithLock(vm, func() {
			for _, b := range dvBackings(vm) {
				if b.Port.PortKey == "" {
					continue
				}
				if used[b.Port.SwitchUuid] == nil {
					used[b.Port.SwitchUuid] = map[string]bool{}
				}
				used[b.Port.SwitchUuid][b.Port.PortKey] = true
			}
		})
	}
	return used
}

func dvBackings(vm *simulator.VirtualMachine) []*types.VirtualEthernetCardDistributedVirtualPortBackingInfo {
	if vm.Config == nil {
		return nil
	}
	var out []*types.VirtualEthernetCardDistributedVirtualPortBackingInfo
	for _, d := range vm.Config.Hardware.Device {
		card, ok := d.(types.BaseVirtualEthernetCard)
		if !ok {
			continue
		}
		if b, ok := card.GetVirtualEthernetCard().Backing.(*types.VirtualEthernetCardDistributedVirtualPortBackingInfo); ok {
			out = append(out, b)
		}
	}
	return out
}

func connectionCookie(vm types.ManagedObjectReference, portKey string) int32 {
	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%s/%s", vm.Value, portKey)
	c := int32(h.Sum32() & 0x7fffffff)
	if c == 0 {
		c = 1
	}
	return c
}

// bindDVPorts binds the VM's unbound distributed port NICs; reports whether it bound any.
func bindDVPorts(ref types.ManagedObjectReference) bool {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return false
	}
	used := dvPortsInUse()
	bound := false
	simulator.Map.WithLock(vm, func() {
		for _, b := range dvBackings(vm) {
			if b.Port.PortKey != "" || b.Port.SwitchUuid == "" {
				continue
			}
			if used[b.Port.SwitchUuid] == nil {
				used[b.Port.SwitchUuid] = map[string]bool{}
			}
			key := 1
			for used[b.Port.SwitchUuid][strconv.Itoa(key)] {
				key++
			}
			b.Port.PortKey = strconv.Itoa(key)
			b.Port.ConnectionCookie = connectionCookie(ref, b.Port.PortKey)
			used[b.Port.SwitchUuid][b.Port.PortKey] = true
			bound = true
		}
	})
	return bound
}

func bindModelDVPorts() {
	for _, e := range simulator.Map.All("VirtualMachine") {
		bindDVPorts(e.(*simulator.VirtualMachine).Self)
	}
}
