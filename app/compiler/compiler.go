package compiler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/store"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// compiler is the page /compila/{moduleId}: the module's sections in order with their progress,
// every field drawn from the schema, validation on every change, the error summary, and the
// final "Riepilogo e conferma".
type compiler struct {
	goapp.Compo

	status   ui.LoadStatus
	message  string // why the module cannot be shown
	user     string
	draft    store.Draft
	form     *form
	current  int
	saver    *session.Saver[store.Draft]
	saveNote string
	calcMsg  map[string]string
	flash    string // a one-off message after an action (confirmation)
	flashOK  bool
	drawn    *pageView // what the last render drew of what a keystroke can change

	unsubscribe func()
}

func NewCompiler() goapp.Composer { return &compiler{} }

func moduleIDFromPath(p string) string {
	return strings.Trim(strings.TrimPrefix(p, "/compila"), "/")
}

func (c *compiler) OnNav(ctx goapp.Context) {
	id := moduleIDFromPath(ctx.Page().URL().Path)
	if c.form != nil && c.draft.ModuleID == id {
		return // only the fragment changed (a link of the error summary)
	}
	c.status = ui.StatusLoading
	ctx.Async(func() {
		bg := context.Background()
		user := session.CurrentUser(bg)
		err := c.openErr(bg, user, id)
		ctx.Dispatch(func(ctx goapp.Context) {
			c.user = user
			if err != nil {
				c.status, c.message = ui.StatusFailed, session.ErrorText(err)
				return
			}
			c.attach(ctx)
			c.status = ui.StatusLoaded
			ctx.Defer(func(goapp.Context) { session.Mark("nullaosta:compiler-ready") })
			goapp.Window().Get("document").Set("title", c.draft.ModuleID+" — Nullaosta")
		})
	})
}

// OnMount follows the send queue: a module shown while queued turns "inviato" or "respinto"
// on screen when the queue settles it.
func (c *compiler) OnMount(ctx goapp.Context) {
	c.unsubscribe = session.Changes.Subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) {
			if c.form == nil || c.draft.Status != store.StatusQueued {
				return
			}
			user, id := c.user, c.draft.ModuleID
			ctx.Async(func() {
				d, err := session.Environment().Store.GetDraft(context.Background(), user, id)
				ctx.Dispatch(func(ctx goapp.Context) {
					if err == nil && c.draft.ModuleID == id && d.Status != store.StatusQueued {
						c.draft.Status, c.draft.Problems = d.Status, d.Problems
					}
				})
			})
		})
	}, session.TopicQueue)
}

func (c *compiler) OnDismount() {
	if c.unsubscribe != nil {
		c.unsubscribe()
	}
	if c.saver != nil {
		go c.saver.Close()
	}
}

// errNoUser and errNoDraft explain why the compiler shows nothing.
var (
	errNoUser  = errors.New("Per compilare un modulo accedi con il tuo account: ogni persona vede soltanto i propri moduli su questo dispositivo.")
	errNoDraft = errors.New("Questo modulo non è su questo dispositivo per l'utente collegato. Importalo dalla pagina «Importa».")
)

// openErr loads the draft of user and builds the form; it does not touch go-app.
func (c *compiler) openErr(ctx context.Context, user, moduleID string) error {
	if user == "" {
		return errNoUser
	}
	d, err := session.Environment().Store.GetDraft(ctx, user, moduleID)
	if errors.Is(err, store.ErrNotFound) {
		return errNoDraft
	}
	if err != nil {
		return fmt.Errorf("Non riesco a leggere il modulo dal dispositivo: %v", err)
	}
	camp := session.CampaignFor(ctx, user, d.Kind, d.CampaignID)
	if shared.SchemaOf(d.Kind) == nil {
		return fmt.Errorf("Tipo di modulo sconosciuto: %q", d.Kind)
	}
	if d.FilledUnder == nil {
		// A draft from before drafts recorded their campaign: it is filled under this one from now.
		d.RecordCampaign(camp)
		if d.Status == store.StatusDraft || d.Status == store.StatusCompleted || d.Status == store.StatusRejected {
			if err := session.Environment().Store.PutDraft(ctx, d); err != nil {
				return fmt.Errorf("Non riesco a salvare il modulo sul dispositivo: %v", err)
			}
		}
	}
	c.user = user
	c.draft = d
	c.form = newModuleForm(d.Kind, camp, d.Generation, d.Data, session.Environment().Now())
	if d.Extra != nil {
		c.form.restoreVisited(d.Extra["visited"])
	}
	c.calcMsg = map[string]string{}
	c.current = 0
	c.status = ui.StatusLoaded
	return nil
}

