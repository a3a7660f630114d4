package main

// RetrievePropertiesEx paging. vcsim ignores options.maxObjects and never returns a token;
// here a result with more objects than maxObjects is cut after maxObjects, a token is added,
// and the rest is served by ContinueRetrievePropertiesEx (CancelRetrievePropertiesEx drops
// it). The objects are cut out of vcsim's own XML, so their encoding is vcsim's.

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/vmware/govmomi/vim25/types"
)

const maxPendingResults = 64

type pendingResult struct {
	objects [][]byte
	max     int
	cookie  string
}

type pager struct {
	mu      sync.Mutex
	seq     int
	order   []string
	pending map[string]*pendingResult
}

func newPager() *pager {
	return &pager{pending: map[string]*pendingResult{}}
}

func (p *pager) route(s *server, c *soapCall) bool {
	switch c.req.Method {
	case "RetrievePropertiesEx":
		return p.retrieve(s, c)
	case "ContinueRetrievePropertiesEx":
		return p.continueRetrieve(c)
	case "CancelRetrievePropertiesEx":
		return p.cancel(c)
	}
	return false
}

func (p *pager) retrieve(s *server, c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.RetrievePropertiesEx)
	if !ok || req.Options.MaxObjects <= 0 {
		return false
	}
	rec := s.forward(c)
	if !rec.ok() {
		rec.copyTo(c.w)
		return true
	}
	max := int(req.Options.MaxObjects)
	head, objects, tail, ok := splitObjects(rec.body.Bytes())
	if !ok || len(objects) <= max {
		rec.copyTo(c.w)
		return true
	}
	token := p.keep(&pendingResult{objects: objects[max:], max: max, cookie: c.cookie})
	var out bytes.Buffer
	out.Write(head)
	writeToken(&out, token)
	for _, o := range objects[:max] {
		out.Write(o)
	}
	out.Write(tail)
	rec.body = out
	rec.header.Del("Content-Length")
	rec.copyTo(c.w)
	return true
}

func (p *pager) keep(r *pendingResult) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	token := fmt.Sprintf("%d", p.seq)
	p.pending[token] = r
	p.order = append(p.order, token)
	for len(p.order) > maxPendingResults {
		delete(p.pending, p.order[0])
		p.order = p.order[1:]
	}
	return token
}

// take removes and returns the result for token when cookie owns it.
func (p *pager) take(token, cookie string) *pendingResult {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.pending[token]
	if r == nil || r.cookie != cookie {
		return nil
	}
	delete(p.pending, token)
	for i, t := range p.order {
		if t == token {
			p.order = append(p.order[:i], p.order[i+1:]...)
			break
		}
	}
	return r
}

func (p *pager) continueRetrieve(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.ContinueRetrievePropertiesEx)
	if !ok {
		return false
	}
	if c.cookie == "" {
		writeFault(c.w, "", &types.NotAuthenticated{NoPermission: types.NoPermission{Object: req.This, PrivilegeId: "System.View"}})
		return true
	}
	r := p.take(req.Token, c.cookie)
	if r == nil {
		writeFault(c.w, "invalid token", &types.InvalidArgument{InvalidProperty: "token"})
		return true
	}
	page := r.objects
	next := ""
	if len(page) > r.max {
		next = p.keep(&pendingResult{objects: page[r.max:], max: r.max, cookie: r.cookie})
		page = page[:r.max]
	}
	var inner bytes.Buffer
	inner.WriteString(`<ContinueRetrievePropertiesExResponse xmlns="urn:vim25"><returnval>`)
	if next != "" {
		writeToken(&inner, next)
	}
	for _, o := range page {
		inner.Write(o)
	}
	inner.WriteString(`</returnval></ContinueRetrievePropertiesExResponse>`)
	writeSOAP(c.w, 200, rawResponseBytes(inner.Bytes()))
	return true
}

func (p *pager) cancel(c *soapCall) bool {
	decoded, err := decodeRequest(c.body)
	if err != nil {
		return false
	}
	req, ok := decoded.(*types.CancelRetrievePropertiesEx)
	if !ok {
		return false
	}
	if c.cookie == "" {
		writeFault(c.w, "", &types.NotAuthenticated{NoPermission: types.NoPermission{Object: req.This, PrivilegeId: "System.View"}})
		return true
	}
	if p.take(req.Token, c.cookie) == nil {
		writeFault(c.w, "invalid token", &types.InvalidArgument{InvalidProperty: "token"})
		return true
	}
	writeSOAP(c.w, 200, voidResponse("CancelRetrievePropertiesEx"))
	return true
}

func writeToken(b *bytes.Buffer, token string) {
	b.WriteString("<token>")
	b.WriteString(token) // decimal digits: nothing to escape
	b.WriteString("</token>")
}

var (
	returnvalOpen  = []byte("<returnval>")
	returnvalClose = []byte("</returnval>")
	objectsOpen    = []byte("<objects>")
	objectsClose   = []byte("</objects>")
)

// splitObjects cuts a RetrievePropertiesEx response into the bytes up to and including
// <returnval>, each top-level <objects> element, and the rest. vcsim writes these
// elements without attributes and element text never holds a raw '<', so counting the
// literal open and close tags finds the top-level elements.
func splitObjects(body []byte) (head []byte, objects [][]byte, tail []byte, ok bool) {
	start := bytes.Index(body, returnvalOpen)
	end := bytes.LastIndex(body, returnvalClose)
	if start < 0 || end < start {
		return nil, nil, nil, false
	}
	pos := start + len(returnvalOpen)
	for pos < end {
		if !bytes.HasPrefix(body[pos:], objectsOpen) {
			if len(objects) == 0 {
				return nil, nil, nil, false // e.g. a token already present
			}
			break
		}
		depth := 0
		i := pos
		for {
			o := bytes.Index(body[i:end], objectsOpen)
			cl := bytes.Index(body[i:end], objectsClose)
			if cl < 0 {
				return nil, nil, nil, false
			}
			if o >= 0 && o < cl {
				depth++
				i += o + len(objectsOpen)
				continue
			}
			depth--
			i += cl + len(objectsClose)
			if depth == 0 {
				break
			}
		}
		objects = append(objects, body[pos:i])
		pos = i
	}
	if pos != end {
		return nil, nil, nil, false
	}
	return body[:start+len(returnvalOpen)], objects, body[end:], true
}
