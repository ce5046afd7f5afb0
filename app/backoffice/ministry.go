package backoffice

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared"
	"nullaosta/shared/wire"
)

// auditPage is how many lines of the audit log a page shows.
const auditPage = 50

// ministry is the Ministry's console (role admin): the requests for enablement, the enabled
// operators, the dashboard and the audit log, one tab each (/ministero, /ministero/{tab}).
type ministry struct {
	goapp.Compo

	guard consoleGuard
	tab   string // path of the current tab

	// Requests.
	stato       string
	enablements []client.Enablement
	motivi      map[int64]string // by request id
	cardMsg     map[int64]string
	cardKind    map[int64]string

	// Operators.
	opQuery   string
	operatori []client.User
	revoking  client.ID
	revokeWho string
	revokeWhy string

	// Dashboard.
	dal, al string
	stats   *client.Stats

	// Audit log.
	audit   []client.AuditEntry
	befores []client.ID // the "before" of each page already seen, for going back

	loading bool
	msg     string
	msgKind string
}

func NewMinistry() goapp.Composer { return &ministry{stato: wire.EnablementInAttesa} }

func (p *ministry) OnNav(ctx goapp.Context) {
	p.tab = ctx.Page().URL().Path
	p.msg = ""
	p.guard.status = ui.StatusLoading
	ctx.Async(func() {
		var g consoleGuard
		err := g.check(context.Background(), "al Ministero dell'Interno (profilo amministratore)", wire.RoleAdmin)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.guard = g
			if err == nil {
				p.load(ctx)
			}
		})
	})
}

// load fetches what the current tab shows.
func (p *ministry) load(ctx goapp.Context) {
	api := session.Environment().API
	p.loading = true
	switch p.tab {
	case "/ministero/operatori":
		q := p.opQuery
		ctx.Async(func() {
			us, err := api.AdminOperatori(context.Background(), q)
			ctx.Dispatch(func(ctx goapp.Context) { p.loading = false; p.operatori = us; p.failed(err) })
		})
	case "/ministero/statistiche":
		f := client.StatsFilter{Dal: p.dal, Al: p.al}
		ctx.Async(func() {
			s, err := api.Stats(context.Background(), f)
			ctx.Dispatch(func(ctx goapp.Context) {
				p.loading = false
				if p.failed(err) {
					return
				}
				p.stats = &s
			})
		})
	case "/ministero/registro":
		f := client.AuditFilter{Limit: auditPage}
		if len(p.befores) > 0 {
			f.Before = p.befores[len(p.befores)-1]
		}
		ctx.Async(func() {
			es, err := api.Audit(context.Background(), f)
			ctx.Dispatch(func(ctx goapp.Context) { p.loading = false; p.audit = es; p.failed(err) })
		})
	default:
		stato := p.stato
		ctx.Async(func() {
			rs, err := api.AdminEnablements(context.Background(), stato)
			ctx.Dispatch(func(ctx goapp.Context) { p.loading = false; p.enablements = rs; p.failed(err) })
		})
	}
}

// failed shows err, if any, and reports whether there was one.
func (p *ministry) failed(err error) bool {
	if err == nil {
		return false
	}
	p.msgKind, p.msg = "danger", session.ErrorText(err)
	return true
}

func (p *ministry) Render() goapp.UI {
	return ui.Page(p.tab,
		goapp.H1().Text("Console del Ministero"),
		goapp.If(p.guard.status != ui.StatusLoaded, func() goapp.UI { return p.guard.render(p.tab) }).
			Else(func() goapp.UI {
				return goapp.Div().Body(
					ui.ConsoleTabs("/ministero", p.tab),
					goapp.Div().Class("console-status").Attr("role", "status").Aria("live", "polite").Body(
						goapp.If(p.msg != "", func() goapp.UI { return ui.Notice(p.msgKind, p.msg) }),
						goapp.If(p.loading, func() goapp.UI { return goapp.P().Class("text-muted").Text("Caricamento…") }),
					),
					p.renderTab(),
				)
			}),
	)
}

func (p *ministry) renderTab() goapp.UI {
	switch p.tab {
	case "/ministero/operatori":
		return p.renderOperators()
	case "/ministero/statistiche":
		return p.renderStats()
	case "/ministero/registro":
		return p.renderAudit()
	}
	return p.renderRequests()
}

