package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"nullaosta/server/core"
	"nullaosta/shared"
)

// sportelloEnv runs the demo campaigns (open around t0) with a private user who sent three
// applications: an EM colf in Cuneo, an EM badante in Torino and a Modulo A in Cuneo.
type sportelloEnv struct {
	*env
	owner, cn, to, admin *actor
	colf, badante, modA  submissionResult
}

func newSportelloEnv(t *testing.T) *sportelloEnv {
	e := newEnv(t, func(c *Config) {
		c.Campaigns = []shared.Campaign{shared.DemoCampaign(shared.KindEM, t0), shared.DemoCampaign(shared.KindA, t0)}
	})
	s := &sportelloEnv{env: e}
	s.owner = e.newActor("privato", "owner@example.it", core.RolePrivato)
	s.cn = e.newActor("sportello CN", "sportello.cn@interno.it", core.RoleSportello)
	s.to = e.newActor("sportello TO", "sportello.to@interno.it", core.RoleSportello)
	if err := e.db.SetRole(context.Background(), s.to.user.Email, core.RoleSportello, "TO"); err != nil {
		t.Fatal(err)
	}
	s.admin = e.newActor("ministero", "ministero@interno.it", core.RoleAdmin)
	send := func(k shared.Kind, name string) submissionResult {
		d := fixture(t, name)
		r := e.send(s.owner, item{"sub-" + strings.TrimSuffix(name, ".json"), e.newModule(s.owner, k, d), d})[0]
		if r.Status != core.StatusAccepted {
			t.Fatalf("%s: %+v", name, r)
		}
		return r
	}
	s.colf = send(shared.KindEM, "em_colf.json")
	e.setClock(t0.Add(24 * time.Hour))
	s.badante = send(shared.KindEM, "em_badante.json")
	e.setClock(t0.Add(48 * time.Hour))
	s.modA = send(shared.KindA, "a_nominativa.json")
	return s
}

func (s *sportelloEnv) list(a *actor, query string) domandePage {
	s.t.Helper()
	var p domandePage
	s.mustJSON(a, "GET", "/api/v1/sportello/domande"+query, nil, http.StatusOK, &p)
	return p
}

