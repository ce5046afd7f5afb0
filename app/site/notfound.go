package site

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/ui"
)

// NotFound is the page of an address that is no page of the app (a mistyped or truncated
// link): it says so in Italian and offers the way back, instead of go-app's English «404».
type NotFound struct {
	goapp.Compo
	path string
}

func (p *NotFound) OnNav(ctx goapp.Context) { p.path = ctx.Page().URL().Path }

func (p *NotFound) Render() goapp.UI {
	return ui.Page("",
		goapp.H1().Text("Pagina non trovata"),
		goapp.P().Class("lead").Body(
			goapp.Text("L'indirizzo "),
			goapp.Code().Class("code").Text(p.path),
			goapp.Text(" non corrisponde a nessuna pagina di Nullaosta. Forse il link è incompleto: controlla di averlo copiato per intero."),
		),
		goapp.P().Text("I moduli e le bozze salvati su questo dispositivo non sono stati toccati."),
		goapp.Div().Class("d-flex flex-wrap gap-2").Body(
			goapp.A().Href("/").Class("btn btn-primary").Text("Torna all'inizio"),
			goapp.A().Href("/compila").Class("btn btn-outline-primary").Text("I moduli sul dispositivo"),
		),
	)
}
