// Command child-usage runs a command and reports what wait4 says about it: wall time from
// start to exit, user and system CPU time, and peak resident set size (ru_maxrss). The
// command inherits stdin, stdout and stderr; the report is one JSON line written to file
// descriptor 3, so that it never mixes with the command's own output.
//
//	child-usage node -e 0 3>report.json
//	{"exit":0,"wallNanos":41234567,"userNanos":30000000,"sysNanos":10000000,"maxRssKiB":40312}
//
// A separate small process is needed because Linux charges a child that was forked but has
// not yet exec'd with its parent's peak RSS (ru_maxrss keeps the high-water mark of the
// memory image exec replaced): forked from the bench's own Node process, every figure
// would be at least that process's size. This process stays at a few MiB.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

type report struct {
	Exit      int   `json:"exit"`
	WallNanos int64 `json:"wallNanos"`
	UserNanos int64 `json:"userNanos"`
	SysNanos  int64 `json:"sysNanos"`
	MaxRssKiB int64 `json:"maxRssKiB"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: child-usage COMMAND [ARG...] 3>REPORT")
		os.Exit(2)
	}
	out := os.NewFile(3, "report")
	// The command must not inherit the report descriptor.
	syscall.CloseOnExec(3)
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "child-usage: %v\n", err)
		os.Exit(127)
	}
	err := cmd.Wait()
	wall := time.Since(start)
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		fmt.Fprintf(os.Stderr, "child-usage: %v\n", err)
		os.Exit(127)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "child-usage: no rusage")
		os.Exit(127)
	}
	r := report{
		Exit:      cmd.ProcessState.ExitCode(),
		WallNanos: wall.Nanoseconds(),
		UserNanos: syscall.TimevalToNsec(ru.Utime),
		SysNanos:  syscall.TimevalToNsec(ru.Stime),
		MaxRssKiB: ru.Maxrss,
	}
	if err := json.NewEncoder(out).Encode(r); err != nil {
		fmt.Fprintf(os.Stderr, "child-usage: %v\n", err)
		os.Exit(127)
	}
}
