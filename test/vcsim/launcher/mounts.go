package main

// Datastore mounts: vcsim leaves Datastore.host[].mountInfo.path unset; ESX reports
// /vmfs/volumes/<name> (libvirt derives pool UUIDs from it and maps VMX file names with it).
// The datastore's url keeps vcsim's local directory, which serves the files. New datastores
// (Create*Datastore) are fixed up as they appear, and their browsers wrapped (browser.go).

import (
	"path"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const volumesRoot = "/vmfs/volumes"

func mountPath(name string) string { return path.Join(volumesRoot, name) }

// hostsOfDatastores maps each datastore to the hosts that list it (vcsim keeps only the
// last host's mount in Datastore.host when several hosts share a datastore).
func hostsOfDatastores() map[types.ManagedObjectReference][]types.ManagedObjectReference {
	out := map[types.ManagedObjectReference][]types.ManagedObjectReference{}
	for _, e := range simulator.Map.All("HostSystem") {
		h, ok := e.(*simulator.HostSystem)
		if !ok {
			continue
		}
		for _, ref := range h.Datastore {
			out[ref] = append(out[ref], h.Self)
		}
	}
	return out
}

func fixDatastores() {
	sharers := hostsOfDatastores()
	for _, e := range simulator.Map.All("Datastore") {
		ds, ok := e.(*simulator.Datastore)
		if !ok {
			continue
		}
		simulator.Map.WithLock(ds, func() {
			changed := false
			hosts := append([]types.DatastoreHostMount{}, ds.Host...)
			for _, h := range sharers[ds.Self] {
				found := false
				for _, m := range hosts {
					if m.Key == h {
						found = true
						break
					}
				}
				if !found {
					accessible := true
					hosts = append(hosts, types.DatastoreHostMount{Key: h, MountInfo: types.HostMountInfo{AccessMode: string(types.HostMountModeReadWrite), Accessible: &accessible, Mounted: &accessible}})
					changed = true
				}
			}
			for i := range hosts {
				if hosts[i].MountInfo.Path == "" {
					hosts[i].MountInfo.Path = mountPath(ds.Name)
					changed = true
				}
			}
			if changed {
				simulator.Map.Update(ds, []types.PropertyChange{{Name: "host", Val: hosts}})
			}
		})
		wrapBrowser(ds.Browser)
	}
}

// datastoreDirs maps datastore names to the local directories holding their files.
func datastoreDirs() map[string]string {
	dirs := map[string]string{}
	for _, e := range simulator.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok {
			dirs[ds.Name] = ds.Info.GetDatastoreInfo().Url
		}
	}
	return dirs
}

func findDatastore(name string) (*simulator.Datastore, bool) {
	for _, e := range simulator.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok && ds.Name == name {
			return ds, true
		}
	}
	return nil, false
}
