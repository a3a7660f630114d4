package main

// Deferred VM tasks. vcsim runs every task inside the SOAP call, so clients never see one
// running. With -task-duration (or /_vcsim/task-duration) a VM task is answered at once with
// a task of ours in state running (progress 0, then 50, then 100, each announced through
// WaitForUpdates); the real operation is forwarded to vcsim when the time is up and its
// outcome becomes ours. A question raised on power-on holds the task the same way until
// AnswerVM. Until it runs, such a task can be cancelled (CancelTask), and any other *_Task
// on the same VM fails with TaskInProgress.

import (
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

type deferredState int

const (
	stateWaiting deferredState = iota
	stateRunning
	stateDone
)

type deferredTask struct {
	task     *simulator.Task
	vm       types.ManagedObjectReference
	method   string
	duration time.Duration
	question bool
	run      func() (types.AnyType, *types.LocalizedMethodFault)

	mu       sync.Mutex
	state    deferredState
	answered chan struct{} // closed when the question is answered with a non-cancel choice
	stop     chan struct{} // closed when the task is cancelled
}

// awaitQuestion makes the task wait for an answer (a question raised while it is pending).
func (d *deferredTask) awaitQuestion() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.question = true
	d.answered = make(chan struct{})
}

// blockedByQuestion returns the channel to wait on while a question is open, else nil.
func (d *deferredTask) blockedByQuestion() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.question {
		return nil
	}
	return d.answered
}

type taskBook struct {
	mu         sync.Mutex
	durationMs int
	byVM       map[types.ManagedObjectReference]*deferredTask
	byTask     map[types.ManagedObjectReference]*deferredTask
}

func newTaskBook(durationMs int) *taskBook {
	return &taskBook{
		durationMs: durationMs,
		byVM:       map[types.ManagedObjectReference]*deferredTask{},
		byTask:     map[types.ManagedObjectReference]*deferredTask{},
	}
}

func (b *taskBook) duration() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Duration(b.durationMs) * time.Millisecond
}

func (b *taskBook) setDuration(ms int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.durationMs = ms
}

func (b *taskBook) pendingFor(vm types.ManagedObjectReference) *deferredTask {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byVM[vm]
}

func (b *taskBook) lookup(task types.ManagedObjectReference) *deferredTask {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byTask[task]
}

func (b *taskBook) add(d *deferredTask) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.byVM[d.vm] = d
	b.byTask[d.task.Self] = d
}

func (b *taskBook) remove(d *deferredTask) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.byVM[d.vm] == d {
		delete(b.byVM, d.vm)
	}
	delete(b.byTask, d.task.Self)
}

// taskVM is the VM a task on this object belongs to (a snapshot's task belongs to its VM).
func taskVM(this types.ManagedObjectReference) (*simulator.VirtualMachine, bool) {
	switch this.Type {
	case "VirtualMachine":
		vm, ok := simulator.Map.Get(this).(*simulator.VirtualMachine)
		return vm, ok
	case "VirtualMachineSnapshot":
		snap, ok := simulator.Map.Get(this).(*simulator.VirtualMachineSnapshot)
		if !ok {
			return nil, false
		}
		vm, ok := simulator.Map.Get(snap.Vm).(*simulator.VirtualMachine)
		return vm, ok
	}
	return nil, false
}

// vmTask handles a *_Task call on a VM or snapshot.
func (s *server) vmTask(c *soapCall) bool {
	vm, ok := taskVM(c.req.This)
	if !ok {
		return false
	}
	if pending := s.tasks.pendingFor(vm.Self); pending != nil {
		if !s.requireSession(c) {
			return true
		}
		fault := &types.TaskInProgress{VimFault: types.VimFault{}, Task: pending.task.Self}
		ref := s.failedTask(vm, c.req.Method, fault, "Another task is already in progress.")
		writeSOAP(c.w, 200, taskResponse(c.req.Method, ref))
		return true
	}

	var question *questionSpec
	if c.req.Method == "PowerOnVM_Task" && powerState(vm) != types.VirtualMachinePowerStatePoweredOn && !isTemplate(vm) {
		question = s.questions.peekArmed(vm.Self)
	}
	duration := s.tasks.duration()
	if question == nil && duration == 0 {
		c.vm = &vm.Self
		return false // vcsim runs it; afterForward records it in recentTask
	}
	if !s.requireSession(c) {
		return true
	}
	if question != nil {
		s.questions.disarm(vm.Self)
	}
	body := c.body
	method := c.req.Method
	d := s.newDeferred(vm, method, duration, question != nil, func() (types.AnyType, *types.LocalizedMethodFault) {
		return s.runForwarded(method, body)
	})
	if question != nil {
		s.questions.raise(vm.Self, *question, d)
	}
	writeSOAP(c.w, 200, taskResponse(method, d.task.Self))
	go s.runDeferred(d)
	return true
}

