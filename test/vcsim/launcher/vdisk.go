package main

// VirtualDiskManager. vcsim's CreateVirtualDisk_Task makes two empty files whatever the
// capacity; ESX writes a descriptor and an extent of the requested size. ExtendVirtualDisk_Task
// and ZeroFillVirtualDisk_Task (libvirt's volume wipe) are missing. Extents stay sparse, so
// large disks cost nothing; a thick disk's descriptor says so and the browser then reports
// its full size as fileSize.

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type diskManager struct {
	simulator.VirtualDiskManager
}

func wrapDiskManager() {
	ref := simulator.Map.Get(serviceInstance).(*simulator.ServiceInstance).Content.VirtualDiskManager
	if ref == nil {
		return
	}
	if orig, ok := simulator.Map.Get(*ref).(*simulator.VirtualDiskManager); ok {
		simulator.Map.Put(&diskManager{VirtualDiskManager: *orig})
	}
}

var adapterTypes = map[string]string{"lsiLogic": "lsilogic", "busLogic": "buslogic", "ide": "ide", "lsiLogicsas": "lsilogic", "paraVirtual": "pvscsi"}

func (m *diskManager) CreateVirtualDiskTask(ctx *simulator.Context, req *types.CreateVirtualDisk_Task) soap.HasFault {
	res := m.VirtualDiskManager.CreateVirtualDiskTask(ctx, req)
	body, ok := res.(*methods.CreateVirtualDisk_TaskBody)
	if !ok || body.Res == nil {
		return res
	}
	if _, fault := taskOutcome(body.Res.Returnval); fault != nil {
		return res
	}
	spec, ok := req.Spec.(*types.FileBackedVirtualDiskSpec)
	if !ok {
		return res
	}
	if file, ok := localPath(datastoreDirs(), req.Name); ok {
		_ = os.Truncate(file, 0)
		_ = ensureDiskFiles(file, diskFile{
			dsPath:     req.Name,
			capacityKb: spec.CapacityKb,
			thin:       spec.DiskType == string(types.VirtualDiskTypeThin),
			adapter:    adapterTypes[spec.AdapterType],
			hwVersion:  "13",
		})
	}
	return res
}

// diskFileOf finds an existing disk's descriptor, or the fault ESX gives.
func diskFileOf(name string) (string, types.BaseMethodFault) {
	file, ok := localPath(datastoreDirs(), name)
	if !ok {
		return "", &types.InvalidDatastorePath{DatastorePath: name}
	}
	if _, err := os.Stat(file); err != nil {
		return "", &types.FileNotFound{FileFault: types.FileFault{File: name}}
	}
	return file, nil
}

func (m *diskManager) ExtendVirtualDiskTask(req *types.ExtendVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "ExtendVirtualDiskTask", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		file, fault := diskFileOf(req.Name)
		if fault != nil {
			return nil, fault
		}
		d := readDescriptor(file)
		if req.NewCapacityKb < d.capacityKb {
			return nil, &types.InvalidArgument{InvalidProperty: "newCapacityKb"}
		}
		flat := strings.TrimSuffix(filepath.Base(file), ".vmdk") + "-flat.vmdk"
		if len(d.extents) > 0 {
			flat = d.extents[0].file
		}
		if err := os.Truncate(filepath.Join(filepath.Dir(file), flat), req.NewCapacityKb*1024); err != nil {
			return nil, &types.FileFault{File: req.Name}
		}
		text := vmdkDescriptorText(flat, diskFile{dsPath: req.Name, capacityKb: req.NewCapacityKb, thin: d.thin, adapter: d.adapterType, hwVersion: "13"})
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return nil, &types.FileFault{File: req.Name}
		}
		return nil, nil
	})
	return &methods.ExtendVirtualDisk_TaskBody{Res: &types.ExtendVirtualDisk_TaskResponse{Returnval: task.Run()}}
}

func (m *diskManager) ZeroFillVirtualDiskTask(req *types.ZeroFillVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "ZeroFillVirtualDiskTask", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		file, fault := diskFileOf(req.Name)
		if fault != nil {
			return nil, fault
		}
		for _, x := range readDescriptor(file).extents {
			extent := filepath.Join(filepath.Dir(file), x.file)
			st, err := os.Stat(extent)
			if err != nil {
				continue
			}
			// Truncating to 0 and back leaves the same size, all zeros (and sparse).
			if os.Truncate(extent, 0) != nil || os.Truncate(extent, st.Size()) != nil {
				return nil, &types.FileFault{File: req.Name}
			}
		}
		return nil, nil
	})
	return &methods.ZeroFillVirtualDisk_TaskBody{Res: &types.ZeroFillVirtualDisk_TaskResponse{Returnval: task.Run()}}
}
