package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// enablementBody is a valid request of the Comune di Cuneo naming the accounts with those
// e-mails (newActor registers them born on 1 January 1970).
func enablementBody(emails ...string) map[string]any {
	var ops []map[string]string
	for i, e := range emails {
		ops = append(ops, map[string]string{"nome": "Operatore", "cognome": fmt.Sprintf("Numero%d", i+1),
			"dataNascita": "01/01/1970", "email": e})
	}
	return map[string]any{
		"ente": map[string]string{"nome": "Comune di Cuneo", "tipo": "comune", "provincia": "cn"},
		"referente": map[string]string{"nome": "Paolo", "cognome": "Giordano", "ruolo": "Dirigente dei servizi demografici",
			"telefono": "0171 444111", "fax": "0171 444222", "email": "Servizi.Demografici@comune.cuneo.it"},
		"operatori": ops,
	}
}

func problemOn(ps []shared.Problem, field string) *shared.Problem {
	for i := range ps {
		if ps[i].Field == field {
			return &ps[i]
		}
	}
	return nil
}

func (e *env) me(a *actor) userJSON {
	e.t.Helper()
	var u userJSON
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusOK, &u)
	return u
}

func (e *env) mails(to string) []core.Mail {
	e.t.Helper()
	ms, err := e.db.MailTo(context.Background(), to, 50)
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

func (e *env) audit(action string) []core.AuditEntry {
	e.t.Helper()
	es, err := e.db.AuditLog(context.Background(), core.AuditFilter{Action: action, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	return es
}

// TestEnablementUnknownRowThenCorrected is the journey of seed 000 on the web: a request with
// one row that matches no account is refused row by row and nothing is stored; corrected, it is
// stored and its operators wait with a private user's limits; approved, they generate more
// modules than a private user could, and the referente gets the list of enabled users.
func TestEnablementUnknownRowThenCorrected(t *testing.T) {
	e := newEnv(t)
	comune := e.newActor("referente", "referente@comune.cuneo.it", core.RolePrivato)
	op1 := e.newActor("Anna", "anna@comune.cuneo.it", core.RolePrivato)
	op2 := e.newActor("Luca", "luca@comune.cuneo.it", core.RolePrivato)
	admin := e.newActor("ministero", "ministero@interno.it", core.RoleAdmin)

	body := enablementBody("anna@comune.cuneo.it", "luca@comune.cuneo.it", "mario.bianchi@comune.cuneo.it")
	ops := body["operatori"].([]map[string]string)
	ops[2]["nome"], ops[2]["cognome"] = "Mario", "Bianchi"
	ops[1]["dataNascita"] = "02/01/1970" // Luca's account says 1 January
	res, b := e.do(comune, "POST", "/api/v1/enti/richieste", body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown row: %d %s", res.StatusCode, b)
	}
	eb := apiError(t, b)
	p3 := problemOn(eb.Problems, "operatori.3.email")
	if p3 == nil || p3.Code != "no_account" || !strings.HasPrefix(p3.Message,
		"Riga 3 (Mario Bianchi): nessun account registrato con questa e-mail e data di nascita. Chiedi all'operatore di registrarsi sul sito, poi invia di nuovo la richiesta.") {
		t.Fatalf("row 3: %+v", eb.Problems)
	}
	// A wrong birth date reads the same as an unknown e-mail: the answer reveals no account.
	p2 := problemOn(eb.Problems, "operatori.2.email")
	if p2 == nil || p2.Code != "no_account" || problemOn(eb.Problems, "operatori.2.dataNascita") == nil || problemOn(eb.Problems, "operatori.1.email") != nil {
		t.Fatalf("row 2: %+v", eb.Problems)
	}
	if eb.Problems[0].Field != "operatori.2.email" || !strings.Contains(eb.Error.Message, "Riga 2") {
		t.Errorf("problems not in row order: %+v", eb)
	}
	var mine []core.Enablement
	e.mustJSON(comune, "GET", "/api/v1/enti/richieste", nil, http.StatusOK, &mine)
	if len(mine) != 0 || e.me(op1).PendingOperator {
		t.Fatalf("a refused request stored something: %+v", mine)
	}

	// Mario registers; the row of Luca is corrected.
	mario := e.newActor("Mario", "mario.bianchi@comune.cuneo.it", core.RolePrivato)
	ops[1]["dataNascita"] = "1970-01-01"
	var r core.Enablement
	e.mustJSON(comune, "POST", "/api/v1/enti/richieste", body, http.StatusCreated, &r)
	if r.ID == 0 || r.Stato != core.EnablementInAttesa || r.CreatedBy != comune.user.Email || r.Ente.Provincia != "CN" ||
		r.Referente.Email != "servizi.demografici@comune.cuneo.it" || r.Referente.Telefono != "0171444111" || len(r.Operatori) != 3 ||
		r.Operatori[2].UserID != mario.user.ID || r.Operatori[2].Stato != core.OperatoreInAttesa || r.CreatedAtRome != "15/09/2009 10:00:00" {
		t.Fatalf("stored request %+v", r)
	}
	e.mustJSON(comune, "GET", "/api/v1/enti/richieste", nil, http.StatusOK, &mine)
	if len(mine) != 1 || mine[0].ID != r.ID {
		t.Fatalf("my requests %+v", mine)
	}

	// Waiting, an operator is a private user: the profile says so, and the limit holds.
	if u := e.me(op1); !u.PendingOperator || u.Role != core.RolePrivato || u.ModuleLimit != 5 || u.Ente != nil {
		t.Fatalf("pending profile %+v", u)
	}
	gen := map[string]any{"kind": "EM", "data": generation(shared.KindEM, fixture(t, "em_colf.json"))}
	for range 5 {
		e.mustJSON(op1, "POST", "/api/v1/modules", gen, http.StatusCreated, nil)
	}
	res, b = e.do(op1, "POST", "/api/v1/modules", gen)
	if res.StatusCode != http.StatusForbidden || apiError(t, b).Error.Code != core.ELIMIT {
		t.Fatalf("a pending operator's sixth module: %d %s", res.StatusCode, b)
	}

	// The Ministry approves the whole table.
	var pendingList []core.Enablement
	e.mustJSON(admin, "GET", "/api/v1/admin/richieste?stato=in_attesa", nil, http.StatusOK, &pendingList)
	if len(pendingList) != 1 {
		t.Fatalf("pending requests %+v", pendingList)
	}
	e.mustJSON(admin, "POST", fmt.Sprintf("/api/v1/admin/richieste/%d/approva", r.ID), nil, http.StatusOK, &r)
	if r.Stato != core.EnablementApprovata || r.DecidedBy != admin.user.Email || r.DecidedAt.IsZero() {
		t.Fatalf("approved %+v", r)
	}
	for _, o := range r.Operatori {
		if o.Stato != core.OperatoreAbilitato || o.DecidedAtRome == "" {
			t.Errorf("row %+v", o)
		}
	}
	u := e.me(op1)
	if u.Role != core.RoleOperatore || u.PendingOperator || u.ModuleLimit != 0 || u.Ente == nil || u.Ente.Nome != "Comune di Cuneo" {
		t.Fatalf("enabled profile %+v", u)
	}
	for range 3 {
		e.mustJSON(op1, "POST", "/api/v1/modules", gen, http.StatusCreated, nil)
	}
	if u := e.me(op1); u.ModulesGenerated != 8 {
		t.Fatalf("an operator generated %d modules, want 8 (more than the private limit of 5)", u.ModulesGenerated)
	}
	// The Ministry's list of operators shows the same count (kept with each module).
	var listed []operatorJSON
	e.mustJSON(admin, "GET", "/api/v1/admin/operatori", nil, http.StatusOK, &listed)
	found := false
	for _, o := range listed {
		if o.Email == op1.user.Email {
			found = true
			if o.ModulesGenerated != 8 {
				t.Fatalf("/admin/operatori: %s generated %d modules, want 8", o.Email, o.ModulesGenerated)
			}
		}
	}
	if !found {
		t.Fatalf("/admin/operatori does not list %s: %+v", op1.user.Email, listed)
	}

	// E-mails: each operator is told; the referente gets the list.
	for _, a := range []*actor{op1, op2, mario} {
		ms := e.mails(a.user.Email)
		if len(ms) == 0 || ms[0].Subject != "Nullaosta: sei abilitato come operatore" || !strings.Contains(ms[0].Body, "Comune di Cuneo") {
			t.Errorf("mail to %s: %+v", a.user.Email, ms)
		}
	}
	ref := e.mails("servizi.demografici@comune.cuneo.it")
	if len(ref) != 1 || !strings.Contains(ref[0].Subject, "operatori abilitati") ||
		!strings.Contains(ref[0].Body, "Mario Bianchi, nato/a il 01/01/1970, mario.bianchi@comune.cuneo.it") {
		t.Fatalf("mail to the referente: %+v", ref)
	}
	if es := e.audit(core.AuditApprova); len(es) != 1 || es[0].Actor != admin.user.Email || es[0].Role != core.RoleAdmin ||
		!strings.Contains(es[0].Target, strconv.FormatInt(r.ID, 10)) || !strings.Contains(es[0].Detail, "mario.bianchi@comune.cuneo.it") {
		t.Fatalf("audit %+v", es)
	}
	// Approving again: nothing is waiting.
	res, b = e.do(admin, "POST", fmt.Sprintf("/api/v1/admin/richieste/%d/approva", r.ID), map[string]any{})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("approve twice: %d %s", res.StatusCode, b)
	}
}

func TestEnablementValidation(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("referente", "ref@example.it", core.RolePrivato)
	e.newActor("op", "op@example.it", core.RolePrivato)
	body := enablementBody("op@example.it", "sconosciuto@example.it")
	body["ente"] = map[string]string{"nome": " ", "tipo": "provincia", "provincia": "XX"}
	body["referente"] = map[string]string{"nome": "Paolo", "cognome": "", "ruolo": "Dirigente", "telefono": "0171-444", "fax": "fax", "email": "paolo@"}
	ops := body["operatori"].([]map[string]string)
	ops[0]["dataNascita"] = "31/02/1970"
	res, b := e.do(a, "POST", "/api/v1/enti/richieste", body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	eb := apiError(t, b)
	want := map[string]string{"ente.nome": "required", "ente.tipo": "format", "ente.provincia": "unknown_provincia",
		"referente.cognome": "required", "referente.telefono": "format", "referente.fax": "format", "referente.email": "format",
		"operatori.1.dataNascita": "format", "operatori.2.email": "no_account"}
	for f, code := range want {
		if p := problemOn(eb.Problems, f); p == nil || p.Code != code || p.Message == "" {
			t.Errorf("%s: %+v", f, p)
		}
	}
	// Row 1 has a format problem: its account is not looked up.
	if p := problemOn(eb.Problems, "operatori.1.email"); p != nil {
		t.Errorf("row 1 looked up: %+v", p)
	}

	body = enablementBody()
	res, b = e.do(a, "POST", "/api/v1/enti/richieste", body)
	if eb := apiError(t, b); res.StatusCode != http.StatusUnprocessableEntity || problemOn(eb.Problems, "operatori") == nil {
		t.Fatalf("no rows: %d %s", res.StatusCode, b)
	}
	res, b = e.do(a, "POST", "/api/v1/enti/richieste", `{"ente": {}, "sindaco": "x"}`)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(apiError(t, b).Error.Message, "sindaco") {
		t.Fatalf("unknown field: %d %s", res.StatusCode, b)
	}
	// Rate limited per account (20 an hour).
	for i := 0; i < 18; i++ {
		e.do(a, "POST", "/api/v1/enti/richieste", body)
	}
	if res, _ = e.do(a, "POST", "/api/v1/enti/richieste", body); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("21st request in an hour: %d", res.StatusCode)
	}
}

// TestEnablementRowRefusals: rows that match an account which cannot be enabled are refused
// one by one too.
func TestEnablementRowRefusals(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("referente", "ref@example.it", core.RolePrivato)
	e.newActor("op", "op@example.it", core.RoleOperatore)
	e.newActor("admin", "admin@example.it", core.RoleAdmin)
	e.newActor("free", "free@example.it", core.RolePrivato)
	e.newActor("busy", "busy@example.it", core.RolePrivato)
	e.mustJSON(a, "POST", "/api/v1/enti/richieste", enablementBody("busy@example.it"), http.StatusCreated, nil)
	// An account never activated.
	if err := e.db.CreateUser(context.Background(), &core.User{Email: "inactive@example.it", Cognome: "X", Nome: "Y", DataNascita: "1970-01-01", PasswordHash: "x"},
		core.OneTimeToken{Hash: []byte("h-inactive"), Purpose: core.PurposeActivate, ExpiresAt: t0.Add(48 * 3600e9)},
		func(u *core.User) core.Mail { return core.Mail{To: u.Email, Subject: "s", Body: "b"} }); err != nil {
		t.Fatal(err)
	}
	res, b := e.do(a, "POST", "/api/v1/enti/richieste",
		enablementBody("op@example.it", "admin@example.it", "free@example.it", "FREE@example.it", "busy@example.it", "inactive@example.it"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	eb := apiError(t, b)
	for f, code := range map[string]string{"operatori.1.email": "already_operator", "operatori.2.email": "role",
		"operatori.4.email": "duplicate", "operatori.5.email": "already_pending", "operatori.6.email": "not_active"} {
		if p := problemOn(eb.Problems, f); p == nil || p.Code != code {
			t.Errorf("%s: %+v", f, p)
		}
	}
	if p := problemOn(eb.Problems, "operatori.3.email"); p != nil {
		t.Errorf("row 3 is fine: %+v", p)
	}
}

// TestDecisions: approving some rows, rejecting others with a reason, and revoking later.
func TestDecisions(t *testing.T) {
	e := newEnv(t)
	ref := e.newActor("referente", "ref@example.it", core.RolePrivato)
	admin := e.newActor("ministero", "ministero@interno.it", core.RoleAdmin)
	op1 := e.newActor("uno", "uno@example.it", core.RolePrivato)
	op2 := e.newActor("due", "due@example.it", core.RolePrivato)
	op3 := e.newActor("tre", "tre@example.it", core.RolePrivato)
	var r core.Enablement
	e.mustJSON(ref, "POST", "/api/v1/enti/richieste", enablementBody("uno@example.it", "due@example.it", "tre@example.it"), http.StatusCreated, &r)
	path := func(s string) string { return fmt.Sprintf("/api/v1/admin/richieste/%d/%s", r.ID, s) }

	e.mustJSON(admin, "POST", path("approva"), map[string]any{"operatori": []int64{op1.user.ID}}, http.StatusOK, &r)
	if r.Stato != core.EnablementParziale || r.Operatori[0].Stato != core.OperatoreAbilitato || r.Operatori[1].Stato != core.OperatoreInAttesa {
		t.Fatalf("approve one: %+v", r)
	}
	for _, tc := range []struct {
		action string
		body   any
		status int
	}{
		{"approva", map[string]any{"operatori": []int64{op1.user.ID}}, http.StatusConflict},              // already decided
		{"approva", map[string]any{"operatori": []int64{admin.user.ID}}, http.StatusUnprocessableEntity}, // not a row
		{"approva", map[string]any{"operatori": []int64{}}, http.StatusUnprocessableEntity},
		{"respingi", map[string]any{"operatori": []int64{op2.user.ID}}, http.StatusUnprocessableEntity}, // no reason
		{"respingi", map[string]any{"motivo": "  "}, http.StatusUnprocessableEntity},
		{"approva", `{"operatori": "tutti"}`, http.StatusBadRequest},
	} {
		if res, b := e.do(admin, "POST", path(tc.action), tc.body); res.StatusCode != tc.status {
			t.Errorf("%s %v: %d %s", tc.action, tc.body, res.StatusCode, b)
		}
	}
	e.mustJSON(admin, "POST", path("respingi"), map[string]any{"motivo": "Non risulta dipendente del Comune", "operatori": []int64{op2.user.ID}}, http.StatusOK, &r)
	if r.Stato != core.EnablementParziale || r.Operatori[1].Stato != core.OperatoreRespinto || r.Operatori[1].Motivo != "Non risulta dipendente del Comune" ||
		r.Motivo != "Non risulta dipendente del Comune" {
		t.Fatalf("reject one: %+v", r)
	}
	if ms := e.mails("servizi.demografici@comune.cuneo.it"); len(ms) == 0 || !strings.Contains(ms[0].Body, "Motivo: Non risulta dipendente del Comune") ||
		!strings.Contains(ms[0].Body, "due@example.it") {
		t.Fatalf("rejection mail: %+v", ms)
	}
	if u := e.me(op2); u.Role != core.RolePrivato || u.PendingOperator {
		t.Fatalf("rejected operator %+v", u)
	}
	// The rejected person is told too, by e-mail and on logging in, with the reason.
	if ms := e.mails("due@example.it"); len(ms) == 0 || ms[0].Subject != "Nullaosta: richiesta di abilitazione come operatore non accolta" ||
		!strings.Contains(ms[0].Body, "Motivo: Non risulta dipendente del Comune") || !strings.Contains(ms[0].Body, "due@example.it") {
		t.Fatalf("mail to the rejected operator: %+v", ms)
	}
	if u := e.me(op2); u.OperatorDecision == nil || u.OperatorDecision.Stato != core.OperatoreRespinto ||
		u.OperatorDecision.Motivo != "Non risulta dipendente del Comune" || u.OperatorDecision.EnablementID != r.ID ||
		!strings.Contains(u.OperatorNotice, "non ha accolto") || !strings.Contains(u.OperatorNotice, "Motivo: Non risulta dipendente del Comune") {
		t.Fatalf("rejected operator's profile: %+v, notice %q", u.OperatorDecision, u.OperatorNotice)
	}
	if u := e.me(op1); u.OperatorDecision == nil || u.OperatorDecision.Stato != core.OperatoreAbilitato || !strings.Contains(u.OperatorNotice, "ti ha abilitato") {
		t.Fatalf("enabled operator's profile: %+v, notice %q", u.OperatorDecision, u.OperatorNotice)
	}
	if u := e.me(op3); u.OperatorDecision != nil || u.OperatorNotice != "" || !u.PendingOperator {
		t.Fatalf("operator still waiting: %+v, notice %q", u.OperatorDecision, u.OperatorNotice)
	}
	if ms := e.mails("uno@example.it"); len(ms) == 0 || ms[0].Subject != "Nullaosta: sei abilitato come operatore" {
		t.Fatalf("mail to the enabled operator: %+v", ms)
	}
	e.mustJSON(admin, "POST", path("approva"), nil, http.StatusOK, &r) // the rest: op3
	if r.Stato != core.EnablementApprovata || r.Operatori[2].Stato != core.OperatoreAbilitato || r.Operatori[1].Stato != core.OperatoreRespinto {
		t.Fatalf("approve the rest: %+v", r)
	}

	var ops []operatorJSON
	e.mustJSON(admin, "GET", "/api/v1/admin/operatori", nil, http.StatusOK, &ops)
	if len(ops) != 2 || ops[0].Ente == nil || ops[0].Ente.Nome != "Comune di Cuneo" || ops[0].EnablementID != r.ID || ops[0].EnabledAtRome == "" {
		t.Fatalf("operators %+v", ops)
	}
	e.mustJSON(admin, "GET", "/api/v1/admin/operatori?q=tre", nil, http.StatusOK, &ops)
	if len(ops) != 1 || ops[0].Email != "tre@example.it" {
		t.Fatalf("operators?q=tre %+v", ops)
	}

	// Revocation: back to a private user, told by e-mail, recorded.
	revoca := fmt.Sprintf("/api/v1/admin/operatori/%d/revoca", op1.user.ID)
	if res, b := e.do(admin, "POST", revoca, map[string]string{}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("revoke without reason: %d %s", res.StatusCode, b)
	}
	var u userJSON
	e.mustJSON(admin, "POST", revoca, map[string]string{"motivo": "Trasferito ad altro ufficio"}, http.StatusOK, &u)
	if u.Role != core.RolePrivato || u.Email != "uno@example.it" {
		t.Fatalf("revoked %+v", u)
	}
	if me := e.me(op1); me.Role != core.RolePrivato || me.ModuleLimit != 5 || me.Ente != nil ||
		me.OperatorDecision == nil || me.OperatorDecision.Stato != core.OperatoreRevocato || !strings.Contains(me.OperatorNotice, "Trasferito ad altro ufficio") {
		t.Fatalf("revoked profile %+v", me)
	}
	if ms := e.mails("uno@example.it"); ms[0].Subject != "Nullaosta: abilitazione come operatore revocata" || !strings.Contains(ms[0].Body, "Trasferito") {
		t.Fatalf("revocation mail %+v", ms[0])
	}
	e.mustJSON(admin, "GET", fmt.Sprintf("/api/v1/admin/richieste/%d", r.ID), nil, http.StatusOK, &r)
	if r.Operatori[0].Stato != core.OperatoreRevocato || r.Operatori[0].Motivo != "Trasferito ad altro ufficio" || r.Stato != core.EnablementApprovata {
		t.Fatalf("after revocation %+v", r)
	}
	for _, p := range []string{revoca, fmt.Sprintf("/api/v1/admin/operatori/%d/revoca", op2.user.ID), "/api/v1/admin/operatori/abc/revoca"} {
		if res, b := e.do(admin, "POST", p, map[string]string{"motivo": "x"}); res.StatusCode != http.StatusNotFound {
			t.Errorf("revoke %s: %d %s", p, res.StatusCode, b)
		}
	}
	if es := e.audit(core.AuditRevoca); len(es) != 1 || es[0].Target != "operatore uno@example.it" {
		t.Fatalf("audit %+v", es)
	}
	if es := e.audit(core.AuditRespingi); len(es) != 1 || !strings.Contains(es[0].Detail, "due@example.it") {
		t.Fatalf("audit %+v", es)
	}

	// Lists and lookups.
	var list []core.Enablement
	e.mustJSON(admin, "GET", "/api/v1/admin/richieste?stato=approvata", nil, http.StatusOK, &list)
	if len(list) != 1 {
		t.Fatalf("approved requests %+v", list)
	}
	e.mustJSON(admin, "GET", "/api/v1/admin/richieste?stato=in_attesa", nil, http.StatusOK, &list)
	if len(list) != 0 {
		t.Fatalf("pending requests %+v", list)
	}
	for p, status := range map[string]int{"/api/v1/admin/richieste?stato=chiusa": 400, "/api/v1/admin/richieste/999": 404, "/api/v1/admin/richieste/x": 404} {
		if res, b := e.do(admin, "GET", p, nil); res.StatusCode != status {
			t.Errorf("GET %s: %d %s", p, res.StatusCode, b)
		}
	}
	_ = op3
}

// TestBackOfficeLoginAudited: the logins of admin and sportello users are in the audit log,
// those of applicants are not.
func TestBackOfficeLoginAudited(t *testing.T) {
	e := newEnv(t)
	e.newActor("privato", "p@example.it", core.RolePrivato)
	e.newActor("ministero", "m@interno.it", core.RoleAdmin)
	e.newActor("sportello", "s@interno.it", core.RoleSportello)
	es := e.audit(core.AuditLogin)
	if len(es) != 2 || es[0].Actor != "s@interno.it" || es[0].Role != core.RoleSportello || es[1].Actor != "m@interno.it" ||
		!strings.HasPrefix(es[0].Detail, "accesso da ") || es[0].AtRome != "15/09/2009 10:00:00" {
		t.Fatalf("login audit %+v", es)
	}
}
