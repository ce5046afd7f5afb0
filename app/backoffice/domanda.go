package backoffice

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// domandePage is how many applications a page of the Sportello's list shows.
const domandePage = 50

// DomandeList is the page /sportello: the applications of the Sportello's province (of every
// province, or the chosen one, for the Ministry), filtered and paginated, with the CSV export.
type DomandeList struct {
	goapp.Compo

	guard  consoleGuard
	filter client.DomandeFilter
	page   client.DomandePage
	busy   bool
	msg    string
}

func (p *DomandeList) OnNav(ctx goapp.Context) {
	p.filter = filterFromQuery(ctx.Page().URL().Query())
	p.guard.status = ui.StatusLoading
	ctx.Async(func() {
		var g consoleGuard
		err := g.check(context.Background(), "agli Sportelli Unici per l'Immigrazione e al Ministero", wire.RoleSportello, wire.RoleAdmin)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.guard = g
			if err == nil {
				p.search(ctx)
			}
		})
	})
}

// filterFromQuery reads the filters from the page's address, so a filtered list can be
// bookmarked or sent to a colleague.
func filterFromQuery(q url.Values) client.DomandeFilter {
	f := client.DomandeFilter{
		Dal: q.Get("dal"), Al: q.Get("al"), Tipologia: q.Get("tipologia"),
		Cittadinanza: strings.ToUpper(q.Get("cittadinanza")), Stato: q.Get("stato"), Q: q.Get("q"),
		Provincia: strings.ToUpper(q.Get("provincia")), Limit: domandePage,
	}
	if k, err := shared.ParseKind(q.Get("kind")); err == nil {
		f.Kind = k
	}
	return f
}

func (p *DomandeList) search(ctx goapp.Context) {
	api := session.Environment().API
	if api == nil {
		return
	}
	f := p.filter
	f.Limit = domandePage
	p.busy = true
	ctx.Async(func() {
		pg, err := api.Domande(context.Background(), f)
		ctx.Dispatch(func(ctx goapp.Context) { p.set(pg, err) })
	})
}

func (p *DomandeList) set(pg client.DomandePage, err error) {
	p.busy = false
	p.msg = session.ErrorText(err)
	if err == nil {
		p.page = pg
	}
}

func (p *DomandeList) onFilter(ctx goapp.Context, e goapp.Event) {
	id, v := ctx.JSSrc().Get("id").String(), ui.EventValue(ctx)
	switch id {
	case "sp-dal":
		p.filter.Dal = v
	case "sp-al":
		p.filter.Al = v
	case "sp-tipologia":
		p.filter.Tipologia = v
	case "sp-stato":
		p.filter.Stato = v
	case "sp-q":
		p.filter.Q = v
	case "sp-kind":
		p.filter.Kind = shared.Kind(v)
	case "sp-provincia":
		p.filter.Provincia = v
	}
}

func (p *DomandeList) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	if ui.ComboFocused() {
		return
	}
	p.filter.Offset = 0
	p.search(ctx)
}

func (p *DomandeList) onReset(ctx goapp.Context, e goapp.Event) {
	p.filter = client.DomandeFilter{Limit: domandePage}
	p.search(ctx)
}

func (p *DomandeList) onPrev(ctx goapp.Context, e goapp.Event) {
	p.filter.Offset = max(0, p.filter.Offset-domandePage)
	p.search(ctx)
}

func (p *DomandeList) onNext(ctx goapp.Context, e goapp.Event) {
	p.filter.Offset += domandePage
	p.search(ctx)
}

// The citizenship is a searchable list of countries (the combo of the compiler): these make
// the page its host.
func (p *DomandeList) OnFieldInput(ctx goapp.Context, e goapp.Event) {}

func (p *DomandeList) OnFieldChange(ctx goapp.Context, e goapp.Event) {}

func (p *DomandeList) OnFieldCheck(ctx goapp.Context, e goapp.Event) {}

func (p *DomandeList) OnCalc(ctx goapp.Context, e goapp.Event) {}

func (p *DomandeList) OnComboSelect(ctx goapp.Context, key, code string) {
	p.filter.Cittadinanza = code
}

