//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nullaosta/shared"
)

// apiAccount registers and activates an account through the API (the website's registration
// is TestJourney's; here the operators only need to exist), and returns a client logged in
// as that person.
func (s *server) apiAccount(t *testing.T, a account) *apiClient {
	t.Helper()
	c := s.client()
	if _, err := c.call("POST", "/auth/register", map[string]string{
		"cognome": a.cognome, "nome": a.nome, "email": a.email, "dataNascita": a.nascita, "password": a.password,
	}, nil); err != nil {
		t.Fatal(err)
	}
	link := s.activationLink(t, a.email)
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.call("POST", "/auth/activate", map[string]string{"token": u.Query().Get("token"), "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.call("POST", "/auth/login", map[string]string{"email": a.email, "password": a.password}, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// chooseID selects the option of value v in the select with that id, as a person choosing
// from the list.
func (b *tab) chooseID(id, v string) {
	b.t.Helper()
	got := call[string](b, "choose "+v+" in "+id, `(id, v) => {
  const el = document.getElementById(id);
  if (!el || el.tagName !== "SELECT") return "not a select";
  el.focus();
  el.value = v;
  el.dispatchEvent(new Event("input", {bubbles: true}));
  el.dispatchEvent(new Event("change", {bubbles: true}));
  el.blur();
  return el.value;
}`, id, v)
	if got != v {
		b.fail("choosing %q in %s: %s", v, id, got)
	}
}

// logout leaves the app's session and waits for the login link.
func (b *tab) logout() {
	b.t.Helper()
	b.clickLink("/esci")
	b.who = nil
	b.waitText(".form-status", "Sei uscito")
	b.clickLink("/accedi")
}

// generation returns the fixture's generation data with the employer's surname changed.
func generation(fx shared.Data, cognome string) shared.Data {
	d := shared.Data{}
	for _, f := range shared.GenerationFields(shared.KindEM) {
		if v, ok := fx[f.Key]; ok {
			d[f.Key] = v
		}
	}
	d["datore.cognome"] = cognome
	return d
}

// TestBackoffice is issue 5's end-to-end test: a comune's referent asks for the enablement of
// two operators, one row matching no account is flagged and nothing typed is lost; corrected,
// the request goes; the Ministry (an admin made with `bin/nullaosta admin create`) approves it
// in its console; the operator then generates a sixth module, which a private user could not.
func TestBackoffice(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)
	fx := emFixture(t)

	ref := newAccount("referente", "Bianchi", "Anna", "15/05/1966")
	op1 := newAccount("operatore1", "Rossi", "Mario", "01/02/1970")
	op2 := newAccount("operatore2", "Neri", "Sara", "05/06/1990")
	admin := newAccount("ministero", "Interno", "Ufficio", "01/01/1960")

	step := func(name string, f func()) {
		t.Helper()
		t0 := time.Now()
		f()
		t.Logf("%-58s %6.1f s", name, time.Since(t0).Seconds())
	}

	var refAPI, op1API *apiClient
	step("register the referent and two operators (API)", func() {
		refAPI = srv.apiAccount(t, ref)
		op1API = srv.apiAccount(t, op1)
		srv.apiAccount(t, op2)
	})

	step("the referent logs in and opens /abilitazione from the account page", func() {
		b.navigate("/accedi")
		b.login(ref)
		if eval[bool](b, "the menu", `!!document.querySelector("#app-nav a[href='/abilitazione']")`) {
			b.fail("«Abilitazione operatori» is in the menu of a private user")
		}
		b.clickLink("/account")
		b.waitText(".enablement-link", "comune o un patronato")
		b.clickLink("/abilitazione")
		b.waitJS("the request form", `!!document.getElementById("ab-ente-nome") && !!document.getElementById("ab-op-1-nome")`, stepTimeout)
	})

	wrongEmail := "nessuno-" + op2.email
	step("fill the request, the second row with an unknown e-mail", func() {
		b.typeID("ab-ente-nome", "Comune di Cuneo")
		b.chooseID("ab-ente-tipo", "comune")
		b.chooseID("ab-ente-provincia", "CN")
		b.waitJS("the referent is proposed", `document.getElementById("ab-ref-email").value !== ""`, stepTimeout)
		b.typeID("ab-ref-ruolo", "Responsabile dei servizi demografici")
		b.typeID("ab-ref-telefono", "0171 444111")
		b.typeID("ab-op-1-nome", op1.nome)
		b.typeID("ab-op-1-cognome", op1.cognome)
		b.typeID("ab-op-1-dataNascita", op1.nascita)
		b.typeID("ab-op-1-email", op1.email)
		b.clickButton("+ Aggiungi operatore")
		b.waitJS("a second row", `!!document.getElementById("ab-op-2-nome")`, stepTimeout)
		b.typeID("ab-op-2-nome", op2.nome)
		b.typeID("ab-op-2-cognome", op2.cognome)
		b.typeID("ab-op-2-dataNascita", op2.nascita)
		b.typeID("ab-op-2-email", wrongEmail)
		b.clickButton("Invia la richiesta")
	})

	step("the unknown row is flagged, nothing typed is lost", func() {
		b.waitJS("row 2 is red with a message", `(() => {
  const row = document.querySelector("tr.op-row[data-row='2']");
  const msg = document.getElementById("ab-op-2-msg");
  return (row && row.classList.contains("op-row-invalid") && msg && msg.innerText.includes("Riga 2")) || (row ? row.className : "no row");
})()`, stepTimeout)
		if eval[bool](b, "row 1", `document.querySelector("tr.op-row[data-row='1']").classList.contains("op-row-invalid")`) {
			b.fail("the correct row 1 is flagged too")
		}
		for id, want := range map[string]string{
			"ab-ente-nome": "Comune di Cuneo", "ab-ente-provincia": "CN", "ab-ref-telefono": "0171 444111",
			"ab-op-1-email": op1.email, "ab-op-1-dataNascita": op1.nascita, "ab-op-2-nome": op2.nome, "ab-op-2-email": wrongEmail,
		} {
			if got := call[string](b, "read "+id, `(id) => document.getElementById(id).value`, id); got != want {
				b.fail("%s holds %q after the refusal, want %q", id, got, want)
			}
		}
		b.waitText("#ab-summary", "Riga 2")
	})

	step("a reload keeps the draft", func() {
		b.navigate("/abilitazione")
		b.waitJS("the draft is back", fmt.Sprintf(`(() => { const el = document.getElementById("ab-op-2-email"); return (el && el.value === %s) || (el ? el.value : "no row 2"); })()`, jsString(wrongEmail)), stepTimeout)
	})

	step("correct the row and send", func() {
		b.typeID("ab-op-2-email", op2.email)
		b.clickButton("Invia la richiesta")
		b.waitText(".form-status .alert-success", "Richiesta inviata")
		b.waitText(".richiesta-card", "Comune di Cuneo")
		b.waitText(".richiesta-card", "In attesa")
	})

	step("the operator is told to wait (GET /me: pendingOperator)", func() {
		var me struct {
			Role            string `json:"role"`
			PendingOperator bool   `json:"pendingOperator"`
		}
		if _, err := op1API.call("GET", "/me", nil, &me); err != nil {
			t.Fatal(err)
		}
		if me.Role != "privato" || !me.PendingOperator {
			t.Fatalf("operator before approval: %+v", me)
		}
	})

	step("create the Ministry user (bin/nullaosta admin create)", func() {
		pw := filepath.Join(t.TempDir(), "password")
		if err := os.WriteFile(pw, []byte(admin.password+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(filepath.Join(srv.root, "bin/nullaosta"), "admin", "create", "-data", srv.data,
			"--email", admin.email, "--password-file", pw, "--cognome", admin.cognome, "--nome", admin.nome)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("admin create: %v\n%s", err, out)
		}
	})

	step("the Ministry approves the whole table in /ministero", func() {
		b.logout()
		b.login(admin)
		b.clickLink("/ministero")
		b.waitText(".richiesta-card", "Comune di Cuneo")
		b.clickButton("Abilita tutti (2)")
		b.waitText(".richiesta-card", "Abilitato tutti gli operatori in attesa")
		b.waitText(".richiesta-card .card-title", "Approvata")
		// The menu has one entry for the console; its tabs are below it, not repeated.
		if n := eval[int](b, "menu entries of the console", `document.querySelectorAll("#app-nav a[href^='/ministero']").length`); n != 1 {
			b.fail("the menu has %d entries for the Ministry's console, want 1", n)
		}
		b.clickLink("/ministero/operatori")
		b.waitJS("the menu's console entry is current on a tab", `document.querySelector("#app-nav a[href='/ministero']").getAttribute("aria-current") === "page"`, stepTimeout)
		b.waitText("main table", op1.email)
		b.waitText("main table", op2.email)
	})

	step("a private user stops at 5 modules", func() {
		for i := range 5 {
			if _, err := refAPI.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, "Privato"+string(rune('A'+i)))}, nil); err != nil {
				t.Fatalf("private module %d: %v", i+1, err)
			}
		}
		status, err := refAPI.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, "Sesto")}, nil)
		if status != 403 || err == nil || !strings.Contains(err.Error(), "limit_reached") {
			t.Fatalf("sixth module of a private user: %d %v", status, err)
		}
	})

	surnames := []string{"Bianchi", "Colombo", "Ferrari", "Galli", "Ricci"}
	step("the operator generates 5 modules (API)", func() {
		for _, s := range surnames {
			if _, err := op1API.call("POST", "/modules", map[string]any{"kind": "EM", "data": generation(fx, s)}, nil); err != nil {
				t.Fatalf("operator's module for %s: %v", s, err)
			}
		}
	})

	step("the operator generates the 6th in the browser (/genera)", func() {
		b.logout()
		b.login(op1)
		b.navigate("/genera")
		b.waitText(".role-notice", "Operatore abilitato — moduli illimitati")
		b.click("the choice «Modulo EM»", `document.querySelector("label[for='gen-kind-em']")`)
		b.waitJS("EM is chosen", `document.getElementById("gen-kind-em").checked && !!document.getElementById("field-datore.cognome")`, stepTimeout)
		gen := generation(fx, "Sestini")
		for _, f := range shared.GenerationFields(shared.KindEM) {
			if v, ok := gen[f.Key]; ok {
				b.fillField(f, v)
			}
		}
		b.clickButton("Genera il modulo")
		b.waitJS("the sixth module is generated", `!!document.querySelector(".alert-success .module-id")`, stepTimeout)
	})

	step("/moduli lists 6 modules with their employers, searchable", func() {
		b.clickLink("/moduli")
		b.waitText("main [role=status]", "6 moduli")
		b.waitText("main table", "SESTINI")
		b.typeID("mf-q", "Galli")
		b.clickButton("Cerca")
		b.waitText("main [role=status]", "1 modulo")
		if n := eval[int](b, "rows", `document.querySelectorAll("main table tbody tr").length`); n != 1 {
			b.fail("%d rows for «Galli»", n)
		}
	})
}

