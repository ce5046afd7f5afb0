package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/shared"
)

// errNoServer is what pages that need the server say when the app has none (pre-rendering).
var errNoServer = errors.New("Servizio non disponibile: il server non è configurato.")

// queryParam reads a parameter of the page's URL.
func queryParam(ctx goapp.Context, name string) string {
	return ctx.Page().URL().Query().Get(name)
}

// safeNext keeps a "next" parameter only when it is a path of this app.
func safeNext(next, fallback string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") {
		return next
	}
	return fallback
}

// passwordHint says the rule of a new password (the server also refuses common ones).
var passwordHint = "Almeno " + strconv.Itoa(shared.MinPasswordLen) + " caratteri; evita le password comuni e i tuoi dati: una frase di alcune parole va benissimo."

// ---- /registrati ----

type register struct {
	goapp.Compo
	form simpleForm
	done bool
}

func (p *register) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	if f.get("reg-password") != f.get("reg-password2") {
		f.say("danger", "Le due password non coincidono.")
		return
	}
	birth, err := isoDate(f.get("reg-dataNascita"))
	if err != nil {
		f.problems = map[string]string{"reg-dataNascita": err.Error()}
		f.say("danger", "Controlla la data di nascita.")
		return
	}
	api := env().API
	if api == nil {
		f.say("danger", errNoServer.Error())
		return
	}
	r := client.Registration{
		Cognome: strings.TrimSpace(f.get("reg-cognome")), Nome: strings.TrimSpace(f.get("reg-nome")),
		Email: strings.TrimSpace(f.get("reg-email")), DataNascita: birth, Password: f.get("reg-password"),
	}
	f.call(ctx, "reg-", "Registrazione ricevuta: ti abbiamo inviato un'e-mail con il collegamento per attivare l'account.",
		func(c context.Context) (string, error) { return api.Register(c, r) },
		func() { p.done = true })
}

func (p *register) Render() goapp.UI {
	f := &p.form
	return page("/registrati",
		goapp.H1().Text("Registrati"),
		goapp.P().Text("L'indirizzo e-mail sarà il tuo nome utente: usa un indirizzo valido e personale. Dopo la registrazione riceverai un'e-mail per attivare l'account."),
		f.status(),
		goapp.If(!p.done, func() goapp.UI {
			return goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
				f.input("reg-cognome", "Cognome", "text", "family-name", true, ""),
				f.input("reg-nome", "Nome", "text", "given-name", true, ""),
				f.input("reg-email", "Indirizzo e-mail", "email", "email", true, ""),
				f.input("reg-dataNascita", "Data di nascita", "text", "bday", true, "Formato GG/MM/AAAA."),
				f.input("reg-password", "Password", "password", "new-password", true, passwordHint),
				f.input("reg-password2", "Ripeti la password", "password", "new-password", true, ""),
				f.submit("Registrati"),
			)
		}).Else(func() goapp.UI {
			return goapp.P().Body(goapp.A().Href("/accedi").Text("Vai all'accesso"))
		}),
	)
}

// ---- /attiva?token= ----

type activate struct {
	goapp.Compo
	form  simpleForm
	token string
	done  bool
}

func (p *activate) OnNav(ctx goapp.Context) {
	p.token = queryParam(ctx, "token")
	if p.token == "" {
		p.form.say("warning", "Manca il codice di attivazione: apri il collegamento ricevuto per e-mail.")
	}
}

// onSubmit activates with the password chosen at registration: the server asks for it, so
// that only who chose it (and holds the mailbox) activates the account.
func (p *activate) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	api := env().API
	if api == nil {
		f.say("danger", errNoServer.Error())
		return
	}
	token, pw := p.token, f.get("act-password")
	f.call(ctx, "act-", "Account attivato: ora puoi accedere.",
		func(c context.Context) (string, error) { return api.Activate(c, token, pw) },
		func() { p.done = true })
}

