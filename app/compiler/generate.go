package compiler

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
)

// Generate is the page /genera: choose EM or A, fill the generation data (places and countries
// from the reference lists, never typed free), and ask the server for the module.
type Generate struct {
	goapp.Compo

	status    ui.LoadStatus
	me        *client.User
	loginErr  string
	campaigns []shared.Campaign
	kind      shared.Kind
	form      *form
	server    []shared.Problem
	busy      bool
	msg       string
	msgKind   string
	created   *client.Module
}

// lastGenerated is the module generated last on this page, kept in memory for its success
// page (/genera?modulo=…) and for «Genera un altro modulo per lo stesso datore di lavoro»,
// and only for the person who generated it.
var lastGenerated struct {
	user   string
	module client.Module
	data   shared.Data
}

// The addresses of the page's states: each state has its own, so that «Genera modulo» in the
// menu (plain /genera) always opens a fresh form, also from the success page.
const (
	paramModule   = "modulo" // the success page of this module
	paramKind     = "tipo"   // a new form of this kind, ready
	paramEmployer = "datore" // "stesso": with the last module's employer
)

func (p *Generate) OnNav(ctx goapp.Context) {
	p.kind, p.form, p.created, p.server, p.msg, p.busy = "", nil, nil, nil, "", false
	q := ctx.Page().URL().Query()
	api := session.Environment().API
	if api == nil {
		p.status = ui.StatusFailed
		p.loginErr = session.ErrorText(session.ErrNoServer)
		return
	}
	p.status = ui.StatusLoading
	ctx.Async(func() {
		bg := context.Background()
		me, err := api.Me(bg)
		camps, cerr := api.Campaigns(bg)
		ctx.Dispatch(func(ctx goapp.Context) {
			p.status = ui.StatusLoaded
			if err != nil {
				p.status = ui.StatusFailed
				p.loginErr = session.ErrorText(err, "Per generare un modulo serve la connessione: il modulo viene creato sul server. Riprova quando sei di nuovo in linea.")
				if session.NeedLogin(err) {
					p.loginErr = "Per generare un modulo accedi con il tuo account."
				}
				return
			}
			p.me = &me
			if cerr == nil {
				p.campaigns = camps
			}
			p.restore(ctx, q.Get(paramModule), q.Get(paramKind), q.Get(paramEmployer) == "stesso")
		})
	})
}

// restore shows the success page of the module just generated, or a new form of kind ready
// to fill (with the last module's employer when sameEmployer), as the address says.
func (p *Generate) restore(ctx goapp.Context, module, kind string, sameEmployer bool) {
	last := lastGenerated
	mine := last.user != "" && last.user == session.CachedUser()
	if module != "" && mine && last.module.ID == module {
		m := last.module
		p.created, p.kind = &m, m.Kind
		p.msgKind, p.msg = "success", fmt.Sprintf("Modulo %s generato.", m.ID)
		return
	}
	k, err := shared.ParseKind(kind)
	if err != nil {
		return
	}
	var keep shared.Data
	if sameEmployer && mine && last.module.Kind == k {
		keep = shared.Data{}
		for key, v := range last.data {
			if strings.HasPrefix(key, "datore.") {
				keep[key] = v
			}
		}
	}
	p.form = nil
	p.chooseWith(k, keep)
	ctx.Defer(focusFirstEmpty)
}

// focusFirstEmpty puts the cursor in the first empty field of the generation form.
func focusFirstEmpty(ctx goapp.Context) {
	doc := goapp.Window().Get("document")
	fields := doc.Call("querySelectorAll", ".gen-fields input:not([readonly]):not([type=checkbox]), .gen-fields select")
	for i := 0; i < fields.Length(); i++ {
		if el := fields.Index(i); el.Get("value").String() == "" {
			el.Call("focus")
			return
		}
	}
}

// choose starts the form of kind k, keeping values already typed that it also asks.
func (p *Generate) choose(k shared.Kind) {
	var data shared.Data
	if p.form != nil {
		data = p.form.data
	}
	p.chooseWith(k, data)
}

// chooseWith starts the form of kind k with data filled in.
func (p *Generate) chooseWith(k shared.Kind, data shared.Data) {
	p.kind = k
	p.form = newGenerationForm(k, session.PickCampaign(p.campaigns, k, "", session.Environment().Now()), data, session.Environment().Now())
	p.created, p.server, p.msg = nil, nil, ""
}

func (p *Generate) onKind(ctx goapp.Context, e goapp.Event) {
	k, err := shared.ParseKind(ctx.JSSrc().Get("value").String())
	if err == nil {
		p.choose(k)
	}
}

func (p *Generate) change(key string, v any) {
	if p.form != nil && p.form.set(key, v) {
		p.server = nil
	}
}

func (p *Generate) OnFieldInput(ctx goapp.Context, e goapp.Event) {
	p.change(ui.EventKey(ctx), ui.EventValue(ctx))
}

func (p *Generate) OnFieldChange(ctx goapp.Context, e goapp.Event) {
	p.change(ui.EventKey(ctx), ui.EventValue(ctx))
}

func (p *Generate) OnFieldCheck(ctx goapp.Context, e goapp.Event) {
	p.change(ui.EventKey(ctx), ctx.JSSrc().Get("checked").Bool())
}

func (p *Generate) OnCalc(ctx goapp.Context, e goapp.Event) {}

func (p *Generate) OnComboSelect(ctx goapp.Context, key, code string) { p.change(key, code) }