func TestSportelloList(t *testing.T) {
	s := newSportelloEnv(t)
	p := s.list(s.cn, "")
	if p.Total != 2 || len(p.Items) != 2 || p.Items[0].Protocol != s.modA.Receipt.Protocol || p.Items[1].Protocol != s.colf.Receipt.Protocol {
		t.Fatalf("CN list %+v", p)
	}
	it := p.Items[1]
	if it.Kind != shared.KindEM || it.Employer != "BIANCHI Giovanna" || it.Worker != "PERERA Kumari" || it.Cittadinanza != "LK" ||
		it.Tipologia != "colf" || it.Provincia != "CN" || it.Stato != core.DomandaRicevuta || it.ReceivedAtRome != "15/09/2009 10:00:00" ||
		it.ModuleID != s.colf.ModuleID {
		t.Fatalf("item %+v", it)
	}
	for q, want := range map[string]int{
		"?kind=EM": 1, "?kind=a": 1, "?tipologia=colf": 2, "?tipologia=badante": 0, "?cittadinanza=lk": 1, "?cittadinanza=PH": 1,
		"?q=bian": 1, "?q=BIANCHI%20GIOV": 1, "?q=perera": 1, "?q=ferr": 1, "?q=rossi": 0, "?q=" + strings.ToLower(s.colf.Receipt.Protocol): 1,
		"?stato=ricevuta": 2, "?stato=accolta": 0, "?dal=2009-09-15&al=2009-09-15": 1, "?dal=16/09/2009": 1, "?al=2009-09-14": 0,
		"?limit=1": 2, "?provincia=TO": 2, // a sportello's own province, whatever it asks
	} {
		if p := s.list(s.cn, q); p.Total != want {
			t.Errorf("CN %s: %d, want %d", q, p.Total, want)
		}
	}
	if p := s.list(s.cn, "?limit=1&offset=1"); len(p.Items) != 1 || p.Items[0].Protocol != s.colf.Receipt.Protocol {
		t.Errorf("page 2: %+v", p)
	}
	// Keyset pages: next walks the list, newest first, and the last page has none.
	var walked []string
	for q, n := "?limit=1", 0; q != "" && n < 5; n++ {
		p := s.list(s.admin, q)
		if p.Total != 3 || len(p.Items) != 1 {
			t.Fatalf("admin %s: %+v", q, p)
		}
		walked = append(walked, p.Items[0].Protocol)
		q = ""
		if p.Next != "" {
			q = "?limit=1&after=" + url.QueryEscape(p.Next)
		}
	}
	if want := []string{s.modA.Receipt.Protocol, s.badante.Receipt.Protocol, s.colf.Receipt.Protocol}; !slices.Equal(walked, want) {
		t.Errorf("keyset pages %v, want %v", walked, want)
	}
	if p := s.list(s.cn, "?limit=2"); p.Next != "" || len(p.Items) != 2 {
		t.Errorf("a whole list has no next page: %+v", p)
	}
	if p := s.list(s.to, ""); p.Total != 1 || p.Items[0].Protocol != s.badante.Receipt.Protocol {
		t.Errorf("TO list %+v", p)
	}
	if p := s.list(s.admin, ""); p.Total != 3 {
		t.Errorf("admin list %+v", p)
	}
	if p := s.list(s.admin, "?provincia=to"); p.Total != 1 {
		t.Errorf("admin list of TO %+v", p)
	}
	for _, q := range []string{"?kind=B", "?tipologia=giardiniere", "?cittadinanza=XX", "?stato=chiusa", "?dal=ieri", "?dal=2009-09-20&al=2009-09-10", "?limit=-1", "?provincia=ZZ",
		"?after=ieri", "?after=2009-09-15T08:00:00.000Z_x", "?after=2009-09-15T08:00:00Z_EM2009-0000001"} {
		res, b := s.do(s.admin, "GET", "/api/v1/sportello/domande"+q, nil)
		if res.StatusCode != http.StatusBadRequest || apiError(t, b).Error.Code != core.EINVALID {
			t.Errorf("%s: %d %s", q, res.StatusCode, b)
		}
	}
}