func (p *activate) Render() goapp.UI {
	f := &p.form
	return page("/attiva",
		goapp.H1().Text("Attivazione dell'account"),
		f.status(),
		goapp.If(!p.done && p.token != "", func() goapp.UI {
			return goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
				goapp.P().Text("Per attivare l'account scrivi la password che hai scelto nella registrazione."),
				f.input("act-password", "Password", "password", "current-password", true, ""),
				f.submit("Attiva l'account"),
			)
		}),
		goapp.If(p.done, func() goapp.UI {
			return goapp.P().Body(goapp.A().Href("/accedi").Class("btn btn-primary").Text("Accedi"))
		}),
	)
}

// ---- /accedi ----

type login struct {
	goapp.Compo
	form simpleForm
	next string
}

func (p *login) OnNav(ctx goapp.Context) {
	p.next = safeNext(queryParam(ctx, "next"), "/compila")
	ctx.Async(func() {
		u := currentUser(context.Background())
		ctx.Dispatch(func(ctx goapp.Context) {
			if u != "" && p.form.msg == "" {
				p.form.say("info", "Su questo dispositivo è collegato "+u+". Accedendo con un altro account, i suoi moduli non saranno più visibili finché non rientra.")
			}
		})
	})
}

func (p *login) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	email, password := strings.TrimSpace(f.get("login-email")), f.get("login-password")
	if email == "" || password == "" {
		f.say("danger", "Indica e-mail e password.")
		return
	}
	f.busy = true
	next := p.next
	ctx.Async(func() {
		msg, err := doLogin(context.Background(), email, password)
		ctx.Dispatch(func(ctx goapp.Context) {
			f.busy = false
			if err != nil {
				f.fail(err, "")
				return
			}
			f.say("success", msg)
			ctx.Navigate(next)
		})
	})
}

// doLogin logs in on the server and makes the person the device's current user. Without a
// connection it accepts the password checked against the verifier kept on the device.
func doLogin(ctx context.Context, email, password string) (string, error) {
	user := normUser(email)
	st := env().Store
	var err error
	if api := env().API; api != nil {
		var u client.User
		u, err = api.Login(ctx, email, password)
		noteReachability(err)
		if err == nil {
			if err := rememberUser(ctx, user, password, &u); err != nil {
				return "", err
			}
			return "Accesso eseguito.", setCurrentUser(ctx, user)
		}
		if !client.IsOffline(err) && client.ErrorCode(err) != client.CodeRetry {
			return "", err // the server answered: wrong password, account not active…
		}
	}
	v, verr := st.GetSetting(ctx, user, settingVerifier)
	if verr != nil {
		if err != nil {
			return "", errors.New("Non c'è connessione e su questo dispositivo non hai ancora effettuato l'accesso: collegati a internet per il primo accesso.")
		}
		return "", errNoServer
	}
	if !checkVerifier(v, user, password) {
		return "", errors.New("E-mail o password non corrette.")
	}
	return "Accesso eseguito su questo dispositivo, senza connessione.", setCurrentUser(ctx, user)
}

// rememberUser keeps on the device what lets the person come back offline: the verifier of the
// password and the profile.
func rememberUser(ctx context.Context, user, password string, u *client.User) error {
	st := env().Store
	v, err := makeVerifier(user, password)
	if err != nil {
		return err
	}
	if err := st.PutSetting(ctx, user, settingVerifier, v); err != nil {
		return err
	}
	if u != nil {
		b, _ := json.Marshal(u)
		if err := st.PutSetting(ctx, user, settingProfile, string(b)); err != nil {
			return err
		}
		setProfile(user, *u)
	}
	return nil
}

func (p *login) Render() goapp.UI {
	f := &p.form
	return page("/accedi",
		goapp.H1().Text("Accedi"),
		f.status(),
		goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
			f.input("login-email", "Indirizzo e-mail", "email", "username", true, ""),
			f.input("login-password", "Password", "password", "current-password", true, ""),
			f.submit("Accedi"),
		),
		goapp.P().Class("mt-4").Body(
			goapp.A().Href("/password-dimenticata").Text("Hai dimenticato la password?"),
			goapp.Text(" · "),
			goapp.A().Href("/registrati").Text("Non hai un account? Registrati"),
		),
		goapp.P().Class("small text-muted").Text("Dopo il primo accesso da questo dispositivo potrai accedere di nuovo anche senza connessione."),
	)
}

