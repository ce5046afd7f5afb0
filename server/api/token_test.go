package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"nullaosta/server/core"
	"nullaosta/shared"
)

func TestImportTokens(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "tok@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)

	// Wrong password: no token, and no hint whether the account exists.
	res, b := e.do(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": "tok@example.it", "password": "sbagliata!!"})
	if res.StatusCode != http.StatusUnauthorized || apiError(t, b).Error.Code != core.EUNAUTHORIZED {
		t.Fatalf("wrong password: %d %s", res.StatusCode, b)
	}
	var tok createTokenResponse
	e.mustJSON(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": "tok@example.it", "password": password, "label": "PC dell'ufficio"}, http.StatusCreated, &tok)
	if !strings.HasPrefix(tok.Token, "nlo_") || tok.Label != "PC dell'ufficio" || !tok.ExpiresAt.After(tok.CreatedAt) {
		t.Fatalf("token %+v", tok)
	}
	bearer := &actor{name: "token", token: tok.Token}

	// The compiler's import: user, modules, campaigns, reference data version.
	var imp importResponse
	e.mustJSON(bearer, "GET", "/api/v1/import", nil, http.StatusOK, &imp)
	if imp.User.Email != "tok@example.it" || len(imp.Modules) != 1 || imp.Modules[0].ID != id || len(imp.Campaigns) != 2 || imp.RefdataVersion == "" {
		t.Fatalf("import %+v", imp)
	}
	// Send and read receipts with it.
	if r := e.send(bearer, item{"tok-00000001", id, d})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("send with token: %+v", r)
	}
	var rs []core.Receipt
	e.mustJSON(bearer, "GET", "/api/v1/receipts", nil, http.StatusOK, &rs)
	if len(rs) != 1 {
		t.Fatalf("receipts %+v", rs)
	}
	// Its scope stops there.
	res, b = e.do(bearer, "POST", "/api/v1/modules", map[string]any{"kind": "EM", "data": generation(shared.KindEM, d)})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(apiError(t, b).Error.Message, "token di importazione") {
		t.Fatalf("generating with a token: %d %s", res.StatusCode, b)
	}

	// Listed (never with the secret), with its last use, then revoked.
	var list []core.Token
	b = e.mustJSON(a, "GET", "/api/v1/tokens", nil, http.StatusOK, &list)
	if len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil || strings.Contains(string(b), tok.Token) {
		t.Fatalf("list %s", b)
	}
	e.mustJSON(a, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(tok.ID, 10), nil, http.StatusNoContent, nil)
	res, b = e.do(bearer, "GET", "/api/v1/import", nil)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(apiError(t, b).Error.Message, "revocato") {
		t.Fatalf("revoked token: %d %s", res.StatusCode, b)
	}
	e.mustJSON(a, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(tok.ID, 10), nil, http.StatusNotFound, nil)
	e.mustJSON(a, "DELETE", "/api/v1/tokens/abc", nil, http.StatusNotFound, nil)

	// A malformed Authorization header is refused, not ignored.
	res, b = e.do(anonymous, "GET", "/api/v1/import", nil, "Authorization", "Basic dG9rOnB3")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(apiError(t, b).Error.Message, "Bearer") {
		t.Fatalf("basic auth: %d %s", res.StatusCode, b)
	}
}