func TestSportelloDetailAndStatus(t *testing.T) {
	s := newSportelloEnv(t)
	protocol := s.colf.Receipt.Protocol
	var d core.Domanda
	s.mustJSON(s.cn, "GET", "/api/v1/sportello/domande/"+strings.ToLower(protocol), nil, http.StatusOK, &d)
	if d.Receipt.Protocol != protocol || d.Kind != shared.KindEM || d.Data.Str("datore.codice_fiscale") != "BNCGNN58C52D205K" ||
		d.Stato != core.DomandaRicevuta || len(d.History) != 1 || d.History[0].AtRome != "15/09/2009 10:00:00" || d.Employer != "BIANCHI Giovanna" {
		t.Fatalf("detail %+v", d)
	}
	// Laid out like the printed module: sections in order, labels, names instead of codes.
	var laid core.Domanda
	s.mustJSON(s.admin, "GET", "/api/v1/sportello/domande/"+protocol, nil, http.StatusOK, &laid)
	if len(laid.Sections) < 5 || laid.Sections[0].Fields[0].Key != "datore.cognome" || laid.Sections[0].Fields[0].Value != "Bianchi" {
		t.Fatalf("layout %+v", laid.Sections)
	}
	values := map[string]string{}
	for _, sec := range laid.Sections {
		for _, f := range sec.Fields {
			values[f.Key] = f.Value
		}
	}
	if values["datore.residenza.comune"] != "Cuneo (CN)" || values["lavoratore.cittadinanza"] != "Sri Lanka" || values["impiego.provincia"] != "Cuneo (CN)" ||
		values["datore.data_nascita"] != "12/03/1958" || values["impiego.coincide_residenza"] != "Sì" || !strings.Contains(values["rapporto.tipologia"], "colf") {
		t.Fatalf("values %v", values)
	}
	if es := s.audit(core.AuditDettaglio); len(es) != 2 || es[1].Target != protocol || es[1].Actor != s.cn.user.Email {
		t.Fatalf("detail view audit %+v", es)
	}
	// Another province's application does not exist for this sportello.
	res, b := s.do(s.to, "GET", "/api/v1/sportello/domande/"+protocol, nil)
	if res.StatusCode != http.StatusNotFound || strings.Contains(string(b), "Bianchi") {
		t.Fatalf("TO reads CN's application: %d %s", res.StatusCode, b)
	}
	s.mustJSON(s.admin, "GET", "/api/v1/sportello/domande/"+protocol, nil, http.StatusOK, nil)

	stato := "/api/v1/sportello/domande/" + protocol + "/stato"
	for _, tc := range []struct {
		body   map[string]string
		status int
	}{
		{map[string]string{"stato": "convocato"}, http.StatusConflict}, // skips a step
		{map[string]string{"stato": "ricevuta"}, http.StatusConflict},
		{map[string]string{"stato": "archiviata"}, http.StatusUnprocessableEntity},
		{map[string]string{"stato": "respinta"}, http.StatusUnprocessableEntity}, // no reason
		{map[string]string{"stato": "in_istruttoria", "nota": strings.Repeat("x", 1001)}, http.StatusUnprocessableEntity},
	} {
		if res, b := s.do(s.cn, "POST", stato, tc.body); res.StatusCode != tc.status {
			t.Errorf("%v: %d %s", tc.body, res.StatusCode, b)
		}
	}
	if res, _ := s.do(s.to, "POST", stato, map[string]string{"stato": "in_istruttoria"}); res.StatusCode != http.StatusNotFound {
		t.Errorf("TO changes CN's application: %d", res.StatusCode)
	}
	if res, _ := s.do(s.admin, "POST", stato, map[string]string{"stato": "in_istruttoria"}); res.StatusCode != http.StatusForbidden {
		t.Errorf("admin changes a status: %d", res.StatusCode)
	}

	s.setClock(t0.Add(72 * time.Hour))
	s.mustJSON(s.cn, "POST", stato, map[string]string{"stato": "in_istruttoria", "nota": "Documentazione completa"}, http.StatusOK, &d)
	s.setClock(t0.Add(96 * time.Hour))
	s.mustJSON(s.cn, "POST", stato, map[string]string{"stato": "convocato", "nota": "Presentarsi il 12/10/2009 alle 9:30 con il passaporto"}, http.StatusOK, &d)
	if d.Stato != core.DomandaConvocato || len(d.History) != 3 || d.History[1].By != s.cn.user.Email || d.History[2].Nota == "" ||
		d.History[2].AtRome != "19/09/2009 10:00:00" {
		t.Fatalf("after two changes %+v", d)
	}
	// The applicant sees the status and the note on the module, and got an e-mail.
	var m core.Module
	s.mustJSON(s.owner, "GET", "/api/v1/modules/"+s.colf.ModuleID, nil, http.StatusOK, &m)
	if m.DomandaStato == nil || m.DomandaStato.Stato != core.DomandaConvocato || !strings.Contains(m.DomandaStato.Nota, "12/10/2009") ||
		m.DomandaStato.UpdatedAtRome != "19/09/2009 10:00:00" || m.Employer != "BIANCHI Giovanna" {
		t.Fatalf("applicant's module %+v", m)
	}
	if ms := s.mails("giovanna.bianchi@example.it"); len(ms) != 0 {
		t.Fatalf("mail to the employer's contact: %+v", ms)
	}
	if ms := s.mails(s.owner.user.Email); len(ms) < 2 || !strings.Contains(ms[0].Subject, protocol) || !strings.Contains(ms[0].Body, "Convocato") {
		t.Fatalf("mail to the applicant %+v", ms)
	}
	s.mustJSON(s.cn, "POST", stato, map[string]string{"stato": "accolta"}, http.StatusOK, &d)
	res, b = s.do(s.cn, "POST", stato, map[string]string{"stato": "respinta", "nota": "ripensamento"})
	if res.StatusCode != http.StatusConflict || !strings.Contains(apiError(t, b).Error.Message, "accolta") {
		t.Fatalf("after accolta: %d %s", res.StatusCode, b)
	}
	if es := s.audit(core.AuditStato); len(es) != 3 || es[0].Target != protocol || es[2].Detail != "nuovo stato: in_istruttoria; nota: Documentazione completa" {
		t.Fatalf("status audit %+v", es)
	}
	// in_istruttoria → respinta with a reason.
	other := s.modA.Receipt.Protocol
	s.mustJSON(s.cn, "POST", "/api/v1/sportello/domande/"+other+"/stato", map[string]string{"stato": "in_istruttoria"}, http.StatusOK, nil)
	s.mustJSON(s.cn, "POST", "/api/v1/sportello/domande/"+other+"/stato", map[string]string{"stato": "respinta", "nota": "Reddito insufficiente"}, http.StatusOK, &d)
	if p := s.list(s.cn, "?stato=respinta"); p.Total != 1 || p.Items[0].Protocol != other {
		t.Fatalf("respinta list %+v", p)
	}
}

