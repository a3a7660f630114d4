// Command vcsim-launcher runs govmomi's vSphere simulator (Debian's 0.24.2 package) as the
// esxvi test bed: flags choose the inventory, it listens on 127.0.0.1 only, prints one JSON
// line once it is ready and stops cleanly on SIGTERM/SIGINT. With -compat (the default) it
// fills the gaps between vcsim and a real ESX host/vCenter (see compat.go).
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
)

type config struct {
	listen         string
	model          string
	vms            int
	hosts          int
	clusters       int
	clusterHosts   int
	datastores     int
	powerOn        bool
	tls            bool
	certFile       string
	keyFile        string
	user           string
	pass           string
	questionVMs    string
	taskDurationMs int
	sessionIdle    time.Duration
	compat         bool
	tmpdir         string
	exitOnEOF      bool
	quiet          bool
	nfs            bool
	iscsi          bool
	amdHosts       string
}

// readyLine is the one JSON line printed on stdout once the server accepts connections.
type readyLine struct {
	URL              string `json:"url"`
	Host             string `json:"host"`
	Port             int    `json:"port"`
	PID              int    `json:"pid"`
	TLS              bool   `json:"tls"`
	ThumbprintSHA1   string `json:"thumbprintSha1,omitempty"`
	ThumbprintSHA256 string `json:"thumbprintSha256,omitempty"`
	CertPEM          string `json:"certPem,omitempty"`
	Model            string `json:"model"`
	User             string `json:"user"`
	VMs              int    `json:"vms"`
	StartupMs        int64  `json:"startupMs"`
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.listen, "listen", "127.0.0.1:0", "listen address (must be a loopback address)")
	flag.StringVar(&c.model, "model", "esx", "inventory model: esx (standalone host) or vpx (vCenter)")
	flag.IntVar(&c.vms, "vms", -1, "VMs per host/resource pool (vcsim Model.Machine; default 2)")
	flag.IntVar(&c.hosts, "hosts", -1, "vpx: standalone hosts per datacenter (default 1)")
	flag.IntVar(&c.clusters, "clusters", -1, "vpx: clusters per datacenter (default 1)")
	flag.IntVar(&c.clusterHosts, "cluster-hosts", -1, "vpx: hosts per cluster (default 3)")
	flag.IntVar(&c.datastores, "datastores", -1, "local datastores (default 1)")
	flag.BoolVar(&c.powerOn, "power-on", true, "power on the model VMs at start (vcsim Autostart)")
	flag.BoolVar(&c.tls, "tls", false, "serve HTTPS with a generated ECDSA P-256 certificate for 127.0.0.1")
	flag.StringVar(&c.certFile, "cert", "", "PEM certificate to serve (implies -tls; needs -key)")
	flag.StringVar(&c.keyFile, "key", "", "PEM private key for -cert")
	flag.StringVar(&c.user, "user", "user", "the only accepted user name")
	flag.StringVar(&c.pass, "pass", "", "the only accepted password (default: $VCSIM_PASS, else \"pass\")")
	flag.StringVar(&c.questionVMs, "question-vms", "", "comma separated VM names or morefs that raise a question on their next PowerOnVM_Task")
	flag.IntVar(&c.taskDurationMs, "task-duration", 0, "milliseconds a VM task stays running (progress 0, 50, 100) before it runs")
	flag.DurationVar(&c.sessionIdle, "session-idle", 0, "idle sessions expire after this duration (vcsim SessionIdleTimeout)")
	flag.BoolVar(&c.compat, "compat", true, "fill the gaps between vcsim and a real ESX/vCenter")
	flag.StringVar(&c.tmpdir, "tmpdir", "auto", "where datastore directories are created: a directory, \"auto\" (/dev/shm when it is roomy, else $TMPDIR) or \"\" ($TMPDIR)")
	flag.BoolVar(&c.exitOnEOF, "exit-on-stdin-eof", false, "stop when stdin reaches end of file (the parent went away)")
	flag.BoolVar(&c.quiet, "quiet", false, "discard vcsim's log output")
	flag.BoolVar(&c.nfs, "nfs", false, "add an NFS datastore NfsDS_0 beside the local ones")
	flag.BoolVar(&c.iscsi, "iscsi", false, "give each host a software iSCSI HBA with a static target and two LUNs")
	flag.StringVar(&c.amdHosts, "amd-hosts", "", "comma separated host names that get an AMD processor (the others have Intel ones)")
	flag.Parse()

	if c.pass == "" {
		c.pass = os.Getenv("VCSIM_PASS")
	}
	if c.pass == "" {
		c.pass = "pass"
	}
	if c.certFile != "" || c.keyFile != "" {
		c.tls = true
	}
	return c
}

