//go:build e2e

package e2e

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	_ "github.com/mattn/go-sqlite3"

	"nullaosta/shared"
)

// account is a person who registers through the website.
type account struct {
	cognome, nome, email, nascita, password string
}

func newAccount(who, cognome, nome, nascita string) account {
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	return account{
		cognome: cognome, nome: nome, nascita: nascita,
		email:    fmt.Sprintf("%s-%s@example.it", who, run),
		password: "una frase lunga da ricordare " + run,
	}
}

// register fills in /registrati and waits for the server's answer.
func (b *tab) register(a account) {
	b.t.Helper()
	b.clickLink("/registrati")
	b.typeID("reg-cognome", a.cognome)
	b.typeID("reg-nome", a.nome)
	b.typeID("reg-email", a.email)
	b.typeID("reg-dataNascita", a.nascita)
	b.typeID("reg-password", a.password)
	b.typeID("reg-password2", a.password)
	b.clickButton("Registrati")
	b.waitText(".form-status .alert-success", a.email)
}

// activate opens the link of the activation e-mail in the browser.
func (b *tab) activate(a account) {
	b.t.Helper()
	link := b.srv.activationLink(b.t, a.email)
	if !strings.HasPrefix(link, b.srv.url("/attiva?token=")) {
		b.fail("activation link %q does not lead to this server's /attiva", link)
	}
	b.do("open the activation link", chromedp.Navigate(link))
	b.waitApp("after opening the activation link")
	// Activation asks for the password chosen at registration.
	b.typeID("act-password", a.password)
	b.clickButton("Attiva l'account")
	b.waitText(".form-status .alert-success", "Account attivato")
}

// login fills in /accedi (already open) and waits for the compiler's list, where the app goes
// after a login.
func (b *tab) login(a account) {
	b.t.Helper()
	b.waitJS("the login page", `location.pathname === "/accedi" && !!document.getElementById("login-email")`, stepTimeout)
	b.typeID("login-email", a.email)
	b.typeID("login-password", a.password)
	b.clickButton("Accedi")
	b.waitJS("after the login the app shows /compila", `location.pathname === "/compila"`, stepTimeout)
	b.waitText(".user-box", a.email)
	b.who = &a
	b.waitJS("the list of modules is loaded", `!document.querySelector("main [role=status]") || !document.querySelector("main").innerText.includes("Caricamento")`, stepTimeout)
}

var (
	moduleIDRe = regexp.MustCompile(`^EM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$`)
	protocolRe = regexp.MustCompile(`^DEMOEM-\d{7}$`)
)