func (p *DomandeList) Render() goapp.UI {
	title := "Domande allo Sportello Unico"
	if p.guard.me.Role == wire.RoleSportello && p.guard.me.Provincia != "" {
		title = "Domande allo Sportello Unico di " + session.ProvinceLabel(p.guard.me.Provincia)
	}
	return ui.Page("/sportello",
		goapp.H1().Text(title),
		goapp.If(p.guard.status != ui.StatusLoaded, func() goapp.UI { return p.guard.render("/sportello") }).
			Else(func() goapp.UI { return p.body() }),
	)
}

func (p *DomandeList) body() goapp.UI {
	f := p.filter
	admin := p.guard.me.Role == wire.RoleAdmin
	sel := func(id, label, all string, opts []ui.OptionPair, v string) goapp.UI {
		return goapp.Div().Class("col-6 col-md-3 col-xl-2").Body(
			goapp.Label().For(id).Class("form-label").Text(label),
			goapp.Select().ID(id).Class("form-select").OnChange(p.onFilter).Body(
				goapp.Option().Value(ui.PlaceholderValue).Selected(v == "").Text(all),
				goapp.Range(opts).Slice(func(i int) goapp.UI {
					return goapp.Option().Value(opts[i].Value).Selected(opts[i].Value == v).Text(opts[i].Label)
				}),
			),
		)
	}
	date := func(id, label, v string) goapp.UI {
		return goapp.Div().Class("col-6 col-md-3 col-xl-2").Body(
			goapp.Label().For(id).Class("form-label").Text(label),
			goapp.Input().ID(id).Type("date").Class("form-control").Value(v).OnChange(p.onFilter).OnInput(p.onFilter),
		)
	}
	items := p.page.Items
	from, to := f.Offset+1, f.Offset+len(items)
	count := ui.Count(p.page.Total, "domanda trovata", "domande trovate")
	if len(items) > 0 {
		count += fmt.Sprintf(": dalla %s alla %s", ui.FormatCount(from), ui.FormatCount(to))
	}
	if p.busy {
		count = "Ricerca in corso…"
	}
	exportFilter := f
	return goapp.Div().Body(
		goapp.Form().Class("filters card card-body mb-3").Attr("role", "search").Aria("label", "Filtri delle domande").OnSubmit(p.onSubmit).Body(
			goapp.Div().Class("row g-3 align-items-end").Body(
				date("sp-dal", "Ricevute dal", f.Dal),
				date("sp-al", "Ricevute al", f.Al),
				sel("sp-kind", "Modulo", "Tutti", []ui.OptionPair{{Value: "EM", Label: "EM (emersione)"}, {Value: "A", Label: "A (nulla osta)"}}, string(f.Kind)),
				sel("sp-tipologia", "Tipologia", "Tutte", tipologiaOptions(), f.Tipologia),
				sel("sp-stato", "Stato", "Tutti", ui.DomandaStati, f.Stato),
				goapp.Div().Class("col-12 col-md-4 col-xl-2").Body(
					goapp.Label().For("field-cittadinanza").Class("form-label").Text("Cittadinanza"),
					&ui.Combo{ID: "field-cittadinanza", Value: f.Cittadinanza, Display: ui.CountryOrEmpty(f.Cittadinanza), Source: "countries:noneu", Host: p},
				),
				goapp.If(admin, func() goapp.UI {
					return sel("sp-provincia", "Provincia", "Tutte", provinceSelectOptions(), f.Provincia)
				}),
				goapp.Div().Class("col-12 col-md-6 col-xl-4").Body(
					goapp.Label().For("sp-q").Class("form-label").Text("Cerca protocollo o cognome"),
					goapp.Input().ID("sp-q").Type("search").Class("form-control").Value(f.Q).
						Placeholder("es. EM2009-0000123, Rossi").OnInput(p.onFilter),
				),
				goapp.Div().Class("col-12 col-md-auto d-flex gap-2").Body(
					goapp.Button().Type("submit").Class("btn btn-primary").Text("Cerca"),
					goapp.Button().Type("button").Class("btn btn-outline-secondary").Text("Azzera").OnClick(p.onReset),
				),
			),
		),
		goapp.Div().Class("d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2").Body(
			goapp.P().Class("mb-0 fw-semibold").Attr("role", "status").Aria("live", "polite").Text(count),
			exportLinks(exportFilter),
		),
		goapp.Div().Attr("role", "alert").Body(goapp.If(p.msg != "", func() goapp.UI { return ui.Notice("danger", p.msg) })),
		goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table table-hover align-middle domande-table").Body(
			goapp.Caption().Class("visually-hidden").Text("Domande ricevute, dalla più recente"),
			goapp.THead().Body(goapp.Tr().Body(
				goapp.Th().Scope("col").Text("Protocollo"),
				goapp.Th().Scope("col").Text("Ricevuta il"),
				goapp.Th().Scope("col").Text("Datore di lavoro"),
				goapp.Th().Scope("col").Text("Lavoratore"),
				goapp.Th().Scope("col").Text("Cittadinanza"),
				goapp.Th().Scope("col").Text("Tipologia"),
				goapp.Th().Scope("col").Text("Provincia"),
				goapp.Th().Scope("col").Text("Stato"),
			)),
			goapp.TBody().Body(goapp.Range(items).Slice(func(i int) goapp.UI {
				d := items[i]
				return goapp.Tr().Class("domanda-row").Body(
					goapp.Td().Body(goapp.A().Class("protocol").Href("/sportello/"+url.PathEscape(d.Protocol)).Text(d.Protocol)),
					goapp.Td().Class("text-nowrap").Text(d.ReceivedAtRome),
					goapp.Td().Text(d.Employer),
					goapp.Td().Text(d.Worker),
					goapp.Td().Text(shared.CountryName(d.Cittadinanza)),
					goapp.Td().Text(shared.TipologiaShort(d.Tipologia)),
					goapp.Td().Text(d.Provincia),
					goapp.Td().Body(goapp.Span().Class(ui.DomandaStatoClass(d.Stato)).Text(wire.DomandaLabel(d.Stato))),
				)
			})),
		)),
		ui.Pager(f.Offset > 0, f.Offset+len(items) < p.page.Total, p.onPrev, p.onNext,
			fmt.Sprintf("Pagina %d di %d", f.Offset/domandePage+1, max(1, (p.page.Total+domandePage-1)/domandePage))),
	)
}

