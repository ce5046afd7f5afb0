package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// TestAuthorizationMatrix calls every route of the table as each kind of caller and checks
// the status: anonymous, a private user (the owner of the modules and receipts used), another
// private user, an operator, an admin, a sportello of Cuneo (the province of the owner's
// application), the private user with an import token, an operator named in a request not yet
// decided (still a private user: limited), and a sportello of Torino (another province: it
// never sees the owner's application, not by protocol, not in the list, not in the export).
// Rate limits are off (as with -bench): they are not what this test is about, and each row
// calls the same route nine times; their own tests are in account_test.go.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Bench = true })
	owner := e.newActor("privato", "owner@example.it", core.RolePrivato)
	altro := e.newActor("altro privato", "altro@example.it", core.RolePrivato)
	admin := e.newActor("admin", "admin@example.it", core.RoleAdmin)
	pending := e.newActor("operatore in attesa", "inattesa@example.it", core.RolePrivato)
	sportelloTO := e.newActor("sportello TO", "sportello.to@example.it", core.RoleSportello)
	if err := e.db.SetRole(context.Background(), sportelloTO.user.Email, core.RoleSportello, "TO"); err != nil {
		t.Fatal(err)
	}
	actors := []*actor{
		anonymous,
		owner,
		altro,
		e.newActor("operatore", "operatore@example.it", core.RoleOperatore),
		admin,
		e.newActor("sportello CN", "sportello@example.it", core.RoleSportello),
		e.withToken(owner),
		pending,
		sportelloTO,
	}
	// Requests: one naming the pending operator (never decided here), one to approve and one
	// to reject as admin.
	enablement := func(a *actor, emails ...string) int64 {
		var r core.Enablement
		e.mustJSON(a, "POST", "/api/v1/enti/richieste", enablementBody(emails...), http.StatusCreated, &r)
		return r.ID
	}
	e.newActor("da abilitare", "abilitando@example.it", core.RolePrivato)
	e.newActor("da respingere", "respingendo@example.it", core.RolePrivato)
	pendingReq := enablement(altro, "inattesa@example.it")
	toApprove := enablement(altro, "abilitando@example.it")
	toReject := enablement(altro, "respingendo@example.it")
	abilitando, _ := e.db.UserByEmail(context.Background(), "abilitando@example.it")
	reqPath := func(id int64, suffix string) func() string {
		return func() string { return "/admin/richieste/" + strconv.FormatInt(id, 10) + suffix }
	}
	d := fixture(t, "em_colf.json")
	sent := e.newModule(owner, shared.KindEM, d)
	protocol := e.send(owner, item{"matrix-sent-01", sent, d})[0].Receipt.Protocol
	d2 := fixture(t, "em_badante.json") // another employer
	unsent := e.newModule(owner, shared.KindEM, d2)
	gen := map[string]any{"kind": "EM", "data": generation(shared.KindEM, d)}
	freshToken := func() string {
		var tok createTokenResponse
		e.mustJSON(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": "owner@example.it", "password": password}, http.StatusCreated, &tok)
		return "/tokens/" + strconv.FormatInt(tok.ID, 10)
	}
	same := func(s int) [9]int { return [9]int{s, s, s, s, s, s, s, s, s} }
	// ext extends a row of the first seven callers: the pending operator is treated as the
	// other private user, the sportello of Torino as the one of Cuneo.
	ext := func(a [7]int) [9]int { return [9]int{a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[2], a[5]} }
	const (
		ok, created, noContent = http.StatusOK, http.StatusCreated, http.StatusNoContent
		bad, unauth, forbidden = http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden
		notFound, unproc       = http.StatusNotFound, http.StatusUnprocessableEntity
	)
	adminOK := [9]int{unauth, forbidden, forbidden, forbidden, ok, forbidden, forbidden, forbidden, forbidden}
	backOfficeOK := [9]int{unauth, forbidden, forbidden, forbidden, ok, ok, forbidden, forbidden, ok}
	type row struct {
		method, route string        // as in the table
		path          func() string // the concrete path (default: route)
		body          any
		want          [9]int // anonymous, privato, altro, operatore, admin, sportello CN, token, pending, sportello TO
		check         func(t *testing.T, a *actor, b []byte)
	}
	rows := []row{
		{method: "POST", route: "/auth/register", body: map[string]string{}, want: same(unproc)},
		{method: "POST", route: "/auth/activate", body: map[string]string{"token": "x"}, want: same(bad)},
		{method: "POST", route: "/auth/login", body: map[string]string{"email": "owner@example.it", "password": "sbagliata!!"}, want: same(unauth)},
		{method: "GET", route: "/me", want: ext([7]int{unauth, ok, ok, ok, ok, ok, ok}),
			check: func(t *testing.T, a *actor, b []byte) {
				var u userJSON
				json.Unmarshal(b, &u)
				if u.PendingOperator != (a == pending) || (a == pending && u.Role != core.RolePrivato) {
					t.Errorf("GET /me as %s: %s", a.name, b)
				}
			}},
		{method: "POST", route: "/auth/password", body: map[string]string{"oldPassword": "sbagliata!!", "newPassword": "nuova password lunga"},
			want: ext([7]int{unauth, unproc, unproc, unproc, unproc, unproc, forbidden})},
		{method: "POST", route: "/auth/reset", body: map[string]string{"email": "nessuno@example.it"}, want: same(http.StatusAccepted)},
		{method: "POST", route: "/auth/reset/confirm", body: map[string]string{"token": "x", "password": "nuova password lunga"}, want: same(bad)},
		{method: "POST", route: "/auth/reset/check", body: map[string]string{"token": "x"}, want: same(bad)},
		{method: "GET", route: "/campaigns", want: same(ok)},
		{method: "GET", route: "/refdata", want: same(ok)},
		{method: "POST", route: "/modules", body: gen, want: ext([7]int{unauth, created, created, created, forbidden, forbidden, forbidden})},
		{method: "GET", route: "/modules", want: ext([7]int{unauth, ok, ok, ok, ok, ok, ok})},
		{method: "GET", route: "/modules/{id}", path: func() string { return "/modules/" + unsent },
			want: ext([7]int{unauth, ok, notFound, notFound, notFound, notFound, ok})},
		{method: "POST", route: "/tokens", body: map[string]string{"email": "owner@example.it", "password": "sbagliata!!"}, want: same(unauth)},
		{method: "GET", route: "/tokens", want: ext([7]int{unauth, ok, ok, ok, ok, ok, ok})},
		{method: "DELETE", route: "/tokens/{id}", path: freshToken, want: ext([7]int{unauth, noContent, notFound, notFound, notFound, notFound, noContent})},
		{method: "GET", route: "/import", want: ext([7]int{unauth, ok, ok, ok, forbidden, forbidden, ok})},
		{method: "POST", route: "/submissions", body: map[string]any{"submissions": []item{{"matrix-unsent-1", unsent, d2}}},
			want: ext([7]int{unauth, ok, ok, ok, forbidden, forbidden, ok}),
			check: func(t *testing.T, a *actor, b []byte) {
				var res submitResponse
				json.Unmarshal(b, &res)
				want, code := core.StatusRejected, core.ENOTFOUND // not theirs
				if a.user != nil && a.user.ID == owner.user.ID {
					want, code = core.StatusAccepted, ""
				}
				r := res.Results[0]
				if r.Status != want || (code != "" && r.Error.Code != code) {
					t.Errorf("POST /submissions as %s: %+v", a.name, r)
				}
			}},
		{method: "GET", route: "/receipts", want: ext([7]int{unauth, ok, ok, ok, ok, ok, ok}),
			check: func(t *testing.T, a *actor, b []byte) {
				var rs []core.Receipt
				json.Unmarshal(b, &rs)
				if a.user != nil && a.user.ID != owner.user.ID && len(rs) != 0 {
					t.Errorf("%s sees someone else's receipts: %s", a.name, b)
				}
			}},
		{method: "GET", route: "/receipts/public-key", want: same(ok)},
		{method: "GET", route: "/receipts/keys", want: same(ok)},
		{method: "GET", route: "/receipts/{protocol}/pdf", path: func() string { return "/receipts/" + protocol + "/pdf" },
			want: ext([7]int{unauth, ok, notFound, notFound, notFound, notFound, ok})},
		{method: "POST", route: "/validate", body: map[string]any{"module": "EM", "data": d}, want: same(ok)},
		{method: "GET", route: "/dev/mail", want: same(ok)},
		// Enablement requests: only applicants with a session send them; the body is empty.
		{method: "POST", route: "/enti/richieste", body: map[string]any{},
			want: [9]int{unauth, unproc, unproc, unproc, forbidden, forbidden, forbidden, unproc, forbidden}},
		{method: "GET", route: "/enti/richieste", want: [9]int{unauth, ok, ok, ok, ok, ok, forbidden, ok, ok},
			check: func(t *testing.T, a *actor, b []byte) {
				var rs []core.Enablement
				json.Unmarshal(b, &rs)
				if (a == altro) != (len(rs) == 3) {
					t.Errorf("%s sees %d requests", a.name, len(rs))
				}
			}},
		// The Ministry's console: admin only, never with a token.
		{method: "GET", route: "/admin/richieste", want: adminOK},
		{method: "GET", route: "/admin/richieste/{id}", path: reqPath(pendingReq, ""), want: adminOK},
		{method: "POST", route: "/admin/richieste/{id}/approva", path: reqPath(toApprove, "/approva"), body: map[string]any{}, want: adminOK,
			check: func(t *testing.T, a *actor, b []byte) {
				if u, _ := e.db.UserByID(context.Background(), abilitando.ID); u.Role != core.RoleOperatore {
					t.Errorf("approved, the operator's role is %s", u.Role)
				}
			}},
		{method: "POST", route: "/admin/richieste/{id}/respingi", path: reqPath(toReject, "/respingi"),
			body: map[string]string{"motivo": "Manca la delibera"}, want: adminOK},
		{method: "GET", route: "/admin/operatori", want: adminOK},
		{method: "POST", route: "/admin/operatori/{userId}/revoca", path: func() string { return "/admin/operatori/" + strconv.FormatInt(abilitando.ID, 10) + "/revoca" },
			body: map[string]string{"motivo": "Cambio di ufficio"}, want: adminOK},
		{method: "GET", route: "/admin/stats", want: adminOK},
		{method: "GET", route: "/admin/audit", want: adminOK},
		// The Sportello Unico: a sportello sees only its province, the Ministry every one.
		{method: "GET", route: "/sportello/domande", want: backOfficeOK,
			check: func(t *testing.T, a *actor, b []byte) {
				// The owner's two applications: the colf in Cuneo (protocol), the badante in Torino.
				var p domandePage
				json.Unmarshal(b, &p)
				sees := strings.Contains(string(b), protocol)
				if want := a != sportelloTO; sees != want || p.Total != map[bool]int{true: 2, false: 1}[a == admin] {
					t.Errorf("%s: list of %d, protocol %s shown: %v", a.name, p.Total, protocol, sees)
				}
			}},
		{method: "GET", route: "/sportello/domande/{protocol}", path: func() string { return "/sportello/domande/" + protocol },
			want: [9]int{unauth, forbidden, forbidden, forbidden, ok, ok, forbidden, forbidden, notFound}},
		{method: "POST", route: "/sportello/domande/{protocol}/stato", path: func() string { return "/sportello/domande/" + protocol + "/stato" },
			body: map[string]string{"stato": core.DomandaInIstruttoria, "nota": "Documenti completi"},
			want: [9]int{unauth, forbidden, forbidden, forbidden, forbidden, ok, forbidden, forbidden, notFound}},
		{method: "GET", route: "/sportello/export.csv", path: func() string { return "/sportello/export.csv?kind=EM" }, want: backOfficeOK,
			check: func(t *testing.T, a *actor, b []byte) {
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				sees := strings.Contains(string(b), protocol)
				if want := a != sportelloTO; sees != want || len(lines) != map[bool]int{true: 3, false: 2}[a == admin] {
					t.Errorf("%s: export of %d lines, protocol %s in it: %v", a.name, len(lines), protocol, sees)
				}
			}},
		// Last: it ends the sessions.
		{method: "POST", route: "/auth/logout", want: same(noContent)},
	}

	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.method+" "+r.route] = true
	}
	for _, rt := range e.srv.table() {
		if !covered[rt.method+" "+rt.path] {
			t.Errorf("route %s %s is missing from the matrix", rt.method, rt.path)
		}
	}

	for _, r := range rows {
		for i, a := range actors {
			path := r.route
			if r.path != nil {
				path = r.path()
			}
			res, b := e.do(a, r.method, "/api/v1"+path, r.body)
			if res.StatusCode != r.want[i] {
				t.Errorf("%s %s as %s: %d, want %d: %.300s", r.method, r.route, a.name, res.StatusCode, r.want[i], b)
				continue
			}
			if res.StatusCode >= 400 {
				apiError(t, b)
			}
			if r.check != nil && res.StatusCode == http.StatusOK {
				r.check(t, a, b)
			}
			if strings.Contains(string(b), "password_hash") || strings.Contains(string(b), "$argon2id$") {
				t.Errorf("%s %s leaks a password hash", r.method, r.route)
			}
		}
	}
}
