//go:build js && wasm

package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"

	"nullaosta/app/client"
)

// In the browser the fake is called in-process (through hc, for its cookie jar); only a
// stopped fake goes through the app's own fetch transport, to an address where nothing
// listens, so the offline test sees the browser's own "Failed to fetch".
func startFake(h http.Handler) *fakeServer {
	return &fakeServer{URL: "http://fake.nullaosta.test", handler: h}
}

func transportFor(s *fakeServer, hc *http.Client) client.Transport {
	hc.Transport = handlerTransport{s}
	return fakeTransport{s: s, inProcess: client.HTTP(hc)}
}

type fakeTransport struct {
	s         *fakeServer
	inProcess client.Transport
}

func (t fakeTransport) RoundTrip(ctx context.Context, r *client.Request) (*client.Response, error) {
	if t.s.down {
		dead := *r
		dead.URL = "http://127.0.0.1:9/"
		return client.New("", nil).Transport().RoundTrip(ctx, &dead)
	}
	return t.inProcess.RoundTrip(ctx, r)
}

type handlerTransport struct{ s *fakeServer }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.s.handler.ServeHTTP(rec, req)
	return rec.Result(), nil
}
