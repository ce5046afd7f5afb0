package compiler

import (
	"context"
	"fmt"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// draftRow is one module on the device as the lists show it.
type draftRow struct {
	ModuleID string
	Kind     shared.Kind
	Status   string
	Worker   string
	Employer string
	Updated  time.Time
	Filled   int
	Required int
	Errors   int
}

// listDraftRows reads the drafts of user and summarises them; only that user's drafts are ever
// read, so on a shared device nobody sees another person's modules.
func listDraftRows(ctx context.Context, st store.Store, user string, now time.Time) ([]draftRow, error) {
	if user == "" {
		return nil, nil
	}
	ds, err := st.ListDrafts(ctx, user)
	if err != nil {
		return nil, err
	}
	var camps []shared.Campaign
	if s, err := st.GetSetting(ctx, user, session.SettingCampaigns); err == nil {
		_ = session.JsonUnmarshal(s, &camps)
	}
	rows := make([]draftRow, 0, len(ds))
	for _, d := range ds {
		r := draftRow{ModuleID: d.ModuleID, Kind: d.Kind, Status: d.Status, Updated: d.UpdatedAt}
		if shared.SchemaOf(d.Kind) != nil {
			f := newModuleForm(d.Kind, session.PickCampaign(camps, d.Kind, d.CampaignID, now), d.Generation, d.Data, now)
			r.Worker = ui.WorkerLine(f.data)
			r.Employer = ui.PersonName(f.data, "datore")
			f.review = true
			for i := range f.sections {
				p := f.progressOf(i)
				r.Filled += p.Filled
				r.Required += p.Required
			}
			r.Errors = f.errorCount()
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// Drafts is the page /compila: the modules of the logged-in user on this device.
type Drafts struct {
	goapp.Compo

	status ui.LoadStatus
	user   string
	rows   []draftRow
	err    string
}

func (p *Drafts) OnNav(ctx goapp.Context) {
	p.status = ui.StatusLoading
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		rows, err := listDraftRows(bg, session.Environment().Store, user, session.Environment().Now())
		ctx.Dispatch(func(ctx goapp.Context) { p.set(user, rows, err) })
	})
}

func (p *Drafts) set(user string, rows []draftRow, err error) {
	p.user, p.rows, p.status = user, rows, ui.StatusLoaded
	if err != nil {
		p.status, p.err = ui.StatusFailed, session.ErrorText(err)
	}
}

func (p *Drafts) Render() goapp.UI {
	return ui.Page("/compila",
		goapp.H1().Text("Moduli su questo dispositivo"),
		p.body(),
	)
}

func (p *Drafts) body() goapp.UI {
	switch {
	case p.status == ui.StatusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.status == ui.StatusFailed:
		return ui.Notice("danger", "Non riesco a leggere i moduli: "+p.err)
	case p.user == "":
		return goapp.Div().Body(
			ui.Notice("info", "Accedi per vedere i tuoi moduli: su questo dispositivo ognuno vede soltanto i propri."),
			goapp.A().Href("/accedi?next=/compila").Class("btn btn-primary").Text("Accedi"),
		)
	case len(p.rows) == 0:
		// A new person lands here after logging in: the steps in order, and where they are
		// (genera first, not «Importa» with nothing generated).
		return goapp.Div().Body(
			goapp.P().Text("Non hai ancora moduli su questo dispositivo."),
			&ui.FirstSteps{},
		)
	}
	return goapp.Div().Body(
		goapp.P().Text(fmt.Sprintf("Moduli di %s: %d.", p.user, len(p.rows))),
		goapp.Div().Class("table-responsive").Body(
			goapp.Table().Class("table table-hover align-middle").Body(
				goapp.Caption().Class("visually-hidden").Text("I tuoi moduli"),
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Scope("col").Text("Modulo"),
					goapp.Th().Scope("col").Text("Lavoratore"),
					goapp.Th().Scope("col").Text("Stato"),
					goapp.Th().Scope("col").Text("Compilazione"),
					goapp.Th().Scope("col").Text("Ultima modifica"),
				)),
				goapp.TBody().Body(
					goapp.Range(p.rows).Slice(func(i int) goapp.UI {
						r := p.rows[i]
						prog := fmt.Sprintf("%d di %d campi obbligatori", r.Filled, r.Required)
						if r.Errors > 0 {
							prog += ", " + shared.Plural(r.Errors, "errore", "errori")
						}
						return goapp.Tr().Body(
							goapp.Td().Body(
								goapp.A().Href("/compila/"+r.ModuleID).Class("fw-semibold code").Text(r.ModuleID),
								goapp.Div().Class("small text-muted").Text(shared.KindName(r.Kind)),
							),
							goapp.Td().Text(r.Worker),
							goapp.Td().Body(goapp.Span().Class(ui.StatusClass(r.Status)).Text(ui.StatusLabel(r.Status))),
							goapp.Td().Text(prog),
							goapp.Td().Text(ui.FormatTime(r.Updated)),
						)
					}),
				),
			),
		),
		goapp.A().Href("/invia").Class("btn btn-primary").Text("Vai all'invio"),
	)
}
