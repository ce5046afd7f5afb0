//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestLoginLockoutSaysWhen is what a person sees who types a wrong password again and again on
// /accedi: the last attempts are counted down, and the lockout says when to try again (from the
// server's Retry-After), not «qualche minuto».
func TestLoginLockoutSaysWhen(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	a := newAccount("blocco", "Rossi", "Lucia", "05/06/1971")
	srv.apiAccount(t, a)

	b.navigate("/accedi")
	b.waitJS("the login page", `!!document.getElementById("login-email")`, stepTimeout)
	attempt := func(n int) string {
		t.Helper()
		b.typeID("login-email", a.email)
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
