package main

// HostNetworkSystem. vcsim's vSwitch and port group methods only touch a minimal
// networkInfo of their own, never HostSystem.config.network, which is what libvirt reads.
// Here both views are one HostNetworkInfo (the host's), kept as ESX keeps it: keys
// (key-vim.host.VirtualSwitch-NAME, key-vim.host.PortGroup-NAME, key-vim.host.PhysicalNic-DEV),
// the vSwitch key on port groups, specs completed with defaults, computed policies, and
// Network entities for port groups. Every change goes through Map.Update so WaitForUpdates
// sees it.

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type netSystem struct {
	simulator.HostNetworkSystem
}

func wrapNetworkSystem(host *simulator.HostSystem) {
	if host.ConfigManager.NetworkSystem == nil {
		return
	}
	orig, ok := simulator.Map.Get(*host.ConfigManager.NetworkSystem).(*simulator.HostNetworkSystem)
	if !ok || host.Config == nil || host.Config.Network == nil {
		return
	}
	ns := &netSystem{HostNetworkSystem: *orig}
	ns.Host = &host.HostSystem
	ns.NetworkInfo = host.Config.Network // one object for both views
	addressNics(ns.NetworkInfo)
	simulator.Map.Put(ns)
}

const (
	vswitchKeyPrefix   = "key-vim.host.VirtualSwitch-"
	portgroupKeyPrefix = "key-vim.host.PortGroup-"
	pnicKeyPrefix      = "key-vim.host.PhysicalNic-"
	elasticPorts       = 1536 // what ESXi 6.5 reports as numPorts whatever the spec says
)

func fault(msg string, f types.BaseMethodFault) *soap.Fault { return simulator.Fault(msg, f) }

// hostNet is a working copy of the host's network state.
type hostNet struct {
	vswitch   []types.HostVirtualSwitch
	portgroup []types.HostPortGroup
	pnic      []types.PhysicalNic
}

func (s *netSystem) host() *simulator.HostSystem {
	h, _ := simulator.Map.Get(s.Host.Self).(*simulator.HostSystem)
	return h
}

func (s *netSystem) read() hostNet {
	var n hostNet
	simulator.Map.WithLock(s.host(), func() {
		info := s.NetworkInfo
		n.vswitch = append(n.vswitch, info.Vswitch...)
		n.portgroup = append(n.portgroup, info.Portgroup...)
		n.pnic = append(n.pnic, info.Pnic...)
	})
	return n
}

func (s *netSystem) write(n hostNet) {
	host := s.host()
	simulator.Map.WithLock(host, func() {
		simulator.Map.Update(host, []types.PropertyChange{
			{Name: "config.network.vswitch", Val: n.vswitch},
			{Name: "config.network.portgroup", Val: n.portgroup},
		})
	})
	// NetworkInfo is the same object; this only tells the collectors about networkInfo.
	simulator.Map.Update(s, []types.PropertyChange{
		{Name: "networkInfo.vswitch", Val: n.vswitch},
		{Name: "networkInfo.portgroup", Val: n.portgroup},
	})
}

func (n *hostNet) findVswitch(name string) int {
	for i, v := range n.vswitch {
		if v.Name == name {
			return i
		}
	}
	return -1
}

func (n *hostNet) findPortgroup(name string) int {
	for i, p := range n.portgroup {
		if p.Spec.Name == name {
			return i
		}
	}
	return -1
}

// bridgeNics are the physical NICs a vSwitch bridge names.
func bridgeNics(b types.BaseHostVirtualSwitchBridge) []string {
	switch br := b.(type) {
	case *types.HostVirtualSwitchBondBridge:
		return br.NicDevice
	case *types.HostVirtualSwitchSimpleBridge:
		return []string{br.NicDevice}
	}
	return nil
}

// pnicKeys validates the bridge NICs and returns their keys.
func (n *hostNet) pnicKeys(spec *types.HostVirtualSwitchSpec, vswitch string) ([]string, *soap.Fault) {
	var keys []string
	for _, dev := range bridgeNics(spec.Bridge) {
		found := ""
		for _, p := range n.pnic {
			if p.Device == dev {
				found = p.Key
			}
		}
		if found == "" {
			return nil, fault(fmt.Sprintf("The physical NIC %s was not found.", dev), &types.NotFound{})
		}
		for _, v := range n.vswitch {
			if v.Name == vswitch {
				continue
			}
			for _, k := range v.Pnic {
				if k == found {
					return nil, fault(fmt.Sprintf("The physical NIC %s is in use by %s.", dev, v.Name), &types.ResourceInUse{Name: dev})
				}
			}
		}
		keys = append(keys, found)
	}
	return keys, nil
}

