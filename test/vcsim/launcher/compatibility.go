package main

// VirtualMachineCompatibilityChecker.CheckCompatibility_Task, which vCenter offers
// (ServiceContent.vmCompatibilityChecker) and vcsim 0.24 names without implementing. The
// result is one CheckResult for the VM and the target host: as errors the problems
// ValidateMigration also reports (migrate.go), and a CPU vendor that differs between the
// host a running or suspended VM is on and the target host (vMotion cannot move a running
// VM across CPU vendors). Hosts named by -amd-hosts get an AMD processor, so that a test can
// meet that incompatibility; every other vcsim host has an Intel one.

import (
	"fmt"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// makeAMDHosts gives the named hosts an AMD processor (vendor, description, model).
func makeAMDHosts(names string) error {
	for _, name := range strings.Split(names, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		var host *simulator.HostSystem
		for _, e := range simulator.Map.All("HostSystem") {
			if h := e.(*simulator.HostSystem); h.Name == name {
				host = h
			}
		}
		if host == nil {
			return fmt.Errorf("-amd-hosts: no host %q", name)
		}
		simulator.Map.WithLock(host, func() {
			hw := *host.Hardware
			hw.CpuPkg = append([]types.HostCpuPackage(nil), hw.CpuPkg...)
			for i := range hw.CpuPkg {
				hw.CpuPkg[i].Vendor = "amd"
				hw.CpuPkg[i].Description = "AMD EPYC 7302P 16-Core Processor"
			}
			summary := *host.Summary.Hardware
			summary.CpuModel = "AMD EPYC 7302P 16-Core Processor"
			summary.Vendor = "AMD"
			host.Hardware = &hw
			host.Summary.Hardware = &summary
		})
	}
	return nil
}

func cpuVendor(ref *types.ManagedObjectReference) string {
	if ref == nil {
		return ""
	}
	host, ok := simulator.Map.Get(*ref).(*simulator.HostSystem)
	if !ok {
		return ""
	}
	vendor := ""
	simulator.Map.WithLock(host, func() {
		if host.Hardware != nil && len(host.Hardware.CpuPkg) > 0 {
			vendor = host.Hardware.CpuPkg[0].Vendor
		}
	})
	return vendor
}

// compatibilityErrors lists why vm cannot run on t's host (nil: it can).
func compatibilityErrors(vm *simulator.VirtualMachine, t *migrationTarget) []types.LocalizedMethodFault {
	var out []types.LocalizedMethodFault
	for _, e := range t.problems(vm, "") {
		me := e.(interface{ GetMigrationEvent() *types.MigrationEvent }).GetMigrationEvent()
		out = append(out, me.Fault)
	}
	var power types.VirtualMachinePowerState
	var source *types.ManagedObjectReference
	simulator.Map.WithLock(vm, func() {
		power = vm.Runtime.PowerState
		if vm.Runtime.Host != nil {
			h := *vm.Runtime.Host
			source = &h
		}
	})
	if power == types.VirtualMachinePowerStatePoweredOff || source == nil {
		return out
	}
	from, to := cpuVendor(source), cpuVendor(&t.host.Self)
	if from != to {
		var sourceName string
		if h, ok := simulator.Map.Get(*source).(*simulator.HostSystem); ok {
			sourceName = h.Name
		}
		host := t.host.Self
		msg := fmt.Sprintf("The CPU vendor of host %s (%s) differs from that of host %s (%s), where the virtual machine runs.",
			t.host.Name, to, sourceName, from)
		out = append(out, types.LocalizedMethodFault{Fault: &types.CpuIncompatible{Level: 0, RegisterName: "ebx", Host: &host}, LocalizedMessage: msg})
	}
	return out
}

func (s *server) checkCompatibility(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.CheckCompatibility_Task)
	if !ok {
		return false
	}
	if !s.requireSession(c) {
		return true
	}
	if simulator.Map.IsESX() {
		writeFault(c.w, "managed object not found: "+req.This.Value, &types.ManagedObjectNotFound{Obj: req.This})
		return true
	}
	vm, ok := simulator.Map.Get(req.Vm).(*simulator.VirtualMachine)
	if !ok {
		writeFault(c.w, fmt.Sprintf("managed object not found: %s", req.Vm), &types.ManagedObjectNotFound{Obj: req.Vm})
		return true
	}
	t, msg, f := resolveTarget(req.Host, req.Pool)
	if f != nil {
		writeFault(c.w, msg, f)
		return true
	}
	host, vmRef := t.host.Self, vm.Self
	result := types.CheckResult{Vm: &vmRef, Host: &host, Error: compatibilityErrors(vm, t)}
	task := createVMTask(vm, c.req.Method)
	completeTask(task, types.ArrayOfCheckResult{CheckResult: []types.CheckResult{result}}, nil, false)
	writeSOAP(c.w, 200, taskResponse(c.req.Method, task.Self))
	return true
}
