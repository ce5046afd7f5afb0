package site

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared"
)

// passwordHint says the rule of a new password (the server also refuses common ones).
var passwordHint = "Almeno " + strconv.Itoa(shared.MinPasswordLen) + " caratteri; evita le password comuni e i tuoi dati: una frase di alcune parole va benissimo."

type Register struct {
	goapp.Compo
	form ui.SimpleForm
	done bool
}

func (p *Register) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	f.Missing()
	f.SamePasswords("reg-password", "reg-password2")
	birth, err := session.IsoDate(f.Get("reg-dataNascita"))
	if err != nil && f.Get("reg-dataNascita") != "" {
		f.FieldProblem("reg-dataNascita", session.ErrorText(err))
	}
	if len(f.Problems) > 0 {
		f.Refuse(ctx, "reg-summary")
		return
	}
	api := f.API()
	if api == nil {
		return
	}
	r := client.Registration{
		Cognome: strings.TrimSpace(f.Get("reg-cognome")), Nome: strings.TrimSpace(f.Get("reg-nome")),
		Email: strings.TrimSpace(f.Get("reg-email")), DataNascita: birth, Password: f.Get("reg-password"),
	}
	f.Call(ctx, "reg-", "Registrazione ricevuta: ti abbiamo inviato un'e-mail con il collegamento per attivare l'account.",
		func(c context.Context) (string, error) { return api.Register(c, r) },
		func() { p.done = true })
}

func (p *Register) Render() goapp.UI {
	f := &p.form
	return ui.Page("/registrati",
		goapp.H1().Text("Registrati"),
		goapp.P().Text("L'indirizzo e-mail sarà il tuo nome utente: usa un indirizzo valido e personale. Dopo la registrazione riceverai un'e-mail per attivare l'account."),
		f.Status(),
		f.Summary("reg-summary"),
		goapp.If(!p.done, func() goapp.UI {
			return goapp.Form().Class("narrow-form").NoValidate(true).OnSubmit(p.onSubmit).Body(
				f.Input("reg-cognome", "Cognome", "text", "family-name", true, ""),
				f.Input("reg-nome", "Nome", "text", "given-name", true, ""),
				f.Input("reg-email", "Indirizzo e-mail", "email", "email", true, ""),
				f.Input("reg-dataNascita", "Data di nascita", "text", "bday", true, "Formato GG/MM/AAAA."),
				f.Input("reg-password", "Password", "password", "new-password", true, passwordHint),
				f.Input("reg-password2", "Ripeti la password", "password", "new-password", true, ""),
				f.Submit("Registrati"),
			)
		}).Else(func() goapp.UI {
			return goapp.P().Body(goapp.A().Href("/accedi").Text("Vai all'accesso"))
		}),
	)
}

// linkPage is a page opened from the link of an e-mail: it reads the link's token, shows its
// form while there is something to do and the way to log in once done.
type linkPage struct {
	form  ui.SimpleForm
	token string
	done  bool
	dead  bool   // the link was already used or has expired: no form
	again string // where to ask for a new link, offered when dead
}

// check asks the server, as the page opens, whether the link still works: one already used
// or expired says so at once, instead of after the person typed a new password twice.
func (l *linkPage) check(ctx goapp.Context, req func(c context.Context, api *client.Client, token string) error) {
	api := session.Environment().API
	if api == nil || l.token == "" {
		return
	}
	token := l.token
	ctx.Async(func() {
		err := req(context.Background(), api, token)
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil && !client.IsOffline(err) {
				l.dead = true
				l.form.Say("warning", session.ErrorText(err))
			}
		})
	})
}

// readToken takes the token of the page's address; missing is what to say without one.
func (l *linkPage) readToken(ctx goapp.Context, missing string) {
	l.token = session.QueryParam(ctx, "token")
	if l.token == "" {
		l.form.Say("warning", missing)
	}
}

// submit sends the form once with the link's token; req is the call to the server, success
// what to say when it answers without a message of its own.
func (l *linkPage) submit(ctx goapp.Context, prefix, success string, req func(c context.Context, api *client.Client, token string) (string, error)) {
	api := l.form.API()
	if api == nil {
		return
	}
	token := l.token
	l.form.Call(ctx, prefix, success, func(c context.Context) (string, error) { return req(c, api, token) }, func() { l.done = true })
}

