package main

// Physical NICs as a real host reports them in config.network.pnic, with what libvirt's
// interface driver reads: vcsim's model has two NICs without any IP configuration. Here
// vmnic0 gets a static IPv4 address and a manual IPv6 address (plus its link-local one),
// vmnic1 DHCP for IPv4 (with the leased address) and IPv6 autoconfiguration with DHCPv6, and
// two more NICs, vmnic2 and vmnic3, are free to be bonded into a new vSwitch.

import (
	"fmt"

	"github.com/vmware/govmomi/vim25/types"
)

func freeNic(device, pci, mac string) types.PhysicalNic {
	link := &types.PhysicalNicLinkInfo{SpeedMb: 10000, Duplex: true}
	return types.PhysicalNic{
		Key:                          pnicKeyPrefix + device,
		Device:                       device,
		Pci:                          pci,
		Driver:                       "nvmxnet3",
		LinkSpeed:                    link,
		ValidLinkSpecification:       []types.PhysicalNicLinkInfo{*link},
		Spec:                         types.PhysicalNicSpec{Ip: &types.HostIpConfig{}, LinkSpeed: link},
		Mac:                          mac,
		VmDirectPathGen2Supported:    types.NewBool(false),
		ResourcePoolSchedulerAllowed: types.NewBool(true),
		AutoNegotiateSupported:       types.NewBool(false),
	}
}

// addressNics fills the IP configuration of the model's NICs and adds the free ones.
func addressNics(info *types.HostNetworkInfo) {
	for i := range info.Pnic {
		p := &info.Pnic[i]
		switch p.Device {
		case "vmnic0":
			p.Spec.Ip = &types.HostIpConfig{
				Dhcp:       false,
				IpAddress:  "192.168.100.10",
				SubnetMask: "255.255.255.0",
				IpV6Config: &types.HostIpConfigIpV6AddressConfiguration{
					IpV6Address: []types.HostIpConfigIpV6Address{
						{IpAddress: "fe80::20c:29ff:fe81:d8a0", PrefixLength: 64, Origin: "other", DadState: "preferred"},
						{IpAddress: "2001:db8::10", PrefixLength: 64, Origin: "manual", DadState: "preferred"},
					},
					AutoConfigurationEnabled: types.NewBool(false),
					DhcpV6Enabled:            types.NewBool(false),
				},
			}
		case "vmnic1":
			p.Spec.Ip = &types.HostIpConfig{
				Dhcp:       true,
				IpAddress:  "10.20.30.40",
				SubnetMask: "255.255.0.0",
				IpV6Config: &types.HostIpConfigIpV6AddressConfiguration{
					IpV6Address: []types.HostIpConfigIpV6Address{
						{IpAddress: "2001:db8:1::28", PrefixLength: 64, Origin: "dhcp", DadState: "preferred"},
					},
					AutoConfigurationEnabled: types.NewBool(true),
					DhcpV6Enabled:            types.NewBool(true),
				},
			}
		}
	}
	for i, dev := range []string{"vmnic2", "vmnic3"} {
		found := false
		for _, p := range info.Pnic {
			found = found || p.Device == dev
		}
		if !found {
			info.Pnic = append(info.Pnic, freeNic(dev, fmt.Sprintf("0000:1b:0%d.0", i), fmt.Sprintf("00:0c:29:81:d8:b%d", i)))
		}
	}
}
