package main

// Session bookkeeping: the cookies vcsim issued, revocation (/_vcsim/sessions/revoke), and a
// private PropertyCollector per session. vcsim registers every session's copy of the default
// collector as an update listener under the same moref, so only the session that last
// called WaitForUpdates is notified; calls to the default collector that keep state
// (filters, waits) are therefore redirected to a collector of the session's own.

import (
	"net/http"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

type sessionTracker struct {
	mu       sync.Mutex
	issued   map[string]bool
	revoked  map[string]bool
	internal map[string]bool
	private  map[string]types.ManagedObjectReference // cookie -> private collector
}

func newSessionTracker() *sessionTracker {
	return &sessionTracker{
		issued:   map[string]bool{},
		revoked:  map[string]bool{},
		internal: map[string]bool{},
		private:  map[string]types.ManagedObjectReference{},
	}
}

func (t *sessionTracker) markInternal(cookie string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.internal[cookie] = true
}

// noteCookies records the session cookies vcsim sets (Login, CloneSession, ...).
func (t *sessionTracker) noteCookies(rec *recorded) {
	for _, c := range (&http.Response{Header: rec.header}).Cookies() {
		if c.Name == soap.SessionCookieName && c.Value != "" {
			t.mu.Lock()
			t.issued[c.Value] = true
			t.mu.Unlock()
		}
	}
}

func (t *sessionTracker) forget(cookie string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.issued, cookie)
	delete(t.private, cookie)
}

// revoke ends one session (cookie) or every client session (""); it returns how many.
// vcsim forgets them, and requests still carrying a revoked cookie are forwarded without it.
func (t *sessionTracker) isRevoked(cookie string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.revoked[cookie]
}

// revoke ends the session with this cookie (or every client session); beforeTerminate runs
// once the victims are marked revoked and while their sessions still exist.
func (t *sessionTracker) revoke(cookie string, beforeTerminate func(victims []string)) int {
	t.mu.Lock()
	var victims []string
	if cookie != "" {
		if !t.internal[cookie] {
			victims = append(victims, cookie)
		}
	} else {
		for c := range t.issued {
			if !t.internal[c] {
				victims = append(victims, c)
			}
		}
	}
	for _, c := range victims {
		t.revoked[c] = true
		delete(t.issued, c)
		delete(t.private, c)
	}
	t.mu.Unlock()
	beforeTerminate(victims)

	sm := simulator.Map.SessionManager()
	ctx := &simulator.Context{Session: &simulator.Session{UserSession: types.UserSession{Key: "vcsim-launcher-revoke"}}}
	for _, c := range victims {
		_ = sm.TerminateSession(ctx, &types.TerminateSession{This: sm.Self, SessionId: []string{c}})
	}
	return len(victims)
}

// dropRevoked removes a revoked session cookie from the request.
func (t *sessionTracker) dropRevoked(c *soapCall) {
	if c.cookie == "" {
		return
	}
	t.mu.Lock()
	revoked := t.revoked[c.cookie]
	t.mu.Unlock()
	if !revoked {
		return
	}
	var keep []string
	for _, ck := range c.r.Cookies() {
		if ck.Name != soap.SessionCookieName {
			keep = append(keep, ck.String())
		}
	}
	c.r.Header.Del("Cookie")
	if len(keep) > 0 {
		c.r.Header.Set("Cookie", strings.Join(keep, "; "))
	}
	c.cookie = ""
}

// collectorStateMethods are the PropertyCollector methods whose effect outlives the call.
var collectorStateMethods = map[string]bool{
	"CreateFilter":         true,
	"WaitForUpdates":       true,
	"WaitForUpdatesEx":     true,
	"CheckForUpdates":      true,
	"CancelWaitForUpdates": true,
}

// usePrivateCollector rewrites _this of a stateful call on the default collector to the
// session's private collector, creating it on first use.
func (t *sessionTracker) usePrivateCollector(s *server, c *soapCall) {
	if c.cookie == "" || !collectorStateMethods[c.req.Method] || c.req.thisEnd <= c.req.thisStart {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	pc, ok := t.private[c.cookie]
	if !ok {
		req := &types.CreatePropertyCollector{This: c.req.This}
		rec := s.innerSOAP(c.cookie, requestBytes(req), c.r.UserAgent())
		if !rec.ok() {
			return // not logged in: vcsim answers the original call
		}
		ref, found := returnedMoref(rec.body.Bytes())
		if !found {
			return
		}
		pc = ref
		t.private[c.cookie] = pc
	}
	c.body = c.req.withThis(c.body, pc.Value)
}