func (p *ministry) onMotivo(ctx goapp.Context, e goapp.Event) {
	id := datasetInt(ctx.JSSrc().Get("dataset"), "id")
	if p.motivi == nil {
		p.motivi = map[int64]string{}
	}
	p.motivi[id] = ctx.JSSrc().Get("value").String()
}

// datasetInt reads a numeric data- attribute (0 when absent).
func datasetInt(ds goapp.Value, name string) int64 {
	v := ds.Get(name)
	if !v.Truthy() {
		return 0
	}
	n, _ := strconv.ParseInt(v.String(), 10, 64)
	return n
}

func (p *ministry) Say(id int64, kind, msg string) {
	if p.cardMsg == nil {
		p.cardMsg, p.cardKind = map[int64]string{}, map[int64]string{}
	}
	p.cardMsg[id], p.cardKind[id] = msg, kind
}

// onDecide approves or rejects one row (data-user) or every pending row of a request.
func (p *ministry) onDecide(ctx goapp.Context, e goapp.Event) {
	ds := ctx.JSSrc().Get("dataset")
	id := datasetInt(ds, "id")
	action := ds.Get("action").String()
	var ops []int64
	if u := datasetInt(ds, "user"); u != 0 {
		ops = []int64{u}
	}
	motivo := strings.TrimSpace(p.motivi[id])
	if action == "respingi" && motivo == "" {
		p.Say(id, "danger", "Per respingere indica il motivo: sarà comunicato al referente dell'ente.")
		ctx.Defer(func(goapp.Context) {
			if el := goapp.Window().GetElementByID("motivo-" + strconv.FormatInt(id, 10)); el.Truthy() {
				el.Call("focus")
			}
		})
		return
	}
	api := session.Environment().API
	p.Say(id, "info", "Operazione in corso…")
	ctx.Async(func() {
		var r client.Enablement
		var err error
		if action == "approva" {
			r, err = api.Approva(context.Background(), id, ops)
		} else {
			r, err = api.Respingi(context.Background(), id, motivo, ops)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.Say(id, "danger", session.ErrorText(err))
				return
			}
			p.replace(r)
			n := len(ops)
			if n == 0 {
				n = -1
			}
			p.Say(id, "success", decisionText(action, n, r))
			if action == "respingi" {
				delete(p.motivi, id)
			}
		})
	})
}

func decisionText(action string, n int, r client.Enablement) string {
	who := "tutti gli operatori in attesa"
	if n == 1 {
		who = "l'operatore"
	}
	if action == "approva" {
		return "Abilitato " + who + ": ciascuno riceve un'e-mail di conferma, il referente l'elenco degli abilitati. Stato della richiesta: " + wire.EnablementLabel(r.Stato) + "."
	}
	return "Respinto " + who + ": il referente riceve il motivo per e-mail. Stato della richiesta: " + wire.EnablementLabel(r.Stato) + "."
}

// replace puts the server's new version of a request in the list.
func (p *ministry) replace(r client.Enablement) {
	for i := range p.enablements {
		if p.enablements[i].ID == r.ID {
			p.enablements[i] = r
			return
		}
	}
}

func (p *ministry) renderRequests() goapp.UI {
	opts := []ui.OptionPair{
		{Value: wire.EnablementInAttesa, Label: "In attesa"},
		{Value: wire.EnablementParziale, Label: "Decise in parte"},
		{Value: wire.EnablementApprovata, Label: "Approvate"},
		{Value: wire.EnablementRespinta, Label: "Respinte"},
		{Value: "tutte", Label: "Tutte"},
	}
	sel := p.stato
	if sel == "" {
		sel = "tutte"
	}
	return goapp.Div().Body(
		goapp.Div().Class("row mb-3").Body(goapp.Div().Class("col-12 col-md-4").Body(
			goapp.Label().For("rq-stato").Class("form-label").Text("Richieste da mostrare"),
			goapp.Select().ID("rq-stato").Class("form-select").OnChange(p.onStatoSelect).Body(
				goapp.Range(opts).Slice(func(i int) goapp.UI {
					return goapp.Option().Value(opts[i].Value).Selected(opts[i].Value == sel).Text(opts[i].Label)
				}),
			),
		)),
		goapp.P().Class("small text-muted").Aria("live", "polite").Text(shared.Plural(len(p.enablements), "richiesta", "richieste")+"."),
		goapp.Range(p.enablements).Slice(func(i int) goapp.UI { return p.requestCard(p.enablements[i]) }),
	)
}

