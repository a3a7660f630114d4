package main

// RemoveSnapshot_Task guard. When the snapshot removed is the current one, is a root and
// other snapshots remain, vcsim assigns a typed nil parent to snapshot.currentSnapshot,
// which panics (the client sees the connection drop) and leaves currentSnapshot corrupt.
// Clearing currentSnapshot first gives the vSphere result: no current snapshot.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func (s *server) guardRemoveSnapshot(c *soapCall) {
	snap, ok := simulator.Map.Get(c.req.This).(*simulator.VirtualMachineSnapshot)
	if !ok {
		return
	}
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return
	}
	req, ok := decoded.(*types.RemoveSnapshot_Task)
	if !ok {
		return
	}
	vm, ok := simulator.Map.Get(snap.Vm).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	simulator.Map.WithLock(vm, func() {
		tree := vm.Snapshot
		if tree == nil || tree.CurrentSnapshot == nil || *tree.CurrentSnapshot != c.req.This {
			return
		}
		var root *types.VirtualMachineSnapshotTree
		for i := range tree.RootSnapshotList {
			if tree.RootSnapshotList[i].Snapshot == c.req.This {
				root = &tree.RootSnapshotList[i]
			}
		}
		if root == nil {
			return // not a root: vcsim moves currentSnapshot to the parent
		}
		othersRemain := len(tree.RootSnapshotList) > 1 || (len(root.ChildSnapshotList) > 0 && !req.RemoveChildren)
		if othersRemain {
			simulator.Map.Update(vm, []types.PropertyChange{{Name: "snapshot.currentSnapshot", Val: nil}})
		}
	})
}