func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim-launcher: "+format+"\n", args...)
	os.Exit(2)
}

func main() {
	cfg := parseFlags()
	began := time.Now()

	if cfg.quiet {
		log.SetOutput(io.Discard)
	}

	host, _, err := net.SplitHostPort(cfg.listen)
	if err != nil {
		fatalf("bad -listen %q: %v", cfg.listen, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		fatalf("-listen must be a loopback address such as 127.0.0.1:0, not %q", cfg.listen)
	}
	if dir := chooseTmpdir(cfg.tmpdir); dir != "" {
		_ = os.Setenv("TMPDIR", dir)
	}

	model, err := buildModel(cfg)
	if err != nil {
		fatalf("%v", err)
	}
	defer model.Remove()
	defer removeExtraDirs()
	if cfg.sessionIdle > 0 {
		simulator.SessionIdleTimeout = cfg.sessionIdle
	}

	// NewServer wires vcsim's ServeMux and its per-server settings (credentials, endpoints);
	// we serve that mux through our own http.Server and close vcsim's own listener.
	model.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword(cfg.user, cfg.pass)}
	vcsimServer := model.Service.NewServer()
	vcsimServer.Close()

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fatalf("listen %s: %v", cfg.listen, err)
	}
	addr := ln.Addr().(*net.TCPAddr)

	var cert *servedCert
	if cfg.tls {
		cert, err = loadOrGenerateCert(cfg.certFile, cfg.keyFile)
		if err != nil {
			fatalf("%v", err)
		}
	}

	srv := newServer(cfg, model.Service.ServeMux)
	if err := srv.start(); err != nil {
		fatalf("%v", err)
	}
	pointVcsimAt(addr.String(), cfg.tls)

	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 30 * time.Second,
		// HTTP/1.1 only: an empty TLSNextProto map turns HTTP/2 off.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	scheme := "http"
	if cert != nil {
		scheme = "https"
		httpServer.TLSConfig = cert.serverConfig()
		ln = tls.NewListener(ln, httpServer.TLSConfig)
	}

	go func() {
		if err := httpServer.Serve(ln); err != nil && err != http.ErrServerClosed {
			fatalf("serve: %v", err)
		}
	}()

	ready := readyLine{
		URL:       fmt.Sprintf("%s://%s/sdk", scheme, addr.String()),
		Host:      addr.IP.String(),
		Port:      addr.Port,
		PID:       os.Getpid(),
		TLS:       cert != nil,
		Model:     cfg.model,
		User:      cfg.user,
		VMs:       len(simulator.Map.All("VirtualMachine")),
		StartupMs: time.Since(began).Milliseconds(),
	}
	if cert != nil {
		ready.ThumbprintSHA1 = cert.sha1
		ready.ThumbprintSHA256 = cert.sha256
		ready.CertPEM = cert.pem
	}
	line, _ := json.Marshal(ready)
	if _, err := os.Stdout.Write(append(line, '\n')); err != nil {
		fatalf("write ready line: %v", err)
	}

	stop := make(chan os.Signal, 2)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	if cfg.exitOnEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- syscall.SIGTERM
		}()
	}
	<-stop

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	_ = httpServer.Shutdown(ctx) // long polls (WaitForUpdates) are cut by Close below
	cancel()
	_ = httpServer.Close()
	model.Remove()
	removeExtraDirs()
	os.Exit(0)
}

