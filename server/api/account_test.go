package api

import (
	"net/http"
	"strings"
	"testing"

	"nullaosta/server/core"
)

func TestRegisterActivateLoginLogout(t *testing.T) {
	e := newEnv(t)
	reg := map[string]string{"cognome": "Rossi", "nome": "Maria", "email": "Maria.Rossi@Example.it", "dataNascita": "07/03/1970", "password": password}
	var msg message
	e.mustJSON(anonymous, "POST", "/api/v1/auth/register", reg, http.StatusCreated, &msg)
	if !strings.Contains(msg.Message, "Maria.Rossi@Example.it") {
		t.Errorf("message %q", msg.Message)
	}
	// Not active yet: the right password gets a clear refusal.
	_, b := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": "maria.rossi@example.it", "password": password})
	if eb := apiError(t, b); eb.Error.Code != core.EFORBIDDEN || !strings.Contains(eb.Error.Message, "non è ancora attivo") {
		t.Fatalf("inactive login: %s", b)
	}
	link := e.lastLink("maria.rossi@example.it")
	if !strings.HasPrefix(link, "http://nullaosta.test/attiva?token=") {
		t.Fatalf("activation link %q", link)
	}
	// Activation asks for the password chosen at registration.
	res, b := e.do(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": tokenOf(t, link)})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Field != "password" {
		t.Fatalf("activation without the password: %d %s", res.StatusCode, b)
	}
	res, b = e.do(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": tokenOf(t, link), "password": "un'altra password lunga"})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Code != "wrong_password" {
		t.Fatalf("activation with another password: %d %s", res.StatusCode, b)
	}
	e.mustJSON(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": tokenOf(t, link), "password": password}, http.StatusOK, nil)
	// The link opened again: the account is active, nothing changes.
	e.mustJSON(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": tokenOf(t, link)}, http.StatusOK, nil)

	a := e.login("maria", "MARIA.ROSSI@example.it", password)
	if a.cookie == "" {
		t.Fatal("no session cookie")
	}
	res, b = e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": "maria.rossi@example.it", "password": password})
	c := res.Cookies()[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v (http base URL: not Secure)", c)
	}
	var me userJSON
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	if me.Email != "maria.rossi@example.it" || me.Role != core.RolePrivato || me.DataNascita != "1970-03-07" || me.ModuleLimit != 5 || len(me.Quota) != 2 {
		t.Fatalf("me = %s", b)
	}
	e.mustJSON(a, "POST", "/api/v1/auth/logout", nil, http.StatusNoContent, nil)
	_, b = e.do(a, "GET", "/api/v1/me", nil)
	if eb := apiError(t, b); eb.Error.Code != core.EUNAUTHORIZED || !strings.Contains(eb.Error.Message, "scaduta") {
		t.Fatalf("after logout: %s", b)
	}
}

func TestRegisterRefusals(t *testing.T) {
	e := newEnv(t)
	res, b := e.do(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "", "nome": "M", "email": "non-email", "dataNascita": "31/02/1970", "password": "corta"})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", res.StatusCode, b)
	}
	eb := apiError(t, b)
	fields := map[string]string{}
	for _, p := range eb.Problems {
		fields[p.Field] = p.Code
	}
	for f, code := range map[string]string{"cognome": "required", "email": "format", "dataNascita": "format", "password": "weak_password"} {
		if fields[f] != code {
			t.Errorf("problem on %s = %q, want %q (%s)", f, fields[f], code, b)
		}
	}
	// Minors cannot register.
	_, b = e.do(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "R", "nome": "M", "email": "young@example.it", "dataNascita": "2000-01-01", "password": password})
	if eb := apiError(t, b); len(eb.Problems) != 1 || eb.Problems[0].Code != "min_age" {
		t.Errorf("minor: %s", b)
	}
}