// TestMinistryDecidesEachRow is the Ministry deciding a request row by row in its console: it
// enables one operator with «Abilita» on that row and rejects the other with «Respingi» and a
// reason. The rows go to the server as numbers (wire.Decision), and each person gets the right
// e-mail: the enabled operator a confirmation, the referent the list of enabled operators and
// then the rejection with its reason, the rejected operator the rejection with its reason.
func TestMinistryDecidesEachRow(t *testing.T) {
	art := artifactsDir(t)
	srv := startServer(t, art)
	bctx := startBrowser(t)
	b := newTab(t, bctx, srv, art, false)

	ref := newAccount("referente", "Bianchi", "Anna", "15/05/1966")
	op1 := newAccount("operatore1", "Rossi", "Mario", "01/02/1970")
	op2 := newAccount("operatore2", "Neri", "Sara", "05/06/1990")
	admin := newAccount("ministero", "Interno", "Ufficio", "01/01/1960")
	refAPI := srv.apiAccount(t, ref)
	op1API := srv.apiAccount(t, op1)
	op2API := srv.apiAccount(t, op2)

	var ric struct {
		ID int64 `json:"id"`
	}
	if _, err := refAPI.call("POST", "/enti/richieste", map[string]any{
		"ente":      map[string]string{"nome": "Comune di Saluzzo", "tipo": "comune", "provincia": "CN"},
		"referente": map[string]string{"nome": ref.nome, "cognome": ref.cognome, "ruolo": "Segretario comunale", "telefono": "0175 211311", "email": ref.email},
		"operatori": []map[string]string{
			{"nome": op1.nome, "cognome": op1.cognome, "dataNascita": op1.nascita, "email": op1.email},
			{"nome": op2.nome, "cognome": op2.cognome, "dataNascita": op2.nascita, "email": op2.email},
		},
	}, &ric); err != nil || ric.ID == 0 {
		t.Fatalf("request: %v %+v", err, ric)
	}
	pw := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pw, []byte(admin.password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(filepath.Join(srv.root, "bin/nullaosta"), "admin", "create", "-data", srv.data,
		"--email", admin.email, "--password-file", pw).CombinedOutput(); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}

	card := fmt.Sprintf("#richiesta-%d", ric.ID)
	b.navigate("/accedi")
	b.login(admin)
	b.clickLink("/ministero")
	b.waitText(card, "Comune di Saluzzo")

	b.click("«Abilita» on Mario Rossi's row", `document.querySelector("button[aria-label='Abilita Mario Rossi']")`)
	b.waitText(card, "Abilitato l'operatore")
	b.waitText(card+" .card-title", "Decisa in parte")

	reason := "La persona non risulta in servizio presso il Comune."
	b.typeID(fmt.Sprintf("motivo-%d", ric.ID), reason)
	b.click("«Respingi» on Sara Neri's row", `document.querySelector("button[aria-label^='Respingi Sara Neri']")`)
	b.waitText(card, "Respinto l'operatore")
	b.waitText(card+" .card-title", "Approvata")
	if strings.Contains(b.bodyText(), "tipo sbagliato") {
		b.fail("the server refused the rows' ids")
	}

	// Each person gets the right e-mail.
	if m := srv.waitMail(t, op1.email, "sei abilitato come operatore"); !strings.Contains(m.Body, "Comune di Saluzzo") {
		t.Errorf("the enabled operator's e-mail: %+v", m)
	}
	if m := srv.waitMail(t, ref.email, "operatori abilitati"); !strings.Contains(m.Body, op1.email) || strings.Contains(m.Body, "  - Sara Neri, nato/a") {
		t.Errorf("the referent's list of enabled operators: %s", m.Body)
	}
	if m := srv.waitMail(t, ref.email, "non accolta"); !strings.Contains(m.Body, reason) || !strings.Contains(m.Body, op2.email) || strings.Contains(m.Body, op1.email) {
		t.Errorf("the referent's rejection: %s", m.Body)
	}
	if m := srv.waitMail(t, op2.email, "non accolta"); !strings.Contains(m.Body, reason) {
		t.Errorf("the rejected operator's e-mail: %s", m.Body)
	}
	for _, m := range srv.mailsTo(t, op2.email) {
		if strings.Contains(m.Subject, "sei abilitato") {
			t.Errorf("the rejected operator was told they are enabled: %+v", m)
		}
	}
	for _, m := range srv.mailsTo(t, op1.email) {
		if strings.Contains(m.Subject, "non accolta") {
			t.Errorf("the enabled operator was told they are rejected: %+v", m)
		}
	}

	// And the accounts follow: Mario is an operator, Sara still a private user.
	var me struct {
		Role string `json:"role"`
	}
	if _, err := op1API.call("GET", "/me", nil, &me); err != nil || me.Role != "operatore" {
		t.Errorf("Mario after «Abilita»: %+v %v", me, err)
	}
	if _, err := op2API.call("GET", "/me", nil, &me); err != nil || me.Role != "privato" {
		t.Errorf("Sara after «Respingi»: %+v %v", me, err)
	}

	// Logging in, each is told the decision about them: Sara with the reason.
	b.logout()
	b.login(op2)
	b.waitText(".operator-decision", "non ha accolto")
	b.waitText(".operator-decision", reason)
	b.logout()
	b.login(op1)
	b.waitText(".operator-decision", "ti ha abilitato")
	b.waitText(".operator-decision", "Comune di Saluzzo")
}
