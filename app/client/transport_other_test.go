//go:build !(js && wasm)

package client_test

import (
	"net/http"
	"net/http/httptest"
)

func startFake(h http.Handler) *fakeServer {
	srv := httptest.NewServer(h)
	return &fakeServer{URL: srv.URL, handler: h, srv: srv}
}

// transportFor is the default transport: natively the fake is a real server.
func transportFor(*fakeServer) http.RoundTripper { return nil }
