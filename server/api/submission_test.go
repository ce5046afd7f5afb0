package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

func TestSubmitAcceptReplayConflict(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "sub@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)

	r := e.send(a, item{"11111111-aaaa-bbbb-cccc-000000000001", id, d})[0]
	if r.Status != core.StatusAccepted || r.Receipt == nil || r.Error != nil {
		t.Fatalf("first send: %+v", r)
	}
	rc := r.Receipt
	if rc.Protocol != "EM2009-0000001" || rc.ModuleID != id || rc.Provincia != "CN" || !strings.Contains(rc.Sportello, "Cuneo") ||
		rc.ReceivedAtRome != "15/09/2009 10:00:00" || len(rc.SHA256) != 64 {
		t.Fatalf("receipt %+v", rc)
	}
	// Anyone can verify it with the published key.
	var info receipt.PublicKeyInfo
	e.mustJSON(anonymous, "GET", "/api/v1/receipts/public-key", nil, http.StatusOK, &info)
	pub, err := receipt.ParsePublicKey([]byte(info.PublicKey))
	if err != nil || receipt.Verify(pub, rc) != nil || info.KeyID != rc.KeyID {
		t.Fatalf("verification: %v", err)
	}

	// The same submission again (the client did not get the answer): the same receipt.
	if r := e.send(a, item{"11111111-aaaa-bbbb-cccc-000000000001", id, d})[0]; r.Status != core.StatusAccepted || *r.Receipt != *rc {
		t.Fatalf("replay: %+v", r)
	}
	// The same content typed differently, under a new id: still the same receipt.
	d2 := d.Clone()
	d2["datore.telefono"] = "0171 123 456"
	d2["datore.data_nascita"] = "12/03/1958"
	if r := e.send(a, item{"11111111-aaaa-bbbb-cccc-000000000002", id, d2})[0]; r.Status != core.StatusAccepted || r.Receipt.Protocol != rc.Protocol {
		t.Fatalf("same content, new id: %+v", r)
	}
	// Different content: conflict, permanent.
	d3 := d.Clone()
	d3["rapporto.retribuzione_mensile"] = "950,00"
	r = e.send(a, item{"11111111-aaaa-bbbb-cccc-000000000003", id, d3})[0]
	if r.Status != core.StatusConflict || r.Error.Code != core.ECONFLICT || !strings.Contains(r.Error.Message, rc.Protocol) {
		t.Fatalf("changed content: %+v", r)
	}
	// The module shows it was sent.
	var m core.Module
	e.mustJSON(a, "GET", "/api/v1/modules/"+id, nil, http.StatusOK, &m)
	if m.Status != core.ModuleSent || m.Receipt == nil || m.Receipt.Protocol != rc.Protocol {
		t.Fatalf("module %+v", m)
	}
	var rs []core.Receipt
	e.mustJSON(a, "GET", "/api/v1/receipts", nil, http.StatusOK, &rs)
	if len(rs) != 1 || rs[0] != *rc {
		t.Fatalf("receipts %+v", rs)
	}
}

func TestSubmitRejections(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "rej@example.it", core.RolePrivato)
	other := e.newActor("o", "other@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)
	otherID := e.newModule(other, shared.KindEM, d)

	invalid := d.Clone()
	invalid["rapporto.orario_settimanale"] = "10"
	locked := d.Clone()
	locked["datore.cognome"] = "Neri"
	typo := id[:len(id)-1] + "Z" // another check symbol, whatever the id's
	if strings.HasSuffix(id, "Z") {
		typo = id[:len(id)-1] + "Y"
	}
	tests := []struct {
		name      string
		it        item
		code      string
		field     string
		msgSubstr string
	}{
		{"invalid data", item{"rej-00000001", id, invalid}, core.EINVALID, "rapporto.orario_settimanale", "20"},
		{"locked field", item{"rej-00000002", id, locked}, core.ELOCKED, "datore.cognome", "Bianchi"},
		{"someone else's module", item{"rej-00000003", otherID, d}, core.ENOTFOUND, "", "non è tuo"},
		{"unknown module", item{"rej-00000004", "EM-0000-0000-0", d}, core.ENOTFOUND, "", "non esiste"},
		{"typo in the module id", item{"rej-00000005", typo, d}, core.EINVALID, "", "battitura"},
		{"bad submission id", item{"x", id, d}, core.EINVALID, "", "identificativo di invio"},
	}
	for _, tc := range tests {
		r := e.send(a, tc.it)[0]
		if r.Status != core.StatusRejected || r.Error == nil || r.Error.Code != tc.code || !strings.Contains(r.Error.Message, tc.msgSubstr) {
			t.Errorf("%s: %+v", tc.name, r)
			continue
		}
		if tc.field != "" && (len(r.Problems) == 0 || r.Problems[0].Field != tc.field) {
			t.Errorf("%s: problems %+v", tc.name, r.Problems)
		}
	}
	// Nothing was stored, and the module can still be sent.
	if r := e.send(a, item{"rej-00000006", id, d})[0]; r.Status != core.StatusAccepted || r.Receipt.Protocol != "EM2009-0000001" {
		t.Fatalf("after the rejections: %+v", r)
	}
}

