package compiler

import (
	"fmt"
	"slices"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/ui"
	"nullaosta/shared"
)

// The compiler's page is split into components that hold plain values (the stepper, the
// problem lists): a keystroke makes go-app render the compiler again, but it redraws one of
// these only when a value it shows has changed (go-app compares a child component's exported
// fields before rendering it). Most keystrokes change the typed field alone, so the stepper's
// dozens of buttons and the summary's links are neither rebuilt nor diffed.

// stepView is what the stepper shows of one section.
type stepView struct {
	Title   string
	Confirm bool
	progress
}

// pageView is what the compiler's page draws that typing can change: the title, the state,
// the problem lists, the stepper and the open section's fields. Render draws from it, and a
// keystroke that leaves it as the last render drew it needs no render at all.
type pageView struct {
	Title    string
	Status   string
	Flash    string
	FlashOK  bool
	Server   []problemLink
	Errors   []problemLink
	Warnings []problemLink
	Steps    stepperView
	Fields   []fieldView // the open section's, in schema order (none on the summary)
	Shown    int         // fields that show
	Locked   string      // why the section's grey fields are locked (lockedReason)
}

// equal reports whether two views draw the same. Written out, not reflect.DeepEqual: it runs
// on every keystroke and reflection is slow in WebAssembly. TestViewsEqualSeeEveryField keeps
// it complete.
func (a *pageView) equal(b *pageView) bool {
	if a.Title != b.Title || a.Status != b.Status || a.Flash != b.Flash || a.FlashOK != b.FlashOK ||
		a.Shown != b.Shown || a.Locked != b.Locked || len(a.Fields) != len(b.Fields) ||
		!slices.Equal(a.Server, b.Server) || !slices.Equal(a.Errors, b.Errors) ||
		!slices.Equal(a.Warnings, b.Warnings) || !a.Steps.equal(&b.Steps) {
		return false
	}
	for i := range a.Fields {
		if !a.Fields[i].equal(&b.Fields[i]) {
			return false
		}
	}
	return true
}

func (a *stepperView) equal(b *stepperView) bool {
	return a.Current == b.Current && a.Filled == b.Filled && a.Required == b.Required && slices.Equal(a.Steps, b.Steps)
}

// pageView computes the page's view of c's form, focused being the id of the element with the
// keyboard focus (ui.FocusedID).
func (c *compiler) pageView(focused string) pageView {
	f := c.form
	pv := pageView{
		Title:    title(c.draft.Kind, f.data),
		Status:   c.draft.Status,
		Flash:    c.flash,
		FlashOK:  c.flashOK,
		Server:   problemLinks(f, c.draft.Problems),
		Errors:   problemLinks(f, f.shownProblems(shared.SeverityError)),
		Warnings: problemLinks(f, f.shownProblems(shared.SeverityWarning)),
		Steps:    stepperViewOf(f, c.current),
	}
	if !f.sections[c.current].Confirm {
		ro := !c.editable()
		pv.Fields, pv.Shown = sectionViews(f, f.sections[c.current].Fields, focused, func(fl shared.Field) fieldView {
			return buildFieldView(f, fl, ro, c.draft.Problems, c.calcMsg[fl.Key])
		})
		pv.Locked = lockedReason(f, c.current)
	}
	return pv
}

// stepperView is what the stepper shows: every section's progress and the overall count.
type stepperView struct {
	Steps    []stepView
	Current  int
	Filled   int
	Required int
}

func stepperViewOf(f *form, current int) stepperView {
	s := stepperView{Steps: make([]stepView, len(f.sections)), Current: current}
	for i := range f.sections {
		p := f.sectionProgress(i)
		s.Steps[i] = stepView{Title: f.sections[i].Title, Confirm: f.sections[i].Confirm, progress: p}
		s.Filled += p.Filled
		s.Required += p.Required
	}
	return s
}

// stepper is the list of sections with their progress and the overall count.
type stepper struct {
	goapp.Compo
	View stepperView
	Host *compiler
}

