package app

import (
	"context"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
)

// modules is the page /moduli: the modules generated on the server and their receipts (PDF).
type modules struct {
	goapp.Compo

	status   loadStatus
	err      string
	login    bool
	list     []client.Module
	receipts []client.Receipt
}

func (p *modules) OnNav(ctx goapp.Context) {
	api := env().API
	if api == nil {
		p.status, p.err = statusFailed, errNoServer.Error()
		return
	}
	p.status = statusLoading
	ctx.Async(func() {
		bg := context.Background()
		ms, err := api.ListModules(bg)
		var rs []client.Receipt
		if err == nil {
			rs, err = api.Receipts(bg)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.status, p.list, p.receipts = statusLoaded, ms, rs
			if err != nil {
				p.status = statusFailed
				p.login = needLogin(err)
				p.err = err.Error()
				if client.IsOffline(err) {
					p.err = "Questo elenco viene dal server e ora non c'è connessione. I moduli importati restano disponibili in «Compila», le ricevute salvate in «Ricevute»."
				}
			}
		})
	})
}

func (p *modules) Render() goapp.UI {
	return page("/moduli",
		goapp.H1().Text("I miei moduli"),
		p.body(),
	)
}

func (p *modules) body() goapp.UI {
	switch p.status {
	case statusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case statusFailed:
		return goapp.Div().Body(
			notice("warning", p.err),
			goapp.If(p.login, func() goapp.UI {
				return goapp.A().Href(loginLink("/moduli")).Class("btn btn-primary").Text("Accedi")
			}),
		)
	}
	pdf := func(protocol string) string { return env().API.ReceiptPDFURL(protocol) }
	return goapp.Div().Body(
		goapp.H2().Class("h4").Text("Moduli generati"),
		goapp.If(len(p.list) == 0, func() goapp.UI {
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
						goapp.Td().Body(goapp.Span().Class("module-id").Text(m.ID), goapp.Div().Class("small text-muted").Text(kindName(m.Kind))),
						goapp.Td().Text(personName(m.Data, "datore")),
						goapp.Td().Text(personName(m.Data, "lavoratore")),
						goapp.Td().Text(m.CreatedAtRome),
						goapp.Td().Body(
							goapp.Text(st),
							goapp.If(m.Receipt != nil, func() goapp.UI {
								return goapp.Div().Body(goapp.A().Href(pdf(m.Receipt.Protocol)).Attr("download", "").Text("Ricevuta " + m.Receipt.Protocol + " (PDF)"))
							}),
						),
					)
				})),
			))
		}),
		goapp.P().Body(goapp.A().Href("/importa").Class("btn btn-primary").Text("Importa su questo dispositivo")),
		goapp.H2().Class("h4 mt-4").Text("Ricevute"),
		goapp.If(len(p.receipts) == 0, func() goapp.UI {
			return goapp.P().Text("Nessuna domanda inviata finora.")
		}).Else(func() goapp.UI {
			return receiptTable(receiptRows(p.receipts), pdf, nil)
		}),
	)
}
