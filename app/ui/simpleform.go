package ui

import (
	"context"
	"errors"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
)

// SimpleForm holds the state of the website's small forms (login, registration, password):
// values by input id, the server's field problems, and one message. Inputs are bound by id,
// not by closure, so go-app's reuse of elements never mixes two inputs up.
type SimpleForm struct {
	Values   map[string]string
	Problems map[string]string
	Busy     bool
	Msg      string
	msgKind  string // success, danger, warning, info

	labels   map[string]string // input id → label, as Input drew them
	drawn    []string          // ids of the inputs, in the order drawn
	required []string          // ids of the required inputs, in the order drawn
}

// Missing puts the app's own message beside every required input left empty («Scrivi
// “Cognome”.»: the browser's bubble is switched off with novalidate) and reports whether any
// was. It starts a new round of problems.
func (f *SimpleForm) Missing() bool {
	f.Problems = map[string]string{}
	for _, id := range f.required {
		if strings.TrimSpace(f.Get(id)) == "" {
			f.Problems[id] = "Scrivi «" + f.labels[id] + "»: è obbligatorio."
		}
	}
	return len(f.Problems) > 0
}

// FieldProblem puts msg beside the input id.
func (f *SimpleForm) FieldProblem(id, msg string) {
	if f.Problems == nil {
		f.Problems = map[string]string{}
	}
	f.Problems[id] = msg
}

// Refuse says that the form cannot go as it is: the summary lists the problems and takes the
// focus, as the compiler's does.
func (f *SimpleForm) Refuse(ctx goapp.Context, id string) {
	f.Say("danger", "Correggi i dati indicati.")
	ctx.Defer(func(goapp.Context) {
		if el := goapp.Window().GetElementByID(id); el.Truthy() {
			el.Call("focus")
		}
	})
}

// Summary is the error summary of the form (element id): one link per input with a problem,
// in the order of the form. Always present, empty when there is nothing to say.
func (f *SimpleForm) Summary(id string) goapp.UI {
	var ids []string
	for _, in := range f.order() {
		if f.Problems[in] != "" {
			ids = append(ids, in)
		}
	}
	return goapp.Div().ID(id).TabIndex(-1).Attr("role", "alert").Body(goapp.If(len(ids) > 0, func() goapp.UI {
		return goapp.Div().Class("alert alert-danger error-summary").Body(
			goapp.H2().Class("h5").Text("Correggi questi dati"),
			goapp.Ul().Class("mb-0").Body(goapp.Range(ids).Slice(func(i int) goapp.UI {
				return goapp.Li().Body(goapp.A().Href("#" + ids[i]).Text(f.labels[ids[i]] + ": " + f.Problems[ids[i]]))
			})),
		)
	}))
}

// order is the ids of the inputs drawn, in order.
func (f *SimpleForm) order() []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range f.drawn {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (f *SimpleForm) Get(id string) string {
	return f.Values[id]
}

func (f *SimpleForm) Put(id, v string) {
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	f.Values[id] = v
}

func (f *SimpleForm) onInput(ctx goapp.Context, e goapp.Event) {
	f.Put(ctx.JSSrc().Get("id").String(), ctx.JSSrc().Get("value").String())
}

func (f *SimpleForm) Say(kind, msg string) { f.msgKind, f.Msg = kind, msg }

// Fail shows an error of the API: the server's message, or that the connection is missing.
// problems keyed by a server field name go beside the input with id prefix+field.
func (f *SimpleForm) Fail(err error, prefix string) {
	f.Problems = map[string]string{}
	f.Say(session.ErrorKind(err), session.ErrorText(err, "Non c'è connessione con il server: questa operazione richiede la connessione. Riprova quando sei di nuovo in linea."))
	var e *client.Error
	if errors.As(err, &e) {
		for _, p := range e.Problems {
			f.Problems[prefix+p.Field] = p.Message
		}
	}
}

// API is the server's client, or nil once the form has said there is none (the page
// pre-rendered on the server): the forms that need the server start with it.
func (f *SimpleForm) API() *client.Client {
	api := session.Environment().API
	if api == nil {
		f.Say("danger", session.ErrorText(session.ErrNoServer))
	}
	return api
}

// SamePasswords reports whether the inputs a and b hold the same password, and says so on the
// form when they do not.
func (f *SimpleForm) SamePasswords(a, b string) bool {
	if f.Get(a) != f.Get(b) {
		f.Say("danger", "Le due password non coincidono.")
		if f.Get(b) != "" {
			// Beside the repetition: that is the field to write again.
			f.FieldProblem(b, "Non coincide con la password scritta sopra: scrivi di nuovo la stessa password.")
		}
		return false
	}
	return true
}

// Call runs one request to the server off the UI goroutine and reports it on the form: the
// server's message (or fallback when it sends none) on success, then ok; the error, with field
// problems beside the inputs named prefix+field, on failure.
func (f *SimpleForm) Call(ctx goapp.Context, prefix, fallback string, req func(context.Context) (string, error), ok func()) {
	f.Busy = true
	ctx.Async(func() {
		msg, err := req(context.Background())
		ctx.Dispatch(func(goapp.Context) {
			f.Busy = false
			if err != nil {
				f.Fail(err, prefix)
				return
			}
			if msg == "" {
				msg = fallback
			}
			f.Problems = nil
			f.Say("success", msg)
			if ok != nil {
				ok()
			}
		})
	})
}

// Input draws a labelled input bound to the form.
func (f *SimpleForm) Input(id, label, typ, autocomplete string, required bool, hint string) goapp.UI {
	if f.labels == nil {
		f.labels = map[string]string{}
	}
	if _, known := f.labels[id]; !known {
		f.drawn = append(f.drawn, id)
		if required {
			f.required = append(f.required, id)
		}
	}
	f.labels[id] = label
	in := goapp.Input().ID(id).Type(typ).Class("form-control").Value(LiveValue(id, f.Get(id))).
		Attr("autocomplete", autocomplete).OnInput(f.onInput).OnChange(f.onInput)
	var desc []string
	if hint != "" {
		desc = append(desc, id+"-hint")
	}
	prob := f.Problems[id]
	if prob != "" {
		desc = append(desc, id+"-err")
		in = in.Class("is-invalid").Aria("invalid", "true")
	}
	if len(desc) > 0 {
		in = in.Aria("describedby", strings.Join(desc, " "))
	}
	if required {
		// aria-required, not required: the form says what is missing in Italian, beside
		// the input and in its summary, instead of the browser's bubble.
		in = in.Aria("required", "true")
	}
	return goapp.Div().Class("mb-4").Body(
		goapp.Label().For(id).Class("form-label").Text(label),
		in,
		goapp.If(hint != "", func() goapp.UI { return goapp.Div().ID(id + "-hint").Class("form-text").Text(hint) }),
		goapp.If(prob != "", func() goapp.UI { return goapp.Div().ID(id + "-err").Class("field-error").Text(prob) }),
	)
}

// Status is the message area: always present, so that screen readers announce what appears.
func (f *SimpleForm) Status() goapp.UI {
	return goapp.Div().Class("form-status").Attr("role", "status").Aria("live", "polite").Body(
		goapp.If(f.Msg != "", func() goapp.UI {
			return goapp.Div().Class("alert alert-" + f.msgKind).Text(f.Msg)
		}),
	)
}

// Submit is the form's button.
func (f *SimpleForm) Submit(label string) goapp.UI {
	b := goapp.Button().Type("submit").Class("btn btn-primary").Text(label)
	if f.Busy {
		b = b.Disabled(true).Text(label + "…")
	}
	return b
}
