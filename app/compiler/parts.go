package compiler

import (
	"fmt"

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

// stepper is the list of sections with their progress and the overall count.
type stepper struct {
	goapp.Compo
	Steps    []stepView
	Current  int
	Filled   int
	Required int
	Host     *compiler
}

// stepperOf computes the stepper of c's form.
func stepperOf(c *compiler) *stepper {
	f := c.form
	s := &stepper{Steps: make([]stepView, len(f.sections)), Current: c.current, Host: c}
	for i := range f.sections {
		p := f.progressOf(i)
		s.Steps[i] = stepView{Title: f.sections[i].Title, Confirm: f.sections[i].Confirm, progress: p}
		s.Filled += p.Filled
		s.Required += p.Required
	}
	return s
}

func (s *stepper) Render() goapp.UI {
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
				b := goapp.Button().Type("button").Class(cls).DataSet("section", i).OnClick(s.Host.onSection)
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