func TestSubmitWindowClosed(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "e1@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)
	// 1 October 2009, 00:30 in Rome: the window (1–30 September) is closed.
	e.setClock(time.Date(2009, 9, 30, 22, 30, 0, 0, time.UTC))
	r := e.send(a, item{"e1-000000001", id, d})[0]
	if r.Status != core.StatusRejected || r.Error.Code != core.ECLOSED || !strings.Contains(r.Error.Message, "30/09/2009") {
		t.Fatalf("closed window: %+v", r)
	}
	// 30 September 23:59 in Rome is still in time.
	e.setClock(time.Date(2009, 9, 30, 21, 59, 0, 0, time.UTC))
	if r := e.send(a, item{"e1-000000001", id, d})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("last minute: %+v", r)
	}
}

// TestSubmitEmployerRules: E2 (one module per worker and employer) and E3 (at most 1 colf and
// 2 badanti per employer), judged on what was already sent.
func TestSubmitEmployerRules(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("op", "e3@example.it", core.RoleOperatore)
	colf := fixture(t, "em_colf.json")
	if r := e.send(a, item{"e3-colf-0001", e.newModule(a, shared.KindEM, colf), colf})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("first colf: %+v", r)
	}
	// E2: the same worker (same passport) again for the same employer.
	again := colf.Clone()
	again["rapporto.tipologia"] = "badante"
	r := e.send(a, item{"e3-colf-0002", e.newModule(a, shared.KindEM, colf), colf})[0]
	if r.Status != core.StatusRejected || len(r.Problems) == 0 || r.Problems[0].Code != shared.CodeDuplicateWorker {
		t.Fatalf("same worker: %+v", r)
	}
	// E3: a second colf (another worker) for the same employer.
	second := colf.Clone()
	second["lavoratore.documento.numero"] = "N7654321"
	r = e.send(a, item{"e3-colf-0003", e.newModule(a, shared.KindEM, second), second})[0]
	if r.Status != core.StatusRejected || r.Problems[0].Code != shared.CodeLimitColf {
		t.Fatalf("second colf: %+v", r)
	}
	// Badanti: two pass, the third does not.
	bad := fixture(t, "em_badante.json")
	for i := range 3 {
		b := bad.Clone()
		b["lavoratore.documento.numero"] = fmt.Sprintf("EK00000%d", i)
		delete(b, "lavoratore.codice_fiscale")
		r := e.send(a, item{fmt.Sprintf("e3-badante-%04d", i), e.newModule(a, shared.KindEM, b), b})[0]
		want := core.StatusAccepted
		if i == 2 {
			want = core.StatusRejected
		}
		if r.Status != want || (i == 2 && r.Problems[0].Code != shared.CodeLimitBadanti) {
			t.Fatalf("badante %d: %+v", i+1, r)
		}
	}
}

func TestSubmitBatch(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("op", "batch@example.it", core.RoleOperatore)
	colf, bad := fixture(t, "em_colf.json"), fixture(t, "em_badante.json")
	colf["lavoratore.documento.data_scadenza"] = "2009-08-01" // expired: a warning only
	wrong := bad.Clone()
	wrong["rapporto.mansione"] = "cuoco"
	rs := e.send(a,
		item{"batch-000001", e.newModule(a, shared.KindEM, colf), colf},
		item{"batch-000002", e.newModule(a, shared.KindEM, wrong), wrong},
		item{"batch-000003", e.newModule(a, shared.KindEM, bad), bad},
	)
	if rs[0].Status != core.StatusAccepted || rs[1].Status != core.StatusRejected || rs[2].Status != core.StatusAccepted {
		t.Fatalf("batch %+v", rs)
	}
	if rs[0].Receipt.Protocol != "EM2009-0000001" || rs[2].Receipt.Protocol != "EM2009-0000002" {
		t.Fatalf("protocols %s %s", rs[0].Receipt.Protocol, rs[2].Receipt.Protocol)
	}
	// Warnings travel with an accepted result (the expired passport).
	if len(rs[0].Problems) == 0 || rs[0].Problems[0].Severity != shared.SeverityWarning {
		t.Errorf("warnings %+v", rs[0].Problems)
	}
}