func defaultVswitchPolicy(nics []string) *types.HostNetworkPolicy {
	return &types.HostNetworkPolicy{
		Security: &types.HostNetworkSecurityPolicy{
			AllowPromiscuous: types.NewBool(false),
			MacChanges:       types.NewBool(true),
			ForgedTransmits:  types.NewBool(true),
		},
		NicTeaming: &types.HostNicTeamingPolicy{
			Policy:         "loadbalance_srcid",
			ReversePolicy:  types.NewBool(true),
			NotifySwitches: types.NewBool(true),
			RollingOrder:   types.NewBool(false),
			FailureCriteria: &types.HostNicFailureCriteria{
				CheckSpeed:        "minimum",
				Speed:             10,
				CheckDuplex:       types.NewBool(false),
				FullDuplex:        types.NewBool(false),
				CheckErrorPercent: types.NewBool(false),
				CheckBeacon:       types.NewBool(false),
			},
			NicOrder: &types.HostNicOrderPolicy{ActiveNic: append([]string{}, nics...)},
		},
		OffloadPolicy: &types.HostNetOffloadCapabilities{
			CsumOffload:     types.NewBool(true),
			TcpSegmentation: types.NewBool(true),
			ZeroCopyXmit:    types.NewBool(true),
		},
		ShapingPolicy: &types.HostNetworkTrafficShapingPolicy{Enabled: types.NewBool(false)},
	}
}

// completeVswitchSpec fills what the client left out, as ESX does.
func completeVswitchSpec(spec types.HostVirtualSwitchSpec) types.HostVirtualSwitchSpec {
	if spec.NumPorts == 0 {
		spec.NumPorts = 128
	}
	def := defaultVswitchPolicy(bridgeNics(spec.Bridge))
	if spec.Policy == nil {
		spec.Policy = def
		return spec
	}
	p := *spec.Policy
	if p.Security == nil {
		p.Security = def.Security
	}
	if p.NicTeaming == nil {
		p.NicTeaming = def.NicTeaming
	}
	if p.OffloadPolicy == nil {
		p.OffloadPolicy = def.OffloadPolicy
	}
	if p.ShapingPolicy == nil {
		p.ShapingPolicy = def.ShapingPolicy
	}
	spec.Policy = &p
	return spec
}

func (n *hostNet) buildVswitch(name string, spec types.HostVirtualSwitchSpec, keys []string, portgroups []string) types.HostVirtualSwitch {
	mtu := spec.Mtu
	if mtu == 0 {
		mtu = 1500
	}
	used := int32(0)
	for _, pg := range n.portgroup {
		if pg.Spec.VswitchName == name {
			used += int32(len(pg.Port))
		}
	}
	return types.HostVirtualSwitch{
		Name:              name,
		Key:               vswitchKeyPrefix + name,
		NumPorts:          elasticPorts,
		NumPortsAvailable: elasticPorts - used,
		Mtu:               mtu,
		Portgroup:         portgroups,
		Pnic:              keys,
		Spec:              spec,
	}
}

func (s *netSystem) AddVirtualSwitch(ctx *simulator.Context, req *types.AddVirtualSwitch) soap.HasFault {
	body := &methods.AddVirtualSwitchBody{}
	n := s.read()
	if req.VswitchName == "" || len(req.VswitchName) > 31 {
		body.Fault_ = fault("A specified parameter was not correct: vswitchName", &types.InvalidArgument{InvalidProperty: "vswitchName"})
		return body
	}
	if n.findVswitch(req.VswitchName) >= 0 {
		body.Fault_ = fault(fmt.Sprintf("The specified key, name, or identifier '%s' already exists.", req.VswitchName), &types.AlreadyExists{Name: req.VswitchName})
		return body
	}
	spec := types.HostVirtualSwitchSpec{}
	if req.Spec != nil {
		spec = *req.Spec
	}
	keys, f := n.pnicKeys(&spec, req.VswitchName)
	if f != nil {
		body.Fault_ = f
		return body
	}
	spec = completeVswitchSpec(spec)
	n.vswitch = append(n.vswitch, n.buildVswitch(req.VswitchName, spec, keys, nil))
	s.write(n)
	body.Res = &types.AddVirtualSwitchResponse{}
	return body
}

