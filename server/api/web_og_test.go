package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestPagesHaveAbsoluteOpenGraph: og:url and og:image carry the public address (-base-url, or
// the development one of -addr), never "https:///registrati" nor the request's Host.
func TestPagesHaveAbsoluteOpenGraph(t *testing.T) {
	for _, tc := range []struct {
		baseURL, host, wantURL, wantImage string
	}{
		{"http://127.0.0.1:8080", "localhost:8080", "http://127.0.0.1:8080/registrati", "http://127.0.0.1:8080/web/icons/icon-512.png"},
		{"https://nullaosta.example.it", "evil.example", "https://nullaosta.example.it/registrati", "https://nullaosta.example.it/web/icons/icon-512.png"},
	} {
		w := NewWeb(t.TempDir(), "test", tc.baseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
		r := httptest.NewRequest("GET", "/registrati", nil)
		r.Host = tc.host
		rec := httptest.NewRecorder()
		w.Handler.ServeHTTP(rec, r)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("GET /registrati: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		if got := metaContent(body, "og:url"); got != tc.wantURL {
			t.Errorf("base %q: og:url = %q, want %q", tc.baseURL, got, tc.wantURL)
		}
		if got := metaContent(body, "og:image"); got != tc.wantImage {
			t.Errorf("base %q: og:image = %q, want %q", tc.baseURL, got, tc.wantImage)
		}
		if strings.Contains(body, "https:///") || strings.Contains(body, ogPlaceholder) {
			t.Errorf("base %q: an address without host is left in the page", tc.baseURL)
		}
	}
}

// metaContent finds <meta property="prop" content="…"> in a page, whatever the order of the
// attributes (go-app writes them in map order).
func metaContent(page, prop string) string {
	for _, m := range regexp.MustCompile(`<meta [^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(m, `property="`+prop+`"`) {
			continue
		}
		if c := regexp.MustCompile(`content="([^"]*)"`).FindStringSubmatch(m); c != nil {
			return c[1]
		}
	}
	return ""
}

// TestUnknownAddressIsItalian404: an address that is no page of the app is answered with the
// app's Italian «Pagina non trovata» (a way back included) and the status 404; the pages, deep
// links included, keep 200; the loading screen's image is named in Italian.
func TestUnknownAddressIsItalian404(t *testing.T) {
	w := NewWeb(t.TempDir(), "test", "http://127.0.0.1:8080", slog.New(slog.NewTextHandler(io.Discard, nil)))
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		w.Handler.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	for _, p := range []string{"/", "/registrati", "/compila/EM-A4JD-8ZE7-K", "/sportello/DEMOEM-0000001", "/ministero/registro"} {
		code, body := get(p)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, code)
		}
		if strings.Contains(body, "wasm loader icon") || !strings.Contains(body, `alt="Logo di Nullaosta"`) {
			t.Errorf("GET %s: the loading image is not named in Italian", p)
		}
	}
	for _, p := range []string{"/pagina-che-non-esiste", "/compila/EM-1/altro", "/moduli/altro"} {
		code, body := get(p)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
		if !strings.Contains(body, "Pagina non trovata") || !strings.Contains(body, "Torna all&#39;inizio") && !strings.Contains(body, "Torna all'inizio") {
			t.Errorf("GET %s: not the Italian page with a way back:\n%s", p, body)
		}
		if strings.Contains(body, "404 page not found") || strings.Contains(body, "Not Found") {
			t.Errorf("GET %s: go-app's English page", p)
		}
	}
}