func (p *ministry) onStatoSelect(ctx goapp.Context, e goapp.Event) {
	v := ui.EventValue(ctx)
	if v == "tutte" {
		v = ""
	}
	p.stato = v
	p.load(ctx)
}

func (p *ministry) requestCard(r client.Enablement) goapp.UI {
	id := strconv.FormatInt(r.ID, 10)
	pending := 0
	for _, o := range r.Operatori {
		if o.Stato == wire.OperatoreInAttesa {
			pending++
		}
	}
	ref := r.Referente
	msg, kind := p.cardMsg[r.ID], p.cardKind[r.ID]
	motivoID := "motivo-" + id
	return goapp.Article().Class("card mb-4 richiesta-card").ID("richiesta-" + id).Body(goapp.Div().Class("card-body").Body(
		goapp.H2().Class("h4 card-title").Body(
			goapp.Text(session.EnteName(r.Ente)+" "),
			goapp.Span().Class(enablementStatoClass(r.Stato)).Text(wire.EnablementLabel(r.Stato)),
		),
		goapp.Dl().Class("row small mb-2").Body(
			goapp.Dt().Class("col-sm-3").Text("Richiesta"),
			goapp.Dd().Class("col-sm-9").Text(fmt.Sprintf("n. %s del %s, inviata da %s", id, r.CreatedAtRome, r.CreatedBy)),
			goapp.Dt().Class("col-sm-3").Text("Referente"),
			goapp.Dd().Class("col-sm-9").Text(strings.TrimSpace(fmt.Sprintf("%s %s, %s", ref.Nome, ref.Cognome, ref.Ruolo))),
			goapp.Dt().Class("col-sm-3").Text("Recapiti"),
			goapp.Dd().Class("col-sm-9").Text(contactLine(ref)),
			goapp.If(r.DecidedBy != "", func() goapp.UI { return goapp.Dt().Class("col-sm-3").Text("Decisa") }),
			goapp.If(r.DecidedBy != "", func() goapp.UI {
				return goapp.Dd().Class("col-sm-9").Text(r.DecidedAtRome + " da " + r.DecidedBy)
			}),
		),
		operatorStatusTable(r.Operatori, func(i int) goapp.UI {
			o := r.Operatori[i]
			if o.Stato != wire.OperatoreInAttesa {
				return goapp.Span()
			}
			who := strings.TrimSpace(o.Nome + " " + o.Cognome)
			return goapp.Div().Class("d-flex gap-2 flex-wrap").Body(
				goapp.Button().Type("button").Class("btn btn-success btn-sm").
					DataSet("id", id).DataSet("user", strconv.FormatInt(o.UserID, 10)).DataSet("action", "approva").
					Aria("label", "Abilita "+who).Text("Abilita").OnClick(p.onDecide),
				goapp.Button().Type("button").Class("btn btn-outline-danger btn-sm").
					DataSet("id", id).DataSet("user", strconv.FormatInt(o.UserID, 10)).DataSet("action", "respingi").
					Aria("label", "Respingi "+who+" (serve il motivo)").Text("Respingi").OnClick(p.onDecide),
			)
		}),
		goapp.If(r.Motivo != "", func() goapp.UI {
			return goapp.P().Class("mt-2").Body(goapp.Strong().Text("Motivo: "), goapp.Text(r.Motivo))
		}),
		goapp.Div().Class("decision mt-3").Hidden(pending == 0).Body(
			goapp.Label().For(motivoID).Class("form-label").Text("Motivo del rifiuto (obbligatorio per respingere; sarà inviato al referente)"),
			goapp.Textarea().ID(motivoID).Class("form-control mb-2").Rows(2).DataSet("id", id).
				Text(p.motivi[r.ID]).OnInput(p.onMotivo).OnChange(p.onMotivo),
			goapp.Div().Class("d-flex gap-2 flex-wrap").Body(
				goapp.Button().Type("button").Class("btn btn-success").DataSet("id", id).DataSet("action", "approva").
					Text(fmt.Sprintf("Abilita tutti (%d)", pending)).OnClick(p.onDecide),
				goapp.Button().Type("button").Class("btn btn-outline-danger").DataSet("id", id).DataSet("action", "respingi").
					Text(fmt.Sprintf("Respingi tutti (%d)", pending)).OnClick(p.onDecide),
			),
		),
		goapp.Div().Class("mt-2").Attr("role", "status").Aria("live", "polite").Body(
			goapp.If(msg != "", func() goapp.UI { return ui.Notice(kind, msg) }),
		),
	))
}

