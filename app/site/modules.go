package site

import (
	"context"
	"fmt"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// modulesPage is how many modules a page of /moduli shows (an operator has hundreds).
const modulesPage = 25

// Modules is the page /moduli: the modules generated on the server, with the employer each is
// for, the Sportello's status of the sent ones, search and pages for operators, and the
// receipts (PDF).
type Modules struct {
	goapp.Compo

	status   ui.LoadStatus
	err      string
	login    bool
	role     string
	filter   client.ModuleFilter
	list     []client.Module
	total    int
	busy     bool
	receipts []client.Receipt
}

func (p *Modules) OnNav(ctx goapp.Context) {
	api := session.Environment().API
	if api == nil {
		p.status, p.err = ui.StatusFailed, session.ErrorText(session.ErrNoServer)
		return
	}
	p.status = ui.StatusLoading
	p.filter.Limit = modulesPage
	f := p.filter
	ctx.Async(func() {
		bg := context.Background()
		me, _ := session.LoadProfile(bg)
		ms, total, err := api.SearchModules(bg, f)
		var rs []client.Receipt
		if err == nil {
			rs, err = api.Receipts(bg)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.role = me.Role
			p.set(ms, total, err)
			p.receipts = rs
		})
	})
}

// set shows a page of modules, or why there is none.
func (p *Modules) set(ms []client.Module, total int, err error) {
	p.status, p.list, p.total, p.busy = ui.StatusLoaded, ms, total, false
	if err != nil {
		p.status = ui.StatusFailed
		p.login = session.NeedLogin(err)
		p.err = session.ErrorText(err, "Questo elenco viene dal server e ora non c'è connessione. I moduli importati restano disponibili in «Compila», le ricevute salvate in «Ricevute».")
	}
}

// search loads the page of modules the filter selects.
func (p *Modules) search(ctx goapp.Context) {
	api := session.Environment().API
	f := p.filter
	f.Limit = modulesPage
	p.busy = true
	ctx.Async(func() {
		ms, total, err := api.SearchModules(context.Background(), f)
		ctx.Dispatch(func(ctx goapp.Context) { p.set(ms, total, err) })
	})
}

func (p *Modules) onFilter(ctx goapp.Context, e goapp.Event) {
	v := ui.EventValue(ctx)
	switch ctx.JSSrc().Get("id").String() {
	case "mf-q":
		p.filter.Q = v
	case "mf-cf":
		p.filter.CF = strings.ToUpper(strings.TrimSpace(v))
	case "mf-stato":
		p.filter.Stato = v
	}
}

func (p *Modules) onSearch(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	p.filter.Offset = 0
	p.search(ctx)
}

func (p *Modules) onPrev(ctx goapp.Context, e goapp.Event) {
	p.filter.Offset = max(0, p.filter.Offset-modulesPage)
	p.search(ctx)
}

func (p *Modules) onNext(ctx goapp.Context, e goapp.Event) {
	p.filter.Offset += modulesPage
	p.search(ctx)
}

// searchable reports whether the search form is offered: to operators, and to anyone whose
// list does not fit one page.
func (p *Modules) searchable() bool {
	f := p.filter
	return p.role == wire.RoleOperatore || p.total > modulesPage || f.Q != "" || f.CF != "" || f.Stato != ""
}

// employerOf is the module's employer as the server names it, or from its data.
func employerOf(m client.Module) string {
	if m.Employer != "" {
		return m.Employer
	}
	return ui.PersonName(m.Data, "datore")
}

func (p *Modules) Render() goapp.UI {
	return ui.Page("/moduli",
		goapp.H1().Text("I miei moduli"),
		p.body(),
	)
}

