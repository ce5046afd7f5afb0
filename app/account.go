package app

import (
	"context"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/shared/wire"
)

// account is the page /account: the profile, the password change, and the import tokens with
// the possibility to revoke them (a lost tablet).
type account struct {
	goapp.Compo

	status loadStatus
	err    string
	login  bool
	me     client.User
	tokens []client.Token
	pw     simpleForm
	tokMsg string
}

func (p *account) OnNav(ctx goapp.Context) { p.load(ctx) }

func (p *account) load(ctx goapp.Context) {
	api := env().API
	if api == nil {
		p.status, p.err = statusFailed, errNoServer.Error()
		return
	}
	ctx.Async(func() {
		bg := context.Background()
		me, err := api.Me(bg)
		var ts []client.Token
		if err == nil {
			ts, err = api.ListTokens(bg)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			p.status = statusLoaded
			p.me, p.tokens = me, ts
			if err != nil {
				p.status = statusFailed
				p.login = needLogin(err)
				p.err = err.Error()
				if client.IsOffline(err) {
					p.err = "Il tuo account è sul server e ora non c'è connessione. Riprova quando sei di nuovo in linea."
				}
			}
		})
	})
}

func (p *account) onPassword(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.pw
	if f.get("pw-new") != f.get("pw-new2") {
		f.say("danger", "Le due nuove password non coincidono.")
		return
	}
	old, nw := f.get("pw-old"), f.get("pw-new")
	email := p.me.Email
	f.busy = true
	ctx.Async(func() {
		bg := context.Background()
		err := env().API.ChangePassword(bg, old, nw)
		if err == nil {
			err = rememberUser(bg, normUser(email), nw, nil)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.busy = false
			if err != nil {
				f.fail(err, "")
				return
			}
			f.values = nil
			f.say("success", "Password cambiata.")
		})
	})
}

func (p *account) onRevoke(ctx goapp.Context, e goapp.Event) {
	id := client.ID(ctx.JSSrc().Get("dataset").Get("id").String())
	ctx.Async(func() {
		err := env().API.RevokeToken(context.Background(), id)
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.tokMsg = err.Error()
				return
			}
			p.tokMsg = "Codice di importazione revocato."
			p.load(ctx)
		})
	})
}

func (p *account) Render() goapp.UI {
	return page("/account",
		goapp.H1().Text("Account"),
		p.body(),
	)
}

func (p *account) body() goapp.UI {
	if ui, loaded := loadState(p.status, p.err, p.login, "/account"); !loaded {
		return ui
	}
	f := &p.pw
	return goapp.Div().Body(
		goapp.Dl().Class("row").Body(
			goapp.Dt().Class("col-sm-3").Text("Nome"), goapp.Dd().Class("col-sm-9").Text(p.me.Cognome+" "+p.me.Nome),
			goapp.Dt().Class("col-sm-3").Text("E-mail"), goapp.Dd().Class("col-sm-9").Text(p.me.Email),
			goapp.Dt().Class("col-sm-3").Text("Profilo"), goapp.Dd().Class("col-sm-9").Text(wire.RoleLabel(p.me.Role)),
		),
		goapp.H2().Class("h4 mt-4").Text("Cambia password"),
		f.status(),
		goapp.Form().Class("narrow-form").OnSubmit(p.onPassword).Body(
			f.input("pw-old", "Password attuale", "password", "current-password", true, ""),
			f.input("pw-new", "Nuova password", "password", "new-password", true, passwordHint),
			f.input("pw-new2", "Ripeti la nuova password", "password", "new-password", true, ""),
			f.submit("Cambia password"),
		),
		goapp.H2().Class("h4 mt-5").Text("Codici di importazione"),
		goapp.P().Text("Ogni «Importa» crea un codice che permette a quel dispositivo di scaricare i moduli e inviarli. Se perdi un tablet, revoca il suo codice."),
		goapp.Div().Attr("role", "status").Body(goapp.If(p.tokMsg != "", func() goapp.UI { return notice("info", p.tokMsg) })),
		goapp.If(len(p.tokens) == 0, func() goapp.UI {
			return goapp.P().Class("text-muted").Text("Nessun codice attivo.")
		}).Else(func() goapp.UI {
			return goapp.Div().Class("table-responsive").Body(goapp.Table().Class("table align-middle").Body(
				goapp.THead().Body(goapp.Tr().Body(
					goapp.Th().Scope("col").Text("Dispositivo"),
					goapp.Th().Scope("col").Text("Creato"),
					goapp.Th().Scope("col").Text("Scade"),
					goapp.Th().Scope("col").Text("Ultimo uso"),
					goapp.Th().Scope("col").Body(goapp.Span().Class("visually-hidden").Text("Azioni")),
				)),
				goapp.TBody().Body(goapp.Range(p.tokens).Slice(func(i int) goapp.UI {
					t := p.tokens[i]
					return goapp.Tr().Body(
						goapp.Td().Text(t.Label),
						goapp.Td().Text(formatTime(t.CreatedAt)),
						goapp.Td().Text(formatTime(t.ExpiresAt)),
						goapp.Td().Text(formatTime(t.LastUsedAt)),
						goapp.Td().Body(goapp.Button().Type("button").Class("btn btn-outline-danger btn-sm").
							DataSet("id", string(t.ID)).Aria("label", "Revoca il codice "+t.Label).
							Text("Revoca").OnClick(p.onRevoke)),
					)
				})),
			))
		}),
	)
}
