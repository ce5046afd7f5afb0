package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// backOffice fakes the back-office routes: it records each call (method, path with query,
// body) and answers the canned JSON of docs/API.md's examples.
type backOffice struct {
	t     *testing.T
	mu    sync.Mutex
	calls []call
}

type call struct {
	method, path string
	body         map[string]any
}

func (b *backOffice) last() call {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.calls) == 0 {
		return call{}
	}
	return b.calls[len(b.calls)-1]
}

const enablementJSON = `{"id": 3, "createdAt": "2009-09-02T08:00:00Z", "createdAtRome": "02/09/2009 10:00:00",
 "createdBy": "anna@example.it", "stato": "parziale",
 "ente": {"nome": "Comune di Cuneo", "tipo": "comune", "provincia": "CN"},
 "referente": {"nome": "Paolo", "cognome": "Giordano", "ruolo": "Dirigente servizi demografici",
   "telefono": "0171444111", "fax": "0171444222", "email": "servizi.demografici@comune.cuneo.it"},
 "operatori": [{"userId": 7, "nome": "Anna", "cognome": "Rossi", "dataNascita": "1980-01-02", "email": "anna@example.it",
   "stato": "abilitato", "decidedAt": "2009-09-03T08:00:00Z", "decidedAtRome": "03/09/2009 10:00:00"},
  {"userId": 8, "nome": "Luca", "cognome": "Bruno", "dataNascita": "1975-04-30", "email": "luca@example.it", "stato": "in_attesa"}],
 "decidedAt": "2009-09-03T08:00:00Z", "decidedAtRome": "03/09/2009 10:00:00", "decidedBy": "ministero@example.it"}`

const userJSON = `{"id": 7, "email": "anna@example.it", "cognome": "Rossi", "nome": "Anna", "dataNascita": "1980-01-02",
 "role": "operatore", "modulesGenerated": 120, "moduleLimit": 0,
 "ente": {"nome": "Comune di Cuneo", "tipo": "comune", "provincia": "CN"}, "pendingOperator": false}`

const domandaJSON = `{"receipt": {"protocol": "EM2009-0000001", "moduleId": "EM-8V0S-Z30V-H", "provincia": "CN"},
 "kind": "EM", "data": {"datore.cognome": "Bianchi"}, "employer": "BIANCHI Giovanna", "worker": "PERERA Kumari",
 "stato": "in_istruttoria", "history": [
  {"stato": "ricevuta", "at": "2009-09-15T08:00:00Z", "atRome": "15/09/2009 10:00:00"},
  {"stato": "in_istruttoria", "nota": "Documenti completi", "by": "sportello.cn@example.it", "at": "2009-09-20T08:00:00Z", "atRome": "20/09/2009 10:00:00"}],
 "sections": [{"id": "I", "title": "Datore di lavoro", "fields": [{"key": "datore.residenza.comune", "label": "Comune", "value": "Cuneo"}]}]}`

