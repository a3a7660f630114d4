package main

// VM questions. A question is armed for a VM (-question-vms, POST /_vcsim/question) and
// raised by its next PowerOnVM_Task, whose task then waits (running, cancelable) with
// runtime.question set, as ESX does for a VM whose files were moved or copied. A question
// can also be raised at once, without a task. AnswerVM answers it: the cancel choice ends
// the task with RequestCanceled, another choice lets it run.

import (
	"fmt"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

type questionChoice struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Summary string `json:"summary,omitempty"`
}

type questionSpec struct {
	Text         string
	MessageID    string
	Choices      []questionChoice
	DefaultIndex int32
	CancelKey    string // "" when no choice cancels
}

const uuidAlteredText = "This virtual machine might have been moved or copied.\n" +
	"In order to configure certain management and networking features, VMware ESX needs to know if this virtual machine was moved or copied.\n\n" +
	"If you don't know, answer \"I Copied It\".\n"

// defaultQuestion mimics ESX's msg.uuid.altered question.
func defaultQuestion() questionSpec {
	return questionSpec{
		Text:      "msg.uuid.altered:" + uuidAlteredText,
		MessageID: "msg.uuid.altered",
		Choices: []questionChoice{
			{Key: "0", Label: "Cancel"},
			{Key: "1", Label: "I Moved It"},
			{Key: "2", Label: "I Copied It"},
		},
		DefaultIndex: 2,
		CancelKey:    "0",
	}
}

type raisedQuestion struct {
	info types.VirtualMachineQuestionInfo
	spec questionSpec
	task *deferredTask // nil for a question raised without a task
}

type questionBook struct {
	mu     sync.Mutex
	seq    int
	armed  map[types.ManagedObjectReference]questionSpec
	raised map[types.ManagedObjectReference]*raisedQuestion
}

func newQuestionBook() *questionBook {
	return &questionBook{
		armed:  map[types.ManagedObjectReference]questionSpec{},
		raised: map[types.ManagedObjectReference]*raisedQuestion{},
	}
}

func (b *questionBook) arm(vm types.ManagedObjectReference, spec questionSpec) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed[vm] = spec
}

func (b *questionBook) peekArmed(vm types.ManagedObjectReference) *questionSpec {
	b.mu.Lock()
	defer b.mu.Unlock()
	spec, ok := b.armed[vm]
	if !ok {
		return nil
	}
	return &spec
}

func (b *questionBook) disarm(vm types.ManagedObjectReference) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.armed, vm)
}

func (b *questionBook) current(vm types.ManagedObjectReference) *raisedQuestion {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.raised[vm]
}

// raise sets runtime.question on the VM and returns the question id (_vmx<N>).
func (b *questionBook) raise(vm types.ManagedObjectReference, spec questionSpec, task *deferredTask) string {
	b.mu.Lock()
	b.seq++
	id := fmt.Sprintf("_vmx%d", b.seq)
	info := types.VirtualMachineQuestionInfo{
		Id:   id,
		Text: spec.Text,
		Choice: types.ChoiceOption{
			ChoiceInfo:   make([]types.BaseElementDescription, 0, len(spec.Choices)),
			DefaultIndex: spec.DefaultIndex,
		},
	}
	for _, ch := range spec.Choices {
		summary := ch.Summary
		if summary == "" {
			summary = ch.Label
		}
		info.Choice.ChoiceInfo = append(info.Choice.ChoiceInfo, &types.ElementDescription{
			Description: types.Description{Label: ch.Label, Summary: summary},
			Key:         ch.Key,
		})
	}
	if spec.MessageID != "" {
		info.Message = []types.VirtualMachineMessage{{Id: spec.MessageID, Text: strings.TrimPrefix(spec.Text, spec.MessageID+":")}}
	}
	b.raised[vm] = &raisedQuestion{info: info, spec: spec, task: task}
	b.mu.Unlock()

	setQuestion(vm, &info)
	return id
}

func (b *questionBook) clear(vm types.ManagedObjectReference) {
	b.mu.Lock()
	_, had := b.raised[vm]
	delete(b.raised, vm)
	b.mu.Unlock()
	if had {
		setQuestion(vm, nil)
	}
}

func setQuestion(ref types.ManagedObjectReference, info *types.VirtualMachineQuestionInfo) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	var val interface{} // an untyped nil clears the property (a typed nil would panic)
	if info != nil {
		val = info
	}
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.question", Val: val},
			{Name: "summary.runtime.question", Val: val},
		})
	})
}

// answerVM handles AnswerVM(questionId, answerChoice).
func (s *server) answerVM(c *soapCall) bool {
	if c.req.This.Type != "VirtualMachine" {
		return false
	}
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.AnswerVM)
	if !ok {
		return false
	}
	if _, ok := simulator.Map.Get(req.This).(*simulator.VirtualMachine); !ok {
		return false // vcsim answers ManagedObjectNotFound
	}
	if !s.requireSession(c) {
		return true
	}
	q := s.questions.current(req.This)
	if q == nil || q.info.Id != req.QuestionId {
		writeFault(c.w, fmt.Sprintf("A specified parameter was not correct: questionId %q", req.QuestionId),
			&types.InvalidArgument{InvalidProperty: "questionId"})
		return true
	}
	valid := false
	for _, ch := range q.spec.Choices {
		if ch.Key == req.AnswerChoice {
			valid = true
		}
	}
	if !valid {
		writeFault(c.w, fmt.Sprintf("A specified parameter was not correct: answerChoice %q", req.AnswerChoice),
			&types.InvalidArgument{InvalidProperty: "answerChoice"})
		return true
	}
	s.questions.clear(req.This)
	if q.task != nil {
		s.answerDeferred(q.task, q.spec.CancelKey == "" || req.AnswerChoice != q.spec.CancelKey)
	}
	writeSOAP(c.w, 200, voidResponse("AnswerVM"))
	return true
}
