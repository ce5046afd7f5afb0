package ui

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// PraticaNote shows the Sportello Unico's status of a sent module and its note.
func PraticaNote(pr *client.Pratica) goapp.UI {
	if pr == nil {
		return goapp.Span()
	}
	return goapp.Div().Class("pratica mt-1").Body(
		goapp.Span().Class("small").Text("Sportello Unico: "),
		goapp.Span().Class(PraticaClass(pr.Stato)).Text(wire.PraticaLabel(pr.Stato)),
		goapp.If(pr.UpdatedAtRome != "", func() goapp.UI { return goapp.Span().Class("small text-muted").Text(" dal " + pr.UpdatedAtRome) }),
		goapp.If(pr.Nota != "", func() goapp.UI { return goapp.P().Class("small mb-0 pratica-nota").Text("Nota: " + pr.Nota) }),
	)
}

// PraticaStati are the statuses of an application at the Sportello Unico, in order, as choices.
var PraticaStati = func() []OptionPair {
	ps := make([]OptionPair, len(wire.PraticaStati))
	for i, s := range wire.PraticaStati {
		ps[i] = OptionPair{s, wire.PraticaLabel(s)}
	}
	return ps
}()

func PraticaClass(s string) string {
	switch s {
	case wire.PraticaInIstruttoria:
		return "badge bg-primary"
	case wire.PraticaConvocato:
		return "badge bg-warning"
	case wire.PraticaAccolta:
		return "badge bg-success"
	case wire.PraticaRespinta:
		return "badge bg-danger"
	}
	return "badge bg-secondary"
}

// LaidRows are the label and value of each field, "—" for an empty one.
func LaidRows(fields []shared.LaidField) []goapp.UI {
	rows := make([]goapp.UI, 0, 2*len(fields))
	for _, f := range fields {
		v := f.Value
		if v == "" {
			v = "—"
		}
		rows = append(rows,
			goapp.Dt().Class("col-sm-5").Text(f.Label),
			goapp.Dd().Class("col-sm-7").DataSet("key", f.Key).Text(v),
		)
	}
	return rows
}

func CountryOrEmpty(iso string) string {
	if iso == "" {
		return ""
	}
	return shared.CountryName(iso)
}