// open is openErr for tests and callers that hold no go-app context; it also prepares saving.
func (c *compiler) open(ctx context.Context, user, moduleID string) error {
	if err := c.openErr(ctx, user, moduleID); err != nil {
		c.status, c.message = ui.StatusFailed, session.ErrorText(err)
		return err
	}
	c.saver = session.NewSaver(session.Environment().Store.PutDraft, nil)
	return nil
}

// attach prepares saving with a note on screen when a write ends.
func (c *compiler) attach(ctx goapp.Context) {
	c.saver = session.NewSaver(session.Environment().Store.PutDraft, func(err error) {
		ctx.Dispatch(func(ctx goapp.Context) {
			// The draft is saved when typing pauses (session.Saver's delay, 400 ms): the whole
			// form is validated again then, each keystroke having run only what reads the
			// field typed in (FormCheck.Changed).
			if c.form != nil {
				c.form.settle()
			}
			if err != nil {
				c.saveNote = "Salvataggio non riuscito: " + session.ErrorText(err)
				return
			}
			c.saveNote = "Salvato sul dispositivo alle " + shared.InRome(session.Environment().Now()).Format("15:04:05")
		})
	})
}

// editable reports whether the module may still change: not while queued or once sent.
func (c *compiler) editable() bool {
	return c.draft.Status != store.StatusQueued && c.draft.Status != store.StatusSent
}

// change sets one value. A completed or rejected module goes back to "bozza": it must be
// confirmed again.
func (c *compiler) change(key string, v any) bool {
	if c.form == nil || !c.editable() {
		return false
	}
	if !c.form.set(key, v) {
		return false
	}
	if c.draft.Status == store.StatusCompleted || c.draft.Status == store.StatusRejected {
		c.draft.Status = store.StatusDraft
		c.draft.ConfirmedAt = time.Time{}
	}
	c.flash, c.flashOK = "", false
	c.saveLater()
	return true
}

// currentDraft is the draft as it should be stored now.
func (c *compiler) currentDraft() store.Draft {
	d := c.draft
	d.Data = c.form.snapshot()
	d.UpdatedAt = session.Environment().Now()
	extra := map[string]string{}
	for k, v := range c.draft.Extra {
		extra[k] = v
	}
	extra["visited"] = c.form.visitedList()
	d.Extra = extra
	return d
}

// saveLater schedules a write. Nothing is written while the module is queued or sent: the
// send queue owns its status then, and a late write must not undo "inviato".
func (c *compiler) saveLater() {
	if c.saver != nil && c.editable() {
		c.saver.Schedule(c.currentDraft())
	}
}

// saveNow writes at once (a committed value, a confirmation).
func (c *compiler) saveNow() error {
	if c.saver == nil {
		return session.Environment().Store.PutDraft(context.Background(), c.currentDraft())
	}
	c.saver.Schedule(c.currentDraft())
	return c.saver.Flush()
}

// goTo shows section i; the one left counts as visited (its missing fields are pointed out).
func (c *compiler) goTo(i int) {
	if c.form == nil || i < 0 || i >= len(c.form.sections) {
		return
	}
	c.form.settle()
	if i != c.current {
		c.form.leave(c.current)
	}
	c.current = i
	if c.form.sections[i].Confirm {
		c.form.review = true
	}
	c.saveLater()
}

