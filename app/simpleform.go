package app

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/shared"
)

// simpleForm holds the state of the website's small forms (login, registration, password):
// values by input id, the server's field problems, and one message. Inputs are bound by id,
// not by closure, so go-app's reuse of elements never mixes two inputs up.
type simpleForm struct {
	values   map[string]string
	problems map[string]string
	busy     bool
	msg      string
	msgKind  string // success, danger, warning, info
}

func (f *simpleForm) get(id string) string {
	return f.values[id]
}

func (f *simpleForm) put(id, v string) {
	if f.values == nil {
		f.values = map[string]string{}
	}
	f.values[id] = v
}

func (f *simpleForm) onInput(ctx goapp.Context, e goapp.Event) {
	f.put(ctx.JSSrc().Get("id").String(), ctx.JSSrc().Get("value").String())
}

func (f *simpleForm) say(kind, msg string) { f.msgKind, f.msg = kind, msg }

// fail shows an error of the API: the server's message, or that the connection is missing.
// problems keyed by a server field name go beside the input with id prefix+field.
func (f *simpleForm) fail(err error, prefix string) {
	f.problems = map[string]string{}
	switch {
	case client.IsOffline(err):
		f.say("warning", "Non c'è connessione con il server: questa operazione richiede la connessione. Riprova quando sei di nuovo in linea.")
	default:
		f.say("danger", err.Error())
		var e *client.Error
		if errors.As(err, &e) {
			for _, p := range e.Problems {
				f.problems[prefix+p.Field] = p.Message
			}
		}
	}
}

// call runs one request to the server off the UI goroutine and reports it on the form: the
// server's message (or fallback when it sends none) on success, then ok; the error, with field
// problems beside the inputs named prefix+field, on failure.
func (f *simpleForm) call(ctx goapp.Context, prefix, fallback string, req func(context.Context) (string, error), ok func()) {
	f.busy = true
	ctx.Async(func() {
		msg, err := req(context.Background())
		ctx.Dispatch(func(goapp.Context) {
			f.busy = false
			if err != nil {
				f.fail(err, prefix)
				return
			}
			if msg == "" {
				msg = fallback
			}
			f.problems = nil
			f.say("success", msg)
			if ok != nil {
				ok()
			}
		})
	})
}

// input draws a labelled input bound to the form.
func (f *simpleForm) input(id, label, typ, autocomplete string, required bool, hint string) goapp.UI {
	in := goapp.Input().ID(id).Type(typ).Class("form-control").Value(f.get(id)).
		Attr("autocomplete", autocomplete).OnInput(f.onInput).OnChange(f.onInput)
	var desc []string
	if hint != "" {
		desc = append(desc, id+"-hint")
	}
	prob := f.problems[id]
	if prob != "" {
		desc = append(desc, id+"-err")
		in = in.Class("is-invalid").Aria("invalid", "true")
	}
	if len(desc) > 0 {
		in = in.Aria("describedby", strings.Join(desc, " "))
	}
	if required {
		in = in.Required(true)
	}
	return goapp.Div().Class("mb-4").Body(
		goapp.Label().For(id).Class("form-label").Text(label),
		in,
		goapp.If(hint != "", func() goapp.UI { return goapp.Div().ID(id + "-hint").Class("form-text").Text(hint) }),
		goapp.If(prob != "", func() goapp.UI { return goapp.Div().ID(id + "-err").Class("field-error").Text(prob) }),
	)
}

// status is the message area: always present, so that screen readers announce what appears.
func (f *simpleForm) status() goapp.UI {
	return goapp.Div().Class("form-status").Attr("role", "status").Aria("live", "polite").Body(
		goapp.If(f.msg != "", func() goapp.UI {
			return goapp.Div().Class("alert alert-" + f.msgKind).Text(f.msg)
		}),
	)
}

// submit is the form's button.
func (f *simpleForm) submit(label string) goapp.UI {
	b := goapp.Button().Type("submit").Class("btn btn-primary").Text(label)
	if f.busy {
		b = b.Disabled(true).Text(label + "…")
	}
	return b
}

// isoDate converts a date typed as GG/MM/AAAA (or YYYY-MM-DD) to YYYY-MM-DD for the API.
func isoDate(s string) (string, error) {
	t, err := shared.ParseDate(s)
	if err != nil {
		return "", err
	}
	return t.Format("2006-01-02"), nil
}

// Offline login. After a successful online login or import the device keeps a verifier of the
// password (PBKDF2-SHA256, random salt), so the same person can log in again on this device
// with no connection and reach their drafts. The password itself is never stored.
const verifierIter = 60000

func makeVerifier(email, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	k, err := pbkdf2.Key(sha256.New, password, append(salt, normUser(email)...), verifierIter, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return "v1$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(k), nil
}

func checkVerifier(v, email, password string) bool {
	parts := strings.Split(v, "$")
	if len(parts) != 3 || parts[0] != "v1" {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[1])
	want, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil {
		return false
	}
	k, err := pbkdf2.Key(sha256.New, password, append(salt, normUser(email)...), verifierIter, 32)
	return err == nil && subtle.ConstantTimeCompare(k, want) == 1
}
