//go:build js && wasm

package client_test

import (
	"net/http"
	"net/http/httptest"
)

// In the browser the fake is called in-process; only a stopped fake goes through the real
// fetch transport, to an address where nothing listens, so the offline test sees the
// browser's own "Failed to fetch".
func startFake(h http.Handler) *fakeServer {
	return &fakeServer{URL: "http://fake.nullaosta.test", handler: h}
}

func transportFor(s *fakeServer) http.RoundTripper { return handlerTransport{s} }

type handlerTransport struct{ s *fakeServer }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.s.down {
		dead, err := http.NewRequestWithContext(req.Context(), req.Method, "http://127.0.0.1:9/", nil)
		if err != nil {
			return nil, err
		}
		return http.DefaultTransport.RoundTrip(dead)
	}
	rec := httptest.NewRecorder()
	t.s.handler.ServeHTTP(rec, req)
	return rec.Result(), nil
}