// markConfirmed marks the module completed when nothing blocks it (in memory only).
func (c *compiler) markConfirmed() error {
	if c.form == nil || !c.editable() {
		return errors.New("Il modulo non può essere confermato ora.")
	}
	c.form.review = true
	c.form.settle()
	if !c.form.canConfirm() {
		return errors.New(capitalise(thereAreErrors(c.form.errorCount())) + ": correggi prima di confermare.")
	}
	c.draft.Status = store.StatusCompleted
	c.draft.ConfirmedAt = session.Environment().Now()
	c.draft.Problems = nil
	c.flash, c.flashOK = "Modulo confermato: ora è pronto per l'invio.", true
	return nil
}

// confirm marks the module completed and writes it at once.
func (c *compiler) confirm() error {
	if err := c.markConfirmed(); err != nil {
		return err
	}
	if err := c.saveNow(); err != nil {
		c.flash, c.flashOK = "", false
		return fmt.Errorf("Conferma non salvata: %v", err)
	}
	return nil
}

// calculate fills a codice fiscale from the person's data in the module.
func (c *compiler) calculate(key string) {
	if c.form == nil {
		return
	}
	code, err := shared.ComputeCodiceFiscale(c.form.kind, c.form.data, key)
	if err != nil {
		c.calcMsg[key] = session.ErrorText(err)
		return
	}
	c.calcMsg[key] = "Codice calcolato dai dati inseriti: controllalo su un documento, in caso di omocodia può essere diverso."
	c.change(key, code)
}

func (c *compiler) OnFieldInput(ctx goapp.Context, e goapp.Event) {
	key := ui.EventKey(ctx)
	c.change(key, ui.EventValue(ctx))
	// Most keystrokes change nothing the page draws but the letters, which are in the input
	// already: then go-app need not render the page again and diff it. The input typed in
	// has the focus (asking the browser costs a few calls into JavaScript).
	if pv := c.pageView(ui.InputID(key)); c.drawn != nil && c.drawn.equal(&pv) {
		ctx.PreventUpdate()
	}
}

func (c *compiler) OnFieldChange(ctx goapp.Context, e goapp.Event) {
	c.change(ui.EventKey(ctx), ui.EventValue(ctx))
	if c.form != nil {
		c.form.settle() // a value committed (the box left, a choice made): typing has paused
	}
	c.flushAsync(ctx)
}

func (c *compiler) OnFieldCheck(ctx goapp.Context, e goapp.Event) {
	c.change(ui.EventKey(ctx), ctx.JSSrc().Get("checked").Bool())
	c.flushAsync(ctx)
}

func (c *compiler) OnComboSelect(ctx goapp.Context, key, code string) {
	c.change(key, code)
	c.flushAsync(ctx)
}

func (c *compiler) OnCalc(ctx goapp.Context, e goapp.Event) {
	key := ui.EventKey(ctx)
	c.calculate(key)
	if v := c.form.str(key); v != "" {
		if el := goapp.Window().GetElementByID(ui.InputID(key)); el.Truthy() {
			el.Set("value", v)
		}
	}
	c.flushAsync(ctx)
}

func (c *compiler) flushAsync(ctx goapp.Context) {
	if s := c.saver; s != nil {
		ctx.Async(func() { s.Flush() })
	}
}

func (c *compiler) onSection(ctx goapp.Context, e goapp.Event) {
	var i int
	fmt.Sscan(ctx.JSSrc().Get("dataset").Get("section").String(), &i)
	c.goTo(i)
	c.afterMove(ctx)
}

func (c *compiler) onNext(ctx goapp.Context, e goapp.Event) {
	c.goTo(c.current + 1)
	c.afterMove(ctx)
}

func (c *compiler) onPrev(ctx goapp.Context, e goapp.Event) {
	c.goTo(c.current - 1)
	c.afterMove(ctx)
}

