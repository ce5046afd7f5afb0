package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
)

// Request is one call to the API as a Transport sends it.
type Request struct {
	Method string
	URL    string
	Header map[string]string // canonical names: "Content-Type"
	Body   []byte            // nil for none
}

// Response is the answer to a Request. The caller closes Body.
type Response struct {
	StatusCode int
	Body       io.ReadCloser
	header     map[string]string // lower-case names
}

// Header returns the value of the header name (any case), "" when absent.
func (r *Response) Header(name string) string { return r.header[strings.ToLower(name)] }

// Transport sends a request and returns the answer, or an error when none came (no
// connection, the server down). In the browser the default is the page's fetch, called
// directly: going through net/http (whose browser transport is fetch too) linked the whole of
// net/http's native client, TLS and X.509 into app.wasm, about a third of its size, for nothing.
// Natively the default is http.DefaultClient; HTTP adapts any *http.Client (tests give one with
// a cookie jar).
type Transport interface {
	RoundTrip(ctx context.Context, r *Request) (*Response, error)
}

// HTTP returns a Transport that sends through hc. It is never used by the browser app itself
// (see Transport); tests in the browser use it over an in-process handler.
func HTTP(hc *http.Client) Transport { return httpTransport{hc} }

type httpTransport struct{ hc *http.Client }

func (t httpTransport) RoundTrip(ctx context.Context, r *Request) (*Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := t.hc.Do(req)
	if err != nil {
		return nil, err
	}
	h := make(map[string]string, len(resp.Header))
	for k := range resp.Header {
		h[strings.ToLower(k)] = resp.Header.Get(k)
	}
	return &Response{StatusCode: resp.StatusCode, Body: resp.Body, header: h}, nil
}