func (s *netSystem) UpdateVirtualSwitch(ctx *simulator.Context, req *types.UpdateVirtualSwitch) soap.HasFault {
	body := &methods.UpdateVirtualSwitchBody{}
	n := s.read()
	i := n.findVswitch(req.VswitchName)
	if i < 0 {
		body.Fault_ = fault(fmt.Sprintf("The virtual switch %s was not found.", req.VswitchName), &types.NotFound{})
		return body
	}
	keys, f := n.pnicKeys(&req.Spec, req.VswitchName)
	if f != nil {
		body.Fault_ = f
		return body
	}
	old := n.vswitch[i]
	spec := completeVswitchSpec(req.Spec)
	n.vswitch[i] = n.buildVswitch(old.Name, spec, keys, old.Portgroup)
	for j := range n.portgroup {
		if n.portgroup[j].Vswitch == old.Key {
			n.portgroup[j].ComputedPolicy = computePolicy(*spec.Policy, n.portgroup[j].Spec.Policy)
		}
	}
	s.write(n)
	body.Res = &types.UpdateVirtualSwitchResponse{}
	return body
}

func (s *netSystem) RemoveVirtualSwitch(ctx *simulator.Context, req *types.RemoveVirtualSwitch) soap.HasFault {
	body := &methods.RemoveVirtualSwitchBody{}
	n := s.read()
	i := n.findVswitch(req.VswitchName)
	if i < 0 {
		body.Fault_ = fault(fmt.Sprintf("The virtual switch %s was not found.", req.VswitchName), &types.NotFound{})
		return body
	}
	var names []string
	for _, pg := range n.portgroup {
		if pg.Spec.VswitchName == req.VswitchName {
			if f := s.portgroupInUse(pg); f != nil {
				body.Fault_ = f
				return body
			}
			names = append(names, pg.Spec.Name)
		}
	}
	for _, name := range names {
		s.removeNetworkEntity(ctx, req.VswitchName, name)
		n.portgroup = append(n.portgroup[:n.findPortgroup(name)], n.portgroup[n.findPortgroup(name)+1:]...)
	}
	n.vswitch = append(n.vswitch[:i], n.vswitch[i+1:]...)
	s.write(n)
	body.Res = &types.RemoveVirtualSwitchResponse{}
	return body
}

// normalizePolicy gives every policy section a value, as ESX reports port group specs.
func normalizePolicy(p types.HostNetworkPolicy) types.HostNetworkPolicy {
	if p.Security == nil {
		p.Security = &types.HostNetworkSecurityPolicy{}
	}
	if p.NicTeaming == nil {
		p.NicTeaming = &types.HostNicTeamingPolicy{}
	}
	if p.NicTeaming.FailureCriteria == nil {
		t := *p.NicTeaming
		t.FailureCriteria = &types.HostNicFailureCriteria{}
		p.NicTeaming = &t
	}
	if p.OffloadPolicy == nil {
		p.OffloadPolicy = &types.HostNetOffloadCapabilities{}
	}
	if p.ShapingPolicy == nil {
		p.ShapingPolicy = &types.HostNetworkTrafficShapingPolicy{}
	}
	return p
}

func orBool(over, base *bool) *bool {
	if over != nil {
		return over
	}
	return base
}

