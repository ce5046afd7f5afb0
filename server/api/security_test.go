package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/mail"
	"nullaosta/shared"
	"nullaosta/shared/codicefiscale"
)

// The tests of issue 8, one per attack, each named for it.

// unknownKeys is a data object of n keys no module has.
func unknownKeys(n int) map[string]string {
	d := make(map[string]string, n)
	for i := range n {
		d[fmt.Sprintf("campo.inventato.%05d", i)] = "xxxxxxxxx"
	}
	return d
}

// TestMemoryAmplificationValidate: a megabyte of unknown keys to the anonymous validator is
// refused before it is read (it was answered with one problem per key, 4.8 MB each); within
// the limits, unknown keys beyond a few are counted in one problem, not listed.
func TestMemoryAmplificationValidate(t *testing.T) {
	e := newEnv(t)
	big, _ := json.Marshal(map[string]any{"module": "EM", "data": unknownKeys(29000)})
	if len(big) < 1<<20-100<<10 {
		t.Fatalf("the attack body is %d bytes", len(big))
	}
	res, b := e.do(anonymous, "POST", "/api/v1/validate", string(big))
	if res.StatusCode != http.StatusRequestEntityTooLarge || len(b) > 1024 {
		t.Fatalf("1 MiB of unknown keys: %d, %d bytes: %.200s", res.StatusCode, len(b), b)
	}
	// Too many keys in a body under the byte limit: refused at decoding.
	d := unknownKeys(shared.Limits().MaxKeys + 1)
	res, b = e.do(anonymous, "POST", "/api/v1/validate", map[string]any{"module": "EM", "data": d})
	if res.StatusCode != http.StatusRequestEntityTooLarge || apiError(t, b).Error.Code != core.ETOOLARGE {
		t.Fatalf("%d keys: %d %.200s", len(d), res.StatusCode, b)
	}
	// As many unknown keys as the limit allows: five named, the rest counted.
	d = unknownKeys(shared.Limits().MaxKeys)
	var result shared.Result
	e.mustJSON(anonymous, "POST", "/api/v1/validate", map[string]any{"module": "EM", "data": d}, http.StatusOK, &result)
	unknown, summary := 0, ""
	for _, p := range result.Problems {
		if p.Code == shared.CodeUnknownField {
			unknown++
			if p.Field == "" {
				summary = p.Message
			}
		}
	}
	want := fmt.Sprintf("Altri %d campi", len(d)-shared.MaxUnknownShown)
	if unknown != shared.MaxUnknownShown+1 || !strings.Contains(summary, want) {
		t.Fatalf("%d unknown keys: %d problems about them, summary %q", len(d), unknown, summary)
	}
}

// TestMemoryAmplificationSubmissions: a 7 MiB batch is refused from its declared length, and
// one that does not declare it is cut at the limit; neither is decoded.
func TestMemoryAmplificationSubmissions(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "mem@example.it", core.RolePrivato)
	body := `{"submissions": [{"submissionId": "attacco-0001", "moduleId": "x", "data": {"k": "` + strings.Repeat("A", 7<<20) + `"}}]}`
	res, b := e.do(a, "POST", "/api/v1/submissions", body)
	if res.StatusCode != http.StatusRequestEntityTooLarge || apiError(t, b).Error.Code != core.ETOOLARGE {
		t.Fatalf("7 MiB declared: %d %.200s", res.StatusCode, b)
	}
	// Chunked: no Content-Length, read up to the limit only.
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/submissions", io.MultiReader(strings.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: a.cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("7 MiB chunked: %d %.200s", resp.StatusCode, b)
	}
	// A value longer than any field: refused at decoding, naming the field.
	long := map[string]any{"module": "EM", "data": map[string]string{"datore.cognome": strings.Repeat("è", 1000)}}
	res, b = e.do(anonymous, "POST", "/api/v1/validate", long)
	if res.StatusCode/100 != 4 || !strings.Contains(apiError(t, b).Error.Message, "datore.cognome") {
		t.Fatalf("long value: %d %s", res.StatusCode, b)
	}
}

