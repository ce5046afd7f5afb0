//go:build !(js && wasm)

package client_test

import (
	"net/http"
	"net/http/httptest"

	"nullaosta/app/client"
)

func startFake(h http.Handler) *fakeServer {
	srv := httptest.NewServer(h)
	return &fakeServer{URL: srv.URL, handler: h, srv: srv}
}

// transportFor is hc as a transport: natively the fake is a real server.
func transportFor(_ *fakeServer, hc *http.Client) client.Transport { return client.HTTP(hc) }
