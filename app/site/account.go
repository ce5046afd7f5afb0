package site

import (
	"context"
	"strconv"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared/wire"
)

// Account is the page /account: the profile, the password change, and the import tokens with
// the possibility to revoke them (a lost tablet).
type Account struct {
	goapp.Compo

	lockAfter int    // minutes, this device's idle time
	lockMsg   string // the outcome of changing it

	status ui.LoadStatus
	err    string
	login  bool
	me     client.User
	tokens []client.Token
	pw     ui.SimpleForm
	tokMsg string
}

func (p *Account) OnNav(ctx goapp.Context) {
	p.load(ctx)
	ctx.Async(func() {
		m := int(session.LockAfter(context.Background()).Minutes())
		ctx.Dispatch(func(ctx goapp.Context) { p.lockAfter = m })
	})
}

func (p *Account) onLockAfter(ctx goapp.Context, e goapp.Event) {
	m, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
	ctx.Async(func() {
		err := session.SetLockAfter(context.Background(), m)
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.lockMsg = session.ErrorText(err)
				return
			}
			p.lockAfter = m
			p.lockMsg = "Blocco automatico impostato: dopo " + strconv.Itoa(m) + " minuti senza attività."
		})
	})
}

// lockSettings chooses this device's idle time. It works offline: it is the device's setting.
func (p *Account) lockSettings() goapp.UI {
	return goapp.Section().Class("mt-5").Body(
		goapp.H2().Class("h4").Text("Blocco automatico su questo dispositivo"),
		goapp.P().Text("Dopo questo tempo senza attività l'app si blocca e chiede la password: i dati restano cifrati e nessuno li vede. Vale per tutti gli utenti del dispositivo."),
		goapp.Div().Class("narrow-form").Body(
			goapp.Label().For("lock-after").Class("form-label").Text("Blocca dopo"),
			goapp.Select().ID("lock-after").Class("form-select").OnChange(p.onLockAfter).Body(
				goapp.Range(session.LockChoices).Slice(func(i int) goapp.UI {
					m := session.LockChoices[i]
					return goapp.Option().Value(strconv.Itoa(m)).Selected(m == p.lockAfter).Text(strconv.Itoa(m) + " minuti")
				}),
			),
		),
		goapp.Div().Attr("role", "status").Body(goapp.If(p.lockMsg != "", func() goapp.UI { return ui.Notice("info", p.lockMsg) })),
	)
}

func (p *Account) load(ctx goapp.Context) {
	api := session.Environment().API
	if api == nil {
		p.status, p.err = ui.StatusFailed, session.ErrorText(session.ErrNoServer)
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
			p.status = ui.StatusLoaded
			p.me, p.tokens = me, ts
			if err != nil {
				p.status = ui.StatusFailed
				p.login = session.NeedLogin(err)
				p.err = session.ErrorText(err, "Il tuo account è sul server e ora non c'è connessione. Riprova quando sei di nuovo in linea.")
			}
		})
	})
}

func (p *Account) onPassword(ctx goapp.Context, e goapp.Event) {
	e.PreventDefault()
	f := &p.pw
	f.Missing()
	f.SamePasswords("pw-newPassword", "pw-newPassword2")
	if len(f.Problems) > 0 {
		f.Refuse(ctx, "pw-summary")
		return
	}
	old, nw := f.Get("pw-oldPassword"), f.Get("pw-newPassword")
	email := p.me.Email
	f.Busy = true
	ctx.Async(func() {
		bg := context.Background()
		err := session.Environment().API.ChangePassword(bg, old, nw)
		if err == nil {
			// The same data key, wrapped under the new password: nothing is encrypted again.
			err = session.ChangeVaultPassword(bg, session.NormUser(email), old, nw)
		}
		ctx.Dispatch(func(ctx goapp.Context) {
			f.Busy = false
			if err != nil {
				// The server names the field (oldPassword, newPassword): a wrong current
				// password is said beside «Password attuale».
				f.Fail(err, "pw-")
				return
			}
			f.Values = nil
			f.Say("success", "Password cambiata.")
		})
	})
}