// afterMove brings the new section's title into view and gives it the focus; on «Conferma e
// invio» with errors, the error summary gets it, since that is what stands in the way.
func (c *compiler) afterMove(ctx goapp.Context) {
	if c.form.sections[c.current].Confirm && len(c.form.shownProblems(shared.SeverityError)) > 0 {
		ctx.Defer(focusSummary)
		return
	}
	ctx.Defer(func(ctx goapp.Context) {
		if el := goapp.Window().GetElementByID("section-title"); el.Truthy() {
			el.Call("focus")
			el.Call("scrollIntoView", map[string]any{"block": "start"})
		}
	})
}

// onProblemLink opens the section of the field a summary link points to and focuses it.
func (c *compiler) onProblemLink(ctx goapp.Context, e goapp.Event) {
	key := strings.TrimPrefix(ctx.JSSrc().Get("hash").String(), "#field-")
	if i := c.form.sectionOf(key); i >= 0 {
		c.goTo(i)
	}
	ctx.Defer(func(ctx goapp.Context) { focusField(key) })
}

// focusSummary moves the focus (and the view) to the error summary at the top.
func focusSummary(ctx goapp.Context) {
	if el := goapp.Window().GetElementByID("error-summary"); el.Truthy() {
		el.Call("focus")
		el.Call("scrollIntoView", map[string]any{"block": "start"})
	}
}

func (c *compiler) onConfirm(ctx goapp.Context, e goapp.Event) {
	focusResult := func(ctx goapp.Context) {
		if el := goapp.Window().GetElementByID("confirm-result"); el.Truthy() {
			el.Call("focus")
		}
	}
	if err := c.markConfirmed(); err != nil {
		c.flash, c.flashOK = session.ErrorText(err), false
		if len(c.form.shownProblems(shared.SeverityError)) > 0 {
			ctx.Defer(focusSummary)
		} else {
			ctx.Defer(focusResult)
		}
		return
	}
	c.saver.Schedule(c.currentDraft())
	s := c.saver
	ctx.Async(func() {
		err := s.Flush()
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				c.flash, c.flashOK = "Conferma non salvata: "+session.ErrorText(err), false
			}
			ctx.Defer(focusResult)
		})
	})
}

// title says whose module is open, as an operator with dozens of them needs to see at a
// glance: «BIANCHI Giovanna per PERERA Kumari», or the list country of a numerica request;
// the module's name while the data names nobody.
func title(kind shared.Kind, d shared.Data) string {
	if p := shared.Parties(d); p != "" {
		return p
	}
	return shared.KindName(kind)
}