// runForwarded runs the original request under the internal session and returns the
// outcome of the task vcsim created for it (or its SOAP fault as a task error).
func (s *server) runForwarded(method string, body []byte) (types.AnyType, *types.LocalizedMethodFault) {
	rec := s.internalCall(body)
	if !rec.ok() {
		msg, fault := decodeFault(rec.body.Bytes())
		return nil, &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}
	}
	ref, ok := returnedMoref(rec.body.Bytes())
	if !ok {
		return nil, &types.LocalizedMethodFault{Fault: &types.SystemError{Reason: "no task returned"}, LocalizedMessage: "no task returned"}
	}
	s.afterTask(method, ref, nil)
	return taskOutcome(ref)
}

func taskOutcome(ref types.ManagedObjectReference) (types.AnyType, *types.LocalizedMethodFault) {
	task, ok := simulator.Map.Get(ref).(*simulator.Task)
	if !ok {
		return nil, &types.LocalizedMethodFault{Fault: &types.ManagedObjectNotFound{Obj: ref}, LocalizedMessage: "task vanished"}
	}
	var result types.AnyType
	var fault *types.LocalizedMethodFault
	simulator.Map.WithLock(task, func() {
		result = task.Info.Result
		if task.Info.Error != nil {
			f := *task.Info.Error
			fault = &f
		}
	})
	return result, fault
}

// newDeferred creates our task, already running (progress 0, cancelable), and books it.
func (s *server) newDeferred(vm *simulator.VirtualMachine, method string, duration time.Duration, question bool,
	run func() (types.AnyType, *types.LocalizedMethodFault)) *deferredTask {
	task := createVMTask(vm, method)
	now := time.Now()
	simulator.Map.WithLock(task, func() {
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.state", Val: types.TaskInfoStateRunning},
			{Name: "info.startTime", Val: now},
			{Name: "info.cancelable", Val: true},
			{Name: "info.progress", Val: int32(0)},
		})
	})
	d := &deferredTask{
		task: task, vm: vm.Self, method: method, duration: duration, question: question, run: run,
		answered: make(chan struct{}), stop: make(chan struct{}),
	}
	s.tasks.add(d)
	addRecentTask(vm.Self, task.Self)
	return d
}

func (s *server) runDeferred(d *deferredTask) {
	if !d.waitForAnswer() {
		return
	}
	if d.duration > 0 {
		half := d.duration / 2
		if !d.sleep(half) {
			return
		}
		d.progress(50)
		if !d.sleep(d.duration - half) {
			return
		}
		d.progress(100)
	}
	if !d.waitForAnswer() { // a question raised meanwhile blocks the operation
		return
	}
	d.mu.Lock()
	if d.state != stateWaiting {
		d.mu.Unlock()
		return
	}
	d.state = stateRunning
	d.mu.Unlock()
	simulator.Map.WithLock(d.task, func() {
		simulator.Map.Update(d.task, []types.PropertyChange{{Name: "info.cancelable", Val: false}})
	})
	result, fault := d.run()
	s.finish(d, result, fault, false)
}

// waitForAnswer blocks while a question is open; false when the task was cancelled.
func (d *deferredTask) waitForAnswer() bool {
	answered := d.blockedByQuestion()
	if answered == nil {
		return true
	}
	select {
	case <-answered:
		return true
	case <-d.stop:
		return false
	}
}

func (d *deferredTask) sleep(t time.Duration) bool {
	timer := time.NewTimer(t)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-d.stop:
		return false
	}
}

func (d *deferredTask) progress(p int32) {
	simulator.Map.WithLock(d.task, func() {
		simulator.Map.Update(d.task, []types.PropertyChange{{Name: "info.progress", Val: p}})
	})
}

// answer lets a task that waits for its question go on (false: it is cancelled).
func (s *server) answerDeferred(d *deferredTask, proceed bool) {
	if proceed {
		d.mu.Lock()
		if d.state == stateWaiting && d.question {
			d.question = false
			close(d.answered)
		}
		d.mu.Unlock()
		return
	}
	s.cancelDeferred(d)
}

// cancelDeferred ends a task that has not started its operation with RequestCanceled.
func (s *server) cancelDeferred(d *deferredTask) bool {
	d.mu.Lock()
	if d.state != stateWaiting {
		d.mu.Unlock()
		return false
	}
	d.state = stateDone
	close(d.stop)
	hadQuestion := d.question
	d.question = false
	d.mu.Unlock()
	if hadQuestion {
		s.questions.clear(d.vm)
	}
	s.finish(d, nil, &types.LocalizedMethodFault{Fault: &types.RequestCanceled{}, LocalizedMessage: "The task was canceled by a user."}, true)
	return true
}

