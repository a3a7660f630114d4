package main

// The HTTP middleware in front of vcsim's ServeMux. VirtualMachine, HostSystem, Datastore,
// Task and ServiceInstance objects cannot be wrapped in vcsim's registry (vcsim type-asserts
// them), so behaviour on those objects is added here: each SOAP request is scanned for its
// method and _this, then either answered here, rewritten, or forwarded to vcsim and
// post-processed. Control endpoints live under /_vcsim/.

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

var serviceInstance = vim25.ServiceInstance

type server struct {
	cfg       config
	vcsim     http.Handler
	stats     *stats
	sessions  *sessionTracker
	pager     *pager
	questions *questionBook
	tasks     *taskBook
	failures  *failureBook
	waits     *waitBook
	internal  internalSession
}

func newServer(cfg config, mux http.Handler) *server {
	s := &server{
		cfg:       cfg,
		vcsim:     mux,
		stats:     newStats(),
		sessions:  newSessionTracker(),
		pager:     newPager(),
		questions: newQuestionBook(),
		tasks:     newTaskBook(cfg.taskDurationMs),
		failures:  newFailureBook(),
		waits:     newWaitBook(),
	}
	s.internal.user = cfg.user
	s.internal.pass = cfg.pass
	return s
}

// start logs the internal session in and arms the -question-vms questions.
func (s *server) start() error {
	if err := s.loginInternal(); err != nil {
		return err
	}
	if names := strings.TrimSpace(s.cfg.questionVMs); names != "" {
		for _, name := range strings.Split(names, ",") {
			vm, _ := findVM(strings.TrimSpace(name))
			s.questions.arm(vm.Self, defaultQuestion())
		}
	}
	return nil
}

func (s *server) content() types.ServiceContent {
	return simulator.Map.Get(serviceInstance).(*simulator.ServiceInstance).Content
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/_vcsim/"):
		s.serveControl(w, r)
	case r.URL.Path == "/screen":
		s.serveScreen(w, r)
	case r.Method == http.MethodPost && (r.URL.Path == "/sdk" || r.URL.Path == "/sdk/vimService"):
		s.serveSOAP(w, r)
	default:
		s.vcsim.ServeHTTP(w, r)
	}
}

// soapCall is one client SOAP request on its way through the middleware.
type soapCall struct {
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	req    *soapRequest                  // nil when the request could not be scanned (vcsim answers it)
	cookie string                        // the session cookie, "" when absent or revoked
	vm     *types.ManagedObjectReference // the VM a forwarded VM task belongs to
}

func (c *soapCall) method() string {
	if c.req == nil {
		return "(unparsable)"
	}
	return c.req.Method
}

func (s *server) serveSOAP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c := &soapCall{w: w, r: r, body: body}
	if ck, err := r.Cookie(soap.SessionCookieName); err == nil {
		c.cookie = ck.Value
	}
	s.sessions.dropRevoked(c)
	if req, err := scanRequest(body); err == nil {
		c.req = req
	}

	if c.req != nil && s.inject(c) {
		s.stats.record(c.method(), time.Since(began))
		return
	}
	if c.req == nil || !s.route(c) {
		if c.req != nil && c.cookie != "" && waitMethods[c.req.Method] {
			s.serveWait(c)
		} else {
			s.forward(c).copyTo(w)
		}
	}
	s.stats.record(c.method(), time.Since(began))
}

// route answers or rewrites the calls the launcher handles; false means "forward to vcsim".
func (s *server) route(c *soapCall) bool {
	m, this := c.req.Method, c.req.This
	if m == "RetrievePropertiesEx" || m == "ContinueRetrievePropertiesEx" || m == "CancelRetrievePropertiesEx" {
		return s.pager.route(s, c)
	}
	if !s.cfg.compat {
		return false
	}
	switch {
	case m == "AnswerVM":
		return s.answerVM(c)
	case m == "CancelTask":
		return s.cancelTask(c)
	case m == "RebootGuest":
		return s.rebootGuest(c)
	case m == "ValidateMigration":
		return s.validateMigration(c)
	case m == "RegisterVM_Task":
		return s.registerVM(c)
	case m == "RemoveSnapshot_Task":
		s.guardRemoveSnapshot(c)
		return s.vmTask(c)
	case m == "MigrateVM_Task" && this.Type == "VirtualMachine":
		return s.migrateVM(c)
	case this.Type == "EnvironmentBrowser" && strings.HasPrefix(m, "QueryConfigOption"):
		return s.environmentBrowser(c)
	case m == "CheckCompatibility_Task" && this.Type == "VirtualMachineCompatibilityChecker":
		return s.checkCompatibility(c)
	case strings.HasSuffix(m, "_Task") && (this.Type == "VirtualMachine" || this.Type == "VirtualMachineSnapshot"):
		return s.vmTask(c)
	case this == s.content().PropertyCollector:
		s.sessions.usePrivateCollector(s, c)
	}
	return false
}