func TestSubmitModuloA(t *testing.T) {
	e := newEnv(t)
	e.setClock(time.Date(2007, 12, 15, 8, 0, 0, 0, time.UTC)) // the 2007 click day
	a := e.newActor("m", "a@example.it", core.RolePrivato)
	for i, name := range []string{"a_nominativa.json", "a_numerica.json"} {
		d := fixture(t, name)
		r := e.send(a, item{fmt.Sprintf("a-submission-%d", i), e.newModule(a, shared.KindA, d), d})[0]
		if r.Status != core.StatusAccepted || !strings.HasPrefix(r.Receipt.Protocol, "A2007-000000") {
			t.Fatalf("%s: %+v", name, r)
		}
	}
}

func TestSubmitRequestErrors(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "req@example.it", core.RolePrivato)
	for _, tc := range []struct {
		body   any
		status int
		code   string
	}{
		{map[string]any{"submissions": []any{}}, http.StatusBadRequest, core.EINVALID},
		{`{"submissions": [], "extra": 1}`, http.StatusBadRequest, core.EINVALID},
		{`{"submissions": [`, http.StatusBadRequest, core.EINVALID},
		{`{"submissions": []} {}`, http.StatusBadRequest, core.EINVALID},
		{`{"submissions": "tutti"}`, http.StatusBadRequest, core.EINVALID},
		{`{"submissions": [{"submissionId": "x", "moduleId": "y", "data": {}}]` + strings.Repeat(" ", 8<<20) + `}`, http.StatusRequestEntityTooLarge, core.ETOOLARGE},
	} {
		res, b := e.do(a, "POST", "/api/v1/submissions", tc.body)
		if res.StatusCode != tc.status || apiError(t, b).Error.Code != tc.code {
			t.Errorf("%.60v: %d %.200s", tc.body, res.StatusCode, b)
		}
	}
	many := make([]item, maxSubmissions+1)
	res, _ := e.do(a, "POST", "/api/v1/submissions", map[string]any{"submissions": many})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("%d submissions: %d", len(many), res.StatusCode)
	}
}

// TestSubmitSameIDConcurrently: 100 goroutines send the same submission at once and all get
// the one receipt.
func TestSubmitSameIDConcurrently(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "same@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)
	var wg sync.WaitGroup
	results := make([]submissionResult, 100)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.send(a, item{"same-0000-0000-0001", id, d})[0]
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.Status != core.StatusAccepted || r.Receipt.Protocol != "EM2009-0000001" || r.Receipt.Signature != results[0].Receipt.Signature {
			t.Fatalf("goroutine %d: %+v", i, r)
		}
	}
	var rs []core.Receipt
	e.mustJSON(a, "GET", "/api/v1/receipts", nil, http.StatusOK, &rs)
	if len(rs) != 1 {
		t.Fatalf("%d receipts", len(rs))
	}
}

// busyStore fails every submission as a full disk or a stuck lock would.
type busyStore struct{ Store }

func (busyStore) Submit(ctx context.Context, in []core.SubmissionInput) []core.SubmissionOutcome {
	out := make([]core.SubmissionOutcome, len(in))
	for i := range out {
		out[i] = core.SubmissionOutcome{Status: core.StatusRetry, Err: core.Errorf(core.ERETRY, "occupato")}
	}
	return out
}

func TestSubmitRetry(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "busy@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)
	e.srv.Store = busyStore{e.db}
	r := e.send(a, item{"busy-00000001", id, d})[0]
	if r.Status != core.StatusRetry || r.Error.Code != core.ERETRY {
		t.Fatalf("busy: %+v", r)
	}
	// Once the store is back, the same submission id goes through.
	e.srv.Store = e.db
	if r := e.send(a, item{"busy-00000001", id, d})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("after retry: %+v", r)
	}
}

