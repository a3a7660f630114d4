package main

// .vmx files. vcsim creates them empty; here each model VM (and each VM made later by
// CreateVM_Task or CloneVM_Task) gets a VMX written from its config the way ESX writes one,
// rewritten after ReconfigVM_Task. Its disks get a real descriptor and a sparse -flat extent
// of the right size when vcsim left them empty. VMX files the launcher did not write (e.g.
// uploaded before RegisterVM_Task) are never touched.

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

var generated = struct {
	sync.Mutex
	vms map[types.ManagedObjectReference]bool
}{vms: map[types.ManagedObjectReference]bool{}}

func writeModelVMX() error {
	dirs := datastoreDirs()
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		if err := writeVMX(vm, dirs, false); err != nil {
			return err
		}
	}
	return nil
}

func writeVMXIfEmpty(ref types.ManagedObjectReference) {
	if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok {
		_ = writeVMX(vm, datastoreDirs(), false)
	}
}

func refreshGeneratedVMX(ref types.ManagedObjectReference) {
	generated.Lock()
	mine := generated.vms[ref]
	generated.Unlock()
	if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok && mine {
		_ = writeVMX(vm, datastoreDirs(), true)
	}
}

// localPath maps "[ds] dir/file" to the file in the datastore's local directory.
func localPath(dirs map[string]string, dsPath string) (string, bool) {
	ds, rel, ok := parseDatastorePath(dsPath)
	if !ok {
		return "", false
	}
	dir, ok := dirs[ds]
	if !ok {
		return "", false
	}
	return filepath.Join(dir, filepath.FromSlash(rel)), true
}

// writeVMX writes the VM's VMX when the file is empty (or always, with overwrite).
func writeVMX(vm *simulator.VirtualMachine, dirs map[string]string, overwrite bool) error {
	var text string
	var vmxPath string
	var disks []diskFile
	simulator.Map.WithLock(vm, func() {
		if vm.Config == nil || vm.Config.Files.VmPathName == "" {
			return
		}
		vmxPath = vm.Config.Files.VmPathName
		text, disks = formatVMX(vm.Name, vm.Config)
	})
	if vmxPath == "" {
		return nil
	}
	file, ok := localPath(dirs, vmxPath)
	if !ok {
		return nil
	}
	if st, err := os.Stat(file); err == nil && st.Size() > 0 && !overwrite {
		return nil
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return fmt.Errorf("write %s: %v", file, err)
	}
	generated.Lock()
	generated.vms[vm.Self] = true
	generated.Unlock()
	for _, d := range disks {
		if local, ok := localPath(dirs, d.dsPath); ok {
			_ = ensureDiskFiles(local, d)
		}
	}
	return nil
}

// vmxUUID writes an RFC 4122 UUID in VMX form: "56 4d 12 ... 9a bc-de f0 ... 9a bc".
func vmxUUID(u string) string {
	hex := strings.ReplaceAll(u, "-", "")
	if len(hex) != 32 {
		return ""
	}
	var b strings.Builder
	for i := 0; i < 32; i += 2 {
		if i == 16 {
			b.WriteByte('-')
		} else if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToLower(hex[i : i+2]))
	}
	return b.String()
}

// rfcUUID reads a VMX UUID back into the RFC 4122 form vSphere reports.
func rfcUUID(v string) string {
	hex := strings.NewReplacer(" ", "", "-", "").Replace(v)
	if len(hex) != 32 {
		return ""
	}
	hex = strings.ToLower(hex)
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:32]
}

// vmxGuestOS turns a guestId into the VMX guestOS value ("otherGuest" -> "other",
// "ubuntu64Guest" -> "ubuntu-64", "windows9_64Guest" -> "windows9-64").
func vmxGuestOS(id string) string {
	var base string
	switch {
	case strings.HasSuffix(id, "Guest64"):
		base = strings.TrimSuffix(id, "Guest64") + "-64"
	default:
		base = strings.TrimSuffix(id, "Guest")
		switch {
		case strings.HasSuffix(base, "_64"):
			base = strings.TrimSuffix(base, "_64") + "-64"
		case strings.HasSuffix(base, "64"):
			base = strings.TrimSuffix(base, "64") + "-64"
		}
	}
	return strings.ToLower(base)
}

