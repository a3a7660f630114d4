package main

// RegisterVM_Task. vcsim needs <name>.nvram and vmware.log beside the .vmx, ignores the VMX
// content and names the VM after its directory. ESX reads the VMX: the VM is named after
// displayName (unless a name is given) and gets its CPUs, memory, guest OS, UUIDs, hardware
// version, firmware and annotation. The two files vcsim wants are created when missing
// (ESX would create them at the first power-on anyway).

import (
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// parseVMX reads "key = "value"" lines; keys are case-insensitive, the first one wins.
func parseVMX(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') {
			if end := strings.IndexByte(value[1:], value[0]); end >= 0 {
				value = value[1 : 1+end]
			}
		}
		if _, dup := out[key]; !dup {
			out[key] = value
		}
	}
	return out
}

// cp1252High maps the bytes 0x80-0x9F of Windows-1252 (0 marks an undefined byte).
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// decodeVMX returns the VMX text as UTF-8, honouring .encoding as ESX does (UTF-8,
// Windows-1252 and ISO-8859-1 here).
func decodeVMX(data []byte) string {
	enc := strings.ToLower(parseVMX(string(data))[".encoding"])
	if enc != "windows-1252" && enc != "iso-8859-1" && enc != "latin1" {
		return string(data)
	}
	var b strings.Builder
	for _, c := range data {
		r := rune(c)
		if enc == "windows-1252" && c >= 0x80 && c <= 0x9F && cp1252High[c-0x80] != 0 {
			r = cp1252High[c-0x80]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unescapeVMX decodes |XX escapes.
func unescapeVMX(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '|' && i+2 < len(v) {
			if n, err := strconv.ParseUint(v[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// guestIDFromVMX maps a VMX guestOS back to a vSphere guestId.
func guestIDFromVMX(guestOS string) string {
	guestOS = strings.ToLower(guestOS)
	for _, id := range simulator.GuestID {
		if vmxGuestOS(string(id)) == guestOS {
			return string(id)
		}
	}
	if strings.HasSuffix(guestOS, "-64") {
		return string(types.VirtualMachineGuestOsIdentifierOtherGuest64)
	}
	return string(types.VirtualMachineGuestOsIdentifierOtherGuest)
}

// specFromVMX is the part of a VMX a registered VM takes over.
func specFromVMX(vmx map[string]string) types.VirtualMachineConfigSpec {
	var spec types.VirtualMachineConfigSpec
	if n, err := strconv.Atoi(vmx["numvcpus"]); err == nil && n > 0 {
		spec.NumCPUs = int32(n)
	}
	if n, err := strconv.Atoi(vmx["cpuid.corespersocket"]); err == nil && n > 0 {
		spec.NumCoresPerSocket = int32(n)
	}
	if n, err := strconv.Atoi(vmx["memsize"]); err == nil && n > 0 {
		spec.MemoryMB = int64(n)
	}
	if g := vmx["guestos"]; g != "" {
		spec.GuestId = guestIDFromVMX(g)
	}
	if u := rfcUUID(vmx["uuid.bios"]); u != "" {
		spec.Uuid = u
	}
	if u := rfcUUID(vmx["vc.uuid"]); u != "" {
		spec.InstanceUuid = u
	}
	if v, err := strconv.Atoi(vmx["virtualhw.version"]); err == nil && v > 0 {
		spec.Version = "vmx-" + strconv.Itoa(v)
	}
	if a, ok := vmx["annotation"]; ok {
		spec.Annotation = unescapeVMX(a)
	}
	switch strings.ToLower(vmx["firmware"]) {
	case "efi":
		spec.Firmware = string(types.GuestOsDescriptorFirmwareTypeEfi)
	case "bios":
		spec.Firmware = string(types.GuestOsDescriptorFirmwareTypeBios)
	}
	return spec
}

func (s *server) registerVM(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.RegisterVM_Task)
	if !ok {
		return false
	}
	file, ok := localPath(datastoreDirs(), req.Path)
	if !ok {
		return false // vcsim reports the bad path
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return false // vcsim reports NotFound
	}
	if !s.requireSession(c) {
		return true
	}
	vmx := parseVMX(decodeVMX(data))
	if req.Name == "" {
		if dn := unescapeVMX(vmx["displayname"]); dn != "" {
			req.Name = dn
		} else if _, rel, ok := parseDatastorePath(req.Path); ok {
			req.Name = path.Base(path.Dir(rel))
		}
	}
	dir := filepath.Dir(file)
	for _, name := range []string{req.Name + ".nvram", "vmware.log"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); os.IsNotExist(err) {
			_ = os.MkdirAll(filepath.Dir(p), 0o755)
			_ = os.WriteFile(p, nil, 0o644)
		}
	}

	c.body = requestBytes(req)
	rec := s.forward(c)
	if rec.ok() {
		if task, ok := returnedMoref(rec.body.Bytes()); ok {
			if result, fault := taskOutcome(task); fault == nil {
				if vm, ok := result.(types.ManagedObjectReference); ok {
					s.applyVMX(vm, vmx)
				}
			}
		}
	}
	rec.copyTo(c.w)
	return true
}

// applyVMX reconfigures a freshly registered VM from its VMX (vcsim's ReconfigVM_Task
// updates every view of the VM consistently).
func (s *server) applyVMX(vm types.ManagedObjectReference, vmx map[string]string) {
	spec := specFromVMX(vmx)
	if spec.NumCPUs == 0 && spec.MemoryMB == 0 && spec.GuestId == "" && spec.Uuid == "" {
		return
	}
	rec := s.internalCall(requestBytes(&types.ReconfigVM_Task{This: vm, Spec: spec}))
	if ref, ok := returnedMoref(rec.body.Bytes()); ok {
		if _, fault := taskOutcome(ref); fault != nil && spec.GuestId != "" {
			// an unknown guest id fails the whole spec: retry without it
			spec.GuestId = ""
			s.internalCall(requestBytes(&types.ReconfigVM_Task{This: vm, Spec: spec}))
		}
	}
}
