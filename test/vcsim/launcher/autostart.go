package main

// HostAutoStartManager. configManager.autoStartManager names ha-autostart-mgr but vcsim has
// no such object. One manager per host (ESX keeps ha-autostart-mgr; vCenter hosts get
// their own moref) holds config.defaults and config.powerInfo; ReconfigureAutostart merges
// the defaults, replaces or appends powerInfo entries by VM and keeps startOrder dense
// (1..n) as ESX does; the result is mirrored into HostSystem.config.autoStart.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type autoStartManager struct {
	mo.HostAutoStartManager

	host types.ManagedObjectReference
}

func defaultAutoStartConfig() types.HostAutoStartManagerConfig {
	return types.HostAutoStartManagerConfig{
		Defaults: &types.AutoStartDefaults{
			Enabled:          types.NewBool(false),
			StartDelay:       120,
			StopDelay:        120,
			WaitForHeartbeat: types.NewBool(false),
			StopAction:       "PowerOff",
		},
	}
}

func addAutoStartManager(host *simulator.HostSystem) {
	ref := types.ManagedObjectReference{Type: "HostAutoStartManager", Value: "ha-autostart-mgr"}
	if simulator.Map.IsVPX() {
		ref.Value = "autoStartManager-" + host.Self.Value
	}
	m := &autoStartManager{host: host.Self}
	m.Self = ref
	m.Config = defaultAutoStartConfig()
	simulator.Map.Put(m)
	cfg := copyAutoStart(m.Config)
	simulator.Map.WithLock(host, func() {
		host.ConfigManager.AutoStartManager = &ref
		simulator.Map.Update(host, []types.PropertyChange{{Name: "config.autoStart", Val: cfg}})
	})
}

func copyAutoStart(c types.HostAutoStartManagerConfig) types.HostAutoStartManagerConfig {
	out := types.HostAutoStartManagerConfig{PowerInfo: append([]types.AutoStartPowerInfo{}, c.PowerInfo...)}
	if c.Defaults != nil {
		d := *c.Defaults
		out.Defaults = &d
	}
	return out
}

var (
	startActions     = []string{"none", "powerOn"}
	stopActions      = []string{"none", "systemDefault", "powerOff", "suspend", "guestShutdown"}
	heartbeatOptions = []string{"yes", "no", "systemDefault"}
)

// canonical returns the allowed spelling of v (compared case-insensitively), or "".
func canonical(v string, allowed []string) string {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a
		}
	}
	return ""
}

func invalidArgument(name string) *methods.ReconfigureAutostartBody {
	return &methods.ReconfigureAutostartBody{Fault_: simulator.Fault(
		fmt.Sprintf("A specified parameter was not correct: %s", name),
		&types.InvalidArgument{InvalidProperty: name})}
}

// ReconfigureAutostart is dispatched by vcsim (method lookup by name on this object).
func (m *autoStartManager) ReconfigureAutostart(req *types.ReconfigureAutostart) soap.HasFault {
	cfg := copyAutoStart(m.Config)
	if d := req.Spec.Defaults; d != nil {
		if d.Enabled != nil {
			cfg.Defaults.Enabled = types.NewBool(*d.Enabled)
		}
		if d.StartDelay != 0 {
			cfg.Defaults.StartDelay = d.StartDelay
		}
		if d.StopDelay != 0 {
			cfg.Defaults.StopDelay = d.StopDelay
		}
		if d.WaitForHeartbeat != nil {
			cfg.Defaults.WaitForHeartbeat = types.NewBool(*d.WaitForHeartbeat)
		}
		if d.StopAction != "" {
			a := canonical(d.StopAction, stopActions)
			if a == "" {
				return invalidArgument("defaults.stopAction")
			}
			cfg.Defaults.StopAction = d.StopAction
		}
	}

	host, _ := simulator.Map.Get(m.host).(*simulator.HostSystem)
	for _, p := range req.Spec.PowerInfo {
		if p.Key.Type != "VirtualMachine" || host == nil || !hostHasVM(host, p.Key) {
			return invalidArgument("powerInfo.key")
		}
		if p.StartAction = canonical(p.StartAction, startActions); p.StartAction == "" {
			return invalidArgument("powerInfo.startAction")
		}
		if p.StopAction = canonical(p.StopAction, stopActions); p.StopAction == "" {
			return invalidArgument("powerInfo.stopAction")
		}
		hb := canonical(string(p.WaitForHeartbeat), heartbeatOptions)
		if hb == "" {
			return invalidArgument("powerInfo.waitForHeartbeat")
		}
		p.WaitForHeartbeat = types.AutoStartWaitHeartbeatSetting(hb)
		cfg.PowerInfo = placePowerInfo(cfg.PowerInfo, p)
	}

	simulator.Map.Update(m, []types.PropertyChange{{Name: "config", Val: cfg}})
	if host != nil {
		mirror := copyAutoStart(cfg)
		simulator.Map.WithLock(host, func() {
			simulator.Map.Update(host, []types.PropertyChange{{Name: "config.autoStart", Val: mirror}})
		})
	}
	return &methods.ReconfigureAutostartBody{Res: &types.ReconfigureAutostartResponse{}}
}

func hostHasVM(host *simulator.HostSystem, vm types.ManagedObjectReference) bool {
	found := false
	simulator.Map.WithLock(host, func() {
		for _, r := range host.Vm {
			if r == vm {
				found = true
			}
		}
	})
	return found
}

// placePowerInfo replaces the VM's entry (or appends it) and renumbers the ordered entries:
// an entry asking for position n goes before the entry that held n; order stays 1..k and
// unordered entries keep -1.
func placePowerInfo(list []types.AutoStartPowerInfo, p types.AutoStartPowerInfo) []types.AutoStartPowerInfo {
	var others []types.AutoStartPowerInfo
	for _, e := range list {
		if e.Key != p.Key {
			others = append(others, e)
		}
	}
	var ordered, unordered []types.AutoStartPowerInfo
	for _, e := range others {
		if e.StartOrder > 0 {
			ordered = append(ordered, e)
		} else {
			unordered = append(unordered, e)
		}
	}
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].StartOrder < ordered[j].StartOrder })
	if p.StartOrder > 0 {
		at := int(p.StartOrder) - 1
		if at > len(ordered) {
			at = len(ordered)
		}
		ordered = append(ordered[:at], append([]types.AutoStartPowerInfo{p}, ordered[at:]...)...)
	} else {
		p.StartOrder = -1
		unordered = append(unordered, p)
	}
	for i := range ordered {
		ordered[i].StartOrder = int32(i + 1)
	}
	return append(ordered, unordered...)
}
