package main

// An NFS datastore beside the local ones (-nfs): NfsDS_0, a NasDatastoreInfo whose remote
// host and path are those an ESX host reports for an NFS v3 mount; its files live in a
// local directory like the others (removed on exit).

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const (
	nfsName       = "NfsDS_0"
	nfsRemoteHost = "nfs.example.test"
	nfsRemotePath = "/export/vcsim"
)

// extraDirs are directories the launcher made itself, removed at exit.
var extraDirs []string

func removeExtraDirs() {
	for _, d := range extraDirs {
		_ = os.RemoveAll(d)
	}
}

func addNfsDatastore() error {
	for _, e := range simulator.Map.All("HostSystem") {
		host := e.(*simulator.HostSystem)
		if host.ConfigManager.DatastoreSystem == nil {
			continue
		}
		dss, ok := simulator.Map.Get(*host.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem)
		if !ok {
			continue
		}
		root, err := os.MkdirTemp("", "vcsim-nfs-")
		if err != nil {
			return err
		}
		extraDirs = append(extraDirs, root)
		local := filepath.Join(root, nfsName)
		if err := os.Mkdir(local, 0o755); err != nil {
			return err
		}
		res := dss.CreateNasDatastore(&simulator.Context{}, &types.CreateNasDatastore{
			This: dss.Self,
			Spec: types.HostNasVolumeSpec{RemoteHost: nfsRemoteHost, RemotePath: nfsRemotePath, LocalPath: local, AccessMode: "readWrite", Type: "NFS"},
		})
		if f := res.Fault(); f != nil {
			return fmt.Errorf("create %s: %s", nfsName, f.String)
		}
		// One NFS datastore for the inventory (the first host's), as the local ones.
		break
	}
	fixDatastores()
	return nil
}