func (p *Modules) body() goapp.UI {
	if ui, loaded := ui.LoadState(p.status, p.err, p.login, "/moduli"); !loaded {
		return ui
	}
	pdf := func(protocol string) string { return session.Environment().API.ReceiptPDFURL(protocol) }
	f := p.filter
	count := ui.Count(p.total, "modulo", "moduli")
	if len(p.list) > 0 && p.total > len(p.list) {
		count += fmt.Sprintf(": dal %d al %d", f.Offset+1, f.Offset+len(p.list))
	}
	if p.busy {
		count = "Ricerca in corso…"
	}
	filtered := f.Q != "" || f.CF != "" || f.Stato != ""
	return goapp.Div().Body(
		goapp.H2().Class("h4").Text("Moduli generati"),
		goapp.Form().Class("filters card card-body mb-3").Attr("role", "search").Aria("label", "Cerca tra i moduli").
			Hidden(!p.searchable()).OnSubmit(p.onSearch).Body(
			goapp.Div().Class("row g-3 align-items-end").Body(
				goapp.Div().Class("col-12 col-md-4").Body(
					goapp.Label().For("mf-q").Class("form-label").Text("Cognome del datore di lavoro"),
					goapp.Input().ID("mf-q").Type("search").Class("form-control").Value(f.Q).OnInput(p.onFilter),
				),
				goapp.Div().Class("col-12 col-md-4").Body(
					goapp.Label().For("mf-cf").Class("form-label").Text("Codice fiscale del datore"),
					goapp.Input().ID("mf-cf").Type("search").Class("form-control text-uppercase").MaxLength(16).Value(f.CF).OnInput(p.onFilter),
				),
				goapp.Div().Class("col-6 col-md-2").Body(
					goapp.Label().For("mf-stato").Class("form-label").Text("Stato"),
					goapp.Select().ID("mf-stato").Class("form-select").OnChange(p.onFilter).Body(
						goapp.Option().Value(ui.PlaceholderValue).Selected(f.Stato == "").Text("Tutti"),
						goapp.Option().Value(client.ModuleGenerated).Selected(f.Stato == client.ModuleGenerated).Text("Generati"),
						goapp.Option().Value(client.ModuleSent).Selected(f.Stato == client.ModuleSent).Text("Inviati"),
					),
				),
				goapp.Div().Class("col-6 col-md-2").Body(goapp.Button().Type("submit").Class("btn btn-primary w-100").Text("Cerca")),
			),
		),
		goapp.P().Class("small fw-semibold").Attr("role", "status").Aria("live", "polite").Hidden(!p.searchable()).Text(count),
		goapp.If(len(p.list) == 0 && filtered, func() goapp.UI {
			return goapp.P().Text("Nessun modulo corrisponde alla ricerca.")
		}).ElseIf(len(p.list) == 0, func() goapp.UI {
			return goapp.P().Body(goapp.Text("Non hai ancora generato moduli. "), goapp.A().Href("/genera").Text("Genera un modulo"))
		}).Else(func() goapp.UI {
			return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table align-middle").Body(
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Scope("col").Text("Modulo"),
					goapp.Th().Scope("col").Text("Datore di lavoro"),
					goapp.Th().Scope("col").Text("Lavoratore"),
					goapp.Th().Scope("col").Text("Generato il"),
					goapp.Th().Scope("col").Text("Stato"),
				)),
				goapp.TBody().Body(goapp.Range(p.list).Slice(func(i int) goapp.UI {
					m := p.list[i]
					st := "Generato"
					if m.Status == client.ModuleSent {
						st = "Inviato"
					}
					return goapp.Tr().Body(
						goapp.Td().Body(goapp.Span().Class("module-id").Text(m.ID), goapp.Div().Class("small text-muted").Text(shared.KindName(m.Kind))),
						goapp.Td().Class("employer").Text(employerOf(m)),
						goapp.Td().Text(ui.WorkerLine(m.Data)),
						goapp.Td().Text(m.CreatedAtRome),
						goapp.Td().Body(
							goapp.Text(st),
							goapp.If(m.Receipt != nil, func() goapp.UI {
								return goapp.Div().Body(goapp.A().Href(pdf(m.Receipt.Protocol)).Attr("download", shared.ReceiptFileName(m.Receipt.Protocol)).Text("Ricevuta " + m.Receipt.Protocol + " (PDF)"))
							}),
							ui.DomandaStatoNote(m.DomandaStato),
						),
					)
				})),
			))
		}),
		goapp.Div().Hidden(p.total <= modulesPage).Body(
			ui.Pager(f.Offset > 0, f.Offset+len(p.list) < p.total, p.onPrev, p.onNext,
				fmt.Sprintf("Pagina %d di %d", f.Offset/modulesPage+1, max(1, (p.total+modulesPage-1)/modulesPage))),
		),
		goapp.P().Body(goapp.A().Href("/importa").Class("btn btn-primary").Text("Importa su questo dispositivo")),
		goapp.H2().Class("h4 mt-4").Text("Ricevute"),
		goapp.If(len(p.receipts) == 0, func() goapp.UI {
			return goapp.P().Text("Nessuna domanda inviata finora.")
		}).Else(func() goapp.UI {
			return ui.ReceiptTable(ui.ReceiptRows(p.receipts), pdf, nil, nil)
		}),
	)
}