// exportLinks offers the CSV of what the filters select: one file per module, since the
// columns are the module's fields; each with the values as stored (for programs) and as a
// person reads them (for a spreadsheet: names, dates and amounts as the detail shows them).
func exportLinks(f client.DomandeFilter) goapp.UI {
	api := session.Environment().API
	if api == nil {
		return goapp.Span()
	}
	kinds := []shared.Kind{shared.KindEM, shared.KindA}
	if f.Kind != "" {
		kinds = []shared.Kind{f.Kind}
	}
	return goapp.Div().Class("d-flex gap-2 flex-wrap").Body(goapp.Range(kinds).Slice(func(i int) goapp.UI {
		ff := f
		ff.Kind = kinds[i]
		// A non-empty download name (go-app drops an empty attribute) keeps go-app's router
		// from taking the click as a navigation inside the app; the server's
		// Content-Disposition names the file for real (with the province and the day).
		return goapp.Div().Class("btn-group").Body(
			goapp.A().Class("btn btn-outline-primary btn-sm export-link").Href(api.ExportCSVURL(ff, false)).
				Title("I valori come sono registrati (codici, date AAAA-MM-GG), per i programmi").
				Attr("download", "domande-"+string(kinds[i])+".csv").Text("Esporta CSV (modulo "+string(kinds[i])+")"),
			goapp.A().Class("btn btn-outline-primary btn-sm export-link export-readable").Href(api.ExportCSVURL(ff, true)).
				Title("Come si leggono nel modulo: nomi di comuni e stati, date GG/MM/AAAA, importi in euro").
				Aria("label", "Esporta CSV leggibile (modulo "+string(kinds[i])+")").
				Attr("download", "domande-"+string(kinds[i])+"-leggibile.csv").Text("leggibile"),
		)
	}))
}

// domandaDetail is one application laid out like the printed module, with its status at
// the Sportello, the history and the form to change it.
type domandaDetail struct {
	goapp.Compo

	guard    consoleGuard
	protocol string
	status   ui.LoadStatus
	d        client.Domanda
	err      string
	next     string
	nota     string
	busy     bool
	msg      string
	msgKind  string
}

func NewDomandaDetail() goapp.Composer { return &domandaDetail{} }

