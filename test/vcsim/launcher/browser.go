package main

// HostDatastoreBrowser. vcsim's search matches nothing without matchPattern, panics without
// a searchSpec, writes folder paths as "[ds]/dir" and leaves VmDiskFileInfo empty. This one
// behaves like ESX: the pattern defaults to "*", the spec is optional, folder paths are
// "[ds]" and "[ds] dir/sub" (root first in SearchDatastoreSubFolders), files are typed by
// the query that matches them, and disks report capacityKb, diskType, thin,
// hardwareVersion, controllerType and extents from their descriptor and the VM using them.
// HostSystem.datastoreBrowser, a dangling moref in vcsim, gets a browser too.

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type dsBrowser struct {
	simulator.HostDatastoreBrowser

	host *types.ManagedObjectReference // set for HostSystem.datastoreBrowser
}

func wrapBrowser(ref types.ManagedObjectReference) {
	if b, ok := simulator.Map.Get(ref).(*simulator.HostDatastoreBrowser); ok {
		simulator.Map.Put(&dsBrowser{HostDatastoreBrowser: *b})
	}
}

func addHostDatastoreBrowser(host *simulator.HostSystem) {
	ref := host.DatastoreBrowser
	if ref.Value == "" || simulator.Map.IsVPX() {
		ref = types.ManagedObjectReference{Type: "HostDatastoreBrowser", Value: "datastoreBrowser-" + host.Self.Value}
	}
	b := &dsBrowser{host: &host.Self}
	b.Self = ref
	simulator.Map.Put(b)
	simulator.Map.WithLock(host, func() {
		simulator.Map.Update(host, []types.PropertyChange{{Name: "datastoreBrowser", Val: ref}})
	})
}

func (b *dsBrowser) datastores() []types.ManagedObjectReference {
	if b.host != nil {
		if h, ok := simulator.Map.Get(*b.host).(*simulator.HostSystem); ok {
			var refs []types.ManagedObjectReference
			simulator.Map.WithLock(h, func() { refs = append(refs, h.Datastore...) })
			return refs
		}
	}
	return b.Datastore
}

func (b *dsBrowser) SearchDatastoreTask(req *types.SearchDatastore_Task) soap.HasFault {
	task := simulator.CreateTask(b, "SearchDatastoreTask", func(t *simulator.Task) (types.AnyType, types.BaseMethodFault) {
		res, f := b.search(t, req.DatastorePath, req.SearchSpec, false)
		if f != nil {
			return nil, f
		}
		return res[0], nil
	})
	return &methods.SearchDatastore_TaskBody{Res: &types.SearchDatastore_TaskResponse{Returnval: task.Run()}}
}

func (b *dsBrowser) SearchDatastoreSubFoldersTask(req *types.SearchDatastoreSubFolders_Task) soap.HasFault {
	task := simulator.CreateTask(b, "SearchDatastoreSubFoldersTask", func(t *simulator.Task) (types.AnyType, types.BaseMethodFault) {
		res, f := b.search(t, req.DatastorePath, req.SearchSpec, true)
		if f != nil {
			return nil, f
		}
		return types.ArrayOfHostDatastoreBrowserSearchResults{HostDatastoreBrowserSearchResults: res}, nil
	})
	return &methods.SearchDatastoreSubFolders_TaskBody{Res: &types.SearchDatastoreSubFolders_TaskResponse{Returnval: task.Run()}}
}

var datastorePathRE = regexp.MustCompile(`^\[([^\]]*)\]\s*(.*)$`)

// parseDatastorePath splits "[ds] dir/file" into "ds" and "dir/file".
func parseDatastorePath(p string) (string, string, bool) {
	m := datastorePathRE.FindStringSubmatch(p)
	if m == nil {
		return "", "", false
	}
	return m[1], strings.Trim(m[2], "/"), true
}

func folderPath(ds, rel string) string {
	if rel == "" {
		return "[" + ds + "]"
	}
	return "[" + ds + "] " + rel
}

type searcher struct {
	ds          *simulator.Datastore
	spec        types.HostDatastoreBrowserSearchSpec
	patterns    []string
	controllers map[string]string // disk datastore path -> controller type, built on demand
}