// TestConcurrentWorkPerClient: one client runs at most maxInFlight requests with a body; more
// wait their turn, and are refused if none comes. The server's body budget refuses (503) a
// request that would overrun it.
func TestConcurrentWorkPerClient(t *testing.T) {
	b := newBounds(true)
	b.wait = 50 * time.Millisecond
	var done []func()
	for i := range maxInFlight {
		d, err := b.acquire(context.Background(), "user:1", 1)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		done = append(done, d)
	}
	if _, err := b.acquire(context.Background(), "user:1", 1); core.ErrorCode(err) != core.ERATELIMITED {
		t.Fatalf("request %d of one client: %v", maxInFlight+1, err)
	}
	// Another client is not held up.
	d, err := b.acquire(context.Background(), "user:2", 1)
	if err != nil {
		t.Fatal(err)
	}
	d()
	// A turn given back is taken by the next request.
	done[0]()
	if d, err := b.acquire(context.Background(), "user:1", 1); err != nil {
		t.Fatalf("after one finished: %v", err)
	} else {
		d()
	}
	for _, d := range done[1:] {
		d()
	}
	if len(b.clients) != 0 || b.reserved != 0 {
		t.Fatalf("left behind: %d clients, %d bytes", len(b.clients), b.reserved)
	}
	// The budget.
	big, err := b.acquire(context.Background(), "user:3", bodyBudget-10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.acquire(context.Background(), "user:4", 11); core.ErrorCode(err) != core.ERETRY {
		t.Fatalf("over the budget: %v", err)
	}
	big()
	if len(b.clients) != 0 || b.reserved != 0 {
		t.Fatalf("left behind: %d clients, %d bytes", len(b.clients), b.reserved)
	}
}

// TestHostHeaderCannotChooseEmailLinks: the links of activation and reset e-mails come from
// the configured address whatever Host the request names, and a server cannot be built
// without one.
func TestHostHeaderCannotChooseEmailLinks(t *testing.T) {
	e := newEnv(t)
	reg := map[string]string{"cognome": "Rossi", "nome": "Maria", "email": "host@example.it", "dataNascita": "01/02/1970", "password": "scala mobile di notte"}
	req, _ := json.Marshal(reg)
	r, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/auth/register", bytes.NewReader(req))
	r.Host = "evil.example"
	r.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if link := e.lastLink("host@example.it"); !strings.HasPrefix(link, "http://nullaosta.test/") {
		t.Fatalf("activation link %q", link)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New without a BaseURL did not refuse")
		}
	}()
	New(e.db, testSigner(), Config{Campaigns: shared.Campaigns()})
}

// omocodic returns code with its last numeric digit replaced by its omocodia letter and the
// check character recomputed: another way of writing the same codice fiscale.
func omocodic(t *testing.T, code string) string {
	t.Helper()
	const letters = "LMNPQRSTUV"
	b := []byte(code)
	b[14] = letters[b[14]-'0']
	for c := byte('A'); c <= 'Z'; c++ {
		b[15] = c
		if codicefiscale.Check(string(b)) == nil {
			return string(b)
		}
	}
	t.Fatalf("no omocodic form of %s", code)
	return ""
}

// TestOmocodiaBypassesEmployerLimits: an employer writing its codice fiscale in an omocodic
// form is the same employer for E3, and a worker's omocodic code the same worker for E2.
func TestOmocodiaBypassesEmployerLimits(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("op", "omocodia@example.it", core.RoleOperatore)
	colf := fixture(t, "em_colf.json")
	if r := e.send(a, item{"omo-colf-0001", e.newModule(a, shared.KindEM, colf), colf})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("first colf: %+v", r)
	}
	// E3: a second colf, another worker, the employer's code in an omocodic form.
	second := colf.Clone()
	second["lavoratore.documento.numero"] = "N7654321"
	delete(second, "lavoratore.codice_fiscale")
	second["datore.codice_fiscale"] = omocodic(t, colf.Str("datore.codice_fiscale"))
	r := e.send(a, item{"omo-colf-0002", e.newModule(a, shared.KindEM, second), second})[0]
	if r.Status != core.StatusRejected || len(r.Problems) == 0 || r.Problems[0].Code != shared.CodeLimitColf {
		t.Fatalf("second colf with an omocodic employer code: %+v", r)
	}
	// E2: the same worker (the badante fixture's codice fiscale) in an omocodic form, with
	// another document.
	bad := fixture(t, "em_badante.json")
	if r := e.send(a, item{"omo-bad-0001", e.newModule(a, shared.KindEM, bad), bad})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("first badante: %+v", r)
	}
	again := bad.Clone()
	again["lavoratore.documento.numero"] = "Z0000001"
	again["lavoratore.codice_fiscale"] = omocodic(t, bad.Str("lavoratore.codice_fiscale"))
	r = e.send(a, item{"omo-bad-0002", e.newModule(a, shared.KindEM, again), again})[0]
	if r.Status != core.StatusRejected || len(r.Problems) == 0 || r.Problems[0].Code != shared.CodeDuplicateWorker {
		t.Fatalf("same worker by an omocodic code: %+v", r)
	}
}