// readCSV checks the byte order mark and parses the export.
// storeDirect stores the EM data d as sent by the owner, straight through the store (values
// the API would refuse included), and returns its protocol.
func (s *sportelloEnv) storeDirect(t *testing.T, submissionID string, d shared.Data) string {
	t.Helper()
	mod := s.newModule(s.owner, shared.KindEM, fixture(t, "em_badante.json"))
	m, err := s.db.Module(context.Background(), mod)
	if err != nil {
		t.Fatal(err)
	}
	c := shared.DemoCampaign(shared.KindEM, t0)
	in := core.NewSubmissionInput(submissionID, m, &c, d, shared.IdentifySubmission(m.Kind, d))
	in.CheckSent = nil
	o := s.db.Submit(context.Background(), []core.SubmissionInput{in})[0]
	if o.Status != core.StatusAccepted {
		t.Fatalf("store: %+v", o)
	}
	return o.Receipt.Protocol
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("no byte order mark: %.40q", b)
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	return recs
}

func TestExportCSV(t *testing.T) {
	s := newSportelloEnv(t)
	// One application stored with commas, quotes, a newline and a would-be formula, straight
	// through the store: the export must quote them.
	d := fixture(t, "em_colf.json")
	d["datore.cognome"] = "D'Amico, \"detto\" Nino"
	d["datore.residenza.indirizzo"] = "Via Roma 1\nScala B"
	d["alloggio.indirizzo"] = "=HYPERLINK(\"http://x\")"
	odd := s.storeDirect(t, "sub-odd-values", d)

	res, b := s.do(s.cn, "GET", "/api/v1/sportello/export.csv?kind=EM", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="domande-EM-CN-20090917.csv"`) {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	recs := readCSV(t, b)
	fields := shared.SchemaOf(shared.KindEM).Fields()
	if len(recs) != 3 || len(recs[0]) != 3+len(fields) || recs[0][0] != "protocol" || recs[0][1] != "receivedAt" || recs[0][2] != "stato" ||
		recs[0][3] != fields[0].Key || recs[0][len(recs[0])-1] != fields[len(fields)-1].Key {
		t.Fatalf("header %v, %d rows", recs[0], len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	colf := recs[1]
	if colf[0] != s.colf.Receipt.Protocol || colf[1] != "2009-09-15T08:00:00.000Z" || colf[2] != "ricevuta" ||
		colf[col["datore.codice_fiscale"]] != "BNCGNN58C52D205K" || colf[col["datore.telefono"]] != "0171123456" ||
		colf[col["lavoratore.documento.rilasciato_da"]] != "Department of Immigration and Emigration, Colombo" ||
		colf[col["impiego.coincide_residenza"]] != "true" || colf[col["rapporto.retribuzione_mensile"]] != "600.00" ||
		colf[col["recapiti.cellulare"]] != "'+393331234567" || colf[col["rinuncia.codice_domanda"]] != "" {
		t.Fatalf("colf row %v", colf)
	}
	row := recs[2]
	if row[0] != odd || row[col["datore.cognome"]] != "D'Amico, \"detto\" Nino" || row[col["datore.residenza.indirizzo"]] != "Via Roma 1\nScala B" ||
		row[col["alloggio.indirizzo"]] != "'=HYPERLINK(\"http://x\")" {
		t.Fatalf("odd row %q", row)
	}
	// The quoting itself, as bytes.
	if !bytes.Contains(b, []byte(`"D'Amico, ""detto"" Nino"`)) || !bytes.Contains(b, []byte("\"Via Roma 1\nScala B\"")) {
		t.Fatalf("quoting: %s", b)
	}
	if es := s.audit(core.AuditExport); len(es) != 1 || es[0].Target != "domande EM — CN" || es[0].Detail != "filtri: kind=EM" {
		t.Fatalf("export audit %+v", es)
	}

	// Modulo A has its own columns; the filters apply; kind is required.
	res, b = s.do(s.admin, "GET", "/api/v1/sportello/export.csv?kind=A&cittadinanza=PH", nil)
	recs = readCSV(t, b)
	if res.StatusCode != http.StatusOK || len(recs) != 2 || len(recs[0]) != 3+len(shared.SchemaOf(shared.KindA).Fields()) || recs[1][0] != s.modA.Receipt.Protocol {
		t.Fatalf("A export: %d %q", res.StatusCode, recs)
	}
	res, b = s.do(s.cn, "GET", "/api/v1/sportello/export.csv?dal=2099-01-01&kind=EM", nil)
	if recs := readCSV(t, b); res.StatusCode != http.StatusOK || len(recs) != 1 {
		t.Fatalf("empty export: %q", recs)
	}
	res, b = s.do(s.cn, "GET", "/api/v1/sportello/export.csv", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(apiError(t, b).Error.Message, "kind=EM") {
		t.Fatalf("without kind: %d %s", res.StatusCode, b)
	}
	// Compressed for a client that asks, still the same CSV.
	res, b = s.do(s.cn, "GET", "/api/v1/sportello/export.csv?kind=EM", nil, "Accept-Encoding", "gzip")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip export: %d %v", res.StatusCode, res.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := io.ReadAll(zr); err != nil || len(readCSV(t, plain)) != 3 {
		t.Fatalf("gzip export: %v", err)
	}
}

// TestExportCSVReadable: formato=leggibile writes what a person reads, the same text as the
// detail's layout (shared.Layout) for every field filled (one not filled is empty, as in the
// export of stored values), with sections and labels as the header;
// cells a spreadsheet would run are still neutralised; an unknown formato is refused.
func TestExportCSVReadable(t *testing.T) {
	s := newSportelloEnv(t)
	d := fixture(t, "em_colf.json")
	d["alloggio.indirizzo"] = "=HYPERLINK(\"http://x\")"
	s.storeDirect(t, "sub-formula", d)

	res, b := s.do(s.cn, "GET", "/api/v1/sportello/export.csv?kind=EM&formato=leggibile", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", res.StatusCode, b)
	}
	recs := readCSV(t, b)
	fields := shared.SchemaOf(shared.KindEM).Fields()
	if len(recs) != 3 || len(recs[0]) != 3+len(fields) || recs[0][0] != "Protocollo" || recs[0][1] != "Ricevuta il" || recs[0][2] != "Stato" {
		t.Fatalf("header %q, %d rows", recs[0][:3], len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if len(col) != len(recs[0]) {
		t.Fatalf("two columns have the same name: %q", recs[0])
	}
	cell := map[string]int{} // by field key: the columns follow the form, as stored
	for i, f := range fields {
		cell[f.Key] = 3 + i
		if sec, _ := shared.SchemaOf(shared.KindEM).SectionOf(f.Key); !strings.HasPrefix(recs[0][3+i], sec.Title+" — "+f.Label) {
			t.Errorf("column %d is %q, want %s — %s", 3+i, recs[0][3+i], sec.Title, f.Label)
		}
	}
	colf := recs[1]
	if colf[0] != s.colf.Receipt.Protocol || colf[1] != "15/09/2009 10:00:00" || colf[2] != "Ricevuta" {
		t.Fatalf("colf row %q", colf[:3])
	}
	stored, err := s.db.Domanda(context.Background(), s.colf.Receipt.Protocol, "CN")
	if err != nil {
		t.Fatal(err)
	}
	shown := 0
	for _, sec := range shared.Layout(shared.KindEM, stored.Data) {
		for _, f := range sec.Fields {
			i := cell[f.Key]
			want := f.Value
			if strings.HasPrefix(want, "+") {
				want = "'" + want
			}
			if _, filled := stored.Data[f.Key]; filled && colf[i] != want {
				t.Errorf("%s: CSV %q, detail %q", f.Key, colf[i], f.Value)
			}
			shown++
		}
	}
	for key, want := range map[string]string{
		"datore.residenza.comune": "Cuneo (CN)", "datore.data_nascita": "12/03/1958", "rapporto.retribuzione_mensile": "€ 600,00",
		"lavoratore.cittadinanza": "Sri Lanka", "impiego.coincide_residenza": "Sì", "rinuncia.codice_domanda": "",
	} {
		if got := colf[cell[key]]; got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if shown < 40 {
		t.Fatalf("only %d fields compared", shown)
	}
	if got := recs[2][col["IV. Località di impiego e alloggio — Indirizzo dell'alloggio"]]; got != "'=HYPERLINK(\"http://x\")" {
		t.Fatalf("formula in a readable cell: %q", got)
	}

	res, b = s.do(s.cn, "GET", "/api/v1/sportello/export.csv?kind=EM&formato=xlsx", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(apiError(t, b).Error.Message, "leggibile") {
		t.Fatalf("unknown formato: %d %s", res.StatusCode, b)
	}
}

// csvCell is the cell of one stored value, as the export writes it in a column of that kind.
func csvCell(v any, numeric bool) string {
	return (&csvColumns{numeric: []bool{numeric}}).cell(0, storedText(v))
}

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"Rossi", "Rossi"}, {"", ""}, {nil, ""}, {true, "true"}, {false, "false"}, {float64(12), "12"},
		{"+393331234567", "'+393331234567"}, {"-5", "'-5"}, {"+SUM(A1)", "'+SUM(A1)"}, {"-", "'-"}, {"@x", "'@x"},
		{"=1+1", "'=1+1"}, {"\tx", "'\tx"}, {map[string]any{"a": "=b"}, `{"a":"=b"}`}, {float64(-12), "'-12"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"}, {"+1+HYPERLINK(\"http://x\")", "'+1+HYPERLINK(\"http://x\")"},
		{"\rx", "'\rx"},
	} {
		if got := csvCell(tc.in, false); got != tc.want {
			t.Errorf("csvCell(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestModuleSearch: an operator finds modules by employer, codice fiscale and status, a page
// at a time, each with its employer and, once sent, the Sportello's status.
func TestModuleSearch(t *testing.T) {
	s := newSportelloEnv(t)
	var gen []string
	for i, name := range []string{"Nicolò", "Niccolai", "Rossi"} {
		s.setClock(t0.Add(72*time.Hour + time.Duration(i)*time.Minute))
		d := fixture(t, "em_colf.json")
		d["datore.cognome"] = name
		gen = append(gen, s.newModule(s.owner, shared.KindEM, d))
	}
	search := func(q string) ([]core.Module, string) {
		res, b := s.do(s.owner, "GET", "/api/v1/modules"+q, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /modules%s: %d %s", q, res.StatusCode, b)
		}
		var ms []core.Module
		json.Unmarshal(b, &ms)
		return ms, res.Header.Get("X-Total-Count")
	}
	for q, want := range map[string]string{
		"": "6", "?q=nic": "2", "?q=NICOLO": "1", "?q=nicolò": "1", "?q=bianchi": "1", "?q=bianchi%20giov": "1", "?q=giovanna": "0",
		"?stato=inviato": "3", "?stato=generato": "3", "?cf=bncgnn58c52d205k": "1", "?cf=BNCGNN58C52D205K&stato=generato": "0",
		"?q=hox&stato=inviato": "1", "?limit=2": "6",
	} {
		if _, total := search(q); total != want {
			t.Errorf("%s: %s modules, want %s", q, total, want)
		}
	}
	ms, _ := search("?limit=2&offset=1")
	if len(ms) != 2 || ms[0].ID != gen[1] {
		t.Errorf("page: %+v", ms)
	}
	ms, _ = search("?q=bianchi")
	if len(ms) != 1 || ms[0].Employer != "BIANCHI Giovanna" || ms[0].DomandaStato == nil || ms[0].DomandaStato.Stato != core.DomandaRicevuta ||
		ms[0].DomandaStato.UpdatedAtRome != "15/09/2009 10:00:00" {
		t.Errorf("sent module %+v", ms)
	}
	ms, _ = search("?q=rossi")
	if len(ms) != 1 || ms[0].Employer != "ROSSI Giovanna" || ms[0].DomandaStato != nil {
		t.Errorf("generated module %+v", ms)
	}
	for _, q := range []string{"?stato=perso", "?limit=x", "?offset=-2"} {
		if res, _ := s.do(s.owner, "GET", "/api/v1/modules"+q, nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
}

// TestStats: the dashboard's figures, per civil day in Italy.
func TestStats(t *testing.T) {
	s := newSportelloEnv(t)
	// 23:30 UTC on the 17th is the 18th in Rome.
	s.setClock(time.Date(2009, 9, 17, 22, 30, 0, 0, time.UTC))
	s.newModule(s.owner, shared.KindEM, fixture(t, "em_colf.json"))
	var st core.Stats
	s.mustJSON(s.admin, "GET", "/api/v1/admin/stats", nil, http.StatusOK, &st)
	wantDays := []core.DayCount{{Day: "2009-09-15", Generated: 1, Sent: 1}, {Day: "2009-09-16", Generated: 1, Sent: 1},
		{Day: "2009-09-17", Generated: 1, Sent: 1}, {Day: "2009-09-18", Generated: 1}}
	if fmt.Sprint(st.PerDay) != fmt.Sprint(wantDays) {
		t.Errorf("per day %+v", st.PerDay)
	}
	if st.Totals != (core.StatsTotals{Generated: 4, Sent: 3, Operators: 0}) {
		t.Errorf("totals %+v", st.Totals)
	}
	if fmt.Sprint(st.PerProvincia) != "[{CN Cuneo 2} {TO Torino 1}]" ||
		fmt.Sprint(st.PerTipologia) != "[{colf Colf (lavoro domestico) 2} {badante Badante (assistenza alla persona) 1}]" ||
		len(st.PerNazionalita) != 3 || st.PerNazionalita[0].Label == "" || fmt.Sprint(st.PerStato) != "[{ricevuta Ricevuta 3}]" {
		t.Errorf("groups %+v", st)
	}
	s.mustJSON(s.admin, "GET", "/api/v1/admin/stats?dal=2009-09-16&al=16/09/2009", nil, http.StatusOK, &st)
	if len(st.PerDay) != 1 || st.Totals.Sent != 1 || st.PerProvincia[0].Key != "TO" || st.PerNazionalita[0].Label != "Ucraina" {
		t.Errorf("one day %+v", st)
	}
	if res, _ := s.do(s.admin, "GET", "/api/v1/admin/stats?al=2009-13-01", nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad date: %d", res.StatusCode)
	}
}

// TestAuditLogAppendOnly: the database refuses to change, delete or overwrite a line of the
// audit log, even to the server's own connection.
func TestAuditLogAppendOnly(t *testing.T) {
	s := newSportelloEnv(t)
	s.mustJSON(s.cn, "GET", "/api/v1/sportello/domande/"+s.colf.Receipt.Protocol, nil, http.StatusOK, nil)
	ctx := context.Background()
	replace := `INSERT OR REPLACE INTO audit_log (id, at, actor, action) VALUES (1, 'x', 'x', 'x')`
	if engine == "postgres" {
		replace = `INSERT INTO audit_log (id, at, actor, action) OVERRIDING SYSTEM VALUE VALUES (1, now(), 'x', 'x')
			ON CONFLICT (id) DO UPDATE SET actor = 'x'`
	}
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'nessuno'`,
		`DELETE FROM audit_log`,
		replace,
	} {
		err := s.db.Exec(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	var es []core.AuditEntry
	s.mustJSON(s.admin, "GET", "/api/v1/admin/audit", nil, http.StatusOK, &es)
	// The three logins, then the detail view.
	if len(es) != 4 || es[0].Action != core.AuditDettaglio || es[0].Actor != s.cn.user.Email || es[3].Action != core.AuditLogin {
		t.Fatalf("audit %+v", es)
	}
	s.mustJSON(s.admin, "GET", fmt.Sprintf("/api/v1/admin/audit?limit=2&before=%d", es[0].ID), nil, http.StatusOK, &es)
	if len(es) != 2 || es[0].Action != core.AuditLogin {
		t.Fatalf("page %+v", es)
	}
	s.mustJSON(s.admin, "GET", "/api/v1/admin/audit?action=login&actor=SPORTELLO.CN@interno.it", nil, http.StatusOK, &es)
	if len(es) != 1 || es[0].Actor != s.cn.user.Email {
		t.Fatalf("filtered %+v", es)
	}
	if res, _ := s.do(s.admin, "GET", "/api/v1/admin/audit?before=x", nil); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad before: %d", res.StatusCode)
	}
}

// TestFillRecord: the one-pass reading of stored content gives what encoding/json gives, and
// what it cannot read goes to encoding/json.
func TestFillRecord(t *testing.T) {
	col := map[string]int{"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "f": 5, "g": 6}
	numeric := []bool{false, false, false, false, true, false, false}
	for _, in := range []string{
		string(shared.CanonicalJSON(fixture(t, "em_colf.json"))),
		`{"a":"Rossi, \"detto\" \u00e0\nB","b":true,"c":false,"d":null,"e":-12500,"f":"=1+1","x":"ignored"}`,
		` { "a" : "x" , "b" : "y" } `,
		`{}`,
		`{"a":"x","g":{"nested":"=v"},"b":[1,"2"]}`,
		`{"a":-5,"e":-5,"f":"-2+3+cmd|' /C calc'!A0"}`,
	} {
		got := make([]string, len(col))
		if err := fillRecord([]byte(in), &csvColumns{col: col, numeric: numeric}, got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var m map[string]any
		json.Unmarshal([]byte(in), &m)
		want := make([]string, len(col))
		for k, v := range m {
			if i, ok := col[k]; ok {
				want[i] = csvCell(v, numeric[i])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %q\nwant %q", in, got, want)
		}
	}
	for _, bad := range []string{`{"a":`, `[1]`, `{"a" "b"}`, `{"a":"b"`, ``} {
		if err := fillRecord([]byte(bad), &csvColumns{col: col, numeric: numeric}, make([]string, len(col))); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}