// render draws the page at path: its title, the notice (if any) until it is done, the form's
// status, the form until it is done, then the way to log in.
func (l *linkPage) render(path, title string, notice, form func() goapp.UI) goapp.UI {
	return ui.Page(path,
		goapp.H1().Text(title),
		goapp.If(notice != nil && !l.done && !l.dead, notice),
		l.form.Status(),
		l.form.Summary("rst-summary"),
		goapp.If(l.dead && l.again != "", func() goapp.UI {
			return goapp.P().Body(goapp.A().Href(l.again).Class("btn btn-primary").Text("Chiedi un nuovo collegamento"))
		}),
		goapp.If(!l.done && !l.dead && l.token != "", form),
		goapp.If(l.done, func() goapp.UI {
			return goapp.P().Body(goapp.A().Href("/accedi").Class("btn btn-primary").Text("Accedi"))
		}),
	)
}

type Activate struct {
	goapp.Compo
	linkPage
}

func (p *Activate) OnNav(ctx goapp.Context) {
	p.readToken(ctx, "Manca il codice di attivazione: apri il collegamento ricevuto per e-mail.")
}

// onSubmit activates with the password chosen at registration: the server asks for it, so
// that only who chose it (and holds the mailbox) activates the account.
func (p *Activate) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	pw := p.form.Get("act-password")
	p.submit(ctx, "act-", "Account attivato: ora puoi accedere.", func(c context.Context, api *client.Client, token string) (string, error) {
		return api.Activate(c, token, pw)
	})
}

func (p *Activate) Render() goapp.UI {
	f := &p.form
	return p.render("/attiva", "Attivazione dell'account", nil, func() goapp.UI {
		return goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
			goapp.P().Text("Per attivare l'account scrivi la password che hai scelto nella registrazione."),
			f.Input("act-password", "Password", "password", "current-password", true, ""),
			f.Submit("Attiva l'account"),
		)
	})
}

type Login struct {
	goapp.Compo
	form ui.SimpleForm
	next string

	// After a reset: the e-mail and the new password the server accepted, and what continuing
	// without the previous password deletes.
	recoverEmail, recoverPassword string
	lossText                      string
}

func (p *Login) OnNav(ctx goapp.Context) {
	p.next = session.SafeNext(session.QueryParam(ctx, "next"), "/compila")
	ctx.Async(func() {
		u := session.CurrentUser(context.Background())
		ctx.Dispatch(func(ctx goapp.Context) {
			if u != "" && p.form.Msg == "" {
				p.form.Say("info", "Su questo dispositivo è collegato "+u+". Accedendo con un altro account, i suoi moduli non saranno più visibili finché non rientra.")
			}
		})
	})
}

func (p *Login) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	email, password := strings.TrimSpace(f.Get("login-email")), f.Get("login-password")
	if email == "" || password == "" {
		f.Say("danger", "Indica e-mail e password.")
		return
	}
	f.Busy = true
	next := p.next
	ctx.Async(func() {
		msg, err := doLogin(context.Background(), email, password)
		var loss string
		if errors.Is(err, session.ErrPreviousPassword) {
			loss = lossText(session.LostWithReset(context.Background(), session.NormUser(email)))
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			if errors.Is(err, session.ErrPreviousPassword) {
				p.recoverEmail, p.recoverPassword, p.lossText = email, password, loss
				f.Say("warning", session.ErrorText(err))
				return
			}
			if err != nil {
				f.Fail(err, "")
				return
			}
			f.Say("success", msg)
			ctx.Navigate(next)
		})
	})
}

// doLogin logs in on the server and makes the person the device's current user, with their data
// unlocked. Without a connection the password is checked by opening their data key on the
// device. session.ErrPreviousPassword: the server accepted a password that does not open the
// device's data (a reset); the page asks what to do.
func doLogin(ctx context.Context, email, password string) (string, error) {
	user := session.NormUser(email)
	var err error
	if api := session.Environment().API; api != nil {
		var u client.User
		u, err = api.Login(ctx, email, password)
		session.NoteReachability(err)
		if err == nil {
			if err := session.RememberUser(ctx, user, password, &u); err != nil {
				return "", err
			}
			return "Accesso eseguito.", session.SetCurrentUser(ctx, user)
		}
		if !client.IsOffline(err) && client.ErrorCode(err) != client.CodeRetry {
			return "", err // the server answered: wrong password, account not active…
		}
	}
	if err := session.OpenVault(ctx, user, password, false); err != nil {
		return "", err
	}
	return "Accesso eseguito su questo dispositivo, senza connessione.", session.SetCurrentUser(ctx, user)
}

