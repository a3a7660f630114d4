package main

// ValidateMigration (ServiceInstance) and MigrateVM_Task, missing in vcsim. ValidateMigration
// returns no events when the VMs can move to the given host/pool, else one error event per
// problem (libvirt reports the first event's fullFormattedMessage). MigrateVM_Task moves a
// VM to the host/pool on vCenter (vcsim's RelocateVM_Task is no model: it drops the wrong
// reference and never adds the VM to its new host or pool); a standalone ESX host answers
// NotSupported, as hostd does. Files are not moved (shared storage is assumed).

import (
	"fmt"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// migrationTarget is the resolved destination of a migration.
type migrationTarget struct {
	host *simulator.HostSystem
	pool *simulator.ResourcePool
}

// resolveTarget checks the arguments (bad ones are SOAP faults) and completes a target
// given by host or pool alone.
func resolveTarget(hostRef, poolRef *types.ManagedObjectReference) (*migrationTarget, string, types.BaseMethodFault) {
	t := &migrationTarget{}
	if hostRef == nil && poolRef == nil {
		return nil, "A specified parameter was not correct: host or pool", &types.InvalidArgument{InvalidProperty: "host"}
	}
	if hostRef != nil {
		h, ok := simulator.Map.Get(*hostRef).(*simulator.HostSystem)
		if !ok {
			return nil, fmt.Sprintf("managed object not found: %s", *hostRef), &types.ManagedObjectNotFound{Obj: *hostRef}
		}
		t.host = h
	}
	if poolRef != nil {
		p, ok := simulator.Map.Get(*poolRef).(*simulator.ResourcePool)
		if !ok {
			return nil, fmt.Sprintf("managed object not found: %s", *poolRef), &types.ManagedObjectNotFound{Obj: *poolRef}
		}
		t.pool = p
	}
	if t.pool == nil {
		if cr := computeResourceOf(t.host.Parent); cr != nil && cr.ResourcePool != nil {
			t.pool, _ = simulator.Map.Get(*cr.ResourcePool).(*simulator.ResourcePool)
		}
	}
	if t.host == nil {
		if cr := computeResourceOf(&t.pool.Owner); cr != nil && len(cr.Host) > 0 {
			t.host, _ = simulator.Map.Get(cr.Host[0]).(*simulator.HostSystem)
		}
	}
	if t.host == nil || t.pool == nil {
		return nil, "A specified parameter was not correct: pool", &types.InvalidArgument{InvalidProperty: "pool"}
	}
	return t, "", nil
}

func computeResourceOf(ref *types.ManagedObjectReference) *mo.ComputeResource {
	if ref == nil {
		return nil
	}
	switch cr := simulator.Map.Get(*ref).(type) {
	case *mo.ComputeResource:
		return cr
	case *simulator.ClusterComputeResource:
		return &cr.ComputeResource
	}
	return nil
}

// problems lists why vm cannot move to t (nil: it can).
func (t *migrationTarget) problems(vm *simulator.VirtualMachine, state types.VirtualMachinePowerState) []types.BaseEvent {
	var out []types.BaseEvent
	var name string
	var power types.VirtualMachinePowerState
	var datastores []types.ManagedObjectReference
	simulator.Map.WithLock(vm, func() {
		name, power = vm.Name, vm.Runtime.PowerState
		datastores = append(datastores, vm.Datastore...)
	})
	base := func(msg string, f types.BaseMethodFault) types.MigrationEvent {
		now := time.Now()
		return types.MigrationEvent{
			VmEvent: types.VmEvent{Event: types.Event{
				CreatedTime:          now,
				UserName:             "vcsim",
				Vm:                   &types.VmEventArgument{EntityEventArgument: types.EntityEventArgument{Name: name}, Vm: vm.Self},
				FullFormattedMessage: msg,
			}},
			Fault: types.LocalizedMethodFault{Fault: f, LocalizedMessage: msg},
		}
	}
	hostArg := types.HostEventArgument{EntityEventArgument: types.EntityEventArgument{Name: t.host.Name}, Host: t.host.Self}

	if state != "" && state != power {
		msg := fmt.Sprintf("Virtual machine %s is %s, not %s.", name, power, state)
		out = append(out, &types.MigrationErrorEvent{MigrationEvent: base(msg,
			&types.InvalidPowerState{RequestedState: state, ExistingState: power})})
	}
	var connection types.HostSystemConnectionState
	var maintenance bool
	var hostDatastores []types.ManagedObjectReference
	simulator.Map.WithLock(t.host, func() {
		connection = t.host.Runtime.ConnectionState
		maintenance = t.host.Runtime.InMaintenanceMode
		hostDatastores = append(hostDatastores, t.host.Datastore...)
	})
	if connection != types.HostSystemConnectionStateConnected {
		msg := fmt.Sprintf("Host %s is not connected.", t.host.Name)
		out = append(out, &types.MigrationHostErrorEvent{MigrationEvent: base(msg, &types.HostNotConnected{}), DstHost: hostArg})
	} else if maintenance {
		msg := fmt.Sprintf("Host %s is in maintenance mode.", t.host.Name)
		out = append(out, &types.MigrationHostErrorEvent{MigrationEvent: base(msg, &types.InvalidState{}), DstHost: hostArg})
	}
	if cr := computeResourceOf(t.host.Parent); cr == nil || t.pool.Owner != cr.Self {
		msg := fmt.Sprintf("Resource pool %s does not belong to the compute resource of host %s.", t.pool.Name, t.host.Name)
		out = append(out, &types.MigrationResourceErrorEvent{
			MigrationEvent: base(msg, &types.InvalidArgument{InvalidProperty: "pool"}),
			DstPool:        types.ResourcePoolEventArgument{EntityEventArgument: types.EntityEventArgument{Name: t.pool.Name}, ResourcePool: t.pool.Self},
			DstHost:        hostArg,
		})
	}
	for _, ds := range datastores {
		if simulator.FindReference(hostDatastores, ds) == nil {
			dsName := ds.Value
			if d, ok := simulator.Map.Get(ds).(*simulator.Datastore); ok {
				dsName = d.Name
			}
			msg := fmt.Sprintf("Datastore %s of virtual machine %s is not accessible from host %s.", dsName, name, t.host.Name)
			out = append(out, &types.MigrationHostErrorEvent{MigrationEvent: base(msg, &types.InvalidDatastore{Datastore: &ds, Name: dsName}), DstHost: hostArg})
		}
	}
	return out
}

func (s *server) validateMigration(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.ValidateMigration)
	if !ok || req.This != serviceInstance {
		return false
	}
	if !s.requireSession(c) {
		return true
	}
	t, msg, f := resolveTarget(req.Host, req.Pool)
	if f != nil {
		writeFault(c.w, msg, f)
		return true
	}
	var events []types.BaseEvent
	for _, ref := range req.Vm {
		vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			writeFault(c.w, fmt.Sprintf("managed object not found: %s", ref), &types.ManagedObjectNotFound{Obj: ref})
			return true
		}
		events = append(events, t.problems(vm, req.State)...)
	}
	writeResult(c.w, &types.ValidateMigrationResponse{Returnval: events})
	return true
}

