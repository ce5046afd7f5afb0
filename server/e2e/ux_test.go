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
	"github.com/chromedp/chromedp/kb"

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

// insetJS measures, at the current size, how far the page's content starts from the left edge
// compared with the header's: the content must be inset like the header (not 12 px against 62).
const insetJS = `(() => {
	const head = document.querySelector(".app-header-center .container");
	const main = document.querySelector("main#contenuto");
	if (!head || !main) return "no header or main";
	const first = main.querySelector("h1") || main;
	const h = head.getBoundingClientRect().left + parseFloat(getComputedStyle(head).paddingLeft);
	const m = first.getBoundingClientRect().left;
	return Math.abs(h - m) <= 2 || ("header content at " + h.toFixed(0) + " px, page content at " + m.toFixed(0) + " px");
})()`

// screen checks the screen now shown as a person meets it: axe-core (0 serious or critical
// violations of WCAG 2.2 AA), then at the sizes of a tablet and a phone: no sideways scroll,
// codes unbroken, the content inset like the header, and a screenshot of each.
func (b *tab) screen(name string) {
	b.t.Helper()
	b.checkAccessibility(name)
	b.atSizes(name, func(s screenSize) {
		if r := eval[any](b, "the content's inset", insetJS); r != true {
			b.fail("%s at the %s size: the content is not inset like the header: %v", name, s.name, r)
		}
	}, tabletSize, phoneSize)
}

// TestScreens visits every kind of screen (logged out, applicant, the compiler with an error
// shown, the Ministry's console, the Sportello's) and checks each with screen: axe-core, the
// tablet and phone layouts, screenshots written under the test's artifacts (screens/).
func TestScreens(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)

	a := newAccount("schermi", "Bianchi", "Giovanna", "12/03/1958")
	c := srv.apiAccount(t, a)
	_, protocol, provincia := apiSend(t, c, fx, "Inviati")
	var m struct {
		ID string `json:"id"`
	}
	if _, err := c.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, "Bianchi")}, &m); err != nil {
		t.Fatal(err)
	}
	sp := newAccount("sportello", "Sportello", "Unico", "01/01/1970")
	srv.staffAccount(t, "sportello", sp, "--provincia", provincia)
	admin := newAccount("ministero", "Interno", "Ufficio", "01/01/1960")
	srv.staffAccount(t, "admin", admin)
	if _, err := c.call("POST", "/enti/richieste", map[string]any{
		"ente":      map[string]string{"nome": "Comune di Saluzzo", "tipo": "comune", "provincia": "CN"},
		"referente": map[string]string{"nome": a.nome, "cognome": a.cognome, "ruolo": "Segretario comunale", "telefono": "0175 211311", "email": a.email},
		"operatori": []map[string]string{{"nome": a.nome, "cognome": a.cognome, "dataNascita": a.nascita, "email": a.email}},
	}, nil); err != nil {
		t.Fatal(err)
	}

	// Logged out.
	b.navigate("/")
	b.waitText("main h1", "Domande di lavoro domestico")
	b.screen("inizio")
	b.clickLink("/registrati")
	b.waitJS("the registration form", `!!document.getElementById("reg-cognome")`, stepTimeout)
	b.screen("registrati")
	b.clickLink("/accedi")
	b.screen("accedi")
	b.navigate("/indirizzo-sbagliato")
	b.waitText("main h1", "Pagina non trovata")
	b.screen("pagina non trovata")
	// The pages reached from an e-mail or a receipt: opened without their link's token they say so.
	for _, p := range []string{"/password-dimenticata", "/reimposta-password", "/attiva", "/verifica"} {
		b.navigate(p)
		b.waitJS("the page "+p, `!!document.querySelector("main h1")`, stepTimeout)
		b.settle()
		b.screen(strings.TrimPrefix(p, "/"))
	}

	// The applicant.
	b.navigate("/accedi")
	b.login(a)
	b.screen("compila elenco")
	b.clickLink("/genera")
	b.click("the choice «Modulo EM»", `document.querySelector("label[for='gen-kind-em']")`)
	b.waitJS("EM is chosen", `!!document.getElementById("field-datore.cognome")`, stepTimeout)
	b.screen("genera")
	b.clickLink("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.typeID("imp-label", "Tablet sportello 2") // a name the person recognises
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.screen("importa")
	b.clickLink("/compila/" + m.ID)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
	b.gotoSection(em, sectionIndex(em, "datore.data_nascita"))
	b.paste("datore.data_nascita", "31/02/1958")
	b.waitJS("the date of birth is red", `!!document.getElementById("err-datore.data_nascita")`, stepTimeout)
	b.screen("compilatore con un errore")
	b.clickLink("/invia")
	b.screen("invia")
	b.clickLink("/ricevute")
	b.waitText(".receipts", protocol)
	b.screen("ricevute")
	b.clickLink("/moduli")
	b.waitText("main table", protocol)
	b.screen("i miei moduli")
	b.clickLink("/account")
	b.waitText("main", a.email)
	// The import code carries the name given, and when it was last used (by the import).
	b.waitJS("the named import code, used", `(() => { const r = [...document.querySelectorAll("main table tbody tr")].find(tr => tr.cells[0].innerText.trim() === "Tablet sportello 2");
		return (!!r && /\d\d\/\d\d\/\d{4}/.test(r.cells[3].innerText)) || (r ? "last use: " + r.cells[3].innerText : "no row named so"); })()`, stepTimeout)
	b.screen("account")
	b.clickLink("/abilitazione")
	b.waitJS("the enablement page", `!!document.querySelector("main h1")`, stepTimeout)
	b.screen("abilitazione")
	b.clickButton("Blocca")
	b.waitJS("the unlock page", `location.pathname === "/sblocca" && !!document.getElementById("unlock-password")`, stepTimeout)
	b.screen("sblocca")
	b.unlock(a, "/abilitazione")
	b.logout()

	// The Ministry.
	b.login(admin)
	b.clickLink("/ministero")
	b.waitText(".richiesta-card", "Comune di Saluzzo")
	b.screen("ministero richieste")
	for _, p := range []string{"/ministero/operatori", "/ministero/statistiche", "/ministero/registro"} {
		b.clickLink(p)
		b.waitJS("the tab "+p, `!!document.querySelector("main .console-tabs a.active")`, stepTimeout)
		b.settle()
		b.screen("ministero " + strings.TrimPrefix(p, "/ministero/"))
	}
	b.logout()

	// The Sportello.
	b.login(sp)
	b.clickLink("/sportello")
	b.waitText("main table", protocol)
	b.screen("sportello domande")
	b.clickLink("/sportello/" + protocol)
	b.waitText("main", protocol)
	b.screen("sportello domanda")
}

