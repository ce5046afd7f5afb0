package ui

import (
	"context"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/shared/wire"
)

// The steps of a new person, in order; the guide shows which are done and where they are.
const (
	StepGenera = iota
	StepImporta
	StepCompila
	StepInvia
	StepFatto // every module on the device is sent
)

var firstSteps = []struct{ title, text, href, link string }{
	{"Genera il modulo", "Sul sito scegli il modulo (EM oppure A) e indica i dati essenziali: restano bloccati nel modulo.", "/genera", "Genera un modulo"},
	{"Importa", "Scarica su questo dispositivo i moduli generati, per compilarli anche senza connessione.", "/importa", "Importa i moduli"},
	{"Compila", "Compila i capitoli: ogni modifica è salvata sul dispositivo e controllata subito. Alla fine conferma.", "/compila", "Compila"},
	{"Invia", "Invia i moduli confermati: senza connessione restano in coda e partono da soli.", "/invia", "Invia"},
}

// StepOf says where a person is, from what the server counts (modules generated) and what the
// device holds (their drafts and their statuses).
func StepOf(generated int, drafts []store.Draft) int {
	var drafting, ready, sent int
	for _, d := range drafts {
		switch d.Status {
		case store.StatusCompleted, store.StatusQueued:
			ready++
		case store.StatusSent:
			sent++
		default:
			drafting++
		}
	}
	switch {
	case len(drafts) == 0 && generated == 0:
		return StepGenera
	case len(drafts) == 0:
		return StepImporta
	case drafting > 0:
		return StepCompila
	case ready > 0:
		return StepInvia
	case generated > len(drafts):
		return StepImporta // everything here is sent, and more modules wait on the server
	}
	return StepFatto
}

// FirstSteps is the guide of a person who applies: genera → importa → compila → invia, with
// the steps done ticked and the current one marked (aria-current="step") with its link. It
// shows for applicants only (the consoles' users do not apply).
type FirstSteps struct {
	goapp.Compo

	known  bool
	step   int
	cancel func()
}

func (g *FirstSteps) OnMount(ctx goapp.Context) {
	g.cancel = session.Changes.Subscribe(func() { g.load(ctx) }, session.TopicUser, session.TopicProfile, session.TopicQueue)
	g.load(ctx)
}

func (g *FirstSteps) OnDismount() {
	if g.cancel != nil {
		g.cancel()
	}
}

func (g *FirstSteps) load(ctx goapp.Context) {
	ctx.Async(func() {
		bg := context.Background()
		user := session.CachedUser()
		u, ok := session.LoadProfile(bg)
		if user == "" || !ok || (u.Role != wire.RolePrivato && u.Role != wire.RoleOperatore) {
			ctx.Dispatch(func(ctx goapp.Context) { g.known = false })
			return
		}
		ds, err := session.Environment().Store.ListDrafts(bg, user)
		ctx.Dispatch(func(ctx goapp.Context) {
			g.known = err == nil
			g.step = StepOf(u.ModulesGenerated, ds)
		})
	})
}

func (g *FirstSteps) Render() goapp.UI {
	if !g.known {
		return goapp.Div().Class("first-steps-slot")
	}
	return goapp.Div().Class("first-steps-slot").Body(
		goapp.Section().Class("first-steps card card-body mb-4").Aria("labelledby", "first-steps-title").Body(
			goapp.H2().ID("first-steps-title").Class("h5").Text("I passi da seguire"),
			goapp.If(g.step == StepFatto, func() goapp.UI {
				return goapp.P().Class("mb-2").Text("Hai inviato tutti i moduli di questo dispositivo: le ricevute sono in «Ricevute». Per una nuova domanda, genera un altro modulo.")
			}),
			goapp.Ol().Class("first-steps-list").Body(goapp.Range(firstSteps).Slice(func(i int) goapp.UI {
				s := firstSteps[i]
				li := goapp.Li().Class("first-step")
				switch {
				case i < g.step:
					return li.Class("step-done").Body(
						goapp.Strong().Text(s.title),
						goapp.Span().Class("first-step-state").Text(" — fatto"),
					)
				case i == g.step:
					return li.Class("step-current").Aria("current", "step").Body(
						goapp.Strong().Text(s.title),
						goapp.Span().Class("first-step-state").Text(" — sei qui"),
						goapp.P().Class("mb-2").Text(s.text),
						goapp.A().Href(s.href).Class("btn btn-primary btn-sm").Text(s.link),
					)
				}
				return li.Body(goapp.Strong().Text(s.title), goapp.P().Class("small text-muted mb-0").Text(s.text))
			})),
		),
	)
}
