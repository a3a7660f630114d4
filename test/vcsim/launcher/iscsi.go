package main

// The software iSCSI HBA. vcsim has no HostInternetScsiHba and no RescanHba; with -iscsi each
// host gets what an ESX host with one configured static target shows: the HBA vmhba33 with
// its initiator name and the static target, two LUNs (HostScsiDisk) behind that target in
// scsiTopology, and RescanHba on its storage system (it checks the device and changes nothing).

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

const (
	iscsiDevice  = "vmhba33"
	iscsiTarget  = "iqn.2024-01.org.example.vcsim:target0"
	iscsiAddress = "192.0.2.10"
	iscsiPort    = 3260
)

type iscsiLun struct {
	naa    string
	uuid   string
	blocks int64
}

var iscsiLuns = []iscsiLun{
	{naa: "naa.6000c29a6d0ab1c5a28f5c0d987f15be", uuid: "02000000006000c29a6d0ab1c5a28f5c0d987f15be566972747561", blocks: 20971520},
	{naa: "naa.6000c2912f3b4e0d8c1a7e5f6b2d9c01", uuid: "02000100006000c2912f3b4e0d8c1a7e5f6b2d9c01566972747561", blocks: 4194304},
}

type storageSystem struct {
	simulator.HostStorageSystem
}

func (s *storageSystem) RescanHba(req *types.RescanHba) soap.HasFault {
	body := &methods.RescanHbaBody{}
	for _, hba := range s.StorageDeviceInfo.HostBusAdapter {
		if hba.GetHostHostBusAdapter().Device == req.HbaDevice {
			body.Res = &types.RescanHbaResponse{}
			return body
		}
	}
	body.Fault_ = simulator.Fault(fmt.Sprintf("HBA %s not found", req.HbaDevice), &types.NotFound{})
	return body
}

func addSoftwareIscsi(host *simulator.HostSystem) {
	if host.ConfigManager.StorageSystem == nil || host.Config == nil || host.Config.StorageDevice == nil {
		return
	}
	orig, ok := simulator.Map.Get(*host.ConfigManager.StorageSystem).(*simulator.HostStorageSystem)
	if !ok {
		return
	}
	yes := types.NewBool(true)
	// A copy per host: vcsim's template is one value shared by every host.
	info := *host.Config.StorageDevice
	info.SoftwareInternetScsiEnabled = true
	info.HostBusAdapter = append(append([]types.BaseHostHostBusAdapter{}, info.HostBusAdapter...), &types.HostInternetScsiHba{
		HostHostBusAdapter: types.HostHostBusAdapter{
			Key: "key-vim.host.InternetScsiHba-" + iscsiDevice, Device: iscsiDevice, Bus: 0,
			Status: "online", Model: "iSCSI Software Adapter", Driver: "iscsi_vmk", StorageProtocol: "scsi",
		},
		IsSoftwareBased:            true,
		CanBeDisabled:              yes,
		DiscoveryCapabilities:      types.HostInternetScsiHbaDiscoveryCapabilities{StaticTargetDiscoverySettable: true, SendTargetsDiscoverySettable: true},
		DiscoveryProperties:        types.HostInternetScsiHbaDiscoveryProperties{StaticTargetDiscoveryEnabled: true, SendTargetsDiscoveryEnabled: true},
		AuthenticationCapabilities: types.HostInternetScsiHbaAuthenticationCapabilities{ChapAuthSettable: true},
		AuthenticationProperties:   types.HostInternetScsiHbaAuthenticationProperties{},
		IpCapabilities:             types.HostInternetScsiHbaIPCapabilities{},
		IpProperties:               types.HostInternetScsiHbaIPProperties{},
		IScsiName:                  "iqn.1998-01.com.vmware:vcsim-" + host.Name,
		ConfiguredStaticTarget: []types.HostInternetScsiHbaStaticTarget{
			{Address: iscsiAddress, Port: iscsiPort, IScsiName: iscsiTarget, DiscoveryMethod: "staticMethod"},
		},
	})
	luns := append([]types.BaseScsiLun{}, info.ScsiLun...)
	var topoLuns []types.HostScsiTopologyLun
	for i, l := range iscsiLuns {
		device := "/vmfs/devices/disks/" + l.naa
		luns = append(luns, &types.HostScsiDisk{
			ScsiLun: types.ScsiLun{
				HostDevice:       types.HostDevice{DeviceName: device, DeviceType: "disk"},
				Key:              "key-vim.host.ScsiDisk-" + l.uuid,
				Uuid:             l.uuid,
				CanonicalName:    l.naa,
				DisplayName:      "VCSIM iSCSI Disk (" + l.naa + ")",
				LunType:          "disk",
				Vendor:           "VCSIM   ",
				Model:            "iSCSI Disk      ",
				OperationalState: []string{"ok"},
			},
			Capacity:   types.HostDiskDimensionsLba{BlockSize: 512, Block: l.blocks},
			DevicePath: device,
		})
		topoLuns = append(topoLuns, types.HostScsiTopologyLun{
			Key: "key-vim.host.ScsiTopology.Lun-" + l.uuid, Lun: int32(i), ScsiLun: "key-vim.host.ScsiDisk-" + l.uuid,
		})
	}
	info.ScsiLun = luns
	topo := types.HostScsiTopology{}
	if info.ScsiTopology != nil {
		topo.Adapter = append(topo.Adapter, info.ScsiTopology.Adapter...)
	}
	topo.Adapter = append(topo.Adapter, types.HostScsiTopologyInterface{
		Key:     "key-vim.host.ScsiTopology.Interface-" + iscsiDevice,
		Adapter: "key-vim.host.InternetScsiHba-" + iscsiDevice,
		Target: []types.HostScsiTopologyTarget{{
			Key:       "key-vim.host.ScsiTopology.Target-" + iscsiDevice + ":0:0",
			Target:    0,
			Lun:       topoLuns,
			Transport: &types.HostInternetScsiTargetTransport{IScsiName: iscsiTarget, Address: []string{fmt.Sprintf("%s:%d", iscsiAddress, iscsiPort)}},
		}},
	})
	info.ScsiTopology = &topo

	ss := &storageSystem{HostStorageSystem: *orig}
	ss.StorageDeviceInfo = &info
	simulator.Map.Put(ss)
	simulator.Map.WithLock(host, func() { host.Config.StorageDevice = &info })
}