// onRecover opens the device's data with the previous password, rewrapped under the new one.
func (p *Login) onRecover(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	user, old, nw, next := session.NormUser(p.recoverEmail), f.Get("login-old-password"), p.recoverPassword, p.next
	if old == "" {
		f.Problems = map[string]string{"login-old-password": "Scrivi la password che usavi prima su questo dispositivo."}
		f.Say("danger", "Manca la password precedente.")
		return
	}
	f.Busy = true
	ctx.Async(func() {
		bg := context.Background()
		err := session.RecoverVault(bg, user, old, nw)
		if err == nil {
			err = session.SetCurrentUser(bg, user)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			if err != nil {
				f.Fail(err, "")
				return
			}
			p.recoverEmail, p.recoverPassword = "", ""
			f.Say("success", "Accesso eseguito: i tuoi dati su questo dispositivo sono di nuovo disponibili.")
			ctx.Navigate(next)
		})
	})
}

// onStartOver deletes the data the device can no longer open and starts with a new key.
func (p *Login) onStartOver(ctx goapp.Context, e goapp.Event) {
	f := &p.form
	user, nw, next := session.NormUser(p.recoverEmail), p.recoverPassword, p.next
	f.Busy = true
	ctx.Async(func() {
		bg := context.Background()
		err := session.ResetVault(bg, user, nw)
		if err == nil {
			err = session.SetCurrentUser(bg, user)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			if err != nil {
				f.Fail(err, "")
				return
			}
			p.recoverEmail, p.recoverPassword = "", ""
			f.Say("success", "Accesso eseguito. I dati precedenti di questo dispositivo sono stati eliminati; le ricevute restano sul server e tornano in «Ricevute».")
			ctx.Navigate(next)
		})
	})
}

// recoverForm is shown instead of the login form after session.ErrPreviousPassword.
func (p *Login) recoverForm() goapp.UI {
	f := &p.form
	return goapp.Div().Class("vault-recover").Body(
		goapp.P().Text("La password è stata reimpostata o cambiata da un altro dispositivo. Su questo dispositivo i tuoi dati sono cifrati con la password precedente: solo quella può aprirli."),
		goapp.Form().Class("narrow-form").OnSubmit(p.onRecover).Body(
			f.Input("login-old-password", "Password precedente", "password", "current-password", true, ""),
			f.Submit("Recupera i dati"),
		),
		goapp.H2().Class("h5 mt-4").Text("Non ricordi la password precedente?"),
		goapp.P().Text(p.lossText),
		goapp.Button().Type("button").Class("btn btn-outline-danger").Disabled(f.Busy).
			Text("Continua senza i dati precedenti").OnClick(p.onStartOver),
	)
}

func (p *Login) Render() goapp.UI {
	f := &p.form
	return ui.Page("/accedi",
		goapp.H1().Text("Accedi"),
		f.Status(),
		goapp.If(p.recoverEmail != "", p.recoverForm).Else(func() goapp.UI {
			return goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
				f.Input("login-email", "Indirizzo e-mail", "email", "username", true, ""),
				f.Input("login-password", "Password", "password", "current-password", true, ""),
				f.Submit("Accedi"),
			)
		}),
		goapp.P().Class("mt-4").Body(
			goapp.A().Href("/password-dimenticata").Text("Password dimenticata"),
			goapp.Text(" · "),
			goapp.A().Href("/registrati").Text("Non hai un account? Registrati"),
		),
		goapp.P().Class("small text-muted").Text("Dopo il primo accesso da questo dispositivo potrai accedere di nuovo anche senza connessione."),
	)
}

type Logout struct {
	goapp.Compo
	form ui.SimpleForm
}

func (p *Logout) OnNav(ctx goapp.Context) {
	f := &p.form
	f.Say("info", "Uscita in corso…")
	ctx.Async(func() {
		bg := context.Background()
		session.FlushAll()
		if api := session.Environment().API; api != nil {
			_ = api.Logout(bg) // offline or no session: the device logout is what matters
		}
		err := session.SetCurrentUser(bg, "") // forgets the data key too
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				f.Say("danger", "Uscita non riuscita: "+session.ErrorText(err))
				return
			}
			f.Say("success", "Sei uscito. I tuoi moduli restano su questo dispositivo, visibili soltanto quando accedi di nuovo.")
		})
	})
}