func (b *dsBrowser) search(t *simulator.Task, dsPath string, spec *types.HostDatastoreBrowserSearchSpec, recurse bool) ([]types.HostDatastoreBrowserSearchResults, types.BaseMethodFault) {
	name, rel, ok := parseDatastorePath(dsPath)
	if !ok {
		return nil, &types.InvalidDatastorePath{DatastorePath: dsPath}
	}
	var ds *simulator.Datastore
	for _, ref := range b.datastores() {
		if d, ok := simulator.Map.Get(ref).(*simulator.Datastore); ok && d.Name == name {
			ds = d
		}
	}
	if ds == nil {
		return nil, &types.InvalidDatastore{Name: name}
	}
	t.Info.Entity = &ds.Self
	t.Info.EntityName = ds.Name

	s := &searcher{ds: ds}
	if spec != nil {
		s.spec = *spec
	}
	s.patterns = s.spec.MatchPattern
	if len(s.patterns) == 0 {
		s.patterns = []string{"*"}
	}
	dir := filepath.Join(ds.Info.GetDatastoreInfo().Url, filepath.FromSlash(rel))
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, &types.FileNotFound{FileFault: types.FileFault{File: dsPath}}
	}
	var out []types.HostDatastoreBrowserSearchResults
	if err := s.walk(rel, dir, recurse, &out); err != nil {
		return nil, &types.FileFault{File: dsPath}
	}
	return out, nil
}

func (s *searcher) walk(rel, dir string, recurse bool, out *[]types.HostDatastoreBrowserSearchResults) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	res := types.HostDatastoreBrowserSearchResults{Datastore: &s.ds.Self, FolderPath: folderPath(s.ds.Name, rel)}
	var subdirs []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		if f := s.fileInfo(rel, dir, info); f != nil {
			res.File = append(res.File, f)
		}
		if e.IsDir() {
			subdirs = append(subdirs, e.Name())
		}
	}
	*out = append(*out, res)
	if recurse {
		sort.Strings(subdirs)
		for _, sub := range subdirs {
			if err := s.walk(path.Join(rel, sub), filepath.Join(dir, sub), true, out); err != nil {
				return err
			}
		}
	}
	return nil
}

type fileKind int

const (
	kindOther fileKind = iota
	kindFolder
	kindDisk
	kindIso
	kindFloppy
	kindConfig
	kindTemplate
	kindNvram
	kindLog
	kindSnapshot
)

var diskExtentSuffixes = []string{"-flat.vmdk", "-delta.vmdk", "-sesparse.vmdk", "-ctk.vmdk", "-rdm.vmdk", "-rdmp.vmdk", "-s001.vmdk"}

func classify(name string, isDir bool) fileKind {
	if isDir {
		return kindFolder
	}
	lower := strings.ToLower(name)
	switch path.Ext(lower) {
	case ".vmdk":
		for _, s := range diskExtentSuffixes {
			if strings.HasSuffix(lower, s) {
				return kindOther
			}
		}
		return kindDisk
	case ".iso":
		return kindIso
	case ".flp", ".img":
		return kindFloppy
	case ".vmx":
		return kindConfig
	case ".vmtx":
		return kindTemplate
	case ".nvram":
		return kindNvram
	case ".log":
		if strings.HasPrefix(lower, "vmware") {
			return kindLog
		}
	case ".vmsn":
		return kindSnapshot
	}
	return kindOther
}

// queryFor returns the first query of the spec that matches kind (nil, true when the spec
// has no query: every file matches as a plain FileInfo).
func (s *searcher) queryFor(kind fileKind) (types.BaseFileQuery, bool) {
	if len(s.spec.Query) == 0 {
		return nil, true
	}
	for _, q := range s.spec.Query {
		switch q.(type) {
		case *types.FileQuery:
			return q, true
		case *types.FolderFileQuery:
			if kind == kindFolder {
				return q, true
			}
		case *types.VmDiskFileQuery:
			if kind == kindDisk {
				return q, true
			}
		case *types.IsoImageFileQuery:
			if kind == kindIso {
				return q, true
			}
		case *types.FloppyImageFileQuery:
			if kind == kindFloppy {
				return q, true
			}
		case *types.VmConfigFileQuery:
			if kind == kindConfig {
				return q, true
			}
		case *types.TemplateConfigFileQuery:
			if kind == kindTemplate {
				return q, true
			}
		case *types.VmNvramFileQuery:
			if kind == kindNvram {
				return q, true
			}
		case *types.VmLogFileQuery:
			if kind == kindLog {
				return q, true
			}
		case *types.VmSnapshotFileQuery:
			if kind == kindSnapshot {
				return q, true
			}
		}
	}
	return nil, false
}

