package backoffice

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/internal/apptest"
	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

func TestEnablementKeepsTypedRowsWhenTheServerFlagsOne(t *testing.T) {
	api, st := apptest.UseFakeAPI(t, apptest.EmDay, map[string]http.HandlerFunc{
		"POST /enti/richieste": func(w http.ResponseWriter, r *http.Request) {
			apptest.WriteJSON(w, 422, map[string]any{
				"error": map[string]string{"code": "invalid", "message": "Controlla la tabella degli operatori."},
				"problems": []shared.Problem{
					{Field: "operatori.2.email", Code: "no_account", Severity: shared.SeverityError,
						Message: "Riga 2 (Luca Verdi): nessun account registrato con l'e-mail luca.verdi@comune.it e questa data di nascita."},
					{Field: "operatori.2.dataNascita", Code: "no_account", Severity: shared.SeverityError,
						Message: "Riga 2 (Luca Verdi): controlla anche la data di nascita."},
				},
			})
		},
	})
	ctx := context.Background()
	if err := session.SetCurrentUser(ctx, "referente@comune.it"); err != nil {
		t.Fatal(err)
	}
	p := &Enablement{status: ui.StatusLoaded, user: "referente@comune.it", form: newEnablementForm()}
	typed := map[string]string{
		"ab-ente-nome": "Comune di Cuneo", "ab-ente-tipo": "comune", "ab-ente-provincia": "CN",
		"ab-ref-nome": "Anna", "ab-ref-cognome": "Bianchi", "ab-ref-ruolo": "Responsabile servizi demografici",
		"ab-ref-telefono": "0171 444111", "ab-ref-fax": "0171 444112", "ab-ref-email": "referente@comune.it",
	}
	rows := [][4]string{
		{"Mario", "Rossi", "01/02/1970", "mario.rossi@comune.it"},
		{"Luca", "Verdi", "03/04/1980", "luca.verdi@comune.it"},
		{"Sara", "Neri", "05/06/1990", "sara.neri@comune.it"},
	}
	for i, r := range rows {
		k := p.form.d.Operatori[0].Key
		if i > 0 {
			k = p.form.addRow()
		}
		for j, c := range []string{"nome", "cognome", "dataNascita", "email"} {
			typed[opInputID(k, c)] = r[j]
		}
	}
	for id, v := range typed {
		if !p.form.set(id, v) {
			t.Fatalf("set %s refused", id)
		}
	}
	p.saveDraft()

	in, ok := p.form.request()
	if !ok {
		t.Fatalf("local checks refused a complete request: %v", p.form.summary())
	}
	if in.Operatori[1].DataNascita != "1980-04-03" {
		t.Errorf("birth date sent as %q", in.Operatori[1].DataNascita)
	}
	r, _, err := session.Environment().API.CreateEnablement(ctx, in)
	p.sent(r, err)

	html := apptest.Render(t, p)
	// Nothing typed is lost.
	for id, v := range typed {
		if id == "ab-ente-tipo" || id == "ab-ente-provincia" {
			continue
		}
		if tag := apptest.TagWithID(html, id); !strings.Contains(tag, `value="`+v+`"`) {
			t.Errorf("%s lost its value %q: %s", id, v, tag)
		}
	}
	if !apptest.OptionSelected(html, "CN") || !apptest.OptionSelected(html, "comune") {
		t.Error("the ente's selects lost their choice")
	}
	// Only the flagged row is red, with the server's message.
	if n := apptest.Count(html, "op-row-invalid"); n != 1 {
		t.Errorf("%d rows marked invalid, want 1", n)
	}
	second := p.form.d.Operatori[1].Key
	if row := apptest.RowTag(html, "2"); !strings.Contains(row, "op-row-invalid") || !strings.Contains(apptest.Between(html, `data-row="2"`, "</tr>"), "is-invalid") {
		t.Errorf("row 2 not marked: %s", row)
	}
	if msg := apptest.Between(html, `id="ab-op-`+apptest.Itoa(second)+`-msg"`, "</td>"); !strings.Contains(msg, "luca.verdi@comune.it") || !strings.Contains(msg, "Riga 2") {
		t.Errorf("row 2's message: %s", msg)
	}
	if !strings.Contains(apptest.Between(html, `id="ab-summary"`, "</ul>"), "Riga 2 (Luca Verdi)") {
		t.Error("the error summary does not name the row")
	}
	if !strings.Contains(p.msg, "Nulla di quanto hai scritto è andato perso") {
		t.Errorf("message: %q", p.msg)
	}

	// The draft survives a reload of the page.
	p.saver.Flush()
	again := loadEnablementDraft(ctx, "referente@comune.it")
	if len(again.d.Operatori) != 3 || again.d.Operatori[1].Email != "luca.verdi@comune.it" || again.d.Ente.Nome != "Comune di Cuneo" {
		t.Errorf("draft after reload: %+v", again.d)
	}
	if s, err := st.GetSetting(ctx, "referente@comune.it", settingEnablementDraft); err != nil || !strings.Contains(s, "sara.neri") {
		t.Errorf("draft setting: %q %v", s, err)
	}

	// Correcting the row clears its mark; removing the first row keeps the mapping by key.
	p.form.set(opInputID(second, "email"), "luca.verdi2@comune.it")
	if p.form.rowInvalid(second) {
		t.Error("row still red after correcting its e-mail")
	}
	if len(api.Requests) != 1 || !strings.Contains(api.Bodies[0], `"operatori":[{`) {
		t.Errorf("requests: %d %s", len(api.Requests), api.Bodies)
	}
}