func (c *compiler) Render() goapp.UI {
	switch {
	case c.status == ui.StatusLoading || (c.form == nil && c.status != ui.StatusFailed):
		return ui.Page("/compila", goapp.P().Attr("role", "status").Text("Caricamento del modulo dal dispositivo…"))
	case c.status == ui.StatusFailed:
		return ui.Page("/compila",
			goapp.H1().Text("Compilazione"),
			ui.Notice("warning", c.message),
			goapp.P().Body(
				goapp.A().Href("/compila").Text("Moduli su questo dispositivo"),
				goapp.Text(" · "),
				goapp.A().Href("/importa").Text("Importa i moduli"),
				goapp.Text(" · "),
				goapp.A().Href("/accedi").Text("Accedi"),
			),
		)
	}
	f := c.form
	sec := f.sections[c.current]
	pv := c.pageView(ui.FocusedID())
	c.drawn = &pv
	return ui.Page("/compila",
		goapp.Div().ID("modulo-top").Class("d-flex flex-wrap align-items-baseline gap-3 mb-2").Body(
			goapp.H1().Class("h2 mb-0 module-title").Text(pv.Title),
			goapp.Span().Class("module-id code").Text(c.draft.ModuleID),
			goapp.Span().Class(ui.StatusClass(c.draft.Status)).Text(ui.StatusLabel(c.draft.Status)),
		),
		goapp.P().Class("text-muted").Text(shared.KindName(c.draft.Kind)+" — "+f.campaign.Title),
		// Fixed slots: go-app diffs children by position, so a block that comes and goes must
		// not shift the form below it (the input being typed in would be rebuilt, losing focus).
		goapp.Div().Class("slot-state").Body(c.renderStateNotice()),
		&ui.StorageNotice{},
		goapp.Div().Class("slot-campaign").Body(c.renderCampaignNotice()),
		&serverProblems{Problems: pv.Server, Host: c},
		&errorSummary{Errors: pv.Errors, Host: c},
		&warningSummary{Warnings: pv.Warnings, Host: c},
		goapp.Div().Class("row g-4").Body(
			goapp.Div().Class("col-12 col-lg-4 col-xl-3").Body(&stepper{View: pv.Steps, Host: c}),
			goapp.Div().Class("col-12 col-lg-8 col-xl-9").Body(
				goapp.Section().Class("form-section").Aria("labelledby", "section-title").Body(
					goapp.H2().ID("section-title").TabIndex(-1).Class("h3").Text(sec.Title),
					goapp.Div().Class("section-help").Body(goapp.If(f.campaign.SectionHelp(sec) != "", func() goapp.UI {
						// The dates a person reads come from the campaign in use.
						return goapp.P().Text(f.campaign.SectionHelp(sec))
					})),
					goapp.If(sec.Confirm, func() goapp.UI { return c.renderReview() }).
						Else(func() goapp.UI { return renderFields(pv, c) }),
					c.renderPager(),
					goapp.P().Class("save-note small text-muted").Text(c.saveNote), // not live: it would speak after every pause
				),
			),
		),
	)
}

func (c *compiler) renderStateNotice() goapp.UI {
	switch c.draft.Status {
	case store.StatusQueued:
		return ui.Notice("info", "Questo modulo è in coda di invio: partirà appena c'è connessione. Non si può modificare finché è in coda.")
	case store.StatusSent:
		return goapp.Div().Class("alert alert-success").Attr("role", "status").Body(
			goapp.Text("Questo modulo è stato inviato. "),
			goapp.A().Href("/ricevute").Text("Vedi la ricevuta"),
		)
	case store.StatusCompleted:
		return goapp.Div().Class("alert alert-success").Attr("role", "status").Body(
			goapp.Text("Modulo completato e confermato. "),
			goapp.A().Href("/invia").Text("Vai all'invio"),
			goapp.Text(". Se lo modifichi dovrai confermarlo di nuovo."),
		)
	}
	return nil
}

func renderFields(pv pageView, h ui.FieldHost) goapp.UI {
	return goapp.Div().Class("fields").Body(
		goapp.Div().Class("fields-empty").Body(goapp.If(pv.Shown == 0, func() goapp.UI {
			return goapp.P().Class("text-muted").Text("Nessun dato da inserire in questa sezione per le scelte fatte finora.")
		}).ElseIf(pv.Locked != "", func() goapp.UI {
			return goapp.Div().Class("alert alert-secondary locked-reason").Text("I campi in grigio sono bloccati e non devono essere compilati. " + pv.Locked)
		})),
		goapp.Div().Body(boxesOf(pv.Fields, h)...),
	)
}

func (c *compiler) renderPager() goapp.UI {
	last := len(c.form.sections) - 1
	return goapp.Div().Class("pager d-flex flex-wrap gap-2 justify-content-between mt-4").Body(
		goapp.If(c.current > 0, func() goapp.UI {
			return goapp.Button().Type("button").Class("btn btn-outline-primary").Text("← " + c.form.sections[c.current-1].Title).OnClick(c.onPrev)
		}).Else(func() goapp.UI { return goapp.Span() }),
		goapp.If(c.current < last, func() goapp.UI {
			return goapp.Button().Type("button").Class("btn btn-primary").Text(c.form.sections[c.current+1].Title + " →").OnClick(c.onNext)
		}),
	)
}