// ---- /esci ----

type logout struct {
	goapp.Compo
	form simpleForm
}

func (p *logout) OnNav(ctx goapp.Context) {
	f := &p.form
	f.say("info", "Uscita in corso…")
	ctx.Async(func() {
		bg := context.Background()
		flushAll()
		if api := env().API; api != nil {
			_ = api.Logout(bg) // offline or no session: the device logout is what matters
		}
		err := setCurrentUser(bg, "")
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				f.say("danger", "Uscita non riuscita: "+err.Error())
				return
			}
			f.say("success", "Sei uscito. I tuoi moduli restano su questo dispositivo, visibili soltanto quando accedi di nuovo.")
		})
	})
}

func (p *logout) Render() goapp.UI {
	return page("/esci",
		goapp.H1().Text("Esci"),
		p.form.status(),
		goapp.P().Body(goapp.A().Href("/accedi").Class("btn btn-primary").Text("Accedi con un altro account")),
	)
}

// ---- /password-dimenticata ----

type forgotPassword struct {
	goapp.Compo
	form simpleForm
}

func (p *forgotPassword) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	api := env().API
	if api == nil {
		f.say("danger", errNoServer.Error())
		return
	}
	email := strings.TrimSpace(f.get("reset-email"))
	f.call(ctx, "", "Se l'indirizzo è registrato, riceverai un'e-mail con il collegamento per scegliere una nuova password.",
		func(c context.Context) (string, error) { return api.RequestReset(c, email) }, nil)
}

func (p *forgotPassword) Render() goapp.UI {
	f := &p.form
	return page("/password-dimenticata",
		goapp.H1().Text("Password dimenticata"),
		goapp.P().Text("Indica l'indirizzo e-mail con cui ti sei registrato: ti invieremo un collegamento per scegliere una nuova password."),
		f.status(),
		goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
			f.input("reset-email", "Indirizzo e-mail", "email", "email", true, ""),
			f.submit("Invia il collegamento"),
		),
	)
}

// ---- /reimposta-password?token= ----

type resetPassword struct {
	goapp.Compo
	form  simpleForm
	token string
	done  bool
}

func (p *resetPassword) OnNav(ctx goapp.Context) {
	p.token = queryParam(ctx, "token")
	if p.token == "" {
		p.form.say("warning", "Manca il codice: apri il collegamento ricevuto per e-mail.")
	}
}

func (p *resetPassword) onSubmit(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.form
	if f.get("new-password") != f.get("new-password2") {
		f.say("danger", "Le due password non coincidono.")
		return
	}
	api := env().API
	if api == nil {
		f.say("danger", errNoServer.Error())
		return
	}
	token, pw := p.token, f.get("new-password")
	f.call(ctx, "", "Password cambiata: ora puoi accedere con la nuova password.",
		func(c context.Context) (string, error) { return "", api.ConfirmReset(c, token, pw) },
		func() { p.done = true })
}

func (p *resetPassword) Render() goapp.UI {
	f := &p.form
	return page("/reimposta-password",
		goapp.H1().Text("Nuova password"),
		f.status(),
		goapp.If(!p.done && p.token != "", func() goapp.UI {
			return goapp.Form().Class("narrow-form").OnSubmit(p.onSubmit).Body(
				f.input("new-password", "Nuova password", "password", "new-password", true, passwordHint),
				f.input("new-password2", "Ripeti la nuova password", "password", "new-password", true, ""),
				f.submit("Cambia password"),
			)
		}),
		goapp.If(p.done, func() goapp.UI {
			return goapp.P().Body(goapp.A().Href("/accedi").Class("btn btn-primary").Text("Accedi"))
		}),
	)
}

// loginLink is where pages send a person who must log in first.
func loginLink(next string) string { return "/accedi?next=" + url.QueryEscape(next) }

// needLogin reports whether err means the server wants a login.
func needLogin(err error) bool {
	return client.ErrorCode(err) == client.CodeUnauthorized
}