// TestDocumentNumberLookalikesBypassE2: the same passport written with full-width digits or
// a Cyrillic letter is the same worker.
func TestDocumentNumberLookalikesBypassE2(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("op", "lookalike@example.it", core.RoleOperatore)
	bad := fixture(t, "em_badante.json")
	delete(bad, "lavoratore.codice_fiscale")
	bad["lavoratore.documento.numero"] = "AB1234567"
	if r := e.send(a, item{"look-bad-0001", e.newModule(a, shared.KindEM, bad), bad})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("first: %+v", r)
	}
	for i, number := range []string{"ＡＢ１２３４５６７", "АВ1234567", "ab-123.4567"} {
		d := bad.Clone()
		d["lavoratore.documento.numero"] = number
		r := e.send(a, item{fmt.Sprintf("look-bad-%04d", i+2), e.newModule(a, shared.KindEM, d), d})[0]
		if r.Status != core.StatusRejected || len(r.Problems) == 0 || r.Problems[0].Code != shared.CodeDuplicateWorker {
			t.Fatalf("%q: %+v", number, r)
		}
	}
}

// TestCSVFormulaInjection: every cell a spreadsheet would run is neutralised, numbers that
// begin like a formula included, except plain numbers in a numeric column.
func TestCSVFormulaInjection(t *testing.T) {
	col := map[string]int{"datore.cognome": 0, "recapiti.cellulare": 1, "rapporto.retribuzione_mensile": 2}
	numeric := []bool{false, false, true}
	content := `{"datore.cognome":"-2+3+cmd|' /C calc'!A0","recapiti.cellulare":"+1+HYPERLINK(\"http://x\")","rapporto.retribuzione_mensile":-12.5}`
	rec := make([]string, 3)
	if err := fillRecord([]byte(content), &csvColumns{col: col, numeric: numeric}, rec); err != nil {
		t.Fatal(err)
	}
	if rec[0] != "'-2+3+cmd|' /C calc'!A0" || rec[1] != `'+1+HYPERLINK("http://x")` || rec[2] != "-12.5" {
		t.Fatalf("cells %q", rec)
	}
	for _, s := range []string{"=1", "+1", "-1", "@a", "\tb", "\rc"} {
		if got := csvCell(s, false); got != "'"+s {
			t.Errorf("%q → %q", s, got)
		}
	}
	if got := csvCell("-1+1", true); got != "'-1+1" {
		t.Errorf("a formula in a numeric column: %q", got)
	}
}

// englishJSON are the traces of encoding/json's own messages.
var englishJSON = []string{"invalid character", "looking for", "json:", "unexpected end", "cannot unmarshal", "Go value"}

// TestDecoderMessagesInItalian: whatever is wrong with a body, the answer says it in Italian
// without Go's text.
func TestDecoderMessagesInItalian(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{
		`hello`, `{"module": "EM", "data": {"a": }}`, `{"module": "EM"`, `[1, 2]`, `"testo"`, `{"module": 5}`,
		`{"module": "EM", "data": []}`, `{"module": "EM"} x`, ``, `{"module": "EM", "data": {"a": "b",}}`, `{"a":1e999}`,
		`{"module": "EM", "data": {"x": {"y": {"z": {"w": {"v": {"u": {"t": {}}}}}}}}}`, `{"module": "EM", "extra": 1}`,
	} {
		res, b := e.do(anonymous, "POST", "/api/v1/validate", body)
		msg := apiError(t, b).Error.Message
		for _, en := range englishJSON {
			if strings.Contains(msg, en) {
				t.Errorf("%q: %d %q", body, res.StatusCode, msg)
			}
		}
		if res.StatusCode/100 != 4 {
			t.Errorf("%q: %d %s", body, res.StatusCode, b)
		}
	}
}

