package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPagesHaveAbsoluteOpenGraph: og:url and og:image carry the public address (-base-url, or
// the request's), never "https:///registrati".
func TestPagesHaveAbsoluteOpenGraph(t *testing.T) {
	for _, tc := range []struct {
		baseURL, host, wantURL, wantImage string
	}{
		{"", "localhost:8080", `<meta property="og:url" content="http://localhost:8080/registrati">`, `<meta property="og:image" content="http://localhost:8080/web/icons/icon-512.png">`},
		{"https://nullaosta.example.it/", "10.0.0.5", `<meta property="og:url" content="https://nullaosta.example.it/registrati">`, `<meta property="og:image" content="https://nullaosta.example.it/web/icons/icon-512.png">`},
	} {
		w, err := newWeb(t.TempDir(), "test", tc.baseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/registrati", nil)
		r.Host = tc.host
		rec := httptest.NewRecorder()
		w.handler.ServeHTTP(rec, r)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("GET /registrati: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		for _, want := range []string{tc.wantURL, tc.wantImage} {
			if !strings.Contains(body, want) {
				t.Errorf("base %q: page lacks %s", tc.baseURL, want)
			}
		}
		if strings.Contains(body, "https:///") || strings.Contains(body, ogPlaceholder) {
			t.Errorf("base %q: an address without host is left in the page", tc.baseURL)
		}
	}
}