func (p *Account) onRevoke(ctx goapp.Context, e goapp.Event) {
	id := client.ID(ctx.JSSrc().Get("dataset").Get("id").String())
	ctx.Async(func() {
		err := session.Environment().API.RevokeToken(context.Background(), id)
		ctx.Dispatch(func(ctx goapp.Context) {
			if err != nil {
				p.tokMsg = session.ErrorText(err)
				return
			}
			p.tokMsg = "Codice di importazione revocato."
			p.load(ctx)
		})
	})
}

func (p *Account) Render() goapp.UI {
	return ui.Page("/account",
		goapp.H1().Text("Account"),
		p.body(),
		p.lockSettings(),
	)
}

func (p *Account) body() goapp.UI {
	if ui, loaded := ui.LoadState(p.status, p.err, p.login, "/account"); !loaded {
		return ui
	}
	f := &p.pw
	return goapp.Div().Body(
		goapp.Dl().Class("row").Body(
			goapp.Dt().Class("col-sm-3").Text("Nome"), goapp.Dd().Class("col-sm-9").Text(p.me.Cognome+" "+p.me.Nome),
			goapp.Dt().Class("col-sm-3").Text("E-mail"), goapp.Dd().Class("col-sm-9").Text(p.me.Email),
			goapp.Dt().Class("col-sm-3").Text("Profilo"), goapp.Dd().Class("col-sm-9").Text(wire.RoleLabel(p.me.Role)),
		),
		goapp.If(p.me.Role == wire.RolePrivato || p.me.Role == wire.RoleOperatore, func() goapp.UI {
			return goapp.Section().Class("card card-body my-3 enablement-link").Aria("labelledby", "ab-link-title").Body(
				goapp.H2().ID("ab-link-title").Class("h5").Text("Lavori per un comune o un patronato?"),
				goapp.P().Text("Il referente dell'ente può chiedere al Ministero l'abilitazione dei suoi operatori: un operatore abilitato genera moduli senza limite per le persone che assiste."),
				goapp.A().Href("/abilitazione").Class("btn btn-outline-primary btn-sm").Text("Abilitazione operatori"),
			)
		}),
		goapp.H2().Class("h4 mt-4").Text("Cambia password"),
		f.Status(),
		f.Summary("pw-summary"),
		goapp.Form().Class("narrow-form").NoValidate(true).OnSubmit(p.onPassword).Body(
			f.Input("pw-oldPassword", "Password attuale", "password", "current-password", true, ""),
			f.Input("pw-newPassword", "Nuova password", "password", "new-password", true, passwordHint),
			f.Input("pw-newPassword2", "Ripeti la nuova password", "password", "new-password", true, ""),
			f.Submit("Cambia password"),
		),
		goapp.H2().Class("h4 mt-5").Text("Codici di importazione"),
		goapp.P().Text("Ogni «Importa» crea un codice che permette a quel dispositivo di scaricare i moduli e inviarli. Se perdi un tablet, revoca il suo codice."),
		goapp.Div().Attr("role", "status").Body(goapp.If(p.tokMsg != "", func() goapp.UI { return ui.Notice("info", p.tokMsg) })),
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
						goapp.Td().Text(ui.FormatTime(t.CreatedAt)),
						goapp.Td().Text(ui.FormatTime(t.ExpiresAt)),
						goapp.Td().Text(lastUsed(t)),
						goapp.Td().Body(goapp.Button().Type("button").Class("btn btn-outline-danger btn-sm").
							DataSet("id", string(t.ID)).Aria("label", "Revoca il codice "+t.Label).
							Text("Revoca").OnClick(p.onRevoke)),
					)
				})),
			))
		}),
	)
}

// lastUsed says when an import code was last used, or that it never was.
func lastUsed(t client.Token) string {
	if s := ui.FormatTime(t.LastUsedAt); s != "" {
		return s
	}
	return "mai"
}