func TestEnablementFlagsFieldsOfLaterRowsAfterRemoval(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	f := newEnablementForm()
	k1 := f.d.Operatori[0].Key
	k2 := f.addRow()
	k3 := f.addRow()
	for _, k := range []int{k1, k2, k3} {
		f.set(opInputID(k, "nome"), "N")
		f.set(opInputID(k, "cognome"), "C")
		f.set(opInputID(k, "dataNascita"), "01/01/1980")
		f.set(opInputID(k, "email"), "x"+apptest.Itoa(k)+"@example.it")
	}
	f.removeRow(k2) // an empty or unwanted row goes before sending
	f.d.Ente = client.Ente{Nome: "Patronato X", Tipo: "patronato", Provincia: "RM"}
	f.d.Referente = client.Referente{Nome: "A", Cognome: "B", Ruolo: "Responsabile di sede", Telefono: "06 4455661", Email: "a@example.it"}
	if _, ok := f.request(); !ok {
		t.Fatal(f.summary())
	}
	rest := f.serverProblems([]shared.Problem{{Field: "operatori.2.email", Code: "format", Message: "E-mail non valida."}, {Field: "altro", Message: "Altro."}})
	if f.problems[opInputID(k3, "email")] != "E-mail non valida." {
		t.Errorf("operatori.2 should be the third row typed: %+v", f.problems)
	}
	if len(rest) != 1 {
		t.Errorf("unplaced problems: %v", rest)
	}
	// Local checks: a row with a bad date and a missing e-mail.
	f.set(opInputID(k1, "dataNascita"), "31/02/1980")
	f.set(opInputID(k1, "email"), "")
	if _, ok := f.request(); ok {
		t.Fatal("bad row accepted")
	}
	if f.problems[opInputID(k1, "dataNascita")] == "" || f.problems[opInputID(k1, "email")] == "" {
		t.Errorf("local problems: %+v", f.problems)
	}
}