func (p *Logout) Render() goapp.UI {
	return ui.Page("/esci",
		goapp.H1().Text("Esci"),
		p.form.Status(),
		goapp.P().Body(goapp.A().Href("/accedi").Class("btn btn-primary").Text("Accedi con un altro account")),
	)
}

type ForgotPassword struct {
	goapp.Compo
	form ui.SimpleForm
}

func (p *ForgotPassword) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	api := f.API()
	if api == nil {
		return
	}
	email := strings.TrimSpace(f.Get("reset-email"))
	f.Call(ctx, "", "Se l'indirizzo è registrato, riceverai un'e-mail con il collegamento per scegliere una nuova password.",
		func(c context.Context) (string, error) { return api.RequestReset(c, email) }, nil)
}

func (p *ForgotPassword) Render() goapp.UI {
	f := &p.form
	return ui.Page("/password-dimenticata",
		goapp.H1().Text("Password dimenticata"),
		goapp.P().Text("Indica l'indirizzo e-mail con cui ti sei registrato: ti invieremo un collegamento per scegliere una nuova password."),
		resetWarning(),
		f.Status(),
		goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
			f.Input("reset-email", "Indirizzo e-mail", "email", "email", true, ""),
			f.Submit("Invia il collegamento"),
		),
	)
}

type ResetPassword struct {
	goapp.Compo
	linkPage
}

// OnNav checks the link as the page opens (POST /auth/reset/check): a link already used or
// expired says so at once, instead of after the person typed a new password twice.
func (p *ResetPassword) OnNav(ctx goapp.Context) {
	p.readToken(ctx, "Manca il codice: apri il collegamento ricevuto per e-mail.")
	p.check(ctx, func(c context.Context, api *client.Client, token string) error { return api.CheckReset(c, token) })
}

func (p *ResetPassword) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	f.Missing()
	f.SamePasswords("new-password", "new-password2")
	if len(f.Problems) > 0 {
		f.Refuse(ctx, "rst-summary")
		return
	}
	pw := f.Get("new-password")
	p.submit(ctx, "", "Password cambiata: ora puoi accedere con la nuova password.", func(c context.Context, api *client.Client, token string) (string, error) {
		return "", api.ConfirmReset(c, token, pw)
	})
}

func (p *ResetPassword) Render() goapp.UI {
	f := &p.form
	p.again = "/password-dimenticata"
	return p.render("/reimposta-password", "Nuova password", resetWarning, func() goapp.UI {
		return goapp.Form().Class("narrow-form").NoValidate(true).OnSubmit(p.onSubmit).Body(
			f.Input("new-password", "Nuova password", "password", "new-password", true, passwordHint),
			f.Input("new-password2", "Ripeti la nuova password", "password", "new-password", true, ""),
			f.Submit("Cambia password"),
		)
	})
}

// lossText says what continuing without the previous password deletes from the device.
func lossText(drafts, queued, receipts int) string {
	return fmt.Sprintf("Puoi accedere con la nuova password, ma i dati cifrati con quella precedente non si possono più aprire e saranno eliminati da questo dispositivo: %s, %s (da compilare e inviare di nuovo) e %s (le ricevute restano sul server).",
		shared.Plural(drafts, "modulo in compilazione", "moduli in compilazione"),
		shared.Plural(queued, "invio in coda non ancora partito", "invii in coda non ancora partiti"),
		shared.Plural(receipts, "copia di ricevuta", "copie di ricevute"))
}

// resetWarning tells, before a reset, what it costs on the devices: their data is encrypted
// under a key that only the current password opens.
func resetWarning() goapp.UI {
	return goapp.Div().Class("alert alert-warning reset-warning").Attr("role", "note").Body(
		goapp.Strong().Text("Attenzione: i dati sui dispositivi sono cifrati con la password attuale. "),
		goapp.Text("Dopo la reimpostazione, su ogni tablet o computer dove hai lavorato i moduli in compilazione, gli invii in coda non ancora partiti e le copie delle ricevute si potranno aprire soltanto scrivendo anche la password precedente; se non la ricordi andranno eliminati e i moduli in coda andranno compilati e inviati di nuovo. Le ricevute restano sul server. "),
		goapp.Text("Se puoi, prima di reimpostare accedi dal dispositivo con la connessione attiva, così i moduli in coda partono."),
	)
}