func contactLine(r client.Referente) string {
	var parts []string
	if r.Telefono != "" {
		parts = append(parts, "tel. "+r.Telefono)
	}
	if r.Fax != "" {
		parts = append(parts, "fax "+r.Fax)
	}
	if r.Email != "" {
		parts = append(parts, r.Email)
	}
	return strings.Join(parts, " · ")
}

func (p *ministry) onOpQuery(ctx goapp.Context, e goapp.Event) {
	p.opQuery = ctx.JSSrc().Get("value").String()
}

func (p *ministry) onOpSearch(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	p.load(ctx)
}

func (p *ministry) onRevokeStart(ctx goapp.Context, e goapp.Event) {
	ds := ctx.JSSrc().Get("dataset")
	p.revoking, p.revokeWho, p.revokeWhy = client.ID(ds.Get("id").String()), ds.Get("who").String(), ""
	ctx.Defer(func(goapp.Context) {
		if el := goapp.Window().GetElementByID("revoca-motivo"); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (p *ministry) onRevokeWhy(ctx goapp.Context, e goapp.Event) {
	p.revokeWhy = ctx.JSSrc().Get("value").String()
}

func (p *ministry) onRevokeCancel(ctx goapp.Context, e goapp.Event) { p.revoking = "" }

func (p *ministry) onRevoke(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	why := strings.TrimSpace(p.revokeWhy)
	if why == "" {
		p.msgKind, p.msg = "danger", "Indica il motivo della revoca."
		return
	}
	id, who := p.revoking, p.revokeWho
	api := session.Environment().API
	ctx.Async(func() {
		_, err := api.Revoca(context.Background(), id, why)
		ctx.Dispatch(func(ctx goapp.Context) {
			if p.failed(err) {
				return
			}
			p.revoking = ""
			p.msgKind, p.msg = "success", "Abilitazione revocata a "+who+": torna utente privato, con i limiti di moduli."
			p.load(ctx)
		})
	})
}

func (p *ministry) renderOperators() goapp.UI {
	return goapp.Div().Body(
		goapp.Form().Class("row g-2 align-items-end mb-3").Attr("role", "search").OnSubmit(p.onOpSearch).Body(
			goapp.Div().Class("col-12 col-md-6").Body(
				goapp.Label().For("op-q").Class("form-label").Text("Cerca per cognome, e-mail o ente"),
				goapp.Input().ID("op-q").Type("search").Class("form-control").Value(p.opQuery).OnInput(p.onOpQuery),
			),
			goapp.Div().Class("col-auto").Body(goapp.Button().Type("submit").Class("btn btn-primary").Text("Cerca")),
		),
		goapp.Form().Class("revoke-panel card card-body mb-3").Hidden(p.revoking == "").OnSubmit(p.onRevoke).Body(
			goapp.H2().Class("h5").Text("Revoca dell'abilitazione di "+p.revokeWho),
			goapp.Label().For("revoca-motivo").Class("form-label").Text("Motivo della revoca (obbligatorio)"),
			goapp.Textarea().ID("revoca-motivo").Class("form-control mb-2").Rows(2).Text(p.revokeWhy).OnInput(p.onRevokeWhy),
			goapp.Div().Class("d-flex gap-2").Body(
				goapp.Button().Type("submit").Class("btn btn-danger").Text("Conferma la revoca"),
				goapp.Button().Type("button").Class("btn btn-outline-secondary").Text("Annulla").OnClick(p.onRevokeCancel),
			),
		),
		goapp.P().Class("small text-muted").Text(shared.Plural(len(p.operatori), "operatore abilitato", "operatori abilitati")+"."),
		goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table align-middle").Body(
			goapp.Caption().Class("visually-hidden").Text("Operatori abilitati"),
			goapp.THead().Body(goapp.Tr().Body(
				goapp.Th().Scope("col").Text("Operatore"),
				goapp.Th().Scope("col").Text("E-mail"),
				goapp.Th().Scope("col").Text("Ente"),
				goapp.Th().Scope("col").Text("Moduli generati"),
				goapp.Th().Scope("col").Body(goapp.Span().Class("visually-hidden").Text("Azioni")),
			)),
			goapp.TBody().Body(goapp.Range(p.operatori).Slice(func(i int) goapp.UI {
				u := p.operatori[i]
				who := strings.TrimSpace(u.Cognome + " " + u.Nome)
				ente := ""
				if u.Ente != nil {
					ente = session.EnteName(*u.Ente)
				}
				return goapp.Tr().Body(
					goapp.Td().Text(who),
					goapp.Td().Text(u.Email),
					goapp.Td().Text(ente),
					goapp.Td().Text(ui.FormatCount(u.ModulesGenerated)),
					goapp.Td().Body(goapp.Button().Type("button").Class("btn btn-outline-danger btn-sm").
						DataSet("id", string(u.ID)).DataSet("who", who).
						Aria("label", "Revoca l'abilitazione di "+who).Text("Revoca").OnClick(p.onRevokeStart)),
				)
			})),
		)),
	)
}

func (p *ministry) onPeriod(ctx goapp.Context, e goapp.Event) {
	v := ctx.JSSrc().Get("value").String()
	if ctx.JSSrc().Get("id").String() == "st-dal" {
		p.dal = v
	} else {
		p.al = v
	}
}

func (p *ministry) onStatsSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	p.load(ctx)
}

