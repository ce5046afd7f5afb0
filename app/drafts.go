package app

import (
	"context"
	"fmt"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/store"
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
	if s, err := st.GetSetting(ctx, user, settingCampaigns); err == nil {
		_ = jsonUnmarshal(s, &camps)
	}
	rows := make([]draftRow, 0, len(ds))
	for _, d := range ds {
		r := draftRow{ModuleID: d.ModuleID, Kind: d.Kind, Status: d.Status, Updated: d.UpdatedAt}
		if shared.SchemaOf(d.Kind) != nil {
			f := newModuleForm(d.Kind, pickCampaign(camps, d.Kind, d.CampaignID, now), d.Generation, d.Data, now)
			r.Worker = personName(f.data, "lavoratore")
			r.Employer = personName(f.data, "datore")
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

// drafts is the page /compila: the modules of the logged-in user on this device.
type drafts struct {
	goapp.Compo

	status loadStatus
	user   string
	rows   []draftRow
	err    string
}

func (p *drafts) OnNav(ctx goapp.Context) {
	p.status = statusLoading
	ctx.Async(func() {
		bg := context.Background()
		user := currentUser(bg)
		rows, err := listDraftRows(bg, env().Store, user, env().Now())
		ctx.Dispatch(func(ctx goapp.Context) { p.set(user, rows, err) })
	})
}

func (p *drafts) set(user string, rows []draftRow, err error) {
	p.user, p.rows, p.status = user, rows, statusLoaded
	if err != nil {
		p.status, p.err = statusFailed, err.Error()
	}
}

func (p *drafts) Render() goapp.UI {
	return page("/compila",
		goapp.H1().Text("Moduli su questo dispositivo"),
		p.body(),
	)
}

func (p *drafts) body() goapp.UI {
	switch {
	case p.status == statusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…")
	case p.status == statusFailed:
		return notice("danger", "Non riesco a leggere i moduli: "+p.err)
	case p.user == "":
		return goapp.Div().Body(
			notice("info", "Accedi per vedere i tuoi moduli: su questo dispositivo ognuno vede soltanto i propri."),
			goapp.A().Href("/accedi?next=/compila").Class("btn btn-primary").Text("Accedi"),
		)
	case len(p.rows) == 0:
		return goapp.Div().Body(
			goapp.P().Text("Non hai ancora moduli su questo dispositivo."),
			goapp.A().Href("/importa").Class("btn btn-primary").Text("Importa i moduli generati"),
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
							prog += fmt.Sprintf(", %d errori", r.Errors)
						}
						return goapp.Tr().Body(
							goapp.Td().Body(
								goapp.A().Href("/compila/"+r.ModuleID).Class("fw-semibold").Text(r.ModuleID),
								goapp.Div().Class("small text-muted").Text(shared.KindName(r.Kind)),
							),
							goapp.Td().Text(r.Worker),
							goapp.Td().Body(goapp.Span().Class(statusClass(r.Status)).Text(statusLabel(r.Status))),
							goapp.Td().Text(prog),
							goapp.Td().Text(formatTime(r.Updated)),
						)
					}),
				),
			),
		),
		goapp.A().Href("/invia").Class("btn btn-primary").Text("Vai all'invio"),
	)
}
