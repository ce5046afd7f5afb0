package ui

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// DomandaStatoNote shows the Sportello Unico's status of a sent module and its note.
func DomandaStatoNote(pr *client.DomandaStato) goapp.UI {
	if pr == nil {
		return goapp.Span()
	}
	return goapp.Div().Class("pratica mt-1").Body(
		goapp.Span().Class("small").Text("Sportello Unico: "),
		goapp.Span().Class(DomandaStatoClass(pr.Stato)).Text(wire.DomandaLabel(pr.Stato)),
		goapp.If(pr.UpdatedAtRome != "", func() goapp.UI { return goapp.Span().Class("small text-muted").Text(" dal " + pr.UpdatedAtRome) }),
		goapp.If(pr.Nota != "", func() goapp.UI { return goapp.P().Class("small mb-0 pratica-nota").Text("Nota: " + pr.Nota) }),
	)
}

// DomandaStati are the statuses of an application at the Sportello Unico, in order, as choices.
var DomandaStati = func() []OptionPair {
	ps := make([]OptionPair, len(wire.DomandaStati))
	for i, s := range wire.DomandaStati {
		ps[i] = OptionPair{s, wire.DomandaLabel(s)}
	}
	return ps
}()

func DomandaStatoClass(s string) string {
	switch s {
	case wire.DomandaInIstruttoria:
		return "badge bg-primary"
	case wire.DomandaConvocato:
		return "badge bg-warning"
	case wire.DomandaAccolta:
		return "badge bg-success"
	case wire.DomandaRespinta:
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