// paste puts text into a field at once, as pasting does (one input event, then the field is
// left): for screens that only need a value shown, not the typing.
func (b *tab) paste(key, text string) {
	b.t.Helper()
	b.waitField(key)
	call[chromedp.Void](b, "paste into "+key, `(id, v) => {
  const el = document.getElementById(id);
  el.focus();
  el.value = v;
  el.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertFromPaste", data: v}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  el.blur();
}`, inputID(key), text)
}

// TestKeyboardCompiler is a person using the compiler with the keyboard alone, as a screen
// reader user or a fast operator does: opening a module and jumping ahead turns nothing red;
// the birthplace's country, province and comune are chosen with keys only (the pickers are ARIA
// comboboxes: type, arrows, Enter), with the focus always visible; opening «Conferma e invio»
// with errors puts the focus on the error summary.
func TestKeyboardCompiler(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("tastiera", "Bianchi", "Giovanna", "12/03/1958")
	c := srv.apiAccount(t, a)
	var m struct {
		ID string `json:"id"`
	}
	if _, err := c.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, "Bianchi")}, &m); err != nil {
		t.Fatal(err)
	}
	b.navigate("/accedi")
	b.login(a)
	b.clickLink("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	// The storage notice (Chromium refuses persistent storage to a new site) is not on every
	// page: it comes, calmly, where drafts are saved, and once read it stays away.
	if text := b.bodyText(); strings.Contains(text, "archiviazione") || strings.Contains(text, "cancellare i dati") {
		b.fail("a storage warning on the import page: %q", firstWords(text, 60))
	}
	b.clickLink("/compila/" + m.ID)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
	b.waitText(".storage-notice", "invia i moduli appena li hai confermati")
	b.click("«Ho capito»", `document.querySelector(".storage-notice button")`)
	b.waitJS("the notice is gone", `!document.querySelector(".storage-notice")`, stepTimeout)
	b.navigate("/compila/" + m.ID)
	b.waitJS("the compiler is ready again", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
	b.settle()
	if eval[bool](b, "the notice after a reload", `!!document.querySelector(".storage-notice")`) {
		b.fail("the storage notice came back after a reload although it was read")
	}

	// Jumping ahead without typing: no section turns red.
	b.gotoSection(em, 4)
	b.gotoSection(em, 0)
	if red := eval[string](b, "red sections", `[...document.querySelectorAll(".stepper-item.step-error")].map(e => e.innerText.trim()).join(" | ")`); red != "" {
		b.fail("sections turned red before anything was typed: %s", red)
	}

	// The birthplace with the keyboard alone, from the section's title.
	b.tabTo("field-datore.nascita.stato", 40)
	if !b.focusVisible() {
		b.fail("the focus on the country picker is not visible")
	}
	b.press("Itali")
	b.waitJS("the country list opens", `(() => { const el = document.getElementById("field-datore.nascita.stato");
		return (el.getAttribute("aria-expanded") === "true" && !!el.getAttribute("aria-activedescendant")) || "expanded=" + el.getAttribute("aria-expanded"); })()`, stepTimeout)
	b.press(kb.Enter)
	b.waitJS("Italia chosen", `document.getElementById("field-datore.nascita.stato").value === "Italia" || document.getElementById("field-datore.nascita.stato").value`, stepTimeout)
	b.tabTo("field-datore.nascita.provincia", 5)
	b.press("Cuneo")
	b.waitJS("Cuneo chosen", `document.getElementById("field-datore.nascita.provincia").value === "CN" || document.getElementById("field-datore.nascita.provincia").value`, stepTimeout)
	b.tabTo("field-datore.nascita.comune", 5)
	b.press("Saluzz")
	b.waitJS("the comuni list opens on Saluzzo", `(() => { const el = document.getElementById("field-datore.nascita.comune");
		const id = el.getAttribute("aria-activedescendant"), opt = id && document.getElementById(id);
		return (el.getAttribute("aria-expanded") === "true" && !!opt && opt.innerText.startsWith("Saluzzo")) || "expanded=" + el.getAttribute("aria-expanded"); })()`, stepTimeout)
	b.press(kb.ArrowDown)
	b.press(kb.ArrowUp)
	b.press(kb.Enter)
	b.waitJS("Saluzzo chosen, the list closed", `(() => { const el = document.getElementById("field-datore.nascita.comune");
		return (el.value.startsWith("Saluzzo") && el.getAttribute("aria-expanded") === "false") || el.value; })()`, stepTimeout)
	if !b.focusVisible() {
		b.fail("the focus on the comune picker is not visible")
	}

	// «Conferma e invio» with errors: the focus goes to the error summary.
	b.gotoSection(em, len(em.Sections)-1)
	b.waitJS("the focus is on the error summary", `(() => { const e = document.activeElement;
		return (!!e && e.id === "error-summary" && e.innerText.includes("errori")) || (e ? e.tagName + "#" + e.id : "none"); })()`, stepTimeout)
}

// TestGenerateAnother is an operator generating modules in a row: after each, «Genera un altro
// modulo per lo stesso datore di lavoro» opens the form ready with the employer kept and the
// worker empty; «Genera modulo» in the menu always opens a fresh form, also from the success
// page. For a Modulo A numerica request the form does not ask the worker's name and offers
// only the countries with a list.
func TestGenerateAnother(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	a := newAccount("operatore", "Rossi", "Mario", "01/02/1970")
	srv.apiAccount(t, a)

	b.navigate("/accedi")
	b.login(a)
	// A new person lands on the steps, the first one marked: generate, not import.
	b.waitText(".first-steps [aria-current=step]", "Genera il modulo")
	b.click("the current step's link", `document.querySelector(".first-steps [aria-current=step] a")`)
	b.waitJS("the link leads to /genera", `location.pathname === "/genera"`, stepTimeout)
	b.click("the choice «Modulo EM»", `document.querySelector("label[for='gen-kind-em']")`)
	b.waitJS("EM is chosen", `!!document.getElementById("field-datore.cognome")`, stepTimeout)
	for _, f := range shared.GenerationFields(shared.KindEM) {
		b.fillField(f, fx[f.Key])
	}
	b.clickButton("Genera il modulo")
	b.waitJS("the module is generated", `!!document.querySelector(".alert-success .module-id")`, stepTimeout)
	first := eval[string](b, "module id", `document.querySelector(".alert-success .module-id").innerText.trim()`)
	b.clickLink("/")
	b.waitText(".first-steps [aria-current=step]", "Importa")
	b.waitText(".first-steps .step-done", "Genera il modulo")
	b.click("«Genera modulo» in the menu", `document.querySelector("#app-nav a[href='/genera']")`)
	b.waitJS("the form", `!!document.getElementById("gen-kind-em")`, stepTimeout)
	b.click("the choice «Modulo EM»", `document.querySelector("label[for='gen-kind-em']")`)
	b.waitJS("EM is chosen", `!!document.getElementById("field-datore.cognome")`, stepTimeout)
	for _, f := range shared.GenerationFields(shared.KindEM) {
		b.fillField(f, fx[f.Key])
	}
	b.clickButton("Genera il modulo")
	b.waitJS("the module is generated", fmt.Sprintf(`(() => { const m = document.querySelector(".alert-success .module-id"); return !!m && m.innerText.trim() !== %s; })()`, jsString(first)), stepTimeout)
	first = eval[string](b, "module id", `document.querySelector(".alert-success .module-id").innerText.trim()`)

	b.click("«Genera un altro modulo per lo stesso datore di lavoro»", `document.querySelector("a.same-employer")`)
	b.waitJS("a ready form with the employer kept and the worker empty", fmt.Sprintf(`(() => {
		const d = document.getElementById("field-datore.cognome"), w = document.getElementById("field-lavoratore.cognome");
		return (!!d && d.value === %s && !!w && w.value === "" && document.getElementById("gen-kind-em").checked) || (d ? d.value : "no form");
	})()`, jsString(fx.Str("datore.cognome"))), stepTimeout)
	if f := b.focused(); !strings.HasPrefix(f, "input#field-lavoratore") && !strings.HasPrefix(f, "select#field-lavoratore") && !strings.HasPrefix(f, "input#field-") {
		b.fail("the form is not ready to type: the focus is on %s", f)
	}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if !strings.HasPrefix(f.Key, "datore.") {
			b.fillField(f, fx[f.Key])
		}
	}
	b.clickButton("Genera il modulo")
	b.waitJS("the second module is generated", fmt.Sprintf(`(() => { const m = document.querySelector(".alert-success .module-id"); return !!m && m.innerText.trim() !== %s; })()`, jsString(first)), stepTimeout)

	// «Genera modulo» in the menu: a fresh form.
	b.click("«Genera modulo» in the menu", `document.querySelector("#app-nav a[href='/genera']")`)
	b.waitJS("a fresh form", `!document.querySelector(".alert-success .module-id") && !!document.getElementById("gen-kind-em") && !document.getElementById("gen-kind-em").checked`, stepTimeout)

	// Modulo A, numerica: no worker's name, only the list countries.
	b.click("the choice «Modulo A»", `document.querySelector("label[for='gen-kind-a']")`)
	b.choose("richiesta.tipo", "numerica")
	b.waitField("lavoratore.cittadinanza")
	b.waitJS("the worker's name is not asked for a numerica request", `(() => { const e = document.getElementById("field-lavoratore.cognome"); return !e || e.offsetParent === null; })()`, 10*time.Second)
	b.click("the country list", `document.getElementById("field-lavoratore.cittadinanza")`)
	b.press("India")
	b.waitJS("India is not offered", `(() => { const el = document.getElementById("field-lavoratore.cittadinanza"); return el.value === "India" && el.getAttribute("aria-expanded") === "false"; })()`, stepTimeout)
	call[chromedp.Void](b, "clear", `() => { const el = document.getElementById("field-lavoratore.cittadinanza"); el.select(); }`)
	b.press("Sri")
	b.waitJS("Sri Lanka is offered", `(() => { const l = document.getElementById("field-lavoratore.cittadinanza-list"); return !!l && !l.hidden && l.innerText.includes("Sri Lanka"); })()`, stepTimeout)
}

