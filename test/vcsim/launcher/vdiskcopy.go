package main

// VirtualDiskManager, continued: copies, moves and UUIDs as ESX gives them. vcsim copies a
// disk's two files byte for byte, so the copy's descriptor still names the source's extent
// and has the source's UUID, and the copy is dense; QueryVirtualDiskUuid answers a hash of
// the local path. Here a copy (or move) gets its own descriptor naming its own extent, a
// copy gets a new UUID, the extent stays sparse, and the UUID is the descriptor's ddb.uuid.

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var ddbUUIDRE = regexp.MustCompile(`(?m)^ddb\.uuid\s*=\s*"([^"]*)"`)

func (m *diskManager) QueryVirtualDiskUuid(req *types.QueryVirtualDiskUuid) soap.HasFault {
	body := &methods.QueryVirtualDiskUuidBody{}
	file, fault := diskFileOf(req.Name)
	if fault != nil {
		body.Fault_ = simulator.Fault("File "+req.Name+" was not found", fault)
		return body
	}
	data, _ := os.ReadFile(file)
	match := ddbUUIDRE.FindSubmatch(data)
	if match == nil {
		h := hashString(req.Name)
		body.Res = &types.QueryVirtualDiskUuidResponse{Returnval: vmxUUID(bytesHex(h[:]))}
		return body
	}
	body.Res = &types.QueryVirtualDiskUuidResponse{Returnval: string(match[1])}
	return body
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}

// sparseCopy copies src to dst, seeking over blocks of zeros so the copy stays sparse.
func sparseCopy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	zero := make([]byte, 1<<20)
	var size int64
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if bytes.Equal(buf[:n], zero[:n]) {
				if _, err := out.Seek(int64(n), io.SeekCurrent); err != nil {
					out.Close()
					return err
				}
			} else if _, err := out.Write(buf[:n]); err != nil {
				out.Close()
				return err
			}
			size += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Close()
			return err
		}
	}
	if err := out.Truncate(size); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// transferDisk copies or moves the disk at srcName to destName (datastore paths).
func transferDisk(srcName, destName string, force, move bool) types.BaseMethodFault {
	src, fault := diskFileOf(srcName)
	if fault != nil {
		return fault
	}
	dst, ok := localPath(datastoreDirs(), destName)
	if !ok {
		return &types.InvalidDatastorePath{DatastorePath: destName}
	}
	if _, err := os.Stat(filepath.Dir(dst)); err != nil {
		return &types.FileNotFound{FileFault: types.FileFault{File: destName}}
	}
	if _, err := os.Stat(dst); err == nil && !force {
		return &types.FileAlreadyExists{FileFault: types.FileFault{File: destName}}
	}
	d := readDescriptor(src)
	flatName := strings.TrimSuffix(filepath.Base(dst), ".vmdk") + "-flat.vmdk"
	flat := filepath.Join(filepath.Dir(dst), flatName)
	if len(d.extents) > 0 {
		srcFlat := filepath.Join(filepath.Dir(src), d.extents[0].file)
		var err error
		if move {
			err = os.Rename(srcFlat, flat)
		} else {
			err = sparseCopy(srcFlat, flat)
		}
		if err != nil {
			return &types.CannotAccessFile{FileFault: types.FileFault{File: destName}}
		}
	}
	df := diskFile{dsPath: destName, capacityKb: d.capacityKb, thin: d.thin, adapter: d.adapterType, hwVersion: "13"}
	if move {
		if data, err := os.ReadFile(src); err == nil {
			if m := ddbUUIDRE.FindSubmatch(data); m != nil {
				df.uuid = strings.NewReplacer(" ", "", "-", "").Replace(string(m[1]))
			}
		}
	}
	if err := os.WriteFile(dst, []byte(vmdkDescriptorText(flatName, df)), 0o644); err != nil {
		return &types.CannotCreateFile{FileFault: types.FileFault{File: destName}}
	}
	if move {
		_ = os.Remove(src)
	}
	return nil
}

func (m *diskManager) CopyVirtualDiskTask(req *types.CopyVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "copyVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, transferDisk(req.SourceName, req.DestName, req.Force != nil && *req.Force, false)
	})
	return &methods.CopyVirtualDisk_TaskBody{Res: &types.CopyVirtualDisk_TaskResponse{Returnval: task.Run()}}
}

func (m *diskManager) MoveVirtualDiskTask(req *types.MoveVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "moveVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, transferDisk(req.SourceName, req.DestName, req.Force != nil && *req.Force, true)
	})
	return &methods.MoveVirtualDisk_TaskBody{Res: &types.MoveVirtualDisk_TaskResponse{Returnval: task.Run()}}
}
