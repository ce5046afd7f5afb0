//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nullaosta/shared"
)

// sendByAPI sends a module with the fixture's data through the API (as the app's queue does)
// and returns its receipt's protocol.
func sendByAPI(t *testing.T, c *apiClient, id string, data shared.Data) string {
	t.Helper()
	var out struct {
		Results []struct {
			Status  string `json:"status"`
			Receipt *struct {
				Protocol string `json:"protocol"`
			} `json:"receipt"`
			Error any `json:"error"`
		} `json:"results"`
	}
	in := map[string]any{"submissions": []map[string]any{{"submissionId": fmt.Sprintf("verifica-%d", time.Now().UnixNano()), "moduleId": id, "data": data}}}
	if _, err := c.call("POST", "/submissions", in, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 1 || out.Results[0].Status != "accepted" || out.Results[0].Receipt == nil {
		t.Fatalf("submission not accepted: %+v", out.Results)
	}
	return out.Results[0].Receipt.Protocol
}

// download GETs an API path with c's session and returns the body.
func (c *apiClient) download(t *testing.T, path string) []byte {
	t.Helper()
	resp, err := c.hc.Get(c.s.url("/api/v1" + path))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %.200s", path, resp.StatusCode, err, b)
	}
	return b
}

// TestVerifyReceiptOffline is issue 14's «Verifica ricevuta»: the page is opened once with the
// connection, then, with the server STOPPED, it verifies the receipt's PDF, a photo of the
// receipt (read from the QR code by the page's decoder) and the pasted code, and says that a
// code with one changed byte is altered.
func TestVerifyReceiptOffline(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	fx := emFixture(t)
	a := newAccount("verifica", "Bianchi", "Giovanna", "12/03/1958")
	id := apiModule(t, srv, a, fx)
	c := srv.client()
	if _, err := c.call("POST", "/auth/login", map[string]string{"email": a.email, "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	protocol := sendByAPI(t, c, id, fx)
	pdf := c.download(t, "/receipts/"+protocol+"/pdf")
	code, ok := shared.FindReceiptCode(pdf)
	if !ok {
		t.Fatal("the receipt's PDF carries no receipt code")
	}
	t.Logf("receipt %s: PDF %d bytes, QR payload %d bytes", protocol, len(pdf), len(code))

	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "ricevuta-"+protocol+".pdf")
	photo := filepath.Join(dir, "foto-ricevuta.png")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	// The "photo": the whole printed page at 150 dpi (1240 × 1754), anti-aliased as a camera's
	// picture of the sheet is.
	if out, err := exec.Command("gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r150",
		"-dGraphicsAlphaBits=4", "-dTextAlphaBits=4", "-o", photo, pdfPath).CombinedOutput(); err != nil {
		t.Fatalf("gs (Debian ghostscript, installed by .ci/deps.sh): %v\n%s", err, out)
	}

	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	b.navigate("/verifica")
	b.waitText("#verifica-chiavi", "aggiornate")
	b.waitJS("the service worker has cached the page's scripts", `(async () => {
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg || !reg.active) return "no active worker";
  for (const k of await caches.keys()) {
    const c = await caches.open(k);
    const all = await Promise.all(["/", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/web/js/verifica.js", "/web/js/jsQR.js"].map(u => c.match(u)));
    if (all.every(Boolean)) return true;
  }
  return "cache incomplete";
})()`, stepTimeout)

	srv.stop()
	b.navigate("/verifica")
	if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
		b.fail("the page was not loaded by the service worker")
	}
	b.waitText("#verifica-chiavi", "Senza connessione")

	// A file is chosen; the result names the file it was read from.
	upload := func(path string) {
		t.Helper()
		b.do("choose "+filepath.Base(path), chromedp.SetUploadFiles(chromedp.CSS("#verifica-file"), []string{path}))
		b.waitJS("the result of "+filepath.Base(path), fmt.Sprintf(`(() => {
  const el = document.querySelector("#verifica-esito .verify-result");
  return !!el && el.innerText.includes(%s) || (el ? el.innerText.slice(0, 300) : "no result");
})()`, jsString(filepath.Base(path))), stepTimeout)
	}

	upload(pdfPath)
	b.waitText("#verifica-esito .alert-success", "Ricevuta autentica")
	b.waitText("#verifica-esito", protocol)
	b.waitText("#verifica-esito", strings.ToUpper(fx.Str("datore.codice_fiscale")))

	start := time.Now()
	upload(photo)
	b.waitText("#verifica-esito .alert-success", "Ricevuta autentica")
	t.Logf("photo of the receipt (%s) read and verified offline in %v", decoderUsed(b), time.Since(start).Round(time.Millisecond))

	paste := func(text string) {
		t.Helper()
		call[bool](b, "pasting the code", `(text) => {
  const el = document.getElementById("verifica-testo");
  el.value = text;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  return true;
}`, text)
		b.clickButton("Verifica il testo")
	}
	i := strings.Index(code, "|"+protocol+"|") + 1
	altered := code[:i+len(protocol)-1] + "9" + code[i+len(protocol):]
	if altered == code {
		altered = code[:i+len(protocol)-1] + "8" + code[i+len(protocol):]
	}
	paste(altered)
	b.waitText("#verifica-esito .alert-danger", "Ricevuta alterata")
	paste(code)
	b.waitText("#verifica-esito .alert-success", "Ricevuta autentica")
	paste("Buongiorno, questa non è una ricevuta")
	b.waitText("#verifica-esito .alert-danger", "Non è una ricevuta")
}

func decoderUsed(b *tab) string {
	return eval[string](b, "decoder", `window.nullaostaQR ? window.nullaostaQR.decoder() : "none"`)
}
