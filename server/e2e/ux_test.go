//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"nullaosta/shared"
)

// What a new user trips on (issue 13), tried in Chromium as a person does it.

// download is a file the browser saved: the name it chose and the bytes on disk.
type download struct {
	name string
	body []byte
}

// download performs click (a person's click on a link or a button) and waits until the
// browser has saved a file because of it, which it returns. It fails when the click downloads
// nothing (a link the app's router took as a navigation does not).
func (b *tab) download(what string, click func()) download {
	b.t.Helper()
	dir := filepath.Join(b.artifacts, "downloads")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	var mu sync.Mutex
	names := map[string]string{} // GUID → suggested file name
	done := make(chan string, 8) // GUIDs of completed downloads
	lctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	if err := chromedp.Listen(lctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			mu.Lock()
			names[ev.GUID] = ev.SuggestedFilename
			mu.Unlock()
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted {
				select {
				case done <- ev.GUID:
				default:
				}
			}
		}
	}); err != nil {
		b.t.Fatalf("listening to downloads: %v", err)
	}
	b.do("allow downloads into "+dir, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
		})
		return err
	}))
	click()
	select {
	case guid := <-done:
		body, err := os.ReadFile(filepath.Join(dir, guid))
		if err != nil {
			b.fail("%s: the download is not on disk: %v", what, err)
		}
		mu.Lock()
		name := names[guid]
		mu.Unlock()
		return download{name: name, body: body}
	case <-time.After(stepTimeout):
		b.fail("%s: nothing downloaded within %v", what, stepTimeout)
	}
	return download{}
}

// staffAccount makes a Ministry (kind "admin") or Sportello (kind "sportello", with args
// --provincia XX) user with bin/nullaosta, as the people who run the server do.
func (s *server) staffAccount(t *testing.T, kind string, a account, args ...string) {
	t.Helper()
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte(a.password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(s.root, "bin/nullaosta"), append([]string{kind, "create", "-data", s.data,
		"--email", a.email, "--password-file", pw}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s create: %v\n%s", kind, err, out)
	}
}

// apiSend generates an EM module with the fixture for c's account, sends it whole, and returns
// the module's id and the receipt's protocol and province.
func apiSend(t *testing.T, c *apiClient, fx shared.Data, cognome string) (id, protocol, provincia string) {
	t.Helper()
	var m struct {
		ID string `json:"id"`
	}
	if _, err := c.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, cognome)}, &m); err != nil {
		t.Fatal(err)
	}
	data := shared.Data{}
	for k, v := range fx {
		data[k] = v
	}
	data["datore.cognome"] = cognome
	var res struct {
		Results []struct {
			Status  string `json:"status"`
			Receipt struct {
				Protocol  string `json:"protocol"`
				Provincia string `json:"provincia"`
			} `json:"receipt"`
			Error any `json:"error"`
		} `json:"results"`
	}
	sub := map[string]any{"submissionId": "e2e-" + m.ID, "moduleId": m.ID, "data": data}
	if _, err := c.call("POST", "/submissions", map[string]any{"submissions": []any{sub}}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 || res.Results[0].Status != "accepted" {
		t.Fatalf("sending %s: %+v", m.ID, res)
	}
	return m.ID, res.Results[0].Receipt.Protocol, res.Results[0].Receipt.Provincia
}

// TestDownloads clicks every link that downloads, as a person does, and checks what the
// browser saved: the receipt's PDF from «I miei moduli» (a link) and from «Ricevute» (built
// on the device), named ricevuta-<protocollo>.pdf; the Sportello's CSV export, which go-app's
// router used to take for a page of the app («404 Not Found», nothing downloaded). An address
// that is no page shows the Italian «Pagina non trovata» with the way back.
func TestDownloads(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	a := newAccount("ricevute", "Bianchi", "Giovanna", "12/03/1958")
	c := srv.apiAccount(t, a)
	_, protocol, provincia := apiSend(t, c, fx, "Scaricati")
	sp := newAccount("sportello", "Sportello", "Unico", "01/01/1970")
	srv.staffAccount(t, "sportello", sp, "--provincia", provincia)

	b.navigate("/accedi")
	b.login(a)
	b.clickLink("/moduli")
	pdfName := shared.ReceiptFileName(protocol)
	link := fmt.Sprintf(`document.querySelector(%s)`, jsString("main a[download="+jsString(pdfName)+"]"))
	b.waitJS("the receipt's link", "!!"+link, stepTimeout)
	d := b.download("the receipt's PDF from «I miei moduli»", func() {
		b.click("the link «Ricevuta "+protocol+" (PDF)»", link)
	})
	if d.name != pdfName || !strings.HasPrefix(string(d.body), "%PDF") {
		b.fail("«I miei moduli» downloaded %q (%d bytes, starts %q), want %s, a PDF", d.name, len(d.body), firstBytes(d.body), pdfName)
	}
	if p := eval[string](b, "the address", `location.pathname`); p != "/moduli" {
		b.fail("the download moved the app to %s", p)
	}

	b.clickLink("/ricevute")
	b.waitJS("the receipt on the device", `!!document.querySelector(".receipts .protocol")`, stepTimeout)
	d = b.download("the receipt's PDF from «Ricevute»", func() {
		b.click("«Scarica» of "+protocol, `document.querySelector(".receipts tbody a, .receipts tbody button")`)
	})
	if d.name != pdfName || !strings.HasPrefix(string(d.body), "%PDF") {
		b.fail("«Ricevute» downloaded %q (%d bytes), want %s, a PDF", d.name, len(d.body), pdfName)
	}

	// A mistyped address: the app's own page, in Italian, with the way back.
	b.navigate("/ricevuta-sbagliata")
	b.waitText("main h1", "Pagina non trovata")
	if text := b.bodyText(); strings.Contains(text, "Not Found") || !strings.Contains(text, "/ricevuta-sbagliata") {
		b.fail("the unknown address's page: %q", firstWords(text, 40))
	}
	b.clickLink("/")
	b.waitText("main h1", "Domande di lavoro domestico")

	b.logout()
	b.login(sp)
	b.clickLink("/sportello")
	b.waitText("main table", protocol)
	d = b.download("the Sportello's CSV export", func() {
		b.click("«Esporta CSV (modulo EM)»", `[...document.querySelectorAll("a.export-link")].find(a => a.innerText.includes("modulo EM"))`)
	})
	if !strings.HasPrefix(d.name, "domande-EM-"+provincia) || !strings.HasSuffix(d.name, ".csv") ||
		!strings.Contains(string(d.body), protocol) || !strings.Contains(string(d.body), "datore.cognome") {
		b.fail("the CSV export downloaded %q (%d bytes: %q), want domande-EM-%s-….csv with %s", d.name, len(d.body), firstBytes(d.body), provincia, protocol)
	}
	if text := b.bodyText(); strings.Contains(text, "Not Found") || !strings.Contains(text, protocol) {
		b.fail("after the export the console is gone: %q", firstWords(text, 40))
	}
}

func firstBytes(b []byte) string {
	if len(b) > 60 {
		b = b[:60]
	}
	return string(b)
}