// Chart colours: Bootstrap Italia's primary blue and its success green, both with a contrast
// above 3:1 on white.
const (
	colorGenerated = "#0066CC"
	colorSent      = "#008A5C"
	colorOther     = "#5C6F82"
)

// chartsOf turns the server's figures into the dashboard's bars.
func chartsOf(s client.Stats) (generated, sent, tipologia, province, nazionalita []ui.ChartBar) {
	for _, d := range s.PerDay {
		label, title := d.Day, d.Day
		if t, err := shared.ParseDate(d.Day); err == nil {
			label, title = t.Format("02/01"), t.Format("02/01/2006")
		}
		generated = append(generated, ui.ChartBar{Label: label, Value: d.Generated, Title: title})
		sent = append(sent, ui.ChartBar{Label: label, Value: d.Sent, Title: title})
	}
	conv := func(cs []client.Count, name func(string) string) []ui.ChartBar {
		out := make([]ui.ChartBar, 0, len(cs))
		for _, c := range cs {
			l := c.Label
			if l == "" {
				l = name(c.Key)
			}
			out = append(out, ui.ChartBar{Label: l, Value: c.Count})
		}
		return out
	}
	tipologia = conv(s.PerTipologia, shared.TipologiaShort)
	province = ui.TopN(conv(s.PerProvincia, shared.ProvinceName), 10, "Altre province")
	nazionalita = ui.TopN(conv(s.PerNazionalita, shared.CountryName), 10, "Altre nazionalità")
	return
}

func (p *ministry) renderStats() goapp.UI {
	form := goapp.Form().Class("row g-2 align-items-end mb-4").OnSubmit(p.onStatsSubmit).Body(
		goapp.Div().Class("col-6 col-md-3").Body(
			goapp.Label().For("st-dal").Class("form-label").Text("Dal"),
			goapp.Input().ID("st-dal").Type("date").Class("form-control").Value(p.dal).OnChange(p.onPeriod).OnInput(p.onPeriod),
		),
		goapp.Div().Class("col-6 col-md-3").Body(
			goapp.Label().For("st-al").Class("form-label").Text("Al"),
			goapp.Input().ID("st-al").Type("date").Class("form-control").Value(p.al).OnChange(p.onPeriod).OnInput(p.onPeriod),
		),
		goapp.Div().Class("col-auto").Body(goapp.Button().Type("submit").Class("btn btn-primary").Text("Aggiorna")),
	)
	if p.stats == nil {
		return goapp.Div().Body(form)
	}
	return goapp.Div().Body(form, renderStatsBody(*p.stats))
}