// forward runs the call through vcsim and post-processes the buffered answer.
func (s *server) forward(c *soapCall) *recorded {
	rec := s.innerSOAPFrom(c)
	s.afterForward(c, rec)
	return rec
}

// innerSOAPFrom forwards the client's request (headers kept, revoked cookies already gone).
func (s *server) innerSOAPFrom(c *soapCall) *recorded {
	req := c.r.Clone(c.r.Context())
	req.Body = io.NopCloser(strings.NewReader(string(c.body)))
	req.ContentLength = int64(len(c.body))
	rec := newRecorded()
	s.vcsim.ServeHTTP(rec, req)
	return rec
}

func (s *server) afterForward(c *soapCall, rec *recorded) {
	s.sessions.noteCookies(rec)
	if c.req == nil {
		return
	}
	m := c.req.Method
	if rec.ok() && rec.body.Len() == 0 {
		// vcsim answers a method whose Res it left nil with an empty 200 body.
		rec.body.Write(voidResponse(m))
		rec.header.Set("Content-Type", "text/xml; charset=utf-8")
	}
	if !rec.ok() {
		return
	}
	switch {
	case m == "Logout":
		s.sessions.forget(c.cookie)
	case m == "CreateLocalDatastore" || m == "CreateNasDatastore" || m == "CreateVmfsDatastore":
		fixDatastores()
	case strings.HasSuffix(m, "_Task"):
		if task, ok := returnedMoref(rec.body.Bytes()); ok && task.Type == "Task" {
			s.afterTask(m, task, c.vm)
		}
	}
}

// afterTask runs after vcsim finished a task: a VM task (vm set; snapshot tasks included, whose
// entity becomes the VM as on ESX) is recorded in VirtualMachine.recentTask, which vcsim never
// fills, and the launcher-written .vmx files are kept in step with the VM.
func (s *server) afterTask(method string, ref types.ManagedObjectReference, vm *types.ManagedObjectReference) {
	task, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return
	}
	var entity *types.ManagedObjectReference
	var state types.TaskInfoState
	var result types.AnyType
	simulator.Map.WithLock(task, func() {
		entity, state, result = task.Info.Entity, task.Info.State, task.Info.Result
	})
	if vm != nil {
		if entity != nil && entity.Type == "VirtualMachineSnapshot" {
			if v, ok := simulator.Map.Get(*vm).(*simulator.VirtualMachine); ok {
				name := v.Name
				simulator.Map.WithLock(task, func() {
					simulator.Map.Update(task, []types.PropertyChange{
						{Name: "info.entity", Val: *vm},
						{Name: "info.entityName", Val: name},
					})
				})
			}
			entity = vm
		}
		addRecentTask(*vm, ref)
	}
	if state != types.TaskInfoStateSuccess {
		return
	}
	switch method {
	case "CreateVM_Task", "CloneVM_Task":
		if vm, ok := result.(types.ManagedObjectReference); ok {
			bindDVPorts(vm)
			writeVMXIfEmpty(vm)
		}
	case "ReconfigVM_Task":
		if entity != nil {
			bindDVPorts(*entity)
			refreshGeneratedVMX(*entity)
		}
	}
}

func addRecentTask(vmRef, task types.ManagedObjectReference) {
	vm, ok := simulator.Map.Get(vmRef).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	simulator.Map.WithLock(vm, func() {
		recent := append([]types.ManagedObjectReference{}, vm.RecentTask...)
		recent = append(recent, task)
		if len(recent) > 10 {
			recent = recent[len(recent)-10:]
		}
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "recentTask", Val: recent}})
	})
}

// requireSession answers NotAuthenticated (as vcsim does) when the call has no live session.
func (s *server) requireSession(c *soapCall) bool {
	if s.authenticated(c.cookie) {
		return true
	}
	writeFault(c.w, "", &types.NotAuthenticated{NoPermission: types.NoPermission{
		Object:      c.req.This,
		PrivilegeId: "System.View",
	}})
	return false
}

// findVM resolves a VM by moref value ("vm-9") or by name.
func findVM(nameOrRef string) (*simulator.VirtualMachine, bool) {
	if vm, ok := simulator.Map.Get(types.ManagedObjectReference{Type: "VirtualMachine", Value: nameOrRef}).(*simulator.VirtualMachine); ok {
		return vm, true
	}
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok && vm.Name == nameOrRef {
			return vm, true
		}
	}
	return nil, false
}
