//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
)

// TestLoginLockoutSaysWhen is what a person sees who types a wrong password again and again on
// /accedi: the last attempts are counted down, and the lockout says when to try again (from the
// server's Retry-After), not «qualche minuto».
func TestLoginLockoutSaysWhen(t *testing.T) {
	// Failed passwords are counted in fixed windows of the wall clock (core.PasswordLimit, 15
	// minutes from :00): eleven attempts that cross a window's end start counting again, and a
	// lockout close to it lasts seconds. Start early in a window, as the assertions need.
	lim := core.PasswordLimit
	if left := time.Unix(lim.WindowStart(time.Now()), 0).Add(lim.Window).Sub(time.Now()); left < 3*time.Minute {
		t.Logf("waiting %v for the next window of the password limit", left.Round(time.Second))
		time.Sleep(left + time.Second)
	}
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	a := newAccount("blocco", "Rossi", "Lucia", "05/06/1971")
	srv.apiAccount(t, a)

	b.navigate("/accedi")
	b.waitJS("the login page", `!!document.getElementById("login-email")`, stepTimeout)
	// A person types the address once and tries passwords: the page keeps the address.
	b.typeID("login-email", a.email)
	attempt := func(n int) string {
		t.Helper()
		b.typeID("login-password", "password sbagliata numero "+fmt.Sprint(n))
		// Two refusals may read the same, so the answer is told by the browser's record of
		// the requests (resource timing) and the button being usable again.
		const logins = `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/api/v1/auth/login")).length`
		before := eval[int](b, "login requests so far", logins)
		b.clickButton("Accedi")
		b.waitJS(fmt.Sprintf("attempt %d is answered", n), fmt.Sprintf(`(() => {
			const btn = [...document.querySelectorAll("button[type=submit]")].find(x => x.innerText.trim().startsWith("Accedi"));
			return %s > %d && !!btn && !btn.disabled && document.querySelector(".form-status").innerText.trim() !== "";
		})()`, logins, before), stepTimeout)
		return eval[string](b, "the message", `document.querySelector(".form-status").innerText`)
	}
	var msgs []string
	for n := 1; n <= 11; n++ {
		msgs = append(msgs, attempt(n))
	}
	if strings.Contains(msgs[5], "Attenzione") || !strings.Contains(msgs[0], "E-mail o password errate") {
		t.Errorf("the first attempts warn too early or say something else: %q, %q", msgs[0], msgs[5])
	}
	for i, want := range map[int]string{
		6: "ti restano 3 tentativi",
		8: "ti resta 1 tentativo",
		9: "era l'ultimo tentativo",
	} {
		if !strings.Contains(msgs[i], want) {
			t.Errorf("attempt %d: %q, want %q", i+1, msgs[i], want)
		}
	}
	if !regexp.MustCompile(`riprova tra \d+ minut[oi]\.`).MatchString(msgs[10]) || strings.Contains(msgs[10], "qualche minuto") {
		t.Errorf("the lockout does not say when: %q", msgs[10])
	}
}

// TestPagesHaveAbsoluteAddresses: the pages the real server sends carry og:url and og:image
// with the public address, as link previews need.
func TestPagesHaveAbsoluteAddresses(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	res, err := http.Get(srv.url("/registrati"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	for prop, want := range map[string]string{"og:url": srv.url("/registrati"), "og:image": srv.url("/web/icons/icon-512.png")} {
		if got := metaOf(page, prop); got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
	if strings.Contains(page, "https:///") {
		t.Error("an address without host is left in the page")
	}
}

// metaOf finds <meta property="prop" content="…">, whatever the order of the attributes.
func metaOf(page, prop string) string {
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

// TestPlacesOf2009 is an employer born in Contarina (C967, merged into Porto Viro in 1995): in
// the compiler the comune is offered among those of Rovigo, chosen, and accepted as a
// birthplace, with the codice fiscale that carries its code; the same comune as the address of
// the worker's housing is refused, naming the day it was suppressed.
func TestPlacesOf2009(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)
	em := shared.SchemaOf(shared.KindEM)
	a := newAccount("contarina", "Bianchi", "Giovanna", "12/03/1958")
	c := srv.apiAccount(t, a)
	gen := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		gen[f.Key] = fx[f.Key]
	}
	var m struct {
		ID string `json:"id"`
	}
	if _, err := c.call("POST", "/modules", map[string]any{"kind": "EM", "data": gen}, &m); err != nil {
		t.Fatal(err)
	}

	b.navigate("/accedi")
	b.login(a)
	b.clickLink("/importa")
	b.typeID("imp-email", a.email)
	b.typeID("imp-password", a.password)
	b.clickButton("Importa")
	b.waitText(".form-status .alert-success", "Importazione completata")
	b.clickLink("/compila/" + m.ID)
	b.waitJS("the compiler is ready", `performance.getEntriesByName("nullaosta:compiler-ready").length > 0 && !!document.getElementById("section-title")`, stepTimeout)

	cf, err := codicefiscale.Compute(codicefiscale.Person{Surname: "Bianchi", Name: "Giovanna", Female: true,
		Birth: time.Date(1958, 3, 12, 0, 0, 0, 0, time.UTC), Place: "C967"})
	if err != nil {
		t.Fatal(err)
	}
	b.gotoSection(em, sectionIndex(em, "datore.nascita.comune"))
	b.pick("datore.nascita.stato", "Italia")
	b.choose("datore.nascita.provincia", "RO")
	b.pick("datore.nascita.comune", "Contarina")
	b.typeInto("datore.data_nascita", "12/03/1958")
	b.typeInto("datore.codice_fiscale", cf)
	noProblem := func(key string) {
		t.Helper()
		b.waitJS(key+" has no message", fmt.Sprintf(`(() => {
			const e = document.getElementById(%s), w = document.getElementById(%s);
			return (!e || e.innerText.trim() === "") && (!w || w.innerText.trim() === "") || ((e ? e.innerText : "") + (w ? w.innerText : ""));
		})()`, jsString("err-"+key), jsString("warn-"+key)), stepTimeout)
	}
	noProblem("datore.nascita.comune")
	noProblem("datore.codice_fiscale")

	b.gotoSection(em, sectionIndex(em, "alloggio.comune"))
	b.choose("alloggio.provincia", "RO")
	b.pick("alloggio.comune", "Contarina")
	b.waitText("[id='err-alloggio.comune']", "soppresso il 01/01/1995")
}