// TestNULAndInvalidUTF8Stored: a NUL byte or invalid UTF-8 in any string is refused at
// decoding, naming the field, instead of being stored (and reaching the CSV).
func TestNULAndInvalidUTF8Stored(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "nul@example.it", core.RolePrivato)
	for _, tc := range []struct{ body, field string }{
		{`{"kind": "EM", "data": {"datore.cognome": "Rossi\u0000"}}`, "datore.cognome"},
		{"{\"kind\": \"EM\", \"data\": {\"datore.nome\": \"Mar\xffia\"}}", "datore.nome"},
		{`{"kind": "EM", "data": {"datore.nome": "Mar\ud800ia"}}`, "datore.nome"},
		{"{\"kind\": \"EM\", \"data\": {\"dat\xfe\": \"x\"}}", "nome di campo"},
	} {
		res, b := e.do(a, "POST", "/api/v1/modules", tc.body)
		if res.StatusCode/100 != 4 || !strings.Contains(apiError(t, b).Error.Message, tc.field) {
			t.Errorf("%q: %d %s", tc.body, res.StatusCode, b)
		}
	}
	if ms, _ := e.db.Modules(context.Background(), a.user.ID); len(ms) != 0 {
		t.Fatalf("%d modules stored", len(ms))
	}
}

// TestActivationLinkInLog: without SMTP, the sender logs that a message was queued, never
// its link.
func TestActivationLinkInLog(t *testing.T) {
	e := newEnv(t)
	e.mustJSON(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "Rossi", "nome": "Maria",
		"email": "log@example.it", "dataNascita": "01/02/1970", "password": "scala mobile di notte"}, http.StatusCreated, nil)
	var logs bytes.Buffer
	s := mail.NewSender(e.db, mail.SMTP{}, slog.New(slog.NewTextHandler(&logs, nil)))
	s.Flush(context.Background())
	token := tokenOf(t, e.lastLink("log@example.it"))
	if token == "" || strings.Contains(logs.String(), token) || !strings.Contains(logs.String(), "log@example.it") {
		t.Fatalf("log: %s", logs.String())
	}
}

// TestSlowBodyAnswerShowsAddresses: a body that arrives too slowly is answered with the API's
// JSON error in Italian, without socket addresses.
func TestSlowBodyAnswerShowsAddresses(t *testing.T) {
	e := newEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: e.srv, ReadTimeout: 300 * time.Millisecond}
	go hs.Serve(ln)
	defer hs.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Headers and part of the body, then nothing: the server's read deadline passes.
	fmt.Fprintf(c, "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"module\": ")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, _ := io.ReadAll(c)
	out := string(b)
	if !strings.Contains(out, "application/json") || !strings.Contains(out, "troppo lentamente") ||
		strings.Contains(out, "127.0.0.1") || strings.Contains(out, "tcp") {
		t.Fatalf("answer: %s", out)
	}
}

// register posts a registration for email with password pw and returns the newest link sent
// to the address.
func (e *env) register(email, pw string) string {
	e.t.Helper()
	e.mustJSON(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "Bianchi", "nome": "Lucia",
		"email": email, "dataNascita": "01/02/1970", "password": pw}, http.StatusCreated, nil)
	return e.lastLink(email)
}

func (e *env) activateStatus(link, pw string) int {
	e.t.Helper()
	res, _ := e.do(anonymous, "POST", "/api/v1/auth/activate", map[string]string{"token": tokenOf(e.t, link), "password": pw})
	return res.StatusCode
}