// computePolicy is the vSwitch policy with the port group's settings laid over it.
func computePolicy(vs types.HostNetworkPolicy, pg types.HostNetworkPolicy) types.HostNetworkPolicy {
	out := normalizePolicy(vs)
	pg = normalizePolicy(pg)

	sec := *out.Security
	sec.AllowPromiscuous = orBool(pg.Security.AllowPromiscuous, sec.AllowPromiscuous)
	sec.MacChanges = orBool(pg.Security.MacChanges, sec.MacChanges)
	sec.ForgedTransmits = orBool(pg.Security.ForgedTransmits, sec.ForgedTransmits)
	out.Security = &sec

	team := *out.NicTeaming
	if pg.NicTeaming.Policy != "" {
		team.Policy = pg.NicTeaming.Policy
	}
	team.ReversePolicy = orBool(pg.NicTeaming.ReversePolicy, team.ReversePolicy)
	team.NotifySwitches = orBool(pg.NicTeaming.NotifySwitches, team.NotifySwitches)
	team.RollingOrder = orBool(pg.NicTeaming.RollingOrder, team.RollingOrder)
	if pg.NicTeaming.NicOrder != nil {
		team.NicOrder = pg.NicTeaming.NicOrder
	}
	if fc := pg.NicTeaming.FailureCriteria; fc != nil && team.FailureCriteria != nil {
		merged := *team.FailureCriteria
		if fc.CheckSpeed != "" {
			merged.CheckSpeed = fc.CheckSpeed
			merged.Speed = fc.Speed
		}
		merged.CheckDuplex = orBool(fc.CheckDuplex, merged.CheckDuplex)
		merged.FullDuplex = orBool(fc.FullDuplex, merged.FullDuplex)
		merged.CheckErrorPercent = orBool(fc.CheckErrorPercent, merged.CheckErrorPercent)
		merged.CheckBeacon = orBool(fc.CheckBeacon, merged.CheckBeacon)
		team.FailureCriteria = &merged
	}
	out.NicTeaming = &team

	off := *out.OffloadPolicy
	off.CsumOffload = orBool(pg.OffloadPolicy.CsumOffload, off.CsumOffload)
	off.TcpSegmentation = orBool(pg.OffloadPolicy.TcpSegmentation, off.TcpSegmentation)
	off.ZeroCopyXmit = orBool(pg.OffloadPolicy.ZeroCopyXmit, off.ZeroCopyXmit)
	out.OffloadPolicy = &off

	if pg.ShapingPolicy.Enabled != nil {
		shaping := *pg.ShapingPolicy
		out.ShapingPolicy = &shaping
	}
	return out
}

func (s *netSystem) AddPortGroup(ctx *simulator.Context, req *types.AddPortGroup) soap.HasFault {
	body := &methods.AddPortGroupBody{}
	n := s.read()
	spec := req.Portgrp
	if spec.Name == "" {
		body.Fault_ = fault("A specified parameter was not correct: portgrp.name", &types.InvalidArgument{InvalidProperty: "portgrp.name"})
		return body
	}
	vi := n.findVswitch(spec.VswitchName)
	if vi < 0 {
		body.Fault_ = fault(fmt.Sprintf("The virtual switch %s was not found.", spec.VswitchName), &types.NotFound{})
		return body
	}
	if n.findPortgroup(spec.Name) >= 0 {
		body.Fault_ = fault(fmt.Sprintf("The specified key, name, or identifier '%s' already exists.", spec.Name), &types.AlreadyExists{Name: spec.Name})
		return body
	}
	if spec.VlanId < 0 || spec.VlanId > 4095 {
		body.Fault_ = fault("A specified parameter was not correct: portgrp.vlanId", &types.InvalidArgument{InvalidProperty: "portgrp.vlanId"})
		return body
	}
	if f := s.addNetworkEntity(ctx, spec); f != nil {
		body.Fault_ = f
		return body
	}
	spec.Policy = normalizePolicy(spec.Policy)
	vs := &n.vswitch[vi]
	key := portgroupKeyPrefix + spec.Name
	vs.Portgroup = append(append([]string{}, vs.Portgroup...), key)
	vsPolicy := types.HostNetworkPolicy{}
	if vs.Spec.Policy != nil {
		vsPolicy = *vs.Spec.Policy
	}
	n.portgroup = append(n.portgroup, types.HostPortGroup{
		Key:            key,
		Vswitch:        vs.Key,
		ComputedPolicy: computePolicy(vsPolicy, spec.Policy),
		Spec:           spec,
	})
	s.write(n)
	body.Res = &types.AddPortGroupResponse{}
	return body
}

func (s *netSystem) UpdatePortGroup(ctx *simulator.Context, req *types.UpdatePortGroup) soap.HasFault {
	body := &methods.UpdatePortGroupBody{}
	n := s.read()
	i := n.findPortgroup(req.PgName)
	if i < 0 {
		body.Fault_ = fault(fmt.Sprintf("The port group %s was not found.", req.PgName), &types.NotFound{})
		return body
	}
	if req.Portgrp.Name != req.PgName || req.Portgrp.VswitchName != n.portgroup[i].Spec.VswitchName {
		body.Fault_ = fault("Renaming or moving a port group is not supported here", &types.NotSupported{})
		return body
	}
	spec := req.Portgrp
	spec.Policy = normalizePolicy(spec.Policy)
	vs := n.vswitch[n.findVswitch(spec.VswitchName)]
	vsPolicy := types.HostNetworkPolicy{}
	if vs.Spec.Policy != nil {
		vsPolicy = *vs.Spec.Policy
	}
	n.portgroup[i].Spec = spec
	n.portgroup[i].ComputedPolicy = computePolicy(vsPolicy, spec.Policy)
	s.write(n)
	body.Res = &types.UpdatePortGroupResponse{}
	return body
}

