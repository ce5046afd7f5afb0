package site

import (
	"context"
	"errors"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
	"nullaosta/app/ui"
)

// Unlock is the page /sblocca: the person logged in on the device is locked (idle time,
// «Blocca», the app loaded again) and types the password to see their data again. It works
// offline: the password is checked by opening the data key on the device.
type Unlock struct {
	goapp.Compo
	form ui.SimpleForm
	next string
	user string
}

func (p *Unlock) OnNav(ctx goapp.Context) {
	p.next = session.SafeNext(session.QueryParam(ctx, "next"), "/compila")
	ctx.Async(func() {
		u := session.CurrentUser(context.Background())
		ctx.Dispatch(func(ctx goapp.Context) {
			p.user = u
			if u != "" && !session.Locked() {
				ctx.Navigate(p.next) // already unlocked (another tab of the history)
			}
		})
	})
}

func (p *Unlock) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	password, user, next := f.Get("unlock-password"), p.user, p.next
	if password == "" {
		f.Problems = map[string]string{"unlock-password": "Scrivi la password."}
		f.Say("danger", "Manca la password.")
		return
	}
	f.Busy = true
	ctx.Async(func() {
		bg := context.Background()
		err := session.OpenVault(bg, user, password, false)
		if errors.Is(err, session.ErrFirstLoginOnline) {
			// Logged in by a version before encryption, with no offline verifier: the server
			// checks the password.
			_, err = doLogin(bg, user, password)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			if err != nil {
				f.Fail(err, "")
				return
			}
			f.Values = nil
			ctx.Navigate(next)
		})
	})
}

func (p *Unlock) Render() goapp.UI {
	f := &p.form
	return ui.Page(ui.UnlockPath,
		goapp.H1().Text("Sessione bloccata"),
		goapp.If(p.user == "", func() goapp.UI {
			return goapp.P().Body(
				goapp.Text("Nessuno è collegato su questo dispositivo. "),
				goapp.A().Href("/accedi").Text("Accedi"),
			)
		}).Else(func() goapp.UI {
			return goapp.Div().Body(
				goapp.P().Body(
					goapp.Text("Su questo dispositivo è collegato "),
					goapp.Strong().Text(p.user),
					goapp.Text(". I suoi moduli, invii e ricevute sono cifrati: scrivi la password per vederli di nuovo. Funziona anche senza connessione."),
				),
				f.Status(),
				goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
					f.Input("unlock-password", "Password", "password", "current-password", true, ""),
					f.Submit("Sblocca"),
				),
				goapp.P().Class("mt-4").Body(
					goapp.A().Href("/esci").Text("Esci"),
					goapp.Text(" · "),
					goapp.A().Href("/accedi").Text("Accedi con un altro account"),
				),
			)
		}),
	)
}