func (b *backOffice) routes() http.Handler {
	mux := http.NewServeMux()
	answer := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			c := call{method: r.Method, path: r.URL.RequestURI()}
			if r.Body != nil {
				raw, _ := io.ReadAll(r.Body)
				if len(raw) > 0 {
					if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
						b.t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, ct)
					}
					if err := json.Unmarshal(raw, &c.body); err != nil {
						b.t.Errorf("%s %s: body %s: %v", r.Method, r.URL.Path, raw, err)
					}
				}
			}
			b.mu.Lock()
			b.calls = append(b.calls, c)
			b.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/api/v1/modules" {
				w.Header().Set("X-Total-Count", "240")
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	mux.HandleFunc("POST /api/v1/enti/richieste", func(w http.ResponseWriter, r *http.Request) {
		var in client.EnablementInput
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(raw)))
		json.Unmarshal(raw, &in)
		if len(in.Operatori) > 1 && in.Operatori[1].Email == "sconosciuto@example.it" {
			answer(422, `{"error": {"code": "invalid", "message": "Controlla la richiesta: 1 riga da correggere."},
			 "problems": [{"field": "operatori.2.email", "code": "no_account", "severity": "error",
			   "message": "Riga 2 (Mario Bianchi): nessun account registrato con questa e-mail e data di nascita."}]}`)(w, r)
			return
		}
		answer(201, enablementJSON)(w, r)
	})
	mux.HandleFunc("GET /api/v1/enti/richieste", answer(200, "["+enablementJSON+"]"))
	mux.HandleFunc("GET /api/v1/admin/richieste", answer(200, "["+enablementJSON+"]"))
	mux.HandleFunc("GET /api/v1/admin/richieste/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != "3" {
			answer(404, `{"error": {"code": "not_found", "message": "Richiesta non trovata."}}`)(w, r)
			return
		}
		answer(200, enablementJSON)(w, r)
	})
	mux.HandleFunc("POST /api/v1/admin/richieste/{id}/approva", answer(200, enablementJSON))
	mux.HandleFunc("POST /api/v1/admin/richieste/{id}/respingi", answer(200, enablementJSON))
	mux.HandleFunc("POST /api/v1/admin/operatori/{id}/revoca", answer(200, strings.Replace(userJSON, `"operatore"`, `"privato"`, 1)))
	mux.HandleFunc("GET /api/v1/admin/operatori", answer(200, "["+userJSON+"]"))
	mux.HandleFunc("GET /api/v1/modules", answer(200, `[{"id": "EM-7K3Q-9XHD-4", "kind": "EM", "campaignId": "em2009",
	  "createdAt": "2009-09-15T08:00:00Z", "createdAtRome": "15/09/2009 10:00:00", "data": {}, "status": "inviato",
	  "employer": "BIANCHI Giovanna", "pratica": {"stato": "convocato", "nota": "Presentarsi il 12/10 alle 9", "updatedAt": "2009-10-01T08:00:00Z", "updatedAtRome": "01/10/2009 10:00:00"}}]`))
	mux.HandleFunc("GET /api/v1/sportello/domande", answer(200, `{"total": 1, "items": [{"protocol": "EM2009-0000001",
	  "moduleId": "EM-8V0S-Z30V-H", "kind": "EM", "receivedAt": "2009-09-15T08:00:00.000Z", "receivedAtRome": "15/09/2009 10:00:00",
	  "employer": "BIANCHI Giovanna", "worker": "PERERA Kumari", "cittadinanza": "LK", "tipologia": "colf", "provincia": "CN", "stato": "ricevuta"}]}`))
	mux.HandleFunc("GET /api/v1/sportello/domande/{protocol}", answer(200, domandaJSON))
	mux.HandleFunc("POST /api/v1/sportello/domande/{protocol}/stato", answer(200, domandaJSON))
	mux.HandleFunc("GET /api/v1/admin/stats", answer(200, `{"perDay": [{"day": "2009-09-15", "generated": 10, "sent": 4}],
	  "perTipologia": [{"key": "colf", "label": "Colf", "count": 3}], "perProvincia": [{"key": "CN", "label": "Cuneo", "count": 4}],
	  "perNazionalita": [{"key": "LK", "label": "Sri Lanka", "count": 4}], "perStato": [{"key": "ricevuta", "label": "Ricevuta", "count": 4}],
	  "totals": {"generated": 10, "sent": 4, "operators": 3}}`))
	mux.HandleFunc("GET /api/v1/admin/audit", answer(200, `[{"id": 12, "at": "2009-09-15T08:00:00Z", "atRome": "15/09/2009 10:00:00",
	  "actor": "ministero@example.it", "role": "admin", "action": "approva", "target": "richiesta 3", "detail": "Anna Rossi"}]`))
	return mux
}

