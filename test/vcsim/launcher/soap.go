package main

// SOAP plumbing for the middleware: a cheap scan of a request (method name, _this and where
// its text sits), decoding a request into its govmomi type, and writing responses and
// faults with the same encoder and envelope vcsim uses, so answers made here look exactly
// like vcsim's own.

import (
	"bytes"
	stdxml "encoding/xml"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

// soapRequest is what the middleware needs to know about a request before dispatching it.
type soapRequest struct {
	Method    string
	This      types.ManagedObjectReference
	thisStart int64 // byte range of the _this text in the body
	thisEnd   int64
}

// scanRequest reads the envelope only as far as the method element and its _this.
func scanRequest(body []byte) (*soapRequest, error) {
	d := stdxml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	req := &soapRequest{}
	depth := 0
	inBody := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case stdxml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "Body":
				inBody = true
			case depth == 3 && inBody && req.Method == "":
				req.Method = t.Name.Local
			case depth == 4 && req.Method != "" && t.Name.Local == "_this":
				for _, a := range t.Attr {
					if a.Name.Local == "type" {
						req.This.Type = a.Value
					}
				}
				req.thisStart = d.InputOffset()
				text, err := d.Token()
				if err != nil {
					return nil, err
				}
				if cd, ok := text.(stdxml.CharData); ok {
					req.This.Value = string(bytes.TrimSpace(cd))
					req.thisEnd = d.InputOffset()
				} else {
					req.thisEnd = req.thisStart
					if _, ok := text.(stdxml.EndElement); ok {
						depth--
					}
				}
				return req, nil
			}
		case stdxml.EndElement:
			depth--
		}
	}
	if req.Method == "" {
		return nil, fmt.Errorf("no method element in the SOAP body")
	}
	return req, nil
}

// withThis returns body with the _this text replaced by value.
func (r *soapRequest) withThis(body []byte, value string) []byte {
	var esc bytes.Buffer
	_ = stdxml.EscapeText(&esc, []byte(value))
	out := make([]byte, 0, len(body)+esc.Len())
	out = append(out, body[:r.thisStart]...)
	out = append(out, esc.Bytes()...)
	return append(out, body[r.thisEnd:]...)
}

// decodeRequest decodes a whole request into its govmomi type (e.g. *types.AnswerVM).
func decodeRequest(body []byte) (interface{}, error) {
	m, err := simulator.UnmarshalBody(types.TypeFunc(), body)
	if err != nil {
		return nil, err
	}
	return m.Body, nil
}

// The envelope vcsim writes (simulator.go soapEnvelope).
type soapEnvelope struct {
	XMLName xml.Name    `xml:"soapenv:Envelope"`
	Enc     string      `xml:"xmlns:soapenc,attr"`
	Env     string      `xml:"xmlns:soapenv,attr"`
	XSD     string      `xml:"xmlns:xsd,attr"`
	XSI     string      `xml:"xmlns:xsi,attr"`
	Body    interface{} `xml:"soapenv:Body"`
}

func newEnvelope(body interface{}) *soapEnvelope {
	return &soapEnvelope{
		Enc:  "http://schemas.xmlsoap.org/soap/encoding/",
		Env:  "http://schemas.xmlsoap.org/soap/envelope/",
		XSD:  "http://www.w3.org/2001/XMLSchema",
		XSI:  "http://www.w3.org/2001/XMLSchema-instance",
		Body: body,
	}
}

// namedBody encodes its value as <TypeName xmlns="urn:vim25"> inside soapenv:Body, as vcsim's
// response type does; it serves responses (XResponse) and requests (X) alike.
type namedBody struct{ value interface{} }

func (b namedBody) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	name := reflect.TypeOf(b.value).Elem().Name()
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	inner := xml.StartElement{Name: xml.Name{Space: "urn:vim25", Local: name}}
	if err := e.EncodeElement(b.value, inner); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

type rawBody struct {
	Inner []byte `xml:",innerxml"`
}

// The fault body vcsim writes (simulator.go soapFault / faultDetail).
type faultDetail struct{ Fault types.AnyType }