// renderReview is "Riepilogo e conferma": every section read-only with names, the competent
// Sportello Unico, and the confirmation.
func (c *compiler) renderReview() goapp.UI {
	f := c.form
	var blocks []goapp.UI
	for _, sec := range shared.Layout(f.kind, f.data) {
		i, s := sec.Index, f.sections[sec.Index]
		rows := ui.LaidRows(sec.Fields)
		p := f.progressOf(i)
		if len(sec.Fields) == 0 && p.Errors == 0 {
			continue // nothing applies (a numerica request's worker): no empty heading
		}
		blocks = append(blocks, goapp.Div().Class("review-block").Body(
			goapp.Div().Class("d-flex justify-content-between align-items-baseline").Body(
				goapp.H3().Class("h5").Text(s.Title),
				goapp.Button().Type("button").Class("btn btn-link btn-sm").DataSet("section", i).
					Aria("label", "Modifica "+s.Title).Text("Modifica").OnClick(c.onSection),
			),
			goapp.If(p.Errors > 0, func() goapp.UI {
				return goapp.P().Class("text-danger small").Text(fmt.Sprintf("Errori in questa sezione: %d", p.Errors))
			}),
			goapp.Dl().Class("row review-list").Body(rows...),
		))
	}
	ok := f.canConfirm()
	confirmBtn := goapp.Button().Type("button").Class("btn btn-primary btn-lg").Text("Conferma").OnClick(c.onConfirm)
	if !ok || !c.editable() || c.draft.Status == store.StatusCompleted {
		confirmBtn = confirmBtn.Disabled(true).Aria("describedby", "confirm-why")
	}
	why := ""
	switch {
	case !c.editable():
		why = "Il modulo è già in coda o inviato."
	case !ok:
		why = "Non puoi confermare: " + thereAreErrors(f.errorCount()) + " da correggere (elencati in alto)."
	case c.draft.Status == store.StatusCompleted:
		why = "Il modulo è già confermato."
	}
	// An <article>, not a <div>: switching between a section and the summary replaces the
	// whole block instead of patching one into the other.
	return goapp.Article().Class("review").Body(
		goapp.Div().Class("sportello-box alert alert-info").Body(
			goapp.Strong().Text("Sportello Unico competente: "),
			goapp.Text(ui.SportelloText(f.data)),
		),
		goapp.Div().Body(blocks...),
		goapp.Div().Class("confirm-box").Body(
			goapp.P().Text("Confermando dichiari che i dati sono completi e corretti. Il modulo diventa «completato» e potrai inviarlo dalla pagina «Invia», anche più tardi e senza connessione: partirà appena possibile."),
			confirmBtn,
			goapp.If(why != "", func() goapp.UI { return goapp.P().ID("confirm-why").Class("mt-2").Text(why) }),
			goapp.Div().ID("confirm-result").TabIndex(-1).Attr("role", "status").Class("mt-3").Body(
				goapp.If(c.flash != "", func() goapp.UI {
					cls := "alert alert-success"
					if !c.flashOK {
						cls = "alert alert-danger"
					}
					return goapp.Div().Class(cls).Body(
						goapp.Text(c.flash+" "),
						goapp.If(c.flashOK, func() goapp.UI {
							return goapp.A().Href("/invia").Text("Vai all'invio")
						}),
					)
				}),
			),
		),
	)
}

// thereAreErrors says how many errors there are, the verb agreeing: «c'è 1 errore», «ci sono
// 3 errori».
func thereAreErrors(n int) string {
	if n == 1 {
		return "c'è " + shared.Plural(n, "errore", "errori")
	}
	return "ci sono " + shared.Plural(n, "errore", "errori")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// lockedReason is why section i's fields are locked by the choices made (a numerica request's
// worker), or "" when none is.
func lockedReason(f *form, i int) string {
	for _, fl := range f.sections[i].Fields {
		if fl.LockedIf != "" && !f.applies(fl.Key) && f.isLocked(fl.Key) {
			return fl.LockedIf
		}
	}
	return ""
}
