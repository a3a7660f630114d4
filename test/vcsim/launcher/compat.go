package main

// applyCompat fills, once the inventory exists, the gaps between vcsim 0.24.2 and a real
// host; each fill lives in its own file. Behaviour that needs the request path (VM tasks,
// questions, RegisterVM, ...) is in the middleware instead.

import (
	"github.com/vmware/govmomi/simulator"
)

func applyCompat() error {
	for _, e := range simulator.Map.All("HostSystem") {
		host := e.(*simulator.HostSystem)
		fillHostCapability(host)
		addAutoStartManager(host)
		wrapNetworkSystem(host)
		addHostDatastoreBrowser(host)
	}
	fixDatastores()
	wrapDiskManager()
	trackVMRuntime()
	bindModelDVPorts()
	return writeModelVMX()
}
