package main

// Calls into vcsim's own HTTP handler without a network round trip: the middleware forwards
// client requests this way (buffering the answer so it can post-process it), and runs
// operations of its own under an internal session (deferred tasks, private collectors).

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// recorded is a buffered response of vcsim's handler.
type recorded struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorded() *recorded { return &recorded{header: http.Header{}} }

func (r *recorded) Header() http.Header { return r.header }

func (r *recorded) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorded) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorded) ok() bool { return r.status == http.StatusOK }

// copyTo sends the buffered response to the client.
func (r *recorded) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

// innerSOAP runs a SOAP request through vcsim with the given session cookie ("" for none).
func (s *server) innerSOAP(cookie string, body []byte, userAgent string) *recorded {
	req, _ := http.NewRequest(http.MethodPost, "/sdk", bytes.NewReader(body))
	req.RemoteAddr = "127.0.0.1:0"
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: soap.SessionCookieName, Value: cookie})
	}
	rec := newRecorded()
	s.vcsim.ServeHTTP(rec, req)
	return rec
}

// internalSession is the launcher's own login, used for work done outside a client request.
type internalSession struct {
	mu     sync.Mutex
	cookie string
	user   string
	pass   string
}

func (s *server) loginInternal() error {
	s.internal.mu.Lock()
	defer s.internal.mu.Unlock()
	return s.loginInternalLocked()
}

func (s *server) loginInternalLocked() error {
	login := &types.Login{
		This:     *s.content().SessionManager,
		UserName: s.internal.user,
		Password: s.internal.pass,
	}
	rec := s.innerSOAP("", requestBytes(login), "vcsim-launcher")
	if !rec.ok() {
		msg, _ := decodeFault(rec.body.Bytes())
		return fmt.Errorf("internal login failed: %s", msg)
	}
	for _, c := range (&http.Response{Header: rec.header}).Cookies() {
		if c.Name == soap.SessionCookieName {
			s.internal.cookie = c.Value
			s.sessions.markInternal(c.Value)
			return nil
		}
	}
	return fmt.Errorf("internal login returned no session cookie")
}

// internalCall runs a request under the internal session, logging in again if the session
// expired (-session-idle) or was terminated.
func (s *server) internalCall(body []byte) *recorded {
	s.internal.mu.Lock()
	cookie := s.internal.cookie
	s.internal.mu.Unlock()
	rec := s.innerSOAP(cookie, body, "vcsim-launcher")
	if rec.status == http.StatusInternalServerError && strings.Contains(rec.body.String(), "NotAuthenticatedFault") {
		s.internal.mu.Lock()
		err := s.loginInternalLocked()
		cookie = s.internal.cookie
		s.internal.mu.Unlock()
		if err == nil {
			rec = s.innerSOAP(cookie, body, "vcsim-launcher")
		}
	}
	return rec
}

// authenticated reports whether cookie names a live vcsim session (CurrentTime needs one).
func (s *server) authenticated(cookie string) bool {
	if cookie == "" {
		return false
	}
	req := &types.CurrentTime{This: serviceInstance}
	return s.innerSOAP(cookie, requestBytes(req), "").ok()
}