// buildModel creates the vcsim inventory for the flags and, with -compat, fills its gaps.
func buildModel(cfg config) (*simulator.Model, error) {
	var model *simulator.Model
	switch cfg.model {
	case "esx":
		model = simulator.ESX()
	case "vpx":
		model = simulator.VPX()
		if cfg.hosts >= 0 {
			model.Host = cfg.hosts
		}
		if cfg.clusters >= 0 {
			model.Cluster = cfg.clusters
		}
		if cfg.clusterHosts >= 0 {
			model.ClusterHost = cfg.clusterHosts
		}
	default:
		return nil, fmt.Errorf("-model must be esx or vpx, not %q", cfg.model)
	}
	if cfg.vms >= 0 {
		model.Machine = cfg.vms
	}
	if cfg.datastores >= 0 {
		model.Datastore = cfg.datastores
	}
	model.Autostart = cfg.powerOn

	began := time.Now()
	// Building a large inventory allocates a lot of short-lived garbage: collect less often.
	gc := debug.SetGCPercent(400)
	err := model.Create()
	debug.SetGCPercent(gc)
	if err != nil {
		return nil, fmt.Errorf("create %s model: %v", cfg.model, err)
	}
	fmt.Fprintf(os.Stderr, "vcsim-launcher: %s model created in %v\n", cfg.model, time.Since(began).Round(time.Millisecond))
	if cfg.compat {
		began = time.Now()
		defer func() {
			fmt.Fprintf(os.Stderr, "vcsim-launcher: compat fills applied in %v\n", time.Since(began).Round(time.Millisecond))
		}()
		if err := applyCompat(); err != nil {
			model.Remove()
			return nil, fmt.Errorf("compat: %v", err)
		}
	}
	if err := makeAMDHosts(cfg.amdHosts); err != nil {
		model.Remove()
		return nil, err
	}
	if cfg.nfs {
		if err := addNfsDatastore(); err != nil {
			model.Remove()
			removeExtraDirs()
			return nil, fmt.Errorf("-nfs: %v", err)
		}
	}
	if cfg.iscsi {
		for _, e := range simulator.Map.All("HostSystem") {
			addSoftwareIscsi(e.(*simulator.HostSystem))
		}
	}
	if names := strings.TrimSpace(cfg.questionVMs); names != "" {
		for _, name := range strings.Split(names, ",") {
			if _, ok := findVM(strings.TrimSpace(name)); !ok {
				model.Remove()
				return nil, fmt.Errorf("-question-vms: no VM named %q", name)
			}
		}
	}
	return model, nil
}

// chooseTmpdir picks where vcsim's datastore directories go. Many small files are written
// per VM, which is slow on some virtual disks; /dev/shm is used when it has room.
func chooseTmpdir(flagValue string) string {
	if flagValue != "auto" {
		return flagValue
	}
	if os.Getenv("TMPDIR") != "" {
		return ""
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil {
		return ""
	}
	free := uint64(st.Bavail) * uint64(st.Bsize)
	if free < 1<<30 || syscall.Access("/dev/shm", 2 /* W_OK */) != nil {
		return ""
	}
	return "/dev/shm"
}

// pointVcsimAt tells vcsim the address clients really use (NewServer saw its own listener).
func pointVcsimAt(hostPort string, tls bool) {
	simulator.Map.SessionManager().ServiceHostName = hostPort
	scheme := "http"
	if tls {
		scheme = "https"
	}
	m := simulator.Map.OptionManager()
	for _, s := range m.Setting {
		o := s.GetOptionValue()
		if o.Key == "vcsim.server.url" {
			o.Value = scheme + "://" + hostPort + "/sdk"
		}
	}
}
