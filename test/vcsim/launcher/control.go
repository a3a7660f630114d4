package main

// Control endpoints for tests, served on the simulator's own port:
//   POST /_vcsim/question        {"vm":"NAME"|"vm-9", "choices":[...], "defaultIndex":N,
//                                 "text":"...", "cancelKey":"0", "now":false}
//   GET|POST /_vcsim/task-duration {"ms":N}
//   POST /_vcsim/sessions/revoke {} | {"cookie":"..."}
//   GET /_vcsim/stats, POST /_vcsim/stats/reset
//   POST /_vcsim/fail {"method":"M","count":N,"status":503,"retryAfter":"0"} | {…,"reset":true} (failures.go)

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func jsonError(w http.ResponseWriter, status int, format string, args ...interface{}) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// readJSON decodes the request body into v; an empty body leaves v unchanged.
func readJSON(r *http.Request, v interface{}) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return nil
	}
	return json.Unmarshal(body, v)
}

func (s *server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_vcsim/question":
		if r.Method != http.MethodPost {
			jsonError(w, http.StatusMethodNotAllowed, "POST only")
			return
		}
		s.controlQuestion(w, r)
	case "/_vcsim/task-duration":
		s.controlTaskDuration(w, r)
	case "/_vcsim/sessions/revoke":
		if r.Method != http.MethodPost {
			jsonError(w, http.StatusMethodNotAllowed, "POST only")
			return
		}
		var body struct {
			Cookie string `json:"cookie"`
		}
		if err := readJSON(r, &body); err != nil {
			jsonError(w, http.StatusBadRequest, "bad JSON: %v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]int{"revoked": s.sessions.revoke(body.Cookie, s.cancelHeld)})
	case "/_vcsim/fail":
		s.controlFail(w, r)
	case "/_vcsim/stats":
		writeJSON(w, http.StatusOK, s.stats.snapshot())
	case "/_vcsim/stats/reset":
		if r.Method != http.MethodPost {
			jsonError(w, http.StatusMethodNotAllowed, "POST only")
			return
		}
		s.stats.reset()
		writeJSON(w, http.StatusOK, s.stats.snapshot())
	default:
		jsonError(w, http.StatusNotFound, "no control endpoint %s", r.URL.Path)
	}
}

type questionRequest struct {
	VM           string            `json:"vm"`
	Choices      []json.RawMessage `json:"choices"`
	DefaultIndex *int32            `json:"defaultIndex"`
	Text         string            `json:"text"`
	CancelKey    *string           `json:"cancelKey"`
	Now          bool              `json:"now"`
}

// spec turns the request into a question; choices are labels (keys "0", "1", ...) or
// {"key","label","summary"} objects. Without choices it is ESX's msg.uuid.altered question.
func (q questionRequest) spec() (questionSpec, error) {
	spec := defaultQuestion()
	if q.Text != "" {
		spec.Text = q.Text
		spec.MessageID = ""
	}
	if len(q.Choices) > 0 {
		spec.Choices = nil
		spec.CancelKey = ""
		for i, raw := range q.Choices {
			var label string
			ch := questionChoice{}
			if err := json.Unmarshal(raw, &label); err == nil {
				ch = questionChoice{Key: strconv.Itoa(i), Label: label}
			} else if err := json.Unmarshal(raw, &ch); err != nil || ch.Key == "" || ch.Label == "" {
				return spec, fmt.Errorf("choice %d must be a label or {\"key\",\"label\"}", i)
			}
			if spec.CancelKey == "" && (ch.Label == "Cancel" || ch.Label == "cancel") {
				spec.CancelKey = ch.Key
			}
			spec.Choices = append(spec.Choices, ch)
		}
		spec.DefaultIndex = 0
	}
	if q.DefaultIndex != nil {
		spec.DefaultIndex = *q.DefaultIndex
	}
	if spec.DefaultIndex < 0 || int(spec.DefaultIndex) >= len(spec.Choices) {
		return spec, fmt.Errorf("defaultIndex %d is out of range", spec.DefaultIndex)
	}
	if q.CancelKey != nil {
		spec.CancelKey = *q.CancelKey
	}
	return spec, nil
}

func (s *server) controlQuestion(w http.ResponseWriter, r *http.Request) {
	var q questionRequest
	if err := readJSON(r, &q); err != nil {
		jsonError(w, http.StatusBadRequest, "bad JSON: %v", err)
		return
	}
	vm, ok := findVM(q.VM)
	if !ok {
		jsonError(w, http.StatusNotFound, "no VM named %q", q.VM)
		return
	}
	spec, err := q.spec()
	if err != nil {
		jsonError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if !q.Now {
		s.questions.arm(vm.Self, spec)
		writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "name": vm.Name, "armed": true})
		return
	}
	if s.questions.current(vm.Self) != nil {
		jsonError(w, http.StatusConflict, "VM %s already has a pending question", vm.Self.Value)
		return
	}
	// A question raised while a VM task is pending blocks that task until it is answered.
	pending := s.tasks.pendingFor(vm.Self)
	if pending != nil {
		pending.awaitQuestion()
	}
	id := s.questions.raise(vm.Self, spec, pending)
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "name": vm.Name, "questionId": id})
}

func (s *server) controlTaskDuration(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var body struct {
			Ms *int `json:"ms"`
		}
		if err := readJSON(r, &body); err != nil || body.Ms == nil || *body.Ms < 0 {
			jsonError(w, http.StatusBadRequest, `body must be {"ms": N} with N >= 0`)
			return
		}
		s.tasks.setDuration(*body.Ms)
	}
	writeJSON(w, http.StatusOK, map[string]int64{"ms": s.tasks.duration().Milliseconds()})
}