func (c *stepper) Render() goapp.UI {
	s := c.View
	pct := 100
	if s.Required > 0 {
		pct = s.Filled * 100 / s.Required
	}
	return goapp.Nav().Class("stepper").Aria("label", "Sezioni del modulo").Body(
		goapp.Div().Class("mb-3").Body(
			goapp.Div().Class("small").ID("overall-label").Text(fmt.Sprintf("Campi obbligatori compilati: %d di %d", s.Filled, s.Required)),
			goapp.Div().Class("progress").Attr("role", "progressbar").Aria("labelledby", "overall-label").
				Aria("valuemin", "0").Aria("valuemax", "100").Aria("valuenow", fmt.Sprint(pct)).Body(
				goapp.Div().Class("progress-bar").Style("width", fmt.Sprintf("%d%%", pct)),
			),
		),
		goapp.Ol().Class("stepper-list").Body(
			goapp.Range(s.Steps).Slice(func(i int) goapp.UI {
				st := s.Steps[i]
				p := st.progress
				cls := "stepper-item"
				state := ""
				switch {
				case st.Confirm:
					cls += " step-confirm"
				case p.Errors > 0:
					cls += " step-error"
					state = shared.Plural(p.Errors, "errore", "errori")
					if p.Errors == 1 {
						state = "1 errore"
					}
				case p.Complete():
					cls += " step-done"
					state = "completa"
				}
				if i == s.Current {
					cls += " current"
				}
				b := goapp.Button().Type("button").Class(cls).DataSet("section", i).OnClick(c.Host.onSection)
				if i == s.Current {
					b = b.Aria("current", "step")
				}
				return goapp.Li().Body(
					b.Body(
						goapp.Span().Class("step-title").Text(st.Title),
						goapp.If(!st.Confirm, func() goapp.UI {
							return goapp.Span().Class("step-progress").Body(
								goapp.Text(fmt.Sprintf("%d/%d", p.Filled, p.Required)),
								goapp.If(state != "", func() goapp.UI {
									return goapp.Span().Class("step-state").Text(" · " + state)
								}),
								goapp.If(p.Warnings > 0, func() goapp.UI {
									return goapp.Span().Class("step-warn").Text(" · " + shared.Plural(p.Warnings, "avviso", "avvisi"))
								}),
							)
						}),
					),
				)
			}),
		),
	)
}

// problemLink is one problem of a list: its message, prefixed with its section's title and
// linked to its field when the field is in the module.
type problemLink struct {
	Field string
	Text  string
	Link  bool
}

// problemLinks lists ps for a problem list.
func problemLinks(f *form, ps []shared.Problem) []problemLink {
	out := make([]problemLink, len(ps))
	for i, p := range ps {
		out[i] = problemLink{Field: p.Field, Text: p.Message}
		if s := f.sectionOf(p.Field); s >= 0 {
			out[i] = problemLink{Field: p.Field, Text: f.sections[s].Title + ": " + p.Message, Link: true}
		}
	}
	return out
}

// problemList links each problem to its field.
func problemList(ps []problemLink, h *compiler) goapp.UI {
	return goapp.Ul().Class("mb-0").Body(
		goapp.Range(ps).Slice(func(i int) goapp.UI {
			p := ps[i]
			if !p.Link {
				return goapp.Li().Text(p.Text)
			}
			return goapp.Li().Body(
				goapp.A().Href("#" + ui.InputID(p.Field)).OnClick(h.onProblemLink).Text(p.Text),
			)
		}),
	)
}

// errorSummary is the error summary at the top: announced, one link per error.
type errorSummary struct {
	goapp.Compo
	Errors []problemLink
	Host   *compiler
}

func (s *errorSummary) Render() goapp.UI {
	return goapp.Div().ID("error-summary").TabIndex(-1).Attr("role", "alert").Aria("atomic", "true").Body(
		goapp.If(len(s.Errors) > 0, func() goapp.UI {
			title := "C'è un errore da correggere"
			if len(s.Errors) > 1 {
				title = capitalise(thereAreErrors(len(s.Errors))) + " da correggere"
			}
			return goapp.Div().Class("alert alert-danger error-summary").Body(
				goapp.H2().Class("h5").Text(title),
				problemList(s.Errors, s.Host),
			)
		}),
	)
}

// warningSummary lists the warnings, which do not block sending, in its fixed slot.
type warningSummary struct {
	goapp.Compo
	Warnings []problemLink
	Host     *compiler
}

func (s *warningSummary) Render() goapp.UI {
	return goapp.Div().Class("slot-warnings").Body(goapp.If(len(s.Warnings) > 0, func() goapp.UI {
		return goapp.Div().Class("alert alert-warning warning-summary").Body(
			goapp.H2().Class("h5").Text("Avvisi (non impediscono l'invio)"),
			problemList(s.Warnings, s.Host),
		)
	}))
}

// serverProblems is what the server refused of a rejected submission, in its fixed slot.
type serverProblems struct {
	goapp.Compo
	Problems []problemLink
	Host     *compiler
}

func (s *serverProblems) Render() goapp.UI {
	return goapp.Div().Class("slot-server").Body(goapp.If(len(s.Problems) > 0, func() goapp.UI {
		return goapp.Div().Class("alert alert-danger").Body(
			goapp.H2().Class("h5").Text("L'invio è stato respinto dal server"),
			goapp.P().Text("Correggi quanto indicato, poi conferma di nuovo il modulo e invialo."),
			problemList(s.Problems, s.Host),
		)
	}))
}
