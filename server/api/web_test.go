package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		header, enc string
		want        bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip;q=0.5", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"br;q=0.0", "br", false},
		{"deflate", "gzip", false},
		{"", "gzip", false},
	} {
		if got := accepts(tc.header, tc.enc); got != tc.want {
			t.Errorf("accepts(%q, %q) = %v", tc.header, tc.enc, got)
		}
	}
}

// TestWebFilesSkipStaleTwin: a precompressed twin is sent only while it is as new as its file;
// once app.wasm is rebuilt without recompressing, the browser gets the new plain file, not
// yesterday's app.
func TestWebFilesSkipStaleTwin(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "app.wasm")
	if err := os.WriteFile(plain, []byte("new app"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain+".br", []byte("brotli of the app"), 0o644); err != nil {
		t.Fatal(err)
	}
	get := func() *http.Response {
		req := httptest.NewRequest(http.MethodGet, "/web/app.wasm", nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		rec := httptest.NewRecorder()
		webFiles{dir: dir}.ServeHTTP(rec, req)
		return rec.Result()
	}
	now := time.Now()
	if err := os.Chtimes(plain, now.Add(-time.Hour), now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if res := get(); res.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("a fresh twin: Content-Encoding %q, want br", res.Header.Get("Content-Encoding"))
	}
	if err := os.Chtimes(plain, now, now); err != nil { // rebuilt after the twin
		t.Fatal(err)
	}
	res := get()
	body, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "" || string(body) != "new app" {
		t.Fatalf("a stale twin: Content-Encoding %q, body %q; want the plain file", res.Header.Get("Content-Encoding"), body)
	}
}
