package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerServesOfflineShell(t *testing.T) {
	h := NewHandler("test-1")
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) string {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	worker := get("/app-worker.js")
	for _, want := range []string{`request.mode === "navigate"`, `"/compila/"`, `cache.match("/")`, `"/web/css/app.css"`, `"/web/icons/icon-maskable-512.png"`, `"/web/fonts/titillium-web-v10-latin-ext_latin-regular.woff2"`, `"` + bootPath + `"`, "caches.open(cacheName).catch"} {
		if !strings.Contains(worker, want) {
			t.Errorf("app-worker.js lacks %s", want)
		}
	}
	if strings.Contains(worker, "githubusercontent") {
		t.Error("app-worker.js caches a remote resource")
	}
	manifest := get("/manifest.webmanifest")
	for _, want := range []string{`"start_url":"/"`, `"theme_color":"#0066CC"`, `"purpose":"maskable"`, `"short_name":"Nullaosta"`} {
		if !strings.Contains(manifest, want) {
			t.Errorf("manifest lacks %s: %s", want, manifest)
		}
	}
	if strings.Contains(manifest, "http") {
		t.Errorf("manifest refers to a remote resource: %s", manifest)
	}
}