// TestJourney is issue 4's end-to-end test: a person registers, activates, logs in, generates
// an EM module, imports it, fills in every chapter and sees a red field; with the server
// stopped the app reloads from the service worker, keeps editing and queues the module; when
// the server is back the queue flushes by itself and the receipt appears, with exactly one
// submission stored; a second person on the same browser sees nothing of the first.
func TestJourney(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	user1 := newAccount("datore", "Bianchi", "Giovanna", "12/03/1958")
	user2 := newAccount("altro", "Verdi", "Paolo", "01/02/1965")
	const offlineEmail = "g.bianchi.offline@example.it"

	started := time.Now()
	step := func(name string, f func()) {
		t.Helper()
		t0 := time.Now()
		f()
		t.Logf("%-58s %6.1f s", name, time.Since(t0).Seconds())
	}

	step("home page (first visit, wasm loads)", func() {
		b.navigate("/")
		b.waitText("main h1", "")
	})
	step("register user 1 (/registrati)", func() { b.register(user1) })
	step("activate user 1 (link from dev mail)", func() { b.activate(user1) })
	step("log in user 1 (/accedi)", func() {
		b.clickLink("/accedi")
		b.login(user1)
	})

	var id string
	step("generate an EM module (/genera)", func() {
		b.clickLink("/genera")
		b.click("the choice «Modulo EM»", `document.querySelector("label[for='gen-kind-em']")`)
		b.waitJS("EM is chosen", `document.getElementById("gen-kind-em").checked && !!document.getElementById("field-datore.cognome")`, stepTimeout)
		for _, f := range shared.GenerationFields(shared.KindEM) {
			v, ok := fx[f.Key]
			if !ok {
				t.Fatalf("fixture lacks generation field %s", f.Key)
			}
			b.fillField(f, v)
		}
		b.clickButton("Genera il modulo")
		b.waitJS("the module is generated", `!!document.querySelector(".alert-success .module-id")`, stepTimeout)
		id = eval[string](b, "module id", `document.querySelector(".alert-success .module-id").innerText.trim()`)
		if !moduleIDRe.MatchString(id) {
			b.fail("module id %q is not an EM identifier", id)
		}
		t.Logf("module %s generated", id)
	})

	step("import it (/importa with e-mail and password)", func() {
		b.clickLink("/importa")
		b.typeID("imp-email", user1.email)
		b.typeID("imp-password", user1.password)
		b.clickButton("Importa")
		b.waitText(".form-status .alert-success", "Importazione completata")
		b.waitJS("a link to compile the module", fmt.Sprintf(`!!document.querySelector("a[href='/compila/%s']")`, id), stepTimeout)
	})

	step("open the compiler", func() {
		b.clickLink("/compila/" + id)
		b.waitText(".module-id", id)
		b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)
	})

	salary := "rapporto.retribuzione_mensile"
	for i := range em.Sections {
		sec := &em.Sections[i]
		if sec.Confirm {
			break
		}
		step("fill "+sec.Title, func() {
			b.gotoSection(em, i)
			b.checkLocked(em, i)
			filled := b.fillSection(em, i, fx, map[string]bool{salary: true})
			if sec.ID == mustSection(em, salary) {
				b.redSalary(fx.Str(salary))
				filled = append(filled, salary)
			}
			b.waitJS(sec.Title+" is complete in the stepper", fmt.Sprintf(`(() => { const c = (document.querySelector(".stepper-item[data-section='%d']") || {}).className || ""; return c.includes("step-done") || c; })()`, i), stepTimeout)
			t.Logf("  %s: typed %d fields", sec.ID, len(filled))
		})
	}

	confirmSection := len(em.Sections) - 1
	confirm := func() {
		t.Helper()
		b.gotoSection(em, confirmSection)
		b.waitText(".sportello-box", "Cuneo")
		b.clickButton("Conferma")
		b.waitText("#confirm-result .alert-success", "Modulo confermato")
		b.waitText("#modulo-top", "Completato, da inviare")
	}
	step("Riepilogo e conferma", confirm)

	step("wait for the service worker's cache", func() {
		b.waitJS("the service worker is active with the app cached", `(async () => {
  if (!("serviceWorker" in navigator)) return "no service worker support";
  const reg = await navigator.serviceWorker.getRegistration();
  if (!reg || !reg.active) return "no active worker";
  for (const k of await caches.keys()) {
    const c = await caches.open(k);
    const all = await Promise.all(["/", "/web/app.wasm", "/app.js", "/wasm_exec.js", "/web/css/bootstrap-italia.app.css"].map(u => c.match(u)));
    if (all.every(Boolean)) return true;
  }
  return "cache incomplete";
})()`, stepTimeout)
	})

	step("STOP the server; reload the compiler deep link offline", func() {
		srv.stop()
		b.navigate("/compila/" + id)
		b.waitJS("the compiler is ready offline", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
		b.waitText(".module-id", id)
		if !eval[bool](b, "controller", `!!navigator.serviceWorker.controller`) {
			b.fail("the page was not loaded by the service worker")
		}
		b.waitText("#modulo-top", "Completato, da inviare")
	})

	step("edit a field offline; it is saved on the device", func() {
		b.gotoSection(em, sectionIndex(em, "recapiti.email"))
		if got := b.fieldValue("recapiti.email"); got != fx.Str("recapiti.email") {
			b.fail("offline, recapiti.email shows %q, want %q", got, fx.Str("recapiti.email"))
		}
		// The note may still be that of a save before the edit (opening the section): only a
		// time after the edit began is this edit's own save, written before the reload below.
		before := time.Now()
		time.Sleep(1100 * time.Millisecond)
		b.typeInto("recapiti.email", offlineEmail)
		after := shared.InRome(before.Add(time.Second)).Format("15:04:05")
		b.waitJS("the edit's own save is on the device", fmt.Sprintf(`(() => {
  const n = document.querySelector(".save-note"), t = n ? n.innerText : "";
  const m = t.match(/Salvato sul dispositivo alle (\d\d:\d\d:\d\d)/);
  return (!!m && m[1] >= %s) || ("note: " + t);
})()`, jsString(after)), stepTimeout)
		b.waitText("#modulo-top", "In compilazione") // a change undoes the confirmation
	})

	step("reload offline again: the edit is there", func() {
		b.navigate("/compila/" + id)
		b.waitJS("the compiler is ready offline", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0`, stepTimeout)
		b.gotoSection(em, sectionIndex(em, "recapiti.email"))
		if got := b.fieldValue("recapiti.email"); got != offlineEmail {
			b.fail("after an offline reload recapiti.email is %q, want %q", got, offlineEmail)
		}
	})

	step("confirm again offline", confirm)

	step("press «Invia» offline: the module is queued", func() {
		b.clickLink("/invia")
		b.waitJS("the send button", `[...document.querySelectorAll("button")].some(x => x.innerText.trim() === "Invia (1)" && !x.disabled)`, stepTimeout)
		b.clickButton("Invia (1)")
		b.waitText(".form-status .alert-warning", "restano in coda")
		b.waitText("main section", "In coda (1)")
		b.waitText("main section", id)
		b.waitText(".net-status", "non raggiungibile") // the top bar says the server is away
	})

	var protocol string
	step("START the server: the queue flushes by itself", func() {
		if n := countSubmissions(t, srv); n != 0 {
			t.Fatalf("%d submissions stored while the server was stopped", n)
		}
		srv.start()
		b.waitJS("the queue is empty and the module sent", `(() => {
  const t = document.querySelector("main").innerText;
  return (t.includes("Inviate: 1.") && !t.includes("In coda (")) || t.slice(0, 400);
})()`, stepTimeout)
		b.waitText(".net-status", "In linea")
	})

	step("the receipt appears on /ricevute", func() {
		b.clickLink("/ricevute")
		b.waitJS("a receipt with its protocol", `!!document.querySelector(".receipts .protocol")`, stepTimeout)
		rows := eval[[][]string](b, "receipts", `[...document.querySelectorAll(".receipts tbody tr")].map(tr => [...tr.cells].map(c => c.innerText.trim()))`)
		if len(rows) != 1 {
			b.fail("want 1 receipt on /ricevute, got %v", rows)
		}
		protocol = rows[0][0]
		if !protocolRe.MatchString(protocol) || rows[0][1] != id || !strings.Contains(rows[0][3], "Cuneo") {
			b.fail("receipt row %v: want protocol DEMOEM-nnnnnnn, module %s, Sportello of Cuneo", rows[0], id)
		}
		t.Logf("receipt %s for %s", protocol, id)
	})

	step("exactly one submission is stored (API and database)", func() {
		c := srv.client()
		if _, err := c.call("POST", "/auth/login", map[string]string{"email": user1.email, "password": user1.password}, nil); err != nil {
			t.Fatal(err)
		}
		var receipts []struct {
			Protocol string `json:"protocol"`
			ModuleID string `json:"moduleId"`
		}
		if _, err := c.call("GET", "/receipts", nil, &receipts); err != nil {
			t.Fatal(err)
		}
		if len(receipts) != 1 || receipts[0].Protocol != protocol || receipts[0].ModuleID != id {
			t.Fatalf("GET /receipts = %+v, want one receipt %s for %s", receipts, protocol, id)
		}
		db := openDB(t, srv)
		defer db.Close()
		var n int
		var module, proto, content string
		if err := db.QueryRow(`SELECT COUNT(*), MAX(module_id), MAX(protocol), MAX(content) FROM submissions`).Scan(&n, &module, &proto, &content); err != nil {
			t.Fatalf("reading the submissions from the database: %v", err)
		}
		if n != 1 || module != id || proto != protocol {
			t.Fatalf("database: %d submissions (module %s, protocol %s), want exactly 1 for %s with %s", n, module, proto, id, protocol)
		}
		if !strings.Contains(content, offlineEmail) || !strings.Contains(content, fx.Str("datore.codice_fiscale")) {
			t.Fatalf("the stored content lacks the offline edit %q or the employer's codice fiscale: %s", offlineEmail, content)
		}
	})

	step("user 1 logs out (Esci)", func() {
		b.clickLink("/esci")
		b.waitText(".form-status", "Sei uscito")
		b.waitText(".user-box", "Registrati")
	})
	step("register, activate and log in user 2", func() {
		b.register(user2)
		b.activate(user2)
		b.clickLink("/accedi")
		b.login(user2)
	})
	step("user 2 sees none of user 1's modules and receipts", func() {
		b.waitText("main", "Non hai ancora moduli su questo dispositivo")
		if text := b.bodyText(); strings.Contains(text, id) {
			b.fail("user 2 sees user 1's module %s on /compila", id)
		}
		b.clickLink("/ricevute")
		b.waitText("main", "Nessuna ricevuta")
		if text := b.bodyText(); strings.Contains(text, id) || strings.Contains(text, protocol) {
			b.fail("user 2 sees user 1's module %s or receipt %s on /ricevute", id, protocol)
		}
		b.clickLink("/invia")
		b.waitJS("nothing to send", `[...document.querySelectorAll("button")].some(x => x.innerText.trim() === "Invia (0)" && x.disabled)`, stepTimeout)
		b.navigate("/compila/" + id)
		b.waitText("main", "Questo modulo non è su questo dispositivo per l'utente collegato")
		if eval[bool](b, "fields", `!!document.querySelector("[id^='field-']")`) {
			b.fail("user 2 sees fields of user 1's module %s", id)
		}
	})
	step("user 1 logs in again: the drafts are back", func() {
		b.navigate("/accedi")
		b.waitText(".form-status", user2.email) // "on this device is logged in …"
		b.login(user1)
		b.waitText("main table", id)
		b.waitText("main table", "Inviato")
		b.clickLink("/ricevute")
		b.waitText(".receipts .protocol", protocol)
	})
	t.Logf("%-58s %6.1f s", "TestJourney total", time.Since(started).Seconds())
}

// openDB opens the server's database read-only.
func openDB(t *testing.T, srv *server) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(srv.data, "nullaosta.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// countSubmissions counts the submissions in the server's database.
func countSubmissions(t *testing.T, srv *server) int {
	t.Helper()
	db := openDB(t, srv)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM submissions`).Scan(&n); err != nil {
		t.Fatalf("counting the submissions: %v", err)
	}
	return n
}

// sectionIndex returns the index of the section holding key.
func sectionIndex(s *shared.Schema, key string) int {
	id := mustSection(s, key)
	for i := range s.Sections {
		if s.Sections[i].ID == id {
			return i
		}
	}
	panic("no section " + id)
}

// mustSection returns the id of the section holding key.
func mustSection(s *shared.Schema, key string) string {
	sec, ok := s.SectionOf(key)
	if !ok {
		panic("no section holds " + key)
	}
	return sec.ID
}

// redSalary types a salary below the CCNL minimum, sees the field turn red with its message
// beside it and in the error summary (linking to the field), then types the right salary and
// sees both go.
func (b *tab) redSalary(good string) {
	b.t.Helper()
	const key = "rapporto.retribuzione_mensile"
	b.typeInto(key, "100,00")
	// The message may first be an earlier keystroke's («100,» is not an amount yet): the page
	// must settle on the minimum's message for what the field holds.
	b.waitJS("the salary is red with the minimum's message", `(() => {
  const el = document.getElementById("field-rapporto.retribuzione_mensile");
  const msg = document.getElementById("err-rapporto.retribuzione_mensile");
  const text = msg ? msg.innerText.trim() : "";
  return (text.includes("minimo") && el.getAttribute("aria-invalid") === "true" &&
          el.classList.contains("is-invalid") && !!el.closest(".field-invalid")) || ("not red with the minimum: " + text);
})()`, stepTimeout)
	msg := eval[string](b, "the salary's message", `document.getElementById("err-rapporto.retribuzione_mensile").innerText.replace(/^Errore:\s*/, "").trim()`)
	b.t.Logf("  red field: %s", msg)
	b.waitJS("the error summary lists the salary with a link to it", fmt.Sprintf(`(() => {
  const s = document.getElementById("error-summary");
  const a = s && s.querySelector("a[href='#field-rapporto.retribuzione_mensile']");
  return (!!a && a.innerText.includes(%s)) || (s ? s.innerText.slice(0, 300) : "no summary");
})()`, jsString(firstWords(msg, 6))), stepTimeout)
	b.typeInto(key, good)
	b.waitJS("the salary is no longer red, the summary no longer lists it", `(() => {
  const el = document.getElementById("field-rapporto.retribuzione_mensile");
  const s = document.getElementById("error-summary");
  return (!document.getElementById("err-rapporto.retribuzione_mensile") && el.getAttribute("aria-invalid") !== "true" &&
          !(s && s.querySelector("a[href='#field-rapporto.retribuzione_mensile']"))) || "still red";
})()`, stepTimeout)
}

func firstWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[:n]
	}
	return strings.Join(w, " ")
}