func (d *faultDetail) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	kind := reflect.TypeOf(d.Fault).Elem().Name()
	start.Name.Local = kind + "Fault"
	start.Attr = append(start.Attr,
		xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "urn:vim25"},
		xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: kind})
	return e.EncodeElement(d.Fault, start)
}

type soapFault struct {
	XMLName xml.Name `xml:"soapenv:Fault"`
	Code    string   `xml:"faultcode"`
	String  string   `xml:"faultstring"`
	Detail  struct {
		Fault *faultDetail
	} `xml:"detail"`
}

func encodeEnvelope(body interface{}) []byte {
	var out bytes.Buffer
	out.WriteString(xml.Header)
	e := xml.NewEncoder(&out)
	if err := e.Encode(newEnvelope(body)); err != nil {
		panic(fmt.Sprintf("encode SOAP envelope: %v", err))
	}
	_ = e.Flush()
	return out.Bytes()
}

// responseBytes is a 200 envelope around res, a *types.XResponse value.
func responseBytes(res interface{}) []byte {
	return encodeEnvelope(namedBody{res})
}

// rawResponseBytes wraps already encoded XML (one XResponse element) in the envelope.
func rawResponseBytes(inner []byte) []byte {
	return encodeEnvelope(rawBody{Inner: inner})
}

func faultBytes(msg string, fault types.BaseMethodFault) []byte {
	f := &soapFault{Code: "ServerFaultCode", String: msg}
	f.Detail.Fault = &faultDetail{Fault: fault}
	return encodeEnvelope(struct{ Fault *soapFault }{f})
}

// requestBytes is a request envelope for req, a *types.X request value.
func requestBytes(req interface{}) []byte {
	return encodeEnvelope(namedBody{req})
}

func writeSOAP(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeResult(w http.ResponseWriter, res interface{}) {
	writeSOAP(w, http.StatusOK, responseBytes(res))
}

func writeFault(w http.ResponseWriter, msg string, fault types.BaseMethodFault) {
	writeSOAP(w, http.StatusInternalServerError, faultBytes(msg, fault))
}

// voidResponse is the proper answer of a method without a return value.
func voidResponse(method string) []byte {
	return rawResponseBytes([]byte(`<` + method + `Response xmlns="urn:vim25"></` + method + `Response>`))
}

// taskResponse answers a *_Task method with the given task, as vcsim encodes it.
func taskResponse(method string, task types.ManagedObjectReference) []byte {
	var b bytes.Buffer
	b.WriteString(`<` + method + `Response xmlns="urn:vim25"><returnval type="`)
	_ = stdxml.EscapeText(&b, []byte(task.Type))
	b.WriteString(`">`)
	_ = stdxml.EscapeText(&b, []byte(task.Value))
	b.WriteString(`</returnval></` + method + `Response>`)
	return rawResponseBytes(b.Bytes())
}

var returnvalMoref = regexp.MustCompile(`<returnval type="([^"]+)">([^<]+)</returnval>`)

// returnedMoref finds the moref a response returns (e.g. the Task of a *_Task method).
func returnedMoref(body []byte) (types.ManagedObjectReference, bool) {
	m := returnvalMoref.FindSubmatch(body)
	if m == nil {
		return types.ManagedObjectReference{}, false
	}
	return types.ManagedObjectReference{Type: string(m[1]), Value: string(unescapeXML(m[2]))}, true
}

func unescapeXML(b []byte) []byte {
	var s struct {
		Text string `xml:",chardata"`
	}
	if err := stdxml.Unmarshal(append(append([]byte("<v>"), b...), "</v>"...), &s); err != nil {
		return b
	}
	return []byte(s.Text)
}

// decodeFault reads the SOAP fault of a 500 response into a govmomi fault.
func decodeFault(body []byte) (string, types.BaseMethodFault) {
	var env struct {
		Body struct {
			Fault *soap.Fault `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.TypeFunc = types.TypeFunc()
	if err := d.Decode(&env); err != nil || env.Body.Fault == nil {
		return "unreadable fault", &types.SystemError{Reason: "unreadable fault"}
	}
	f := env.Body.Fault
	if mf, ok := f.Detail.Fault.(types.BaseMethodFault); ok {
		return f.String, mf
	}
	return f.String, &types.SystemError{Reason: f.String}
}