func TestChartsDrawOneBarPerDay(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	s := client.Stats{
		Totals:       client.StatsTotals{Generated: 1200, Sent: 950, Operators: 12},
		PerTipologia: []client.Count{{Key: "colf", Label: "Colf", Count: 600}, {Key: "badante", Label: "Badante", Count: 350}},
	}
	for d := 1; d <= 30; d++ {
		s.PerDay = append(s.PerDay, client.DayCount{Day: time.Date(2009, 9, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02"), Generated: 40 + d, Sent: 30 + d})
	}
	for i, sigla := range []string{"RM", "MI", "NA", "TO", "CN", "BA", "PA", "FI", "BO", "GE", "VE", "VR"} {
		s.PerProvincia = append(s.PerProvincia, client.Count{Key: sigla, Count: 100 - i})
	}
	s.PerNazionalita = []client.Count{{Key: "UA", Count: 300}, {Key: "MA", Count: 200}, {Key: "LK", Count: 50}}

	p := &ministry{tab: "/ministero/statistiche", guard: consoleGuard{status: ui.StatusLoaded}, stats: &s}
	html := apptest.Render(t, p)
	sent := apptest.SvgWithID(html, "chart-sent")
	if sent == "" {
		t.Fatal("no SVG for the applications sent per day")
	}
	if n := apptest.Count(sent, "bar"); n != 30 {
		t.Errorf("%d bars for 30 days", n)
	}
	if !strings.Contains(sent, `data-value="60"`) || !strings.Contains(sent, "30/09/2009: 60 domande") {
		t.Error("the last day's bar does not carry its figure")
	}
	if !strings.Contains(sent, `role="img"`) || !strings.Contains(sent, `aria-labelledby="chart-sent-title"`) || !strings.Contains(sent, "<title") {
		t.Error("the chart has no text alternative")
	}
	if n := apptest.Count(apptest.SvgWithID(html, "chart-generated"), "bar"); n != 30 {
		t.Errorf("%d bars of modules generated", n)
	}
	// Top 10 provinces and the rest together.
	prov := apptest.SvgWithID(html, "chart-provincia")
	if n := apptest.Count(prov, "bar"); n != 11 || !strings.Contains(prov, "Altre province") || !strings.Contains(prov, "Roma") {
		t.Errorf("provinces chart: %d bars", n)
	}
	if !strings.Contains(apptest.SvgWithID(html, "chart-nazionalita"), "Ucraina") {
		t.Error("nationalities are not named")
	}
	for _, want := range []string{"1.200", "950", "Operatori abilitati", "Dati in tabella"} {
		if !strings.Contains(html, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	for _, tc := range []struct{ hi, step, top int }{{0, 1, 1}, {3, 1, 3}, {73, 20, 80}, {950, 250, 1000}, {9, 5, 10}, {12345, 5000, 15000}} {
		if step, top := ui.AxisOf(tc.hi); step != tc.step || top != tc.top {
			t.Errorf("axisOf(%d) = %d, %d; want %d, %d", tc.hi, step, top, tc.step, tc.top)
		}
	}
	if got := ui.FormatCount(1234567); got != "1.234.567" {
		t.Errorf("formatCount = %q", got)
	}
}

func TestSportelloListRendersFiltersAndRows(t *testing.T) {
	api, _ := apptest.UseFakeAPI(t, apptest.EmDay, map[string]http.HandlerFunc{
		"GET /sportello/domande": func(w http.ResponseWriter, r *http.Request) {
			apptest.WriteJSON(w, 200, client.DomandePage{Total: 120, Items: []client.DomandaItem{
				{Protocol: "EM2009-0000007", ModuleID: "EM-1", Kind: shared.KindEM, ReceivedAtRome: "15/09/2009 10:00:00",
					Employer: "BIANCHI Giovanna", Worker: "PERERA Kumari", Cittadinanza: "LK", Tipologia: "colf", Provincia: "CN", Stato: "ricevuta"},
				{Protocol: "EM2009-0000003", ModuleID: "EM-2", Kind: shared.KindEM, ReceivedAtRome: "14/09/2009 09:00:00",
					Employer: "ROSSI Mario", Worker: "KOVAL Olena", Cittadinanza: "UA", Tipologia: "badante", Provincia: "CN", Stato: "convocato"},
			}})
		},
	})
	p := &DomandeList{guard: consoleGuard{status: ui.StatusLoaded, me: client.User{Role: wire.RoleSportello, Provincia: "CN"}}}
	p.filter = filterFromQuery(url.Values{"tipologia": {"colf"}, "cittadinanza": {"lk"}, "dal": {"2009-09-01"}, "kind": {"EM"}})
	pg, err := session.Environment().API.Domande(context.Background(), p.filter)
	p.set(pg, err)
	if err != nil {
		t.Fatal(err)
	}
	q := api.Requests[0].URL.Query()
	if q.Get("tipologia") != "colf" || q.Get("cittadinanza") != "LK" || q.Get("dal") != "2009-09-01" || q.Get("limit") != "50" {
		t.Errorf("filters sent: %v", q)
	}
	html := apptest.Render(t, p)
	for _, id := range []string{"sp-dal", "sp-al", "sp-kind", "sp-tipologia", "sp-stato", "field-cittadinanza", "sp-q"} {
		if apptest.TagWithID(html, id) == "" {
			t.Errorf("filter %s missing", id)
		}
	}
	for _, l := range []string{"sp-dal", "sp-al", "sp-tipologia", "sp-stato", "field-cittadinanza", "sp-q"} {
		if !strings.Contains(html, `for="`+l+`"`) {
			t.Errorf("filter %s has no label", l)
		}
	}
	if apptest.TagWithID(html, "sp-provincia") != "" {
		t.Error("a sportello is offered other provinces")
	}
	if n := apptest.Count(html, "domanda-row"); n != 2 {
		t.Errorf("%d rows", n)
	}
	for _, want := range []string{`href="/sportello/EM2009-0000007"`, "BIANCHI Giovanna", "Sri Lanka", "Ucraina", "Convocato", "120 domande trovate", "Pagina 1 di 3", "Sportello Unico di Cuneo"} {
		if !strings.Contains(html, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if tag := apptest.TagWithID(html, "field-cittadinanza"); !strings.Contains(tag, `value="Sri Lanka"`) {
		t.Errorf("citizenship filter shows %s", tag)
	}
	if !strings.Contains(html, "/api/v1/sportello/export.csv?") || !strings.Contains(html, "kind=EM") {
		t.Error("no CSV export link for EM")
	}
	if !strings.Contains(html, "formato=leggibile") || !strings.Contains(html, `aria-label="Esporta CSV leggibile (modulo EM)"`) {
		t.Error("no readable CSV export link for EM")
	}
	if !strings.Contains(html, `aria-live="polite"`) {
		t.Error("the count of results is not announced")
	}
}

func TestSportelloDetailLooksLikeTheModule(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	data := apptest.Fixture(t, "em_colf")
	p := &domandaDetail{protocol: "EM2009-0000007", guard: consoleGuard{status: ui.StatusLoaded}}
	p.setDomanda(client.Domanda{
		Receipt: client.Receipt{Protocol: "EM2009-0000007", ModuleID: "EM-1", Provincia: "CN", ReceivedAtRome: "15/09/2009 10:00:00"},
		Kind:    shared.KindEM, Data: data, Stato: wire.DomandaInIstruttoria,
		History: []client.StatoEvent{
			{Stato: wire.DomandaRicevuta, AtRome: "15/09/2009 10:00:00"},
			{Stato: wire.DomandaInIstruttoria, Nota: "Documenti in verifica", By: "sportello.cn@example.it", AtRome: "16/09/2009 11:00:00"},
		},
	}, nil)
	html := apptest.Render(t, p)
	for _, sec := range shared.SchemaOf(shared.KindEM).Sections {
		if len(sec.Fields) > 0 && !strings.Contains(html, sec.Title) {
			t.Errorf("section %q missing", sec.Title)
		}
	}
	// Names, not codes.
	if cell := apptest.Between(html, `data-key="datore.residenza.comune"`, "</dd>"); !strings.Contains(cell, "Cuneo") {
		t.Errorf("comune shown as %s", cell)
	}
	if cell := apptest.Between(html, `data-key="lavoratore.cittadinanza"`, "</dd>"); !strings.Contains(cell, "Sri Lanka") {
		t.Errorf("citizenship shown as %s", cell)
	}
	// History and the allowed changes only.
	if !strings.Contains(html, "Documenti in verifica") || !strings.Contains(html, "sportello.cn@example.it") {
		t.Error("history not shown")
	}
	form := apptest.Between(html, `id="st-next"`, "</select>")
	if !strings.Contains(form, `value="convocato"`) || !strings.Contains(form, `value="respinta"`) || strings.Contains(form, `value="accolta"`) {
		t.Errorf("next statuses: %s", form)
	}
}

func TestConsolesClosedToOtherRoles(t *testing.T) {
	_, _ = apptest.UseFakeAPI(t, apptest.EmDay, map[string]http.HandlerFunc{
		"GET /me": func(w http.ResponseWriter, r *http.Request) {
			apptest.WriteJSON(w, 200, client.User{Email: "anna@example.it", Role: wire.RolePrivato})
		},
	})
	ctx := context.Background()
	session.SetCurrentUser(ctx, "anna@example.it")
	var g consoleGuard
	if err := g.check(ctx, "al Ministero dell'Interno", wire.RoleAdmin); err != errForbiddenRole {
		t.Fatalf("check: %v", err)
	}
	p := &ministry{tab: "/ministero", guard: g}
	html := apptest.Render(t, p)
	if !strings.Contains(html, "Questa sezione è riservata al Ministero dell&#39;Interno") || !strings.Contains(html, "Privato") {
		t.Errorf("no explanation: %s", apptest.Between(html, "<main", "</main>"))
	}
	if strings.Contains(html, "nav-tabs") || strings.Contains(html, "Abilita tutti") {
		t.Error("the console shows to a private user")
	}
	// Logged out: the login link, with the way back.
	session.Use(session.Env{Store: store.NewMemory(), API: client.New("http://127.0.0.1:1", nil), Now: func() time.Time { return apptest.EmDay }})
	g = consoleGuard{}
	g.failErr(&client.Error{Status: 401, Code: client.CodeUnauthorized, Message: "La sessione è scaduta."})
	html = apptest.Render(t, &DomandeList{guard: g})
	if !strings.Contains(html, `href="/accedi?next=%2Fsportello"`) {
		t.Error("no login link on the closed console")
	}
}

func TestMinistryRequestsOfferPerRowAndWholeTableDecisions(t *testing.T) {
	apptest.UseMemory(t, apptest.EmDay)
	p := &ministry{tab: "/ministero", stato: wire.EnablementInAttesa, guard: consoleGuard{status: ui.StatusLoaded}}
	p.enablements = []client.Enablement{{
		ID: 7, CreatedAtRome: "02/09/2009 09:00:00", CreatedBy: "referente@comune.it", Stato: wire.EnablementInAttesa,
		Ente:      client.Ente{Nome: "Comune di Cuneo", Tipo: "comune", Provincia: "CN"},
		Referente: client.Referente{Nome: "Anna", Cognome: "Bianchi", Ruolo: "Dirigente", Telefono: "0171", Email: "referente@comune.it"},
		Operatori: []client.EnablementOperator{
			{UserID: 11, Nome: "Mario", Cognome: "Rossi", DataNascita: "1970-02-01", Email: "m@c.it", Stato: wire.OperatoreInAttesa},
			{UserID: 12, Nome: "Sara", Cognome: "Neri", DataNascita: "1990-06-05", Email: "s@c.it", Stato: wire.OperatoreAbilitato},
		},
	}}
	html := apptest.Render(t, p)
	card := apptest.Between(html, `id="richiesta-7"`, "</article>")
	if n := strings.Count(card, `data-action="approva"`); n != 2 { // Mario's row and "Abilita tutti"
		t.Errorf("%d approve buttons", n)
	}
	if !strings.Contains(card, `data-user="11"`) || strings.Contains(card, `data-user="12"`) {
		t.Error("decision buttons on the wrong rows")
	}
	if !strings.Contains(card, "Abilita tutti (1)") || !strings.Contains(card, `for="motivo-7"`) || !strings.Contains(card, "01/02/1970") {
		t.Errorf("card: %s", card)
	}
}

// The request for enablement is saved by the same saver as the compiler's drafts, so the flush
// that runs when the page is hidden or reloaded (flushAll, on pagehide) writes its last
// keystrokes at once instead of losing them with the tab.
func TestPagehideFlushKeepsTheEnablementForm(t *testing.T) {
	st := apptest.UseMemory(t, apptest.EmDay)
	ctx := context.Background()
	p := &Enablement{status: ui.StatusLoaded, user: "referente@comune.it", form: newEnablementForm()}
	t.Cleanup(p.OnDismount)
	p.form.set("ab-ente-nome", "Comune di Saluzzo")
	p.form.set(opInputID(p.form.d.Operatori[0].Key, "email"), "ultimo.tasto@comune.it")
	p.saveDraft()
	// Nothing is written before the delay...
	if _, err := st.GetSetting(ctx, "referente@comune.it", settingEnablementDraft); err == nil {
		t.Fatal("the draft was written before the delay: the test would prove nothing")
	}
	// ...but the page is hidden now.
	session.FlushAll()
	s, err := st.GetSetting(ctx, "referente@comune.it", settingEnablementDraft)
	if err != nil || !strings.Contains(s, "ultimo.tasto@comune.it") || !strings.Contains(s, "Comune di Saluzzo") {
		t.Fatalf("after the pagehide flush: %q %v", s, err)
	}
	// A request sent deletes the saved draft through the same saver.
	p.sent(client.Enablement{CreatedAtRome: "02/09/2009 09:00:00"}, nil)
	if _, err := st.GetSetting(ctx, "referente@comune.it", settingEnablementDraft); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the draft of a request sent is still there: %v", err)
	}
}