// TestSubmitBeforeTheOpening: a send before the window opens is no rejection: status retry,
// its own code and the opening instant, so the queue sends again then; at the opening second
// the same submission is accepted.
func TestSubmitBeforeTheOpening(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "early@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	id := e.newModule(a, shared.KindEM, d)
	// 31 August 2009, 23:59:59.999 in Rome: the window opens at midnight.
	e.setClock(time.Date(2009, 8, 31, 21, 59, 59, 999e6, time.UTC))
	r := e.send(a, item{"early-000000001", id, d})[0]
	if r.Status != core.StatusRetry || r.Error == nil || r.Error.Code != core.ENOTOPEN || r.Error.OpensAt != "2009-08-31T22:00:00.000Z" ||
		!strings.Contains(r.Error.Message, "apre il 01/09/2009 alle 00:00:00 (ora italiana)") || r.Receipt != nil {
		t.Fatalf("early send: %+v %+v", r, r.Error)
	}
	e.setClock(time.Date(2009, 8, 31, 22, 0, 0, 0, time.UTC))
	if r := e.send(a, item{"early-000000001", id, d})[0]; r.Status != core.StatusAccepted || r.Receipt == nil {
		t.Fatalf("at the opening: %+v", r)
	}
}

// comingStore follows the sends the API announces to the store (Coming), and those it hands
// over to Submit, which withdraws them there.
type comingStore struct {
	Store
	t  *testing.T
	on int // announced, not yet withdrawn or handed over
	// handed counts the Submits that took an announcement over.
	handed  int
	panicOn string // a module id
}

func (s *comingStore) Coming(n int) {
	s.on += n
	s.Store.Coming(n)
}

// ModuleToSend panics for the module panicOn: a failure nobody foresaw, in the middle of a
// send's preparation.
func (s *comingStore) ModuleToSend(ctx context.Context, id string) (*core.Module, error) {
	if id == s.panicOn {
		panic("a failure nobody foresaw")
	}
	return s.Store.ModuleToSend(ctx, id)
}

func (s *comingStore) Submit(ctx context.Context, in []core.SubmissionInput) []core.SubmissionOutcome {
	if core.IsAnnounced(ctx) {
		if s.on <= 0 {
			s.t.Errorf("Submit takes over an announcement that was not made")
		}
		s.on--
		s.handed++
	}
	return s.Store.Submit(ctx, in)
}

// TestSubmitAnnouncesTheSend: the writer may keep a batch open for the sends announced to the
// store (sqlite's gather), so every announcement must end: handed over to Submit for a clean
// send, withdrawn for one refused whole, for a malformed body and for a send with refusals
// (whose count is written before Submit, and must not wait for the send itself).
func TestSubmitAnnouncesTheSend(t *testing.T) {
	e := newEnv(t)
	a := e.newActor("m", "coming@example.it", core.RolePrivato)
	d := fixture(t, "em_colf.json")
	s := &comingStore{Store: e.db, t: t}
	e.srv.Store = s
	check := func(what string, handed int) {
		t.Helper()
		if s.on != 0 || s.handed != handed {
			t.Fatalf("after %s: %d announcements still on, %d handed over to Submit (want 0, %d)", what, s.on, s.handed, handed)
		}
	}
	if r := e.send(a, item{"coming-0000001", e.newModule(a, shared.KindEM, d), d})[0]; r.Status != core.StatusAccepted {
		t.Fatalf("clean send: %+v", r)
	}
	check("a clean send", 1)
	if r := e.send(a, item{"coming-0000002", "EM-NONESISTE", d})[0]; r.Status != core.StatusRejected {
		t.Fatalf("send of a module that does not exist: %+v", r)
	}
	check("a send refused whole", 1)
	// Another worker's module (the first one's can be sent once).
	bd := fixture(t, "em_badante.json")
	rs := e.send(a, item{"coming-0000003", e.newModule(a, shared.KindEM, bd), bd}, item{"coming-0000004", "EM-NONESISTE", d})
	if rs[0].Status != core.StatusAccepted || rs[1].Status != core.StatusRejected {
		t.Fatalf("send with a refusal: %+v", rs)
	}
	check("a send with a refusal", 1)
	e.do(a, "POST", "/api/v1/submissions", "{")
	check("a malformed body", 1)
	// A panic while preparing the send: the Recoverer answers 500, and the announcement and
	// the turn at the CPU are both given back (a turn kept would be lost for good).
	s.panicOn = e.newModule(a, shared.KindEM, d)
	if res, body := e.do(a, "POST", "/api/v1/submissions", map[string]any{"submissions": []any{
		map[string]any{"submissionId": "coming-0000005", "moduleId": s.panicOn, "data": d}}}); res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("a send whose preparation panics: %d %s", res.StatusCode, body)
	}
	check("a panic while preparing", 1)
	if n := len(e.srv.cpu); n != 0 {
		t.Fatalf("after a panic while preparing: %d turns at the CPU still taken", n)
	}
}