func newBackOffice(t *testing.T) (*backOffice, *client.Client) {
	b := &backOffice{t: t}
	srv := startFake(b.routes())
	t.Cleanup(srv.Close)
	return b, newClient(t, srv)
}

func TestEnablements(t *testing.T) {
	ctx := context.Background()
	b, c := newBackOffice(t)
	in := client.EnablementInput{
		Ente:      client.Ente{Nome: "Comune di Cuneo", Tipo: wire.EnteComune, Provincia: "CN"},
		Referente: client.Referente{Nome: "Paolo", Cognome: "Giordano", Ruolo: "Dirigente", Telefono: "0171 444111", Email: "servizi@comune.cuneo.it"},
		Operatori: []client.OperatoreInput{
			{Nome: "Anna", Cognome: "Rossi", DataNascita: "02/01/1980", Email: "anna@example.it"},
			{Nome: "Mario", Cognome: "Bianchi", DataNascita: "1970-01-01", Email: "sconosciuto@example.it"},
		},
	}
	_, problems, err := c.CreateEnablement(ctx, in)
	checkError(t, err, 422, client.CodeInvalid, "1 riga")
	if len(problems) != 1 || problems[0].Field != "operatori.2.email" || problems[0].Code != "no_account" {
		t.Errorf("problems = %+v", problems)
	}
	sent := b.last().body
	ops, _ := sent["operatori"].([]any)
	ref, _ := sent["referente"].(map[string]any)
	if len(ops) != 2 || ops[0].(map[string]any)["dataNascita"] != "02/01/1980" || ref["fax"] != "" || ref["telefono"] != "0171 444111" {
		t.Errorf("sent %v", sent)
	}

	in.Operatori[1].Email = "mario@example.it"
	r, problems, err := c.CreateEnablement(ctx, in)
	if err != nil || problems != nil {
		t.Fatalf("CreateRichiesta = %v, %v", problems, err)
	}
	if r.ID != 3 || r.Stato != wire.EnablementParziale || r.Ente.Tipo != wire.EnteComune || len(r.Operatori) != 2 ||
		r.Operatori[0].UserID != 7 || r.Operatori[0].Stato != wire.OperatoreAbilitato || r.Operatori[0].DecidedAt.IsZero() ||
		r.Operatori[1].Stato != wire.OperatoreInAttesa || !r.Operatori[1].DecidedAt.IsZero() ||
		r.DecidedBy != "ministero@example.it" || r.CreatedAt != time.Date(2009, 9, 2, 8, 0, 0, 0, time.UTC) {
		t.Errorf("Richiesta = %+v", r)
	}

	if rs, err := c.ListMyEnablements(ctx); err != nil || len(rs) != 1 || b.last().path != "/api/v1/enti/richieste" {
		t.Errorf("ListMyRichieste = %+v, %v (%s)", rs, err, b.last().path)
	}
	if rs, err := c.AdminEnablements(ctx, wire.EnablementInAttesa); err != nil || len(rs) != 1 || b.last().path != "/api/v1/admin/richieste?stato=in_attesa" {
		t.Errorf("AdminRichieste = %+v, %v (%s)", rs, err, b.last().path)
	}
	if _, err := c.AdminEnablements(ctx, ""); err != nil || b.last().path != "/api/v1/admin/richieste" {
		t.Errorf("AdminRichieste all: %v (%s)", err, b.last().path)
	}
	if r, err := c.AdminEnablement(ctx, 3); err != nil || r.ID != 3 {
		t.Errorf("AdminRichiesta = %+v, %v", r, err)
	}
	_, err = c.AdminEnablement(ctx, 99)
	checkError(t, err, 404, client.CodeNotFound, "non trovata")

	if _, err := c.Approva(ctx, 3, nil); err != nil {
		t.Fatal(err)
	}
	if l := b.last(); l.path != "/api/v1/admin/richieste/3/approva" || len(l.body) != 0 {
		t.Errorf("Approva all sent %s %v", l.path, l.body)
	}
	if _, err := c.Approva(ctx, 3, []int64{8}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := b.last().body["operatori"].([]any); len(ids) != 1 || ids[0] != float64(8) {
		t.Errorf("Approva some sent %v", b.last().body)
	}
	if _, err := c.Respingi(ctx, 3, "Manca la carta intestata", []int64{8}); err != nil {
		t.Fatal(err)
	}
	// The rows decided go as numbers, the type the server decodes (wire.Decision).
	if l := b.last(); l.path != "/api/v1/admin/richieste/3/respingi" || l.body["motivo"] != "Manca la carta intestata" ||
		fmt.Sprint(l.body["operatori"]) != "[8]" {
		t.Errorf("Respingi sent %s %v", l.path, l.body)
	}
	u, err := c.Revoca(ctx, "7", "Non lavora più per il Comune")
	if err != nil || u.Role != wire.RolePrivato || b.last().path != "/api/v1/admin/operatori/7/revoca" || b.last().body["motivo"] == nil {
		t.Errorf("Revoca = %+v, %v", u, err)
	}
	us, err := c.AdminOperatori(ctx, "ros")
	if err != nil || len(us) != 1 || us[0].Ente == nil || us[0].Ente.Nome != "Comune di Cuneo" || b.last().path != "/api/v1/admin/operatori?q=ros" {
		t.Errorf("AdminOperatori = %+v, %v (%s)", us, err, b.last().path)
	}
}

func TestSearchModules(t *testing.T) {
	b, c := newBackOffice(t)
	ms, total, err := c.SearchModules(context.Background(), client.ModuleFilter{Q: "bian", Stato: client.ModuleSent, Limit: 50, Offset: 100})
	if err != nil || total != 240 || len(ms) != 1 {
		t.Fatalf("SearchModules = %+v, %d, %v", ms, total, err)
	}
	if ms[0].Employer != "BIANCHI Giovanna" || ms[0].DomandaStato == nil || ms[0].DomandaStato.Stato != wire.DomandaConvocato || ms[0].DomandaStato.UpdatedAt.IsZero() {
		t.Errorf("module = %+v", ms[0])
	}
	u, _ := url.Parse(b.last().path)
	if q := u.Query(); q.Get("q") != "bian" || q.Get("stato") != "inviato" || q.Get("limit") != "50" || q.Get("offset") != "100" || q.Has("cf") {
		t.Errorf("query %s", b.last().path)
	}
}

func TestSportelloAndDashboard(t *testing.T) {
	ctx := context.Background()
	b, c := newBackOffice(t)
	f := client.DomandeFilter{Kind: shared.KindEM, Dal: "2009-09-01", Al: "2009-09-30", Tipologia: "colf", Cittadinanza: "LK", Stato: wire.DomandaRicevuta, Limit: 20}
	p, err := c.Domande(ctx, f)
	if err != nil || p.Total != 1 || len(p.Items) != 1 || p.Items[0].Worker != "PERERA Kumari" || p.Items[0].Kind != shared.KindEM {
		t.Fatalf("SportelloDomande = %+v, %v", p, err)
	}
	u, _ := url.Parse(b.last().path)
	if q := u.Query(); q.Get("kind") != "EM" || q.Get("dal") != "2009-09-01" || q.Get("cittadinanza") != "LK" || q.Get("limit") != "20" || q.Has("provincia") || q.Has("offset") {
		t.Errorf("query %s", b.last().path)
	}
	d, err := c.Domanda(ctx, "EM2009-0000001")
	if err != nil || d.Receipt.Protocol != "EM2009-0000001" || d.Kind != shared.KindEM || len(d.History) != 2 || d.History[1].By == "" || d.Data.Str("datore.cognome") != "Bianchi" ||
		len(d.Sections) != 1 || d.Sections[0].Fields[0].Value != "Cuneo" {
		t.Errorf("SportelloDomanda = %+v, %v", d, err)
	}
	if _, err := c.SetStato(ctx, "EM2009-0000001", wire.DomandaInIstruttoria, "Documenti completi"); err != nil {
		t.Fatal(err)
	}
	if l := b.last(); l.path != "/api/v1/sportello/domande/EM2009-0000001/stato" || l.body["stato"] != "in_istruttoria" || l.body["nota"] != "Documenti completi" {
		t.Errorf("SetStato sent %s %v", l.path, l.body)
	}
	if got := c.ExportCSVURL(f, false); strings.Contains(got, "formato") {
		t.Errorf("ExportCSVURL of the stored values = %s", got)
	}
	got := c.ExportCSVURL(f, true)
	eu, _ := url.Parse(got)
	if eu.Path != "/api/v1/sportello/export.csv" || eu.Query().Get("kind") != "EM" || eu.Query().Get("formato") != "leggibile" || eu.Query().Has("limit") || !strings.HasPrefix(got, c.BaseURL()) {
		t.Errorf("ExportCSVURL = %s", got)
	}

	s, err := c.Stats(ctx, client.StatsFilter{Dal: "2009-09-01"})
	if err != nil || len(s.PerDay) != 1 || s.PerDay[0].Sent != 4 || s.PerProvincia[0].Label != "Cuneo" || s.Totals.Operators != 3 || len(s.PerStato) != 1 {
		t.Errorf("Stats = %+v, %v", s, err)
	}
	if b.last().path != "/api/v1/admin/stats?dal=2009-09-01" {
		t.Errorf("Stats path %s", b.last().path)
	}
	es, err := c.Audit(ctx, client.AuditFilter{Limit: 10, Before: "40"})
	if err != nil || len(es) != 1 || es[0].ID != "12" || es[0].Action != "approva" || es[0].At.IsZero() {
		t.Errorf("Audit = %+v, %v", es, err)
	}
	if u, _ := url.Parse(b.last().path); u.Query().Get("before") != "40" || u.Query().Get("limit") != "10" {
		t.Errorf("Audit path %s", b.last().path)
	}
}

// TestSportelloPagesBySeek: a page the client reached by going forward is asked for with the
// server's cursor, not the offset; a page it never reached, or another filter, with the offset.
func TestSportelloPagesBySeek(t *testing.T) {
	ctx := context.Background()
	var queries []url.Values
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/sportello/domande", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		mu.Unlock()
		next := "2009-09-15T08:00:00.000Z_EM2009-00000" + strconv.Itoa(len(queries))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"total": 9, "items": [{"protocol": "A"}, {"protocol": "B"}], "next": %q}`, next)
	})
	srv := startFake(mux)
	t.Cleanup(srv.Close)
	c := newClient(t, srv)
	f := client.DomandeFilter{Stato: wire.DomandaRicevuta, Limit: 2}
	for _, off := range []int{0, 2, 4, 2, 8} {
		f.Offset = off
		if _, err := c.Domande(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	f.Stato, f.Offset = "", 2
	if _, err := c.Domande(ctx, f); err != nil {
		t.Fatal(err)
	}
	want := []struct{ after, offset string }{
		{"", ""}, // the first page
		{"2009-09-15T08:00:00.000Z_EM2009-000001", ""}, // after the first page's last item
		{"2009-09-15T08:00:00.000Z_EM2009-000002", ""},
		{"2009-09-15T08:00:00.000Z_EM2009-000001", ""}, // back to the second page
		{"", "8"}, // never reached: by offset
		{"", "2"}, // another filter
	}
	if len(queries) != len(want) {
		t.Fatalf("%d requests", len(queries))
	}
	for i, w := range want {
		if q := queries[i]; q.Get("after") != w.after || q.Get("offset") != w.offset || q.Get("limit") != "2" {
			t.Errorf("request %d: %v, want after=%q offset=%q", i, q, w.after, w.offset)
		}
	}
}