func (s *server) finish(d *deferredTask, result types.AnyType, fault *types.LocalizedMethodFault, cancelled bool) {
	d.mu.Lock()
	d.state = stateDone
	d.mu.Unlock()
	s.tasks.remove(d)
	completeTask(d.task, result, fault, cancelled)
}

func completeTask(task *simulator.Task, result types.AnyType, fault *types.LocalizedMethodFault, cancelled bool) {
	state := types.TaskInfoStateSuccess
	var errVal interface{}
	if fault != nil {
		state = types.TaskInfoStateError
		errVal = *fault
	}
	var resVal interface{}
	if result != nil {
		resVal = result
	}
	now := time.Now()
	changes := []types.PropertyChange{
		{Name: "info.completeTime", Val: now},
		{Name: "info.state", Val: state},
		{Name: "info.result", Val: resVal},
		{Name: "info.error", Val: errVal},
	}
	if cancelled {
		changes = append(changes, types.PropertyChange{Name: "info.cancelled", Val: true})
	}
	simulator.Map.WithLock(task, func() { simulator.Map.Update(task, changes) })
}

// failedTask creates a task that already ended with fault (e.g. TaskInProgress).
func (s *server) failedTask(vm *simulator.VirtualMachine, method string, fault types.BaseMethodFault, msg string) types.ManagedObjectReference {
	task := createVMTask(vm, method)
	now := time.Now()
	simulator.Map.WithLock(task, func() {
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.state", Val: types.TaskInfoStateRunning},
			{Name: "info.startTime", Val: now},
		})
	})
	completeTask(task, nil, &types.LocalizedMethodFault{Fault: fault, LocalizedMessage: msg}, false)
	addRecentTask(vm.Self, task.Self)
	return task.Self
}

// createVMTask creates a queued task on vm named like ESX names it.
func createVMTask(vm *simulator.VirtualMachine, method string) *simulator.Task {
	goName := strings.TrimSuffix(method, "_Task") + "Task" // CreateTask turns it back into X_Task
	task := simulator.CreateTask(vm, goName, func(*simulator.Task) (types.AnyType, types.BaseMethodFault) { return nil, nil })
	var name string
	simulator.Map.WithLock(vm, func() { name = vm.Name })
	simulator.Map.WithLock(task, func() {
		simulator.Map.Update(task, []types.PropertyChange{
			{Name: "info.descriptionId", Val: taskDescriptionID(method)},
			{Name: "info.entityName", Val: name},
		})
	})
	return task
}

var descriptionIDs = map[string]string{
	"PowerOnVM_Task":               "VirtualMachine.powerOn",
	"PowerOffVM_Task":              "VirtualMachine.powerOff",
	"SuspendVM_Task":               "VirtualMachine.suspend",
	"ResetVM_Task":                 "VirtualMachine.reset",
	"ReconfigVM_Task":              "VirtualMachine.reconfigure",
	"Destroy_Task":                 "VirtualMachine.destroy",
	"MigrateVM_Task":               "VirtualMachine.migrate",
	"RelocateVM_Task":              "VirtualMachine.relocate",
	"CloneVM_Task":                 "VirtualMachine.clone",
	"CreateSnapshot_Task":          "VirtualMachine.createSnapshot",
	"RevertToCurrentSnapshot_Task": "VirtualMachine.revertToCurrentSnapshot",
	"RemoveAllSnapshots_Task":      "VirtualMachine.removeAllSnapshots",
	"RevertToSnapshot_Task":        "vm.Snapshot.revert",
	"RemoveSnapshot_Task":          "vm.Snapshot.remove",
}

func taskDescriptionID(method string) string {
	if id, ok := descriptionIDs[method]; ok {
		return id
	}
	base := strings.TrimSuffix(method, "_Task")
	return "VirtualMachine." + strings.ToLower(base[:1]) + base[1:]
}

func powerState(vm *simulator.VirtualMachine) types.VirtualMachinePowerState {
	var st types.VirtualMachinePowerState
	simulator.Map.WithLock(vm, func() { st = vm.Runtime.PowerState })
	return st
}

func isTemplate(vm *simulator.VirtualMachine) bool {
	var t bool
	simulator.Map.WithLock(vm, func() { t = vm.Config != nil && vm.Config.Template })
	return t
}

// cancelTask answers CancelTask: our waiting tasks are cancelled; finished or
// non-cancelable tasks give InvalidState, as on ESX.
func (s *server) cancelTask(c *soapCall) bool {
	if c.req.This.Type != "Task" {
		return false
	}
	if simulator.Map.Get(c.req.This) == nil {
		return false // vcsim answers ManagedObjectNotFound
	}
	if !s.requireSession(c) {
		return true
	}
	if d := s.tasks.lookup(c.req.This); d != nil && s.cancelDeferred(d) {
		writeSOAP(c.w, 200, voidResponse("CancelTask"))
		return true
	}
	writeFault(c.w, "The operation is not allowed in the current state.", &types.InvalidState{})
	return true
}
