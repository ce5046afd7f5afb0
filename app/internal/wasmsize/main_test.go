package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestPkgOf(t *testing.T) {
	for sym, want := range map[string]string{
		"runtime.gcWriteBarrier1":                                               "runtime",
		"nullaosta_shared.Data.Str":                                             "nullaosta_shared",
		"nullaosta_app_ui.__Combo_.Render":                                      "nullaosta_app_ui",
		"github.com_maxence_charriere_go_app_v10_pkg_app.__htmlInput_.Required": "github.com_maxence_charriere_go_app_v10_pkg_app",
		"vendor_golang.org_x_net_idna.__sparseBlocks_.lookup":                   "vendor_golang.org_x_net_idna",
		"type_.eq.internal_sync.entry__internal_abi.Type_interface____":         "type_",
		"": "(unnamed)",
	} {
		if got := pkgOf(sym); got != want {
			t.Errorf("pkgOf(%q) = %q, want %q", sym, got, want)
		}
	}
}

// TestAppLinksNoNativeHTTPClient builds the browser app and checks that net/http's client and
// TLS stay out of it: the app calls fetch directly (app/client/transport_fetch.go);
// one call through an *http.Client anywhere in the app would add about 5 MB of code again.
func TestAppLinksNoNativeHTTPClient(t *testing.T) {
	out := filepath.Join(t.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "nullaosta/app/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the app: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.bodies {
		name := m.names[m.imported+i]
		// Package initialisers stay (net/http is imported, for its constants); code does not.
		p := pkgOf(name)
		if (p == "crypto_tls" || strings.HasPrefix(name, "net_http.__Transport_")) && !strings.HasPrefix(name, p+".init") {
			t.Fatalf("app.wasm links %s: something in the app calls net/http's client", name)
		}
	}
}
