package api

import (
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
// private user, an operator, an admin, a sportello, and the private user with an import token.
// Rate limits are off (as with -bench): they are not what this test is about, and each row
// calls the same route seven times; their own tests are in account_test.go.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Bench = true })
	owner := e.newActor("privato", "owner@example.it", core.RolePrivato)
	actors := []*actor{
		anonymous,
		owner,
		e.newActor("altro privato", "altro@example.it", core.RolePrivato),
		e.newActor("operatore", "operatore@example.it", core.RoleOperatore),
		e.newActor("admin", "admin@example.it", core.RoleAdmin),
		e.newActor("sportello", "sportello@example.it", core.RoleSportello),
		e.withToken(owner),
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
	same := func(s int) [7]int { return [7]int{s, s, s, s, s, s, s} }
	const (
		ok, created, noContent = http.StatusOK, http.StatusCreated, http.StatusNoContent
		bad, unauth, forbidden = http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden
		notFound, unproc       = http.StatusNotFound, http.StatusUnprocessableEntity
	)
	type row struct {
		method, route string        // as in the table
		path          func() string // the concrete path (default: route)
		body          any
		want          [7]int // anonymous, privato, altro, operatore, admin, sportello, token
		check         func(t *testing.T, a *actor, b []byte)
	}
	rows := []row{
		{method: "POST", route: "/auth/register", body: map[string]string{}, want: same(unproc)},
		{method: "POST", route: "/auth/activate", body: map[string]string{"token": "x"}, want: same(bad)},
		{method: "POST", route: "/auth/login", body: map[string]string{"email": "owner@example.it", "password": "sbagliata!!"}, want: same(unauth)},
		{method: "GET", route: "/me", want: [7]int{unauth, ok, ok, ok, ok, ok, ok}},
		{method: "POST", route: "/auth/password", body: map[string]string{"oldPassword": "sbagliata!!", "newPassword": "nuova password lunga"},
			want: [7]int{unauth, unproc, unproc, unproc, unproc, unproc, forbidden}},
		{method: "POST", route: "/auth/reset", body: map[string]string{"email": "nessuno@example.it"}, want: same(http.StatusAccepted)},
		{method: "POST", route: "/auth/reset/confirm", body: map[string]string{"token": "x", "password": "nuova password lunga"}, want: same(bad)},
		{method: "GET", route: "/campaigns", want: same(ok)},
		{method: "GET", route: "/refdata", want: same(ok)},
		{method: "POST", route: "/modules", body: gen, want: [7]int{unauth, created, created, created, forbidden, forbidden, forbidden}},
		{method: "GET", route: "/modules", want: [7]int{unauth, ok, ok, ok, ok, ok, ok}},
		{method: "GET", route: "/modules/{id}", path: func() string { return "/modules/" + unsent },
			want: [7]int{unauth, ok, notFound, notFound, notFound, notFound, ok}},
		{method: "POST", route: "/tokens", body: map[string]string{"email": "owner@example.it", "password": "sbagliata!!"}, want: same(unauth)},
		{method: "GET", route: "/tokens", want: [7]int{unauth, ok, ok, ok, ok, ok, ok}},
		{method: "DELETE", route: "/tokens/{id}", path: freshToken, want: [7]int{unauth, noContent, notFound, notFound, notFound, notFound, noContent}},
		{method: "GET", route: "/import", want: [7]int{unauth, ok, ok, ok, forbidden, forbidden, ok}},
		{method: "POST", route: "/submissions", body: map[string]any{"submissions": []item{{"matrix-unsent-1", unsent, d2}}},
			want: [7]int{unauth, ok, ok, ok, forbidden, forbidden, ok},
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
		{method: "GET", route: "/receipts", want: [7]int{unauth, ok, ok, ok, ok, ok, ok},
			check: func(t *testing.T, a *actor, b []byte) {
				var rs []core.Receipt
				json.Unmarshal(b, &rs)
				if a.user != nil && a.user.ID != owner.user.ID && len(rs) != 0 {
					t.Errorf("%s sees someone else's receipts: %s", a.name, b)
				}
			}},
		{method: "GET", route: "/receipts/public-key", want: same(ok)},
		{method: "GET", route: "/receipts/{protocol}/pdf", path: func() string { return "/receipts/" + protocol + "/pdf" },
			want: [7]int{unauth, ok, notFound, notFound, notFound, notFound, ok}},
		{method: "POST", route: "/validate", body: map[string]any{"module": "EM", "data": d}, want: same(ok)},
		{method: "GET", route: "/dev/mail", want: same(ok)},
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