func TestLoginWrongCredentials(t *testing.T) {
	e := newEnv(t)
	e.newActor("m", "m@example.it", core.RolePrivato)
	for _, c := range []map[string]string{
		{"email": "m@example.it", "password": "sbagliata!!"},
		{"email": "nessuno@example.it", "password": password},
	} {
		res, b := e.do(anonymous, "POST", "/api/v1/auth/login", c)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(apiError(t, b).Error.Message, "E-mail o password errate") {
			t.Errorf("%v: %d %s", c, res.StatusCode, b)
		}
	}
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	e := newEnv(t)
	e.newActor("m", "limite@example.it", core.RolePrivato)
	var last int
	var msgs []string
	var retryAfter string
	for range 11 {
		res, b := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": "limite@example.it", "password": "sbagliata!!"})
		last, retryAfter = res.StatusCode, res.Header.Get("Retry-After")
		msgs = append(msgs, apiError(t, b).Error.Message)
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("11th wrong login: %d, want 429", last)
	}
	// The failures are counted down before the lock, which says when to try again, from its
	// Retry-After. (Only failures count: newActor's login was not one.)
	for i, want := range map[int]string{
		0: "E-mail o password errate. Controlla e riprova; se non ricordi la password usa «Password dimenticata».",
		6: "Attenzione: ti restano 3 tentativi, poi l'accesso con questa e-mail sarà bloccato per 15 minuti.",
		8: "Attenzione: ti resta 1 tentativo, poi l'accesso con questa e-mail sarà bloccato per 15 minuti.",
		9: "Attenzione: era l'ultimo tentativo; ora l'accesso con questa e-mail è bloccato e potrai riprovare tra 15 minuti.",
	} {
		if !strings.HasSuffix(msgs[i], want) {
			t.Errorf("attempt %d: %q, want it to end with %q", i+1, msgs[i], want)
		}
	}
	if strings.Contains(msgs[5], "Attenzione") {
		t.Errorf("attempt 6 already warns: %q", msgs[5])
	}
	if retryAfter != "900" || msgs[10] != "Troppi tentativi in poco tempo: riprova tra 15 minuti." {
		t.Errorf("lockout: Retry-After %q, message %q", retryAfter, msgs[10])
	}
	// Even the right password waits now; another account is not affected.
	if res, _ := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": "LIMITE@example.it", "password": password}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after the limit: %d", res.StatusCode)
	}
	e.newActor("altro", "altro@example.it", core.RolePrivato)
}

func TestBenchTurnsOffLimits(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Bench = true })
	e.newActor("m", "bench@example.it", core.RolePrivato)
	for range 15 {
		if res, _ := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": "bench@example.it", "password": "sbagliata!!"}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d with -bench", res.StatusCode)
		}
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "pw@example.it", core.RolePrivato)
	other := e.login("m2", "pw@example.it", password) // a second browser
	tok := e.withToken(a)
	res, b := e.do(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": "sbagliata!!", "newPassword": "nuova password lunga"})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Field != "oldPassword" {
		t.Fatalf("wrong old password: %d %s", res.StatusCode, b)
	}
	res, b = e.do(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": password, "newPassword": "corta"})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Field != "newPassword" {
		t.Fatalf("weak new password: %d %s", res.StatusCode, b)
	}
	e.mustJSON(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": password, "newPassword": "nuova password lunga"}, http.StatusNoContent, nil)
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusOK, nil)               // this session stays
	e.mustJSON(other, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil) // the others end
	e.mustJSON(tok, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)   // and the tokens
	e.login("m", "pw@example.it", "nuova password lunga")
}

func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "reset@example.it", core.RolePrivato)
	var msg message
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset", map[string]string{"email": "nessuno@example.it"}, http.StatusAccepted, &msg)
	unknown := msg.Message
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset", map[string]string{"email": "Reset@example.it"}, http.StatusAccepted, &msg)
	if msg.Message != unknown {
		t.Fatal("the answer tells whether the account exists")
	}
	link := e.lastLink("reset@example.it")
	if !strings.HasPrefix(link, "http://nullaosta.test/reimposta-password?token=") {
		t.Fatalf("reset link %q", link)
	}
	// The page checks its link when it opens; checking does not use it.
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset/check", map[string]string{"token": tokenOf(t, link)}, http.StatusNoContent, nil)
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset/check", map[string]string{"token": tokenOf(t, link)}, http.StatusNoContent, nil)
	_, b := e.do(anonymous, "POST", "/api/v1/auth/reset/confirm", map[string]string{"token": tokenOf(t, link), "password": "corta"})
	if apiError(t, b).Problems[0].Code != "weak_password" {
		t.Fatalf("weak: %s", b)
	}
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset/confirm", map[string]string{"token": tokenOf(t, link), "password": "password nuova di zecca"}, http.StatusNoContent, nil)
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil) // sessions ended
	e.login("m", "reset@example.it", "password nuova di zecca")
	res, _ := e.do(anonymous, "POST", "/api/v1/auth/reset/confirm", map[string]string{"token": tokenOf(t, link), "password": "ancora un'altra password"})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("reset link used twice: %d", res.StatusCode)
	}
	res, b = e.do(anonymous, "POST", "/api/v1/auth/reset/check", map[string]string{"token": tokenOf(t, link)})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(apiError(t, b).Error.Message, "Password dimenticata") {
		t.Fatalf("check of a used reset link: %d %s", res.StatusCode, b)
	}
}

func TestActivateBadToken(t *testing.T) {
	e := newEnv(t)
	res, b := e.do(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": "inventato"})
	if res.StatusCode != http.StatusBadRequest || apiError(t, b).Error.Code != core.EINVALID {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
}