func (e *env) loginStatus(email, pw string) int {
	e.t.Helper()
	res, _ := e.do(anonymous, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
	return res.StatusCode
}

// TestAccountTakeoverBeforeActivation: whoever registers a victim's address first cannot
// capture it. A later registration replaces a pending one (the old link dies), and the link
// activates only with the password of the newest registration, which only the mailbox's
// owner can complete.
func TestAccountTakeoverBeforeActivation(t *testing.T) {
	e := newEnv(t)
	const victim, attacker = "vittima ha una frase sua", "attaccante ha la sua frase"
	// The attacker registers the victim's address first.
	attackerLink := e.register("vittima@example.it", attacker)
	// The victim registers: the attacker's registration is replaced, its link is dead.
	victimLink := e.register("vittima@example.it", victim)
	if st := e.activateStatus(attackerLink, attacker); st != http.StatusBadRequest {
		t.Fatalf("the attacker's link after the victim registered: %d", st)
	}
	// The attacker registers again: the victim's link dies, and the newest link (in the
	// victim's mailbox) does not activate with the victim's password…
	attackerLink2 := e.register("vittima@example.it", attacker)
	if st := e.activateStatus(victimLink, victim); st != http.StatusBadRequest {
		t.Fatalf("a replaced link: %d", st)
	}
	if st := e.activateStatus(attackerLink2, victim); st != http.StatusUnprocessableEntity {
		t.Fatalf("the attacker's registration activated with the victim's password: %d", st)
	}
	// …so the victim registers again and activates with their own password.
	if st := e.activateStatus(e.register("vittima@example.it", victim), victim); st != http.StatusOK {
		t.Fatalf("the victim's activation: %d", st)
	}
	if e.loginStatus("vittima@example.it", attacker) != http.StatusUnauthorized || e.loginStatus("vittima@example.it", victim) != http.StatusOK {
		t.Fatal("the account does not have the victim's password")
	}
	// An active account cannot be re-registered: the registration changes nothing.
	e.mustJSON(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "X", "nome": "Y",
		"email": "vittima@example.it", "dataNascita": "01/02/1970", "password": attacker}, http.StatusCreated, nil)
	if e.loginStatus("vittima@example.it", victim) != http.StatusOK {
		t.Fatal("a registration changed an active account")
	}
}

// TestAccountEnumeration: registering and asking for a reset answer the same whether or not
// the address has an account; the mailbox is told.
func TestAccountEnumeration(t *testing.T) {
	e := newEnv(t)
	e.newActor("m", "esiste@example.it", core.RolePrivato)
	answer := func(path string, body map[string]string) string {
		res, b := e.do(anonymous, "POST", path, body)
		return fmt.Sprintf("%d %s", res.StatusCode, strings.ReplaceAll(string(b), body["email"], "EMAIL"))
	}
	reg := func(email string) map[string]string {
		return map[string]string{"cognome": "R", "nome": "M", "email": email, "dataNascita": "1970-01-01", "password": password}
	}
	taken, free := answer("/api/v1/auth/register", reg("esiste@example.it")), answer("/api/v1/auth/register", reg("libero@example.it"))
	if taken != free || !strings.HasPrefix(taken, "201") {
		t.Fatalf("register:\n taken %s\n  free %s", taken, free)
	}
	var ms []core.Mail
	e.mustJSON(anonymous, "GET", "/api/v1/dev/mail?to=esiste@example.it", nil, http.StatusOK, &ms)
	if len(ms) != 2 || !strings.Contains(ms[0].Body, "già un account") || ms[0].Link != "" {
		t.Fatalf("the owner's mail: %+v", ms)
	}
	taken = answer("/api/v1/auth/reset", map[string]string{"email": "esiste@example.it"})
	free = answer("/api/v1/auth/reset", map[string]string{"email": "nessuno@example.it"})
	if taken != free || !strings.HasPrefix(taken, "202") {
		t.Fatalf("reset:\n taken %s\n  free %s", taken, free)
	}
	// Both paths wait for the same floor, longer than either's work.
	if e.srv.uniform < 100*time.Millisecond {
		t.Fatalf("uniform answer time %v", e.srv.uniform)
	}
}