func (p *domandaDetail) OnNav(ctx goapp.Context) {
	p.protocol, _ = url.PathUnescape(strings.TrimPrefix(ctx.Page().URL().Path, "/sportello/"))
	p.guard.status, p.status = ui.StatusLoading, ui.StatusLoading
	protocol := p.protocol
	ctx.Async(func() {
		bg := context.Background()
		var g consoleGuard
		err := g.check(bg, "agli Sportelli Unici per l'Immigrazione e al Ministero", wire.RoleSportello, wire.RoleAdmin)
		var d client.Domanda
		if err == nil {
			d, err = session.Environment().API.Domanda(bg, protocol)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.guard = g
			p.setDomanda(d, err)
		})
	})
}

func (p *domandaDetail) setDomanda(d client.Domanda, err error) {
	if err != nil {
		p.status = ui.StatusFailed
		p.err = session.ErrorText(err)
		if client.ErrorCode(err) == client.CodeNotFound {
			p.err = "Domanda " + p.protocol + " non trovata tra quelle della tua provincia."
		}
		return
	}
	p.status, p.d = ui.StatusLoaded, d
	p.next, p.nota = "", ""
	if n := wire.DomandaNext(d.Stato); len(n) > 0 {
		p.next = n[0]
	}
}

func (p *domandaDetail) onNext(ctx goapp.Context, e goapp.Event) { p.next = ui.EventValue(ctx) }

func (p *domandaDetail) onNota(ctx goapp.Context, e goapp.Event) {
	p.nota = ctx.JSSrc().Get("value").String()
}

func (p *domandaDetail) onSetStato(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	if p.busy || p.next == "" {
		return
	}
	nota := strings.TrimSpace(p.nota)
	if p.next == wire.DomandaRespinta && nota == "" {
		p.msgKind, p.msg = "danger", "Per respingere la domanda scrivi una nota con il motivo: il richiedente la vedrà."
		ctx.Defer(func(goapp.Context) {
			if el := goapp.Window().GetElementByID("st-nota"); el.Truthy() {
				el.Call("focus")
			}
		})
		return
	}
	protocol, next := p.protocol, p.next
	p.busy = true
	ctx.Async(func() {
		d, err := session.Environment().API.SetStato(context.Background(), protocol, next, nota)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.busy = false
			if err != nil {
				p.msgKind, p.msg = "danger", session.ErrorText(err)
				return
			}
			p.setDomanda(d, nil)
			p.msgKind, p.msg = "success", "Stato cambiato in «"+wire.DomandaLabel(d.Stato)+"»: il richiedente lo vede sulla sua ricevuta."
		})
	})
}

func (p *domandaDetail) Render() goapp.UI {
	return ui.Page("/sportello/"+p.protocol,
		goapp.P().Class("mb-2").Body(goapp.A().Href("/sportello").Text("← Elenco delle domande")),
		goapp.H1().Body(goapp.Text("Domanda "), goapp.Span().Class("protocol").Text(p.protocol)),
		goapp.If(p.guard.status != ui.StatusLoaded, func() goapp.UI { return p.guard.render("/sportello/" + p.protocol) }).
			ElseIf(p.status == ui.StatusLoading, func() goapp.UI { return goapp.P().Attr("role", "status").Text("Caricamento…") }).
			ElseIf(p.status == ui.StatusFailed, func() goapp.UI { return ui.Notice("warning", p.err) }).
			Else(func() goapp.UI { return p.body() }),
	)
}