// TestAccountMessages: the account pages say what is wrong where it is. An empty registration
// gets the app's Italian messages beside each field and a focused summary, not the browser's
// bubble; «Ripeti la password» that differs is said on that field; a reset link already used
// says so as the page opens, with the way to a new one; a wrong «Password attuale» is said on
// that field; the login page says «Password dimenticata», as the messages do.
func TestAccountMessages(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)

	b.navigate("/registrati")
	b.waitJS("the registration form", `!!document.getElementById("reg-cognome")`, stepTimeout)
	if !eval[bool](b, "novalidate", `document.getElementById("reg-cognome").form.noValidate`) {
		b.fail("the registration form leaves the messages to the browser's bubble")
	}
	b.clickButton("Registrati")
	b.waitJS("the summary has the focus and names the fields", `(() => { const e = document.activeElement;
		return (!!e && e.id === "reg-summary" && e.innerText.includes("Cognome") && e.innerText.includes("Ripeti la password")) || (e ? e.id + ": " + e.innerText.slice(0, 200) : "none"); })()`, stepTimeout)
	b.waitText("[id='reg-cognome-err']", "Scrivi «Cognome»")
	if eval[string](b, "aria-invalid", `document.getElementById("reg-email").getAttribute("aria-invalid")`) != "true" {
		b.fail("the empty e-mail is not marked invalid")
	}
	a := newAccount("conti", "Bianchi", "Giovanna", "12/03/1958")
	b.typeID("reg-cognome", a.cognome)
	b.typeID("reg-nome", a.nome)
	b.typeID("reg-email", a.email)
	b.typeID("reg-dataNascita", a.nascita)
	b.typeID("reg-password", a.password)
	b.typeID("reg-password2", a.password+" diversa")
	b.clickButton("Registrati")
	b.waitText("[id='reg-password2-err']", "Non coincide con la password scritta sopra")
	if eval[bool](b, "other fields", `!!document.getElementById("reg-cognome-err")`) {
		b.fail("the surname, now written, is still marked")
	}

	// A reset link used once, opened again.
	ra := newAccountFrom(a, "reset")
	srv.apiAccount(t, ra)
	if _, err := srv.client().call("POST", "/auth/reset", map[string]string{"email": ra.email}, nil); err != nil {
		t.Fatal(err)
	}
	link := srv.waitMail(t, ra.email, "reimposta la password").Link
	token := link[strings.Index(link, "token=")+len("token="):]
	if _, err := srv.client().call("POST", "/auth/reset/confirm", map[string]string{"token": token, "password": ra.password + " nuova"}, nil); err != nil {
		t.Fatal(err)
	}
	b.do("open the used reset link", chromedp.Navigate(link))
	b.waitApp("after opening the reset link")
	b.waitText(".form-status", "Password dimenticata")
	b.waitJS("no form to type into, the way to a new link", `!document.getElementById("new-password") && !!document.querySelector("main a[href='/password-dimenticata']")`, stepTimeout)

	// A wrong current password, on its field.
	b.navigate("/accedi")
	if !strings.Contains(b.bodyText(), "Password dimenticata") || strings.Contains(b.bodyText(), "Hai dimenticato") {
		b.fail("the login page does not say «Password dimenticata»")
	}
	ra.password += " nuova"
	b.login(ra)
	b.clickLink("/account")
	b.waitJS("the password form", `!!document.getElementById("pw-oldPassword")`, stepTimeout)
	b.typeID("pw-oldPassword", "non è la mia password attuale")
	b.typeID("pw-newPassword", "una nuova frase lunga abbastanza")
	b.typeID("pw-newPassword2", "una nuova frase lunga abbastanza")
	b.clickButton("Cambia password")
	b.waitText("[id='pw-oldPassword-err']", "La password attuale non è corretta")
}

// newAccountFrom is another person like a, with its own address.
func newAccountFrom(a account, who string) account {
	return newAccount(who, a.cognome, a.nome, a.nascita)
}
