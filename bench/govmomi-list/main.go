// Command govmomi-list is the yardstick of `esxvi list --all`: a govmomi client doing the
// same SOAP calls as esxvi on an ESX host and printing the same table. RetrieveServiceContent,
// Login, one RetrievePropertiesEx for the datacenter, compute resource and host (esxvi's
// inventory lookup), one RetrievePropertiesEx of the VMs' identity properties (name,
// config.uuid, configStatus, runtime.powerState) from the host through its vm property with
// the server's page size, ContinueRetrievePropertiesEx while a token comes back, Logout.
//
//	ESXVI_PASSWORD=... govmomi-list http://127.0.0.1:PORT/sdk USER
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type domain struct {
	id    int // -1 when inactive
	name  string
	state string
}

func traversal(name, typ, path string, next ...string) *types.TraversalSpec {
	t := &types.TraversalSpec{SelectionSpec: types.SelectionSpec{Name: name}, Type: typ, Path: path, Skip: types.NewBool(false)}
	for _, n := range next {
		t.SelectSet = append(t.SelectSet, &types.SelectionSpec{Name: n})
	}
	return t
}

// retrieveAll runs RetrievePropertiesEx and follows its tokens to the last page.
func retrieveAll(ctx context.Context, c *vim25.Client, spec types.PropertyFilterSpec) ([]types.ObjectContent, error) {
	pc := c.ServiceContent.PropertyCollector
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{This: pc, SpecSet: []types.PropertyFilterSpec{spec}})
	if err != nil {
		return nil, err
	}
	if res.Returnval == nil {
		return nil, nil
	}
	out := res.Returnval.Objects
	token := res.Returnval.Token
	for token != "" {
		next, err := methods.ContinueRetrievePropertiesEx(ctx, c, &types.ContinueRetrievePropertiesEx{This: pc, Token: token})
		if err != nil {
			return nil, err
		}
		out = append(out, next.Returnval.Objects...)
		token = next.Returnval.Token
	}
	return out, nil
}

func prop(oc types.ObjectContent, name string) interface{} {
	for _, p := range oc.PropSet {
		if p.Name == name {
			return p.Val
		}
	}
	return nil
}

var moID = regexp.MustCompile(`^(?:vm-)?(\d+)$`)

func state(power string) (string, bool) {
	switch power {
	case "poweredOn":
		return "running", true
	case "suspended":
		return "paused", true
	case "poweredOff":
		return "shut off", false
	}
	return "no state", true
}

func run(ctx context.Context, rawURL, user, password string) error {
	u, err := soap.ParseURL(rawURL)
	if err != nil {
		return err
	}
	c, err := vim25.NewClient(ctx, soap.NewClient(u, true))
	if err != nil {
		return err
	}
	sm := *c.ServiceContent.SessionManager
	if _, err := methods.Login(ctx, c, &types.Login{This: sm, UserName: user, Password: password}); err != nil {
		return err
	}
	defer methods.Logout(ctx, c, &types.Logout{This: sm})

	inventory, err := retrieveAll(ctx, c, types.PropertyFilterSpec{
		PropSet: []types.PropertySpec{
			{Type: "Datacenter", PathSet: []string{"name", "vmFolder", "hostFolder"}},
			{Type: "ComputeResource", PathSet: []string{"name", "resourcePool", "host"}},
			{Type: "HostSystem", PathSet: []string{"name", "runtime.inMaintenanceMode", "summary.managementServerIp", "configManager"}},
		},
		ObjectSet: []types.ObjectSpec{{
			Obj:  c.ServiceContent.RootFolder,
			Skip: types.NewBool(true),
			SelectSet: []types.BaseSelectionSpec{
				traversal("rootToDatacenter", "Folder", "childEntity", "datacenterToHostFolder"),
				traversal("datacenterToHostFolder", "Datacenter", "hostFolder", "hostFolderToComputeResource"),
				traversal("hostFolderToComputeResource", "Folder", "childEntity", "computeResourceToHost"),
				traversal("computeResourceToHost", "ComputeResource", "host"),
			},
		}},
	})
	if err != nil {
		return err
	}
	var host *types.ManagedObjectReference
	for _, oc := range inventory {
		if oc.Obj.Type == "HostSystem" {
			ref := oc.Obj
			host = &ref
			break
		}
	}
	if host == nil {
		return fmt.Errorf("no host system")
	}

	vms, err := retrieveAll(ctx, c, types.PropertyFilterSpec{
		PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name", "config.uuid", "configStatus", "runtime.powerState"}}},
		ObjectSet: []types.ObjectSpec{{
			Obj:       *host,
			Skip:      types.NewBool(true),
			SelectSet: []types.BaseSelectionSpec{traversal("hostSystemToVm", "HostSystem", "vm")},
		}},
	})
	if err != nil {
		return err
	}
	domains := make([]domain, 0, len(vms))
	for _, oc := range vms {
		name, _ := prop(oc, "name").(string)
		power, _ := prop(oc, "runtime.powerState").(types.VirtualMachinePowerState)
		st, active := state(string(power))
		id := -1
		if m := moID.FindStringSubmatch(oc.Obj.Value); m != nil && active {
			id, _ = strconv.Atoi(m[1])
		}
		domains = append(domains, domain{id: id, name: name, state: st})
	}
	// virsh's order: active domains by id, then inactive ones by name (case-insensitive).
	sort.Slice(domains, func(i, j int) bool {
		a, b := domains[i], domains[j]
		if a.id >= 0 && b.id >= 0 {
			return a.id < b.id
		}
		if a.id >= 0 || b.id >= 0 {
			return a.id >= 0
		}
		return strings.ToLower(a.name) < strings.ToLower(b.name)
	})
	printTable(domains)
	return nil
}

// printTable writes virsh's table layout, as esxvi's cli/output/table.ts does.
func printTable(domains []domain) {
	rows := [][]string{{"Id", "Name", "State"}}
	for _, d := range domains {
		id := "-"
		if d.id >= 0 {
			id = strconv.Itoa(d.id)
		}
		rows = append(rows, []string{id, d.name, d.state})
	}
	widths := make([]int, 3)
	for _, r := range rows {
		for i, cell := range r {
			if n := len([]rune(cell)); n > widths[i] {
				widths[i] = n
			}
		}
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for k, r := range rows {
		for i, cell := range r {
			if i < len(r)-1 {
				fmt.Fprintf(w, " %s%s", cell, strings.Repeat(" ", widths[i]-len([]rune(cell))+2))
			} else {
				fmt.Fprintf(w, " %s\n", cell)
			}
		}
		if k == 0 {
			for _, wd := range widths {
				w.WriteString(strings.Repeat("-", wd+3))
			}
			w.WriteString("\n")
		}
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ESXVI_PASSWORD=... govmomi-list URL USER")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Args[2], os.Getenv("ESXVI_PASSWORD")); err != nil {
		fmt.Fprintf(os.Stderr, "govmomi-list: %v\n", err)
		os.Exit(1)
	}
}