func (s *searcher) matchesPattern(name string) bool {
	for _, p := range s.patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if s.spec.SearchCaseInsensitive != nil && *s.spec.SearchCaseInsensitive {
			if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(name)); ok {
				return true
			}
		}
	}
	return false
}

func (s *searcher) fileInfo(rel, dir string, info os.FileInfo) types.BaseFileInfo {
	name := info.Name()
	if !s.matchesPattern(name) {
		return nil
	}
	kind := classify(name, info.IsDir())
	q, ok := s.queryFor(kind)
	if !ok {
		return nil
	}
	details := s.spec.Details
	if details == nil {
		details = &types.FileQueryFlags{}
	}
	base := types.FileInfo{Path: name}
	if details.FileSize && !info.IsDir() {
		base.FileSize = info.Size()
	}
	if details.Modification {
		mtime := info.ModTime()
		base.Modification = &mtime
	}
	if details.FileOwner != nil && *details.FileOwner {
		base.Owner = "root"
	}

	switch q.(type) {
	case nil, *types.FileQuery:
		if info.IsDir() {
			return &types.FolderFileInfo{FileInfo: base}
		}
		return &base
	case *types.FolderFileQuery:
		return &types.FolderFileInfo{FileInfo: base}
	case *types.VmDiskFileQuery:
		return s.diskInfo(rel, dir, base, details.FileSize, q.(*types.VmDiskFileQuery))
	case *types.IsoImageFileQuery:
		return &types.IsoImageFileInfo{FileInfo: base}
	case *types.FloppyImageFileQuery:
		return &types.FloppyImageFileInfo{FileInfo: base}
	case *types.VmConfigFileQuery:
		return &types.VmConfigFileInfo{FileInfo: base, ConfigVersion: 8}
	case *types.TemplateConfigFileQuery:
		return &types.TemplateConfigFileInfo{VmConfigFileInfo: types.VmConfigFileInfo{FileInfo: base, ConfigVersion: 8}}
	case *types.VmNvramFileQuery:
		return &types.VmNvramFileInfo{FileInfo: base}
	case *types.VmLogFileQuery:
		return &types.VmLogFileInfo{FileInfo: base}
	case *types.VmSnapshotFileQuery:
		return &types.VmSnapshotFileInfo{FileInfo: base}
	}
	return &base
}

func (s *searcher) diskInfo(rel, dir string, base types.FileInfo, withSize bool, q *types.VmDiskFileQuery) *types.VmDiskFileInfo {
	desc := readDescriptor(filepath.Join(dir, base.Path))
	flags := q.Details
	if flags == nil {
		flags = &types.VmDiskFileQueryFlags{DiskType: true, CapacityKb: true, HardwareVersion: true, Thin: types.NewBool(true), ControllerType: types.NewBool(true)}
	}
	out := &types.VmDiskFileInfo{FileInfo: base}
	if withSize {
		out.FileSize += desc.allocatedBytes
	}
	if flags.CapacityKb {
		out.CapacityKb = desc.capacityKb
		if out.CapacityKb == 0 {
			out.CapacityKb = s.deviceCapacityKb(folderPath(s.ds.Name, path.Join(rel, base.Path)))
		}
	}
	if flags.DiskType {
		out.DiskType = desc.diskType()
	}
	if flags.HardwareVersion {
		out.HardwareVersion = desc.hardwareVersion
	}
	if flags.Thin != nil && *flags.Thin {
		out.Thin = types.NewBool(desc.thin)
	}
	if flags.DiskExtents != nil && *flags.DiskExtents {
		for _, x := range desc.extents {
			out.DiskExtents = append(out.DiskExtents, folderPath(s.ds.Name, path.Join(rel, x.file)))
		}
	}
	if flags.ControllerType != nil && *flags.ControllerType {
		out.ControllerType = s.controllerType(folderPath(s.ds.Name, path.Join(rel, base.Path)))
	}
	return out
}

// controllerType is the controller of the VM disk backed by dsPath ("" when no VM uses it).
func (s *searcher) controllerType(dsPath string) string {
	if s.controllers == nil {
		s.controllers = map[string]string{}
		for _, e := range simulator.Map.All("VirtualMachine") {
			vm := e.(*simulator.VirtualMachine)
			simulator.Map.WithLock(vm, func() {
				if vm.Config == nil {
					return
				}
				byKey := map[int32]types.BaseVirtualDevice{}
				for _, d := range vm.Config.Hardware.Device {
					byKey[d.GetVirtualDevice().Key] = d
				}
				for _, d := range vm.Config.Hardware.Device {
					disk, ok := d.(*types.VirtualDisk)
					if !ok {
						continue
					}
					fb, ok := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo)
					if !ok {
						continue
					}
					if c, ok := byKey[disk.ControllerKey]; ok {
						s.controllers[normalizeDatastorePath(fb.GetVirtualDeviceFileBackingInfo().FileName)] = fmt.Sprintf("%T", c)[len("*types."):]
					}
				}
			})
		}
	}
	return s.controllers[normalizeDatastorePath(dsPath)]
}

