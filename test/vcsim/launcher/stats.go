package main

// Counters of SOAP calls and the time spent serving them (from the request body read to the
// response written), for benchmarks that report the simulator's own share of a run.

import (
	"sync"
	"time"
)

type methodStats struct {
	Calls int64 `json:"calls"`
	Nanos int64 `json:"nanos"`
}

type statsSnapshot struct {
	SOAPCalls   int64                   `json:"soapCalls"`
	ServerNanos int64                   `json:"serverNanos"`
	ByMethod    map[string]*methodStats `json:"byMethod"`
}

type stats struct {
	mu   sync.Mutex
	snap statsSnapshot
}

func newStats() *stats {
	s := &stats{}
	s.reset()
	return s
}

func (s *stats) record(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap.SOAPCalls++
	s.snap.ServerNanos += d.Nanoseconds()
	m := s.snap.ByMethod[method]
	if m == nil {
		m = &methodStats{}
		s.snap.ByMethod[method] = m
	}
	m.Calls++
	m.Nanos += d.Nanoseconds()
}

func (s *stats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap = statsSnapshot{ByMethod: map[string]*methodStats{}}
}

func (s *stats) snapshot() statsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := statsSnapshot{SOAPCalls: s.snap.SOAPCalls, ServerNanos: s.snap.ServerNanos, ByMethod: map[string]*methodStats{}}
	for k, v := range s.snap.ByMethod {
		c := *v
		out.ByMethod[k] = &c
	}
	return out
}
