package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestLogRequestsLine: every request writes one line with its method, path, status, size,
// time and address, the API's at level INFO, the others' at DEBUG, a failure at ERROR.
func TestLogRequestsLine(t *testing.T) {
	var out bytes.Buffer
	s := &Server{Logger: slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		w.Write([]byte("hello"))
	}))
	for _, path := range []string{"/api/v1/submissions", "/app", "/boom"} {
		r := httptest.NewRequest("POST", path, nil)
		r.RemoteAddr = "192.0.2.7:4321"
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{
		`level=INFO msg=richiesta method=POST path=/api/v1/submissions status=200 bytes=5 ms=[0-9.]+ ip=192.0.2.7$`,
		`level=DEBUG msg=richiesta method=POST path=/app status=200 bytes=5 ms=[0-9.]+ ip=192.0.2.7$`,
		`level=ERROR msg=richiesta method=POST path=/boom status=500 bytes=5 ms=[0-9.]+ ip=192.0.2.7$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		if !regexp.MustCompile(`^time=\S+ ` + w).MatchString(lines[i]) {
			t.Errorf("line %d:\n%s\nwant\n%s", i, lines[i], w)
		}
	}
}

// BenchmarkLogRequests: the logging middleware around an answer of a few bytes.
func BenchmarkLogRequests(b *testing.B) {
	var out bytes.Buffer
	s := &Server{Logger: slog.New(slog.NewTextHandler(&out, nil))}
	h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) }))
	r := httptest.NewRequest("POST", "/api/v1/submissions", nil)
	w := &headerOnly{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		h.ServeHTTP(w, r)
	}
}
