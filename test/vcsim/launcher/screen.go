package main

// The host's screen endpoint, GET /screen?id=<VM moref>: ESX answers with a PNG of the VM's
// console (libvirt's domainScreenshot). vcsim has none; this one draws a real PNG whose
// colours follow the VM's name, so two VMs give two different pictures. Unknown VM: 404;
// a VM that is not powered on: 409 (ESX has no console to show then).

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

const screenWidth, screenHeight = 640, 400

func (s *server) serveScreen(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	id := r.URL.Query().Get("id")
	vm, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: id}).(*simulator.VirtualMachine)
	if !ok {
		http.Error(w, "no such virtual machine", http.StatusNotFound)
		return
	}
	var name string
	var state types.VirtualMachinePowerState
	simulator.Map.WithLock(vm, func() {
		name = vm.Name
		state = vm.Runtime.PowerState
	})
	if state != types.VirtualMachinePowerStatePoweredOn {
		http.Error(w, "virtual machine is not powered on", http.StatusConflict)
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, screenImage(name)); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// screenImage is a console-like picture: a background colour from the name's hash and a
// band of lighter "text lines".
func screenImage(name string) image.Image {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	sum := h.Sum32()
	bg := color.RGBA{R: uint8(sum), G: uint8(sum >> 8), B: uint8(sum >> 16), A: 255}
	fg := color.RGBA{R: 255 - bg.R/2, G: 255 - bg.G/2, B: 255 - bg.B/2, A: 255}
	img := image.NewRGBA(image.Rect(0, 0, screenWidth, screenHeight))
	for y := 0; y < screenHeight; y++ {
		for x := 0; x < screenWidth; x++ {
			c := bg
			if y%16 < 10 && y > 16 && y < 16*(2+len(name)%12) && x > 16 && x < 16+(x*7+y)%600 {
				c = fg
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}