// renderStatsBody is the dashboard: the headline figures, then the charts, like the daily
// figures the Ministry gave the press in September 2009.
func renderStatsBody(s client.Stats) goapp.UI {
	gen, sent, tip, prov, naz := chartsOf(s)
	return goapp.Div().Class("dashboard").Body(
		goapp.Div().Class("row g-3 mb-4 totals").Body(
			totalCard("Moduli generati", s.Totals.Generated),
			totalCard("Domande inviate", s.Totals.Sent),
			totalCard("Operatori abilitati", s.Totals.Operators),
		),
		ui.ColumnChart("chart-sent", "Domande inviate per giorno", "domande", sent, colorSent),
		ui.ColumnChart("chart-generated", "Moduli generati per giorno", "moduli", gen, colorGenerated),
		goapp.Div().Class("row").Body(
			goapp.Div().Class("col-12 col-xl-6").Body(ui.BarChart("chart-tipologia", "Domande per tipologia", "domande", tip, colorSent)),
			goapp.Div().Class("col-12 col-xl-6").Body(ui.BarChart("chart-provincia", "Domande per provincia (prime 10)", "domande", prov, colorGenerated)),
			goapp.Div().Class("col-12 col-xl-6").Body(ui.BarChart("chart-nazionalita", "Domande per nazionalità del lavoratore (prime 10)", "domande", naz, colorOther)),
		),
	)
}

func totalCard(label string, n int) goapp.UI {
	return goapp.Div().Class("col-12 col-md-4").Body(goapp.Div().Class("card total-card h-100").Body(goapp.Div().Class("card-body").Body(
		goapp.P().Class("total-value mb-0").Text(ui.FormatCount(n)),
		goapp.P().Class("total-label mb-0").Text(label),
	)))
}

func (p *ministry) onOlder(ctx goapp.Context, e goapp.Event) {
	if len(p.audit) == 0 {
		return
	}
	p.befores = append(p.befores, p.audit[len(p.audit)-1].ID)
	p.load(ctx)
}

func (p *ministry) onNewer(ctx goapp.Context, e goapp.Event) {
	if len(p.befores) == 0 {
		return
	}
	p.befores = p.befores[:len(p.befores)-1]
	p.load(ctx)
}

func (p *ministry) renderAudit() goapp.UI {
	return goapp.Div().Body(
		goapp.P().Text("Ogni azione degli utenti del Ministero e degli Sportelli: chi, quando, che cosa, su che cosa. Il registro si può soltanto leggere."),
		goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table table-sm align-middle audit-table").Body(
			goapp.Caption().Class("visually-hidden").Text("Registro delle operazioni, dalla più recente"),
			goapp.THead().Body(goapp.Tr().Body(
				goapp.Th().Scope("col").Text("Quando"),
				goapp.Th().Scope("col").Text("Chi"),
				goapp.Th().Scope("col").Text("Ruolo"),
				goapp.Th().Scope("col").Text("Azione"),
				goapp.Th().Scope("col").Text("Su"),
				goapp.Th().Scope("col").Text("Dettagli"),
			)),
			goapp.TBody().Body(goapp.Range(p.audit).Slice(func(i int) goapp.UI {
				a := p.audit[i]
				return goapp.Tr().Body(
					goapp.Td().Class("text-nowrap").Text(a.AtRome),
					goapp.Td().Text(a.Actor),
					goapp.Td().Text(wire.RoleLabel(a.Role)),
					goapp.Td().Text(auditActionName(a.Action)),
					goapp.Td().Text(a.Target),
					goapp.Td().Class("small").Text(a.Detail),
				)
			})),
		)),
		ui.Pager(len(p.befores) > 0, len(p.audit) == auditPage, p.onNewer, p.onOlder,
			fmt.Sprintf("Pagina %d", len(p.befores)+1)),
	)
}

func auditActionName(a string) string {
	switch a {
	case "approva":
		return "Abilitazione"
	case "respingi":
		return "Rifiuto"
	case "revoca":
		return "Revoca"
	case "stato":
		return "Cambio di stato"
	case "export":
		return "Esportazione CSV"
	case "dettaglio":
		return "Consultazione"
	case "login":
		return "Accesso"
	}
	return a
}