// escapeVMX escapes a value the way VMX files do: '|', '"' and control characters as |XX.
func escapeVMX(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r == '|' || r == '"' || r < 0x20 {
			fmt.Fprintf(&b, "|%02X", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

type vmxWriter struct {
	lines []string
	seen  map[string]bool
}

func (w *vmxWriter) set(key, value string) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	lk := strings.ToLower(key)
	if w.seen[lk] {
		return
	}
	w.seen[lk] = true
	w.lines = append(w.lines, fmt.Sprintf("%s = \"%s\"", key, escapeVMX(value)))
}

func boolVMX(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// diskFile is a disk the VMX refers to, so its files can be made real.
type diskFile struct {
	dsPath     string
	capacityKb int64
	thin       bool
	adapter    string
	hwVersion  string
	uuid       string
}

// vmxFileName is how a VMX names a file: relative in the VM's directory, else
// /vmfs/volumes/<ds>/<path>.
func vmxFileName(vmxDsPath, fileDsPath string) string {
	vds, vrel, ok1 := parseDatastorePath(vmxDsPath)
	fds, frel, ok2 := parseDatastorePath(fileDsPath)
	if !ok1 || !ok2 {
		return fileDsPath
	}
	if vds == fds && path.Dir(vrel) == path.Dir(frel) {
		return path.Base(frel)
	}
	return path.Join(mountPath(fds), frel)
}

func scsiVirtualDev(c types.BaseVirtualDevice) string {
	switch c.(type) {
	case *types.ParaVirtualSCSIController:
		return "pvscsi"
	case *types.VirtualLsiLogicController:
		return "lsilogic"
	case *types.VirtualLsiLogicSASController:
		return "lsisas1068"
	case *types.VirtualBusLogicController:
		return "buslogic"
	}
	return ""
}

func nicVirtualDev(d types.BaseVirtualDevice) (string, bool) {
	switch d.(type) {
	case *types.VirtualE1000:
		return "e1000", true
	case *types.VirtualE1000e:
		return "e1000e", true
	case *types.VirtualVmxnet3:
		return "vmxnet3", true
	case *types.VirtualVmxnet2:
		return "vmxnet", true
	case *types.VirtualVmxnet:
		return "vmxnet", true
	case *types.VirtualPCNet32:
		return "vlance", true
	}
	return "", false
}

// formatVMX renders config as ESX would write it; the caller holds the VM lock.
func formatVMX(name string, cfg *types.VirtualMachineConfigInfo) (string, []diskFile) {
	w := &vmxWriter{}
	hw := strings.TrimPrefix(cfg.Version, "vmx-")
	if hw == "" {
		hw = "13"
	}
	w.set(".encoding", "UTF-8")
	w.set("config.version", "8")
	w.set("virtualHW.version", hw)
	w.set("nvram", name+".nvram")
	w.set("pciBridge0.present", "TRUE")
	w.set("svga.present", "TRUE")
	for _, i := range []int{4, 5, 6, 7} {
		w.set(fmt.Sprintf("pciBridge%d.present", i), "TRUE")
		w.set(fmt.Sprintf("pciBridge%d.virtualDev", i), "pcieRootPort")
		w.set(fmt.Sprintf("pciBridge%d.functions", i), "8")
	}
	w.set("vmci0.present", "TRUE")
	w.set("hpet0.present", "TRUE")
	w.set("displayName", name)
	w.set("guestOS", vmxGuestOS(cfg.GuestId))
	if cfg.Annotation != "" {
		w.set("annotation", cfg.Annotation)
	}
	w.set("memSize", fmt.Sprint(cfg.Hardware.MemoryMB))
	w.set("numvcpus", fmt.Sprint(cfg.Hardware.NumCPU))
	if cfg.Hardware.NumCoresPerSocket > 0 {
		w.set("cpuid.coresPerSocket", fmt.Sprint(cfg.Hardware.NumCoresPerSocket))
	}
	if u := vmxUUID(cfg.Uuid); u != "" {
		w.set("uuid.bios", u)
		w.set("uuid.location", u)
	}
	if u := vmxUUID(cfg.InstanceUuid); u != "" {
		w.set("vc.uuid", u)
	}
	if cfg.Firmware == "efi" {
		w.set("firmware", "efi")
	}
	if a := cfg.CpuAllocation; a != nil && a.Shares != nil {
		if a.Shares.Level == types.SharesLevelCustom {
			w.set("sched.cpu.shares", fmt.Sprint(a.Shares.Shares))
		} else {
			w.set("sched.cpu.shares", string(a.Shares.Level))
		}
	}
	if a := cfg.MemoryAllocation; a != nil {
		if a.Reservation != nil && *a.Reservation > 0 {
			w.set("sched.mem.minsize", fmt.Sprint(*a.Reservation))
		}
		if a.Limit != nil && *a.Limit >= 0 {
			w.set("sched.mem.max", fmt.Sprint(*a.Limit))
		}
		if a.Shares != nil && a.Shares.Level != types.SharesLevelCustom {
			w.set("sched.mem.shares", string(a.Shares.Level))
		}
	}
	w.set("tools.syncTime", "FALSE")

	disks := formatDevices(w, cfg, hw)

	if !w.seen["floppy0.present"] {
		w.set("floppy0.present", "FALSE")
	}
	var extra []string
	for _, o := range cfg.ExtraConfig {
		ov := o.GetOptionValue()
		if ov.Key == "govcsim" || strings.HasPrefix(ov.Key, "SET.") {
			continue
		}
		if s, ok := ov.Value.(string); ok {
			extra = append(extra, ov.Key+"\x00"+s)
		}
	}
	sort.Strings(extra)
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "\x00")
		w.set(k, v)
	}
	return strings.Join(w.lines, "\n") + "\n", disks
}

func formatDevices(w *vmxWriter, cfg *types.VirtualMachineConfigInfo, hw string) []diskFile {
	vmxPath := cfg.Files.VmPathName
	byKey := map[int32]types.BaseVirtualDevice{}
	for _, d := range cfg.Hardware.Device {
		byKey[d.GetVirtualDevice().Key] = d
	}
	used := map[string]bool{}
	var disks []diskFile
	var cdroms []*types.VirtualCdrom
	nic := 0
	floppy := 0

	slot := func(d *types.VirtualDevice) (string, string) {
		c, ok := byKey[d.ControllerKey]
		if !ok || d.UnitNumber == nil {
			return "", ""
		}
		switch ctl := c.(type) {
		case *types.VirtualIDEController:
			return fmt.Sprintf("ide%d:%d", ctl.BusNumber, *d.UnitNumber), "ide"
		case *types.VirtualAHCIController:
			return fmt.Sprintf("sata%d:%d", ctl.BusNumber, *d.UnitNumber), "sata"
		default:
			if dev := scsiVirtualDev(c); dev != "" {
				bus := c.(types.BaseVirtualController).GetVirtualController().BusNumber
				return fmt.Sprintf("scsi%d:%d", bus, *d.UnitNumber), dev
			}
		}
		return "", ""
	}

	for _, d := range cfg.Hardware.Device {
		switch dev := d.(type) {
		case *types.VirtualDisk:
			key, ctl := slot(&dev.VirtualDevice)
			fb, ok := dev.Backing.(types.BaseVirtualDeviceFileBackingInfo)
			if key == "" || !ok || used[key] {
				continue
			}
			used[key] = true
			controller := key[:strings.Index(key, ":")]
			if ctl != "ide" {
				w.set(controller+".present", "TRUE")
				if ctl == "sata" {
					w.set(controller+".pciSlotNumber", "33")
				} else {
					w.set(controller+".virtualDev", ctl)
				}
			}
			file := fb.GetVirtualDeviceFileBackingInfo().FileName
			w.set(key+".present", "TRUE")
			if ctl == "ide" || ctl == "sata" {
				w.set(key+".deviceType", "ata-hardDisk")
			} else {
				w.set(key+".deviceType", "scsi-hardDisk")
			}
			w.set(key+".fileName", vmxFileName(vmxPath, file))
			df := diskFile{dsPath: file, capacityKb: dev.CapacityInKB, adapter: ctl, hwVersion: hw}
			if flat, ok := dev.Backing.(*types.VirtualDiskFlatVer2BackingInfo); ok {
				if strings.HasPrefix(flat.DiskMode, "independent") {
					w.set(key+".mode", strings.ReplaceAll(flat.DiskMode, "_", "-"))
				}
				if flat.WriteThrough != nil && *flat.WriteThrough {
					w.set(key+".writeThrough", "TRUE")
				}
				df.thin = flat.ThinProvisioned != nil && *flat.ThinProvisioned
				df.uuid = flat.Uuid
			}
			disks = append(disks, df)
		case *types.VirtualCdrom:
			cdroms = append(cdroms, dev)
		case *types.VirtualFloppy:
			key := fmt.Sprintf("floppy%d", floppy)
			floppy++
			w.set(key+".present", "TRUE")
			switch b := dev.Backing.(type) {
			case *types.VirtualFloppyImageBackingInfo:
				w.set(key+".fileType", "file")
				w.set(key+".fileName", vmxFileName(vmxPath, b.FileName))
			case *types.VirtualFloppyDeviceBackingInfo:
				w.set(key+".fileType", "device")
				w.set(key+".fileName", b.DeviceName)
			}
		case *types.VirtualMachineVideoCard:
			if dev.VideoRamSizeInKB > 0 {
				w.set("svga.vramSize", fmt.Sprint(dev.VideoRamSizeInKB*1024))
			}
		default:
			vdev, ok := nicVirtualDev(d)
			if !ok {
				continue
			}
			card := d.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
			key := fmt.Sprintf("ethernet%d", nic)
			nic++
			w.set(key+".present", "TRUE")
			w.set(key+".virtualDev", vdev)
			if _, ok := d.(*types.VirtualVmxnet2); ok {
				w.set(key+".features", "15")
			}
			switch b := card.Backing.(type) {
			case *types.VirtualEthernetCardNetworkBackingInfo:
				w.set(key+".networkName", b.DeviceName)
			case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
				w.set(key+".dvs.switchId", vmxUUID(b.Port.SwitchUuid))
				w.set(key+".dvs.portgroupId", b.Port.PortgroupKey)
				if b.Port.PortKey != "" {
					w.set(key+".dvs.portId", b.Port.PortKey)
				}
				if b.Port.ConnectionCookie != 0 {
					w.set(key+".dvs.connectionId", fmt.Sprint(b.Port.ConnectionCookie))
				}
			}
			switch card.AddressType {
			case "manual":
				w.set(key+".addressType", "static")
				w.set(key+".address", card.MacAddress)
			case "assigned":
				w.set(key+".addressType", "vpx")
				w.set(key+".generatedAddress", card.MacAddress)
			default:
				w.set(key+".addressType", "generated")
				w.set(key+".generatedAddress", card.MacAddress)
				w.set(key+".generatedAddressOffset", "0")
			}
			if card.Connectable != nil {
				w.set(key+".startConnected", boolVMX(card.Connectable.StartConnected))
			}
			if card.SlotInfo != nil {
				if s, ok := card.SlotInfo.(*types.VirtualDevicePciBusSlotInfo); ok {
					w.set(key+".pciSlotNumber", fmt.Sprint(s.PciSlotNumber))
				}
			}
		}
	}

	// CD-ROMs sit on IDE as on ESX; one vcsim places on a taken or non-IDE slot moves to the
	// first free IDE slot.
	for _, cd := range cdroms {
		key, ctl := slot(&cd.VirtualDevice)
		if key == "" || ctl != "ide" || used[key] {
			key = ""
			for _, k := range []string{"ide1:0", "ide1:1", "ide0:0", "ide0:1"} {
				if !used[k] {
					key = k
					break
				}
			}
			if key == "" {
				continue
			}
		}
		used[key] = true
		w.set(key+".present", "TRUE")
		switch b := cd.Backing.(type) {
		case *types.VirtualCdromIsoBackingInfo:
			w.set(key+".deviceType", "cdrom-image")
			w.set(key+".fileName", vmxFileName(vmxPath, b.FileName))
		case *types.VirtualCdromAtapiBackingInfo:
			w.set(key+".deviceType", "atapi-cdrom")
			if strings.HasPrefix(b.DeviceName, "/") {
				w.set(key+".fileName", b.DeviceName)
			} else {
				w.set(key+".fileName", "auto detect")
				w.set(key+".autodetect", "TRUE")
			}
		default: // remote (client) devices
			w.set(key+".deviceType", "atapi-cdrom")
			w.set(key+".clientDevice", "TRUE")
			w.set(key+".fileName", "emptyBackingString")
		}
		if cd.Connectable != nil {
			w.set(key+".startConnected", boolVMX(cd.Connectable.StartConnected))
		}
	}
	return disks
}

// ensureDiskFiles gives an empty vcsim disk a descriptor and a sparse -flat extent.
func ensureDiskFiles(file string, d diskFile) error {
	if st, err := os.Stat(file); err == nil && st.Size() > 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	flatName := strings.TrimSuffix(filepath.Base(file), ".vmdk") + "-flat.vmdk"
	flat := filepath.Join(filepath.Dir(file), flatName)
	f, err := os.OpenFile(flat, os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	err = f.Truncate(d.capacityKb * 1024)
	_ = f.Close()
	if err != nil {
		return err
	}
	return os.WriteFile(file, []byte(vmdkDescriptorText(flatName, d)), 0o644)
}

func vmdkDescriptorText(flatName string, d diskFile) string {
	sectors := d.capacityKb * 2
	cylinders := sectors / (255 * 63)
	if cylinders < 1 {
		cylinders = 1
	}
	adapter := map[string]string{"pvscsi": "pvscsi", "lsilogic": "lsilogic", "lsisas1068": "lsilogic",
		"buslogic": "buslogic", "ide": "ide", "sata": "ide"}[d.adapter]
	if adapter == "" {
		adapter = "lsilogic"
	}
	thin := "0"
	if d.thin {
		thin = "1"
	}
	uuid := vmxUUID(d.uuid)
	if uuid == "" {
		h := hashString(d.dsPath)
		uuid = vmxUUID(fmt.Sprintf("%x", h[:]))
	}
	return fmt.Sprintf(`# Disk DescriptorFile
version=1
encoding="UTF-8"
CID=fffffffe
parentCID=ffffffff
createType="vmfs"

# Extent description
RW %d VMFS "%s"

# The Disk Data Base
#DDB

ddb.adapterType = "%s"
ddb.geometry.cylinders = "%d"
ddb.geometry.heads = "255"
ddb.geometry.sectors = "63"
ddb.thinProvisioned = "%s"
ddb.uuid = "%s"
ddb.virtualHWVersion = "%s"
`, sectors, flatName, adapter, cylinders, thin, uuid, d.hwVersion)
}

// hashString is a small stable hash (FNV-1a, 64 bits twice) for made-up disk UUIDs.
func hashString(s string) [16]byte {
	var out [16]byte
	h1, h2 := uint64(14695981039346656037), uint64(1099511628211)
	for i := 0; i < len(s); i++ {
		h1 = (h1 ^ uint64(s[i])) * 1099511628211
		h2 = (h2 ^ uint64(s[i])) * 14695981039346656037
	}
	for i := 0; i < 8; i++ {
		out[i] = byte(h1 >> (8 * i))
		out[8+i] = byte(h2 >> (8 * i))
	}
	return out
}