func (s *searcher) deviceCapacityKb(dsPath string) int64 {
	want := normalizeDatastorePath(dsPath)
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		var kb int64
		simulator.Map.WithLock(vm, func() {
			if vm.Config == nil {
				return
			}
			for _, d := range vm.Config.Hardware.Device {
				if disk, ok := d.(*types.VirtualDisk); ok {
					if fb, ok := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo); ok &&
						normalizeDatastorePath(fb.GetVirtualDeviceFileBackingInfo().FileName) == want {
						kb = disk.CapacityInKB
					}
				}
			}
		})
		if kb > 0 {
			return kb
		}
	}
	return 0
}

func normalizeDatastorePath(p string) string {
	ds, rel, ok := parseDatastorePath(p)
	if !ok {
		return p
	}
	return folderPath(ds, rel)
}

// vmdkDescriptor is what the browser needs from a disk descriptor file.
type vmdkDescriptor struct {
	createType      string
	capacityKb      int64
	hardwareVersion int32
	thin            bool
	adapterType     string
	extents         []vmdkExtent
	allocatedBytes  int64
}

type vmdkExtent struct {
	sectors int64
	file    string
}

var extentRE = regexp.MustCompile(`^(RW|RDONLY|NOACCESS)\s+(\d+)\s+(\S+)(?:\s+"([^"]*)")?`)

// readDescriptor parses a .vmdk descriptor; an empty or unreadable one (vcsim's) falls back
// to the size of the matching -flat.vmdk.
func readDescriptor(file string) vmdkDescriptor {
	d := vmdkDescriptor{createType: "vmfs", hardwareVersion: 13}
	data, err := os.ReadFile(file)
	if err == nil && len(data) < 64*1024 && strings.Contains(string(data), "createType") {
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if m := extentRE.FindStringSubmatch(line); m != nil {
				var sectors int64
				fmt.Sscan(m[2], &sectors)
				d.extents = append(d.extents, vmdkExtent{sectors: sectors, file: m[4]})
				d.capacityKb += sectors / 2
				continue
			}
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			key = strings.TrimSpace(key)
			value = strings.Trim(strings.TrimSpace(value), `"`)
			switch key {
			case "createType":
				d.createType = value
			case "ddb.virtualHWVersion":
				var v int32
				if _, err := fmt.Sscan(value, &v); err == nil {
					d.hardwareVersion = v
				}
			case "ddb.thinProvisioned":
				d.thin = value == "1"
			case "ddb.adapterType":
				d.adapterType = value
			}
		}
	}
	d.allocatedBytes = int64(len(data))
	if len(d.extents) == 0 {
		flat := strings.TrimSuffix(file, ".vmdk") + "-flat.vmdk"
		if st, err := os.Stat(flat); err == nil {
			d.capacityKb = st.Size() / 1024
			d.extents = []vmdkExtent{{sectors: st.Size() / 512, file: filepath.Base(flat)}}
		}
	}
	// A thin extent counts what it occupies; a thick one is all allocated on ESX.
	for _, x := range d.extents {
		if st, err := os.Stat(filepath.Join(filepath.Dir(file), x.file)); err == nil {
			if sys, ok := st.Sys().(*syscall.Stat_t); ok && d.thin {
				d.allocatedBytes += sys.Blocks * 512
			} else {
				d.allocatedBytes += st.Size()
			}
		}
	}
	return d
}

func (d vmdkDescriptor) diskType() string {
	switch strings.ToLower(d.createType) {
	case "vmfssparse", "monolithicsparse", "twogbmaxextentsparse", "streamoptimized":
		return "VirtualDiskSparseVer2BackingInfo"
	case "sesparse":
		return "VirtualDiskSeSparseBackingInfo"
	case "vmfsrawdevicemap", "vmfspassthroughrawdevicemap":
		return "VirtualDiskRawDiskMappingVer1BackingInfo"
	}
	return "VirtualDiskFlatVer2BackingInfo"
}