func (s *netSystem) RemovePortGroup(ctx *simulator.Context, req *types.RemovePortGroup) soap.HasFault {
	body := &methods.RemovePortGroupBody{}
	n := s.read()
	i := n.findPortgroup(req.PgName)
	if i < 0 {
		body.Fault_ = fault(fmt.Sprintf("The port group %s was not found.", req.PgName), &types.NotFound{})
		return body
	}
	pg := n.portgroup[i]
	if f := s.portgroupInUse(pg); f != nil {
		body.Fault_ = f
		return body
	}
	s.removeNetworkEntity(ctx, pg.Spec.VswitchName, pg.Spec.Name)
	n.portgroup = append(n.portgroup[:i], n.portgroup[i+1:]...)
	for j := range n.vswitch {
		if n.vswitch[j].Key == pg.Vswitch {
			var keep []string
			for _, k := range n.vswitch[j].Portgroup {
				if k != pg.Key {
					keep = append(keep, k)
				}
			}
			n.vswitch[j].Portgroup = keep
		}
	}
	s.write(n)
	body.Res = &types.RemovePortGroupResponse{}
	return body
}

// portgroupInUse refuses to remove a port group with VMs or host ports on it.
func (s *netSystem) portgroupInUse(pg types.HostPortGroup) *soap.Fault {
	inUse := len(pg.Port) > 0
	if net := s.networkEntity(pg.Spec.Name); net != nil && len(net.Vm) > 0 {
		inUse = true
	}
	if inUse {
		return fault(fmt.Sprintf("The resource '%s' is in use.", pg.Spec.Name), &types.ResourceInUse{Type: "PortGroup", Name: pg.Spec.Name})
	}
	return nil
}

// networkFolder is the network folder of the host's datacenter.
func (s *netSystem) networkFolder() *simulator.Folder {
	ref := s.Host.Parent
	for ref != nil {
		obj := simulator.Map.Get(*ref)
		if dc, ok := obj.(*simulator.Datacenter); ok {
			f, _ := simulator.Map.Get(dc.NetworkFolder).(*simulator.Folder)
			return f
		}
		e, ok := obj.(mo.Entity)
		if !ok {
			return nil
		}
		ref = e.Entity().Parent
	}
	return nil
}

func (s *netSystem) networkEntity(name string) *mo.Network {
	folder := s.networkFolder()
	if folder == nil {
		return nil
	}
	for _, ref := range folder.ChildEntity {
		if ref.Type != "Network" {
			continue
		}
		if net, ok := simulator.Map.Get(ref).(*mo.Network); ok && net.Name == name {
			return net
		}
	}
	return nil
}

// addNetworkEntity creates the port group's Network in the datacenter's network folder
// through vcsim's own AddPortGroup on a scratch network system.
func (s *netSystem) addNetworkEntity(ctx *simulator.Context, spec types.HostPortGroupSpec) *soap.Fault {
	scratch := &simulator.HostNetworkSystem{Host: s.Host}
	scratch.NetworkInfo = &types.HostNetworkInfo{Vswitch: []types.HostVirtualSwitch{{Name: spec.VswitchName}}}
	res := scratch.AddPortGroup(ctx, &types.AddPortGroup{This: s.Self, Portgrp: spec})
	return res.Fault()
}

func (s *netSystem) removeNetworkEntity(ctx *simulator.Context, vswitch, name string) {
	if s.networkEntity(name) == nil {
		return
	}
	scratch := &simulator.HostNetworkSystem{Host: s.Host}
	scratch.NetworkInfo = &types.HostNetworkInfo{
		Vswitch:   []types.HostVirtualSwitch{{Name: vswitch, Portgroup: []string{name}}},
		Portgroup: []types.HostPortGroup{{Spec: types.HostPortGroupSpec{Name: name, VswitchName: vswitch}}},
	}
	_ = scratch.RemovePortGroup(ctx, &types.RemovePortGroup{This: s.Self, PgName: name})
}
