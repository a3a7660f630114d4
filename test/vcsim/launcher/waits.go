package main

// Long polls of sessions that end. A host answers a WaitForUpdatesEx it is holding with
// NotAuthenticated when the session that made it is terminated (its private collectors go
// with it); vcsim keeps holding the call until something changes. The launcher remembers
// which collector each session is waiting on, cancels those waits when it revokes the
// session, and answers them with NotAuthenticated.

import (
	"sync"

	"github.com/vmware/govmomi/vim25/types"
)

var waitMethods = map[string]bool{"WaitForUpdatesEx": true, "WaitForUpdates": true}

type waitBook struct {
	mu   sync.Mutex
	held map[string]map[types.ManagedObjectReference]int // cookie -> collector -> calls held
}

func newWaitBook() *waitBook {
	return &waitBook{held: map[string]map[types.ManagedObjectReference]int{}}
}

func (b *waitBook) hold(cookie string, pc types.ManagedObjectReference) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held[cookie] == nil {
		b.held[cookie] = map[types.ManagedObjectReference]int{}
	}
	b.held[cookie][pc]++
}

func (b *waitBook) release(cookie string, pc types.ManagedObjectReference) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held[cookie][pc]--; b.held[cookie][pc] <= 0 {
		delete(b.held[cookie], pc)
	}
	if len(b.held[cookie]) == 0 {
		delete(b.held, cookie)
	}
}

func (b *waitBook) collectors(cookie string) []types.ManagedObjectReference {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []types.ManagedObjectReference
	for pc := range b.held[cookie] {
		out = append(out, pc)
	}
	return out
}

// cancelHeld ends the waits the victims' sessions are holding (while those sessions still exist).
func (s *server) cancelHeld(victims []string) {
	for _, cookie := range victims {
		for _, pc := range s.waits.collectors(cookie) {
			_ = s.innerSOAP(cookie, requestBytes(&types.CancelWaitForUpdates{This: pc}), "vcsim-launcher")
		}
	}
}

// serveWait forwards a long poll, remembering its collector; a session revoked meanwhile gets NotAuthenticated.
func (s *server) serveWait(c *soapCall) {
	var pc types.ManagedObjectReference
	if req, err := scanRequest(c.body); err == nil {
		pc = req.This
	}
	s.waits.hold(c.cookie, pc)
	rec := s.forward(c)
	s.waits.release(c.cookie, pc)
	if s.sessions.isRevoked(c.cookie) {
		writeFault(c.w, "", &types.NotAuthenticated{NoPermission: types.NoPermission{Object: pc, PrivilegeId: "System.View"}})
		return
	}
	rec.copyTo(c.w)
}
