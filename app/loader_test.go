package app

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestLoaderReplacesGoAppsWasmLoading checks /app.js as the browser gets it: go-app's script,
// which calls goappInitWebAssembly(), followed by the app's own declaration of that function
// (the last declaration is the one called), with a Content-Length that counts it. Other
// answers pass untouched.
func TestLoaderReplacesGoAppsWasmLoading(t *testing.T) {
	RegisterRoutes()
	h := WithLoader(NewHandler("test"))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app.js", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("status %d, Content-Length %q for %d bytes", rec.Code, rec.Header().Get("Content-Length"), len(body))
	}
	call := strings.Index(body, "\ngoappInitWebAssembly();")
	ours := strings.LastIndex(body, "async function goappInitWebAssembly()")
	theirs := strings.Index(body, "async function goappInitWebAssembly()")
	if call < 0 || ours < 0 || theirs == ours || ours < call || !strings.HasSuffix(body, loaderJS) {
		t.Fatalf("app.js does not end with the app's loader after go-app's (call at %d, go-app's at %d, ours at %d)", call, theirs, ours)
	}
	if strings.Contains(loaderJS, "fetchWithProgress") || !strings.Contains(bootJS, "compileStreaming(cached)") || !strings.Contains(loaderJS, "self.nullaostaWasm") {
		t.Error("the loader must compile the cached response as it streams (bootJS), not through fetchWithProgress")
	}
	if !strings.Contains(bootJS, `new Worker("`+compilePath+`")`) || !strings.Contains(compileJS, "compileStreaming(fetch(") {
		t.Errorf("a first visit must compile app.wasm in the worker %s", compilePath)
	}
	if !strings.Contains(compileJS, "self.nullaostaWarmUp = true") || !strings.Contains(loaderJS, "self.nullaostaWarm") {
		t.Error("the worker must warm the module up (the Go runtime's start, the initialisers) and the page wait for it")
	}
	// The end of the compilation, the instantiation and go.run: three tasks, not one.
	if run := strings.Index(loaderJS, "go.run(instance)"); strings.Count(loaderJS[:max(run, 0)], "await giveTurn();") != 2 {
		t.Error("the loader must give the browser a turn before instantiating and before go.run")
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", bootPath, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != bootJS || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/javascript") {
		t.Errorf("%s: status %d, type %q", bootPath, rec.Code, rec.Header().Get("Content-Type"))
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", compilePath, nil))
	if rec.Code != http.StatusOK || rec.Body.String() != compileJS || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/javascript") {
		t.Errorf("%s: status %d, type %q", compilePath, rec.Code, rec.Header().Get("Content-Type"))
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/accedi", nil))
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, `id="app-wasm-loader"`) {
		t.Fatalf("the page: status %d", rec.Code)
	}
	if !strings.Contains(page, bootScript) {
		t.Errorf("the page does not load %s", bootPath)
	}
	if !strings.Contains(page, "Avvio dell&#39;app…") && !strings.Contains(page, "Avvio dell'app…") {
		t.Error("the pre-rendered page's note should say the app is starting, with no percentage")
	}
}
