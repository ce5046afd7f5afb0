package api

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/healthz", "/api/v1/campaigns", "/", "/api/v1/nessuno"} {
		res, _ := e.do(anonymous, "GET", path, nil)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-eval'") && !strings.Contains(csp, "'wasm-unsafe-eval'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: CSP allows scripts it should not: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

// TestSecurityHeadersShared: the header values shared by every answer are what Header.Set
// would give, over TLS too, and a handler that changes them changes its own answer only.
func TestSecurityHeadersShared(t *testing.T) {
	want := http.Header{}
	want.Set("Content-Security-Policy", contentSecurityPolicy)
	want.Set("X-Content-Type-Options", "nosniff")
	want.Set("Referrer-Policy", "same-origin")
	want.Set("X-Frame-Options", "DENY")
	want.Set("Cross-Origin-Opener-Policy", "same-origin")
	want.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")
	meddle := true
	h := securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if meddle {
			w.Header().Add("X-Frame-Options", "SAMEORIGIN")
			w.Header().Set("Referrer-Policy", "no-referrer")
			w.Header().Del("Permissions-Policy")
		}
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if got := rec.Header().Values("X-Frame-Options"); len(got) != 2 || rec.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("the handler's own changes: %v", rec.Header())
	}
	meddle = false
	for _, overTLS := range []bool{false, true} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		if overTLS {
			req.TLS = &tls.ConnectionState{}
			want.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(rec, req)
		if !reflect.DeepEqual(rec.Header(), want) {
			t.Fatalf("TLS %v: headers\n%v\nwant\n%v", overTLS, rec.Header(), want)
		}
	}
}

func TestCrossOriginProtection(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "csrf@example.it", core.RolePrivato)
	gen := map[string]any{"kind": "EM", "data": generation(shared.KindEM, fixture(t, "em_colf.json"))}
	res, b := e.do(a, "POST", "/api/v1/modules", gen, "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden || apiError(t, b).Error.Code != core.EFORBIDDEN {
		t.Fatalf("cross-site POST: %d %s", res.StatusCode, b)
	}
	res, _ = e.do(a, "POST", "/api/v1/modules", gen, "Origin", "https://evil.example")
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin: %d", res.StatusCode)
	}
	// Same origin, and reading cross-site, are fine.
	e.mustJSON(a, "GET", "/api/v1/modules", nil, http.StatusOK, nil)
	res, _ = e.do(a, "POST", "/api/v1/modules", gen, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("same-origin POST: %d", res.StatusCode)
	}
	// A form post (not JSON) is refused whatever its origin.
	res, _ = e.do(a, "POST", "/api/v1/modules", "kind=EM", "Content-Type", "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("form post: %d", res.StatusCode)
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	e := newEnv(t)
	res, b := e.do(anonymous, "GET", "/api/v1/nessuno", nil)
	if res.StatusCode != http.StatusNotFound || apiError(t, b).Error.Code != core.ENOTFOUND {
		t.Fatalf("unknown path: %d %s", res.StatusCode, b)
	}
	res, b = e.do(anonymous, "PUT", "/api/v1/campaigns", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || apiError(t, b).Error.Code != core.EINVALID {
		t.Fatalf("PUT: %d %s", res.StatusCode, b)
	}
	// The rest belongs to the app.
	res, b = e.do(anonymous, "GET", "/moduli/EM-1", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "<title>app") {
		t.Fatalf("app page: %d %s", res.StatusCode, b)
	}
}

func TestPublicEndpoints(t *testing.T) {
	e := newEnv(t)
	var health map[string]string
	e.mustJSON(anonymous, "GET", "/healthz", nil, http.StatusOK, &health)
	if health["status"] != "ok" {
		t.Fatalf("healthz %v", health)
	}
	var cs []shared.Campaign
	e.mustJSON(anonymous, "GET", "/api/v1/campaigns", nil, http.StatusOK, &cs)
	if len(cs) != 2 || cs[0].ID != "em2009" || cs[0].ModuleLimit != 5 || cs[1].Kind != shared.KindA {
		t.Fatalf("campaigns %+v", cs)
	}
	var rd map[string]string
	e.mustJSON(anonymous, "GET", "/api/v1/refdata", nil, http.StatusOK, &rd)
	if rd["version"] == "" {
		t.Fatal("no refdata version")
	}
	var info receipt.PublicKeyInfo
	e.mustJSON(anonymous, "GET", "/api/v1/receipts/public-key", nil, http.StatusOK, &info)
	if info.KeyID != testSigner().KeyID() || info.Algorithm != "Ed25519" || !strings.Contains(info.PEM, "PUBLIC KEY") {
		t.Fatalf("public key %+v", info)
	}
}

func TestDevMail(t *testing.T) {
	e := newEnv(t)
	e.mustJSON(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "R", "nome": "M", "email": "dev@example.it", "dataNascita": "1970-01-01", "password": password}, http.StatusCreated, nil)
	var ms []core.Mail
	e.mustJSON(anonymous, "GET", "/api/v1/dev/mail", nil, http.StatusOK, &ms)
	if len(ms) != 1 || ms[0].To != "dev@example.it" || !strings.Contains(ms[0].Body, ms[0].Link) {
		t.Fatalf("dev mail %+v", ms)
	}
	res, b := e.do(anonymous, "GET", "/dev/mail?to=dev@example.it", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "<a href=\""+ms[0].Link+"\">") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("dev page: %d %s", res.StatusCode, b)
	}

	off := newEnv(t, func(c *Config) { c.DevMail = false })
	for _, p := range []string{"/api/v1/dev/mail", "/dev/mail"} {
		res, b := off.do(anonymous, "GET", p, nil)
		if res.StatusCode != http.StatusNotFound || !json.Valid(b) {
			t.Errorf("%s without -dev: %d %s", p, res.StatusCode, b)
		}
	}
}

func TestRetryIn(t *testing.T) {
	for in, want := range map[string]string{"720": "12 minuti", "60": "1 minuto", "61": "2 minuti", "30": "30 secondi", "1": "1 secondo", "": "qualche minuto", "x": "qualche minuto", "0": "qualche minuto"} {
		if got := retryIn(in); got != want {
			t.Errorf("retryIn(%q) = %q, want %q", in, got, want)
		}
	}
}

// headerOnly is a ResponseWriter whose headers are cleared between requests.
type headerOnly struct{ h http.Header }

func (w *headerOnly) Header() http.Header         { return w.h }
func (w *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerOnly) WriteHeader(int)             {}

// BenchmarkSecurityHeaders: the headers of one answer.
func BenchmarkSecurityHeaders(b *testing.B) {
	h := securityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	w := &headerOnly{h: http.Header{}}
	r := httptest.NewRequest("GET", "/", nil)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}