// TestLockedLoginStillChecksTokens: once failed logins lock an account, no route checks its
// password: not POST /tokens, not a password change, not login.
func TestLockedLoginStillChecksTokens(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "lock@example.it", core.RolePrivato)
	for range core.PasswordLimit.Max {
		if st := e.loginStatus("lock@example.it", "sbagliata di sicuro"); st != http.StatusUnauthorized {
			t.Fatalf("wrong login: %d", st)
		}
	}
	res, b := e.do(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": "lock@example.it", "password": password})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("POST /tokens with the right password while locked: %d %s", res.StatusCode, b)
	}
	res, b = e.do(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": password, "newPassword": "una nuova frase segreta"})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("password change while locked: %d %s", res.StatusCode, b)
	}
	if st := e.loginStatus("lock@example.it", password); st != http.StatusTooManyRequests {
		t.Fatalf("login while locked: %d", st)
	}
	// Failures on POST /tokens count too: another account, locked through the tokens route.
	e.newActor("n", "lock2@example.it", core.RolePrivato)
	for range core.PasswordLimit.Max {
		e.do(anonymous, "POST", "/api/v1/tokens", map[string]string{"email": "lock2@example.it", "password": "sbagliata di sicuro"})
	}
	if st := e.loginStatus("lock2@example.it", password); st != http.StatusTooManyRequests {
		t.Fatalf("login after failures on /tokens: %d", st)
	}
}

// TestWeakPasswordsAccepted: NIST SP 800-63B on every route that sets a password.
func TestWeakPasswordsAccepted(t *testing.T) {
	e := newEnv(t)
	for _, pw := range []string{"aaaaaaaaaa", "1234567890", "password12", "aaaaaaaaaaaa", "123456789012", "password1234", "debole@example.it", "luciabianchi1970"} {
		res, b := e.do(anonymous, "POST", "/api/v1/auth/register", map[string]string{"cognome": "Bianchi", "nome": "Lucia",
			"email": "debole@example.it", "dataNascita": "01/02/1970", "password": pw})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "weak_password") {
			t.Errorf("register with %q: %d %s", pw, res.StatusCode, b)
		}
	}
	a := e.newActor("m", "forte@example.it", core.RolePrivato)
	res, b := e.do(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": password, "newPassword": "qwertyuiop123"})
	if res.StatusCode != http.StatusUnprocessableEntity || apiError(t, b).Problems[0].Code != "weak_password" {
		t.Errorf("change to a common password: %d %s", res.StatusCode, b)
	}
}

// TestResetLinkSurvivesPasswordChange: a password change ends every reset link issued before
// it, and every session but the current one.
func TestResetLinkSurvivesPasswordChange(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "cambio@example.it", core.RolePrivato)
	other := e.login("m2", "cambio@example.it", password)
	e.mustJSON(anonymous, "POST", "/api/v1/auth/reset", map[string]string{"email": "cambio@example.it"}, http.StatusAccepted, nil)
	link := e.lastLink("cambio@example.it")
	e.mustJSON(a, "POST", "/api/v1/auth/password", map[string]string{"oldPassword": password, "newPassword": "la mia nuova frase"}, http.StatusNoContent, nil)
	res, b := e.do(anonymous, "POST", "/api/v1/auth/reset/confirm", map[string]string{"token": tokenOf(t, link), "password": "la frase di chi ha il link"})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("old reset link after a password change: %d %s", res.StatusCode, b)
	}
	e.mustJSON(a, "GET", "/api/v1/me", nil, http.StatusOK, nil)
	e.mustJSON(other, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	if e.loginStatus("cambio@example.it", "la mia nuova frase") != http.StatusOK {
		t.Fatal("the new password does not work")
	}
}

// TestSubmissionFloodPerAccount: an account that sent more than core.SubmitLimit modules in
// the window is refused (429) before its body is read, whether the modules were accepted or
// refused; another account is not.
func TestSubmissionFloodPerAccount(t *testing.T) {
	saved := core.SubmitLimit
	core.SubmitLimit = core.Limit{Max: 3, Window: time.Hour}
	defer func() { core.SubmitLimit = saved }()
	e := newEnv(t)
	a := e.newActor("op", "flood@example.it", core.RoleOperatore)
	colf := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, colf)
	// One accepted, then replays of it (each counted by the store's write) and a refusal
	// before the store (counted by its own write).
	e.send(a, item{"flood-0001", id, colf})
	e.send(a, item{"flood-0001", id, colf})
	e.send(a, item{"flood-0002", "EM-XXXX-XXXX-0", colf})
	res, b := e.do(a, "POST", "/api/v1/submissions", map[string]any{"submissions": []item{{"flood-0001", id, colf}}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("over the limit: %d %s", res.StatusCode, b)
	}
	other := e.newActor("op2", "calmo@example.it", core.RoleOperatore)
	e.send(other, item{"calm-0001", e.newModule(other, shared.KindEM, colf), colf})
}