func (p *Generate) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	if p.form == nil || p.busy || ui.ComboFocused() {
		return // Enter in a searchable list chooses an entry, it does not send the form
	}
	p.form.review = true
	p.form.settle()
	if !p.form.canConfirm() {
		p.msgKind, p.msg = "danger", "Correggi i dati indicati prima di generare il modulo."
		ctx.Defer(func(ctx goapp.Context) {
			if el := goapp.Window().GetElementByID("gen-summary"); el.Truthy() {
				el.Call("focus")
			}
		})
		return
	}
	api := session.Environment().API
	k, data := p.kind, p.form.snapshot()
	p.busy = true
	p.msgKind, p.msg = "info", "Generazione in corso…"
	ctx.Async(func() {
		m, probs, err := api.GenerateModule(context.Background(), k, data)
		if err == nil {
			// The count of modules generated moves: the steps' guide and the limits follow.
			session.RefreshProfile(context.Background())
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.busy = false
			if err != nil {
				p.server = probs
				p.msgKind, p.msg = session.ErrorKind(err), session.ErrorText(err, "Non c'è connessione con il server: il modulo non è stato generato. Riprova quando sei di nuovo in linea.")
				return
			}
			lastGenerated.user, lastGenerated.module, lastGenerated.data = session.CachedUser(), m, data
			// The success page has its own address, so that «Genera modulo» in the menu
			// leads back to a fresh form.
			ctx.Navigate("/genera?" + paramModule + "=" + url.QueryEscape(m.ID))
		})
	})
}

func (p *Generate) Render() goapp.UI {
	return ui.Page("/genera",
		goapp.H1().Text("Genera modulo"),
		goapp.P().Text("Scegli il modulo e indica i dati essenziali: dopo la generazione questi dati sono bloccati e non si possono più cambiare nel modulo. Province, comuni e cittadinanze si scelgono dagli elenchi."),
		p.body(),
	)
}

func (p *Generate) body() goapp.UI {
	if ui, loaded := ui.LoadState(p.status, p.loginErr, true, "/genera"); !loaded {
		return ui
	}
	if p.created != nil {
		return goapp.Div().Body(
			goapp.Div().Class("alert alert-success").Attr("role", "status").Body(
				goapp.P().Body(goapp.Text("Modulo generato: "), goapp.Strong().Class("module-id").Text(p.created.ID)),
				goapp.P().Class("mb-0").Text("Ora importalo su questo dispositivo (o su quello con cui lo compilerai) per compilarlo."),
			),
			goapp.Div().Class("d-flex gap-2 flex-wrap mb-3").Body(
				goapp.A().Href("/genera?"+paramKind+"="+string(p.created.Kind)).Class("btn btn-primary another-module").Text("Genera un altro modulo"),
				goapp.A().Href("/genera?"+paramKind+"="+string(p.created.Kind)+"&"+paramEmployer+"=stesso").Class("btn btn-outline-primary same-employer").
					Text("Genera un altro modulo per lo stesso datore di lavoro"),
			),
			goapp.Div().Class("d-flex gap-2 flex-wrap").Body(
				goapp.A().Href("/importa").Class("btn btn-outline-primary").Text("Importa"),
				goapp.A().Href("/moduli").Class("btn btn-outline-primary").Text("I miei moduli"),
			),
		)
	}
	limit := goapp.P().Class("small text-muted")
	if p.me != nil && p.me.ModuleLimit > 0 {
		limit = limit.Text(fmt.Sprintf("Moduli generati: %d su %d consentiti.", p.me.ModulesGenerated, p.me.ModuleLimit))
	}
	return goapp.Form().OnSubmit(p.onSubmit).Body(
		limit,
		goapp.FieldSet().Class("mb-4").Body(
			goapp.Legend().Class("h5").Text("Quale modulo?"),
			kindRadio("gen-kind-em", shared.KindEM, p.kind, "Modulo EM — dichiarazione di emersione 2009 (colf e badanti)", p.onKind),
			kindRadio("gen-kind-a", shared.KindA, p.kind, "Modulo A — richiesta di nulla osta al lavoro domestico", p.onKind),
		),
		goapp.If(p.form != nil, func() goapp.UI { return p.renderForm() }),
	)
}

func kindRadio(id string, k, current shared.Kind, label string, h goapp.EventHandler) goapp.UI {
	return goapp.Div().Class("form-check").Body(
		goapp.Input().Type("radio").Name("gen-kind").ID(id).Class("form-check-input").
			Value(string(k)).Checked(current == k).OnChange(h),
		goapp.Label().For(id).Class("form-check-label").Text(label),
	)
}

func (p *Generate) renderForm() goapp.UI {
	f := p.form
	errs := f.shownProblems(shared.SeverityError)
	boxes, _ := fieldBoxes(f, f.sections[0].Fields, p, func(fl shared.Field) fieldView {
		return buildFieldView(f, fl, false, p.server, "")
	})
	return goapp.Div().Body(
		goapp.Div().ID("gen-summary").TabIndex(-1).Attr("role", "alert").Body(
			goapp.If(len(errs) > 0 && f.review, func() goapp.UI {
				return goapp.Div().Class("alert alert-danger error-summary").Body(
					goapp.H2().Class("h5").Text("Correggi questi dati"),
					goapp.Ul().Class("mb-0").Body(goapp.Range(errs).Slice(func(i int) goapp.UI {
						return goapp.Li().Body(goapp.A().Href("#" + ui.InputID(errs[i].Field)).Text(errs[i].Message))
					})),
				)
			}),
		),
		goapp.H2().Class("h4").Text(shared.KindName(p.kind)),
		goapp.Div().Class("fields gen-fields").Body(boxes...),
		goapp.Div().Class("form-status").Attr("role", "status").Body(
			goapp.If(p.msg != "", func() goapp.UI { return goapp.Div().Class("alert alert-" + p.msgKind).Text(p.msg) }),
		),
		goapp.Button().Type("submit").Class("btn btn-primary btn-lg").Disabled(p.busy).Text("Genera il modulo"),
	)
}