func (p *domandaDetail) body() goapp.UI {
	d := p.d
	r := d.Receipt
	next := wire.DomandaNext(d.Stato)
	return goapp.Div().Class("row g-4").Body(
		goapp.Div().Class("col-12 col-lg-8 order-2 order-lg-1").Body(
			goapp.Div().Class("printed-module").Body(
				goapp.Div().Class("printed-head").Body(
					goapp.P().Class("mb-1 fw-semibold").Text(moduleTitle(d.Kind)),
					goapp.P().Class("mb-0 small").Text(r.Sportello),
				),
				renderModuleData(d.Kind, d.Data),
			),
		),
		goapp.Aside().Class("col-12 col-lg-4 order-1 order-lg-2").Body(
			goapp.Div().Class("card mb-3").Body(goapp.Div().Class("card-body").Body(
				goapp.H2().Class("h5").Text("Ricevuta"),
				goapp.Dl().Class("mb-0 small receipt-dl").Body(
					goapp.Dt().Text("Protocollo"), goapp.Dd().Class("protocol").Text(r.Protocol),
					goapp.Dt().Text("Ricevuta il"), goapp.Dd().Text(r.ReceivedAtRome),
					goapp.Dt().Text("Modulo"), goapp.Dd().Class("module-id").Text(r.ModuleID),
					goapp.Dt().Text("Provincia"), goapp.Dd().Text(shared.ProvinceName(r.Provincia)),
					goapp.Dt().Text("Impronta SHA-256"), goapp.Dd().Class("text-break").Body(goapp.Code().Text(r.SHA256)),
				),
			)),
			goapp.Div().Class("card mb-3").Body(goapp.Div().Class("card-body").Body(
				goapp.H2().Class("h5").Body(goapp.Text("Stato: "), goapp.Span().ID("stato-attuale").Class(ui.DomandaStatoClass(d.Stato)).Text(wire.DomandaLabel(d.Stato))),
				goapp.Ol().Class("history list-unstyled mb-0").Body(goapp.Range(d.History).Slice(func(i int) goapp.UI {
					h := d.History[i]
					return goapp.Li().Class("history-item").Body(
						goapp.Span().Class(ui.DomandaStatoClass(h.Stato)).Text(wire.DomandaLabel(h.Stato)),
						goapp.Span().Class("small text-muted ms-2").Text(h.AtRome),
						goapp.If(h.By != "", func() goapp.UI { return goapp.Span().Class("small text-muted").Text(" — " + h.By) }),
						goapp.If(h.Nota != "", func() goapp.UI { return goapp.P().Class("small mb-0 mt-1").Text(h.Nota) }),
					)
				})),
			)),
			goapp.Form().Class("card card-body stato-form").Hidden(len(next) == 0).OnSubmit(p.onSetStato).Body(
				goapp.H2().Class("h5").Text("Cambia stato"),
				goapp.Label().For("st-next").Class("form-label").Text("Nuovo stato"),
				goapp.Select().ID("st-next").Class("form-select mb-2").OnChange(p.onNext).Body(
					goapp.Range(next).Slice(func(i int) goapp.UI {
						return goapp.Option().Value(next[i]).Selected(next[i] == p.next).Text(wire.DomandaLabel(next[i]))
					}),
				),
				goapp.Label().For("st-nota").Class("form-label").Text("Nota per il richiedente (obbligatoria se respingi)"),
				goapp.Textarea().ID("st-nota").Class("form-control mb-2").Rows(3).Text(p.nota).OnInput(p.onNota),
				goapp.Button().Type("submit").Class("btn btn-primary").Disabled(p.busy).Text("Salva lo stato"),
			),
			goapp.Div().Class("mt-2").Attr("role", "status").Aria("live", "polite").Body(
				goapp.If(p.msg != "", func() goapp.UI { return ui.Notice(p.msgKind, p.msg) }),
			),
		),
	)
}

func moduleTitle(k shared.Kind) string {
	if s := shared.SchemaOf(k); s != nil {
		return s.Title
	}
	return shared.KindName(k)
}

// renderModuleData lays out an application's data like the printed module (shared.Layout, as
// the server's detail and the compiler's summary): every section with a field that applies,
// each field with its label and what a person reads.
func renderModuleData(k shared.Kind, d shared.Data) goapp.UI {
	if shared.SchemaOf(k) == nil {
		return ui.Notice("warning", "Modulo di tipo sconosciuto: "+string(k))
	}
	var secs []goapp.UI
	for _, sec := range shared.Layout(k, d) {
		if len(sec.Fields) == 0 {
			continue
		}
		secs = append(secs, goapp.Section().Class("printed-section").Body(
			goapp.H2().Class("h5").Text(sec.Title),
			goapp.Dl().Class("row mb-0").Body(ui.LaidRows(sec.Fields)...),
		))
	}
	return goapp.Div().Body(secs...)
}

// tipologiaOptions are the kinds of domestic work for a filter, with their short labels.
func tipologiaOptions() []ui.OptionPair {
	var out []ui.OptionPair
	for _, o := range shared.Tipologie() {
		out = append(out, ui.OptionPair{Value: o.Value, Label: o.Short})
	}
	return out
}
