package main

// Transient failures on demand, for clients' retry logic: the next N requests for a method
// are answered with an HTTP status (and Retry-After) or with the connection reset, before
// they reach vcsim. The requests are still counted in /_vcsim/stats, so a test can prove a
// call was (or was not) sent again.
//
//   POST /_vcsim/fail {"method":"RetrievePropertiesEx","count":1,"status":503,"retryAfter":"0"}
//   POST /_vcsim/fail {"method":"PowerOnVM_Task","count":1,"reset":true}

import (
	"net/http"
	"sync"
)

type failure struct {
	Method     string `json:"method"`
	Count      int    `json:"count"`
	Status     int    `json:"status"`
	RetryAfter string `json:"retryAfter"`
	Reset      bool   `json:"reset"`
}

type failureBook struct {
	mu      sync.Mutex
	pending map[string]*failure
}

func newFailureBook() *failureBook {
	return &failureBook{pending: map[string]*failure{}}
}

func (b *failureBook) arm(f failure) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if f.Count <= 0 {
		delete(b.pending, f.Method)
		return
	}
	b.pending[f.Method] = &f
}

// take returns the failure armed for method, counting it down.
func (b *failureBook) take(method string) *failure {
	b.mu.Lock()
	defer b.mu.Unlock()
	f := b.pending[method]
	if f == nil {
		return nil
	}
	f.Count--
	if f.Count <= 0 {
		delete(b.pending, method)
	}
	copied := *f
	return &copied
}

// inject answers the call with its armed failure; false when none is armed.
func (s *server) inject(c *soapCall) bool {
	f := s.failures.take(c.method())
	if f == nil {
		return false
	}
	if f.Reset {
		if hj, ok := c.w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
	}
	if f.RetryAfter != "" {
		c.w.Header().Set("Retry-After", f.RetryAfter)
	}
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	c.w.Header().Set("Content-Type", "text/plain")
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte("injected failure\n"))
	return true
}

func (s *server) controlFail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		jsonError(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	var f failure
	if err := readJSON(r, &f); err != nil || f.Method == "" {
		jsonError(w, http.StatusBadRequest, "want {\"method\":…,\"count\":N,\"status\":N|\"reset\":true}")
		return
	}
	s.failures.arm(f)
	writeJSON(w, http.StatusOK, f)
}