func (s *server) migrateVM(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.MigrateVM_Task)
	if !ok {
		return false
	}
	vm, ok := simulator.Map.Get(req.This).(*simulator.VirtualMachine)
	if !ok {
		return false // vcsim answers ManagedObjectNotFound
	}
	if !s.requireSession(c) {
		return true
	}
	if simulator.Map.IsESX() {
		writeFault(c.w, "The operation is not supported on the object.", &types.NotSupported{})
		return true
	}
	if pending := s.tasks.pendingFor(vm.Self); pending != nil {
		ref := s.failedTask(vm, c.req.Method, &types.TaskInProgress{Task: pending.task.Self}, "Another task is already in progress.")
		writeSOAP(c.w, 200, taskResponse(c.req.Method, ref))
		return true
	}
	t, msg, f := resolveTarget(req.Host, req.Pool)
	if f != nil {
		writeFault(c.w, msg, f)
		return true
	}
	run := func() (types.AnyType, *types.LocalizedMethodFault) {
		if events := t.problems(vm, req.State); len(events) > 0 {
			e := events[0].(interface{ GetMigrationEvent() *types.MigrationEvent }).GetMigrationEvent()
			fault := e.Fault
			return nil, &fault
		}
		moveVM(vm, t)
		return nil, nil
	}
	if duration := s.tasks.duration(); duration > 0 {
		d := s.newDeferred(vm, c.req.Method, duration, false, run)
		writeSOAP(c.w, 200, taskResponse(c.req.Method, d.task.Self))
		go s.runDeferred(d)
		return true
	}
	task := createVMTask(vm, c.req.Method)
	result, fault := run()
	completeTask(task, result, fault, false)
	addRecentTask(vm.Self, task.Self)
	writeSOAP(c.w, 200, taskResponse(c.req.Method, task.Self))
	return true
}

// moveVM takes vm off its host and pool and puts it on t's, announcing every change.
func moveVM(vm *simulator.VirtualMachine, t *migrationTarget) {
	var oldHost, oldPool *types.ManagedObjectReference
	simulator.Map.WithLock(vm, func() {
		oldHost, oldPool = vm.Runtime.Host, vm.ResourcePool
	})
	editRefs := func(obj mo.Reference, field *[]types.ManagedObjectReference, name string, add bool) {
		simulator.Map.WithLock(obj, func() {
			var list []types.ManagedObjectReference
			for _, r := range *field {
				if r != vm.Self {
					list = append(list, r)
				}
			}
			if add {
				list = append(list, vm.Self)
			}
			simulator.Map.Update(obj, []types.PropertyChange{{Name: name, Val: list}})
		})
	}
	if oldHost != nil && *oldHost != t.host.Self {
		if h, ok := simulator.Map.Get(*oldHost).(*simulator.HostSystem); ok {
			editRefs(h, &h.Vm, "vm", false)
		}
	}
	editRefs(t.host, &t.host.Vm, "vm", true)
	if oldPool != nil && *oldPool != t.pool.Self {
		if p, ok := simulator.Map.Get(*oldPool).(*simulator.ResourcePool); ok {
			editRefs(p, &p.Vm, "vm", false)
		}
	}
	editRefs(t.pool, &t.pool.Vm, "vm", true)
	host, pool := t.host.Self, t.pool.Self
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.host", Val: host},
			{Name: "summary.runtime.host", Val: host},
			{Name: "resourcePool", Val: pool},
		})
	})
}
