package ui

import (
	"context"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/shared/wire"
)

// roleNotice tells an operator they are enabled (and for which ente), and a person whose
// enablement is pending that they must wait. It is always rendered, empty when there is
// nothing to say, so that the page below never shifts position.
type roleNotice struct {
	goapp.Compo
	Current string // the page's path: the consoles are pointed to from the home page only

	user   client.User
	known  bool
	cancel func()
}

func (n *roleNotice) OnInit() { n.user, n.known = session.CachedProfile() }

func (n *roleNotice) OnMount(ctx goapp.Context) {
	n.cancel = session.Changes.Subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) { n.user, n.known = session.CachedProfile() })
	}, session.TopicUser, session.TopicProfile)
	ctx.Async(func() {
		bg := context.Background()
		session.LoadProfile(bg)
		ctx.Dispatch(func(ctx goapp.Context) { n.user, n.known = session.CachedProfile() })
	})
}

func (n *roleNotice) OnDismount() {
	if n.cancel != nil {
		n.cancel()
	}
}

func (n *roleNotice) Render() goapp.UI {
	return goapp.Div().Class("role-notice").Attr("role", "status").Body(
		goapp.If(n.known, func() goapp.UI { return renderRoleNotice(n.user, n.Current) }),
	)
}

func renderRoleNotice(u client.User, current string) goapp.UI {
	// The Ministry's decision about the person as an operator, with its reason, where a
	// person arrives after logging in (and on the home and account pages).
	if u.OperatorNotice != "" && !u.PendingOperator && (current == "/" || current == "/compila" || current == "/account") {
		kind := "warning"
		if u.OperatorDecision != nil && u.OperatorDecision.Stato == wire.OperatoreAbilitato {
			kind = "success"
		}
		return goapp.Div().Class("alert alert-" + kind + " operator-decision").Text(u.OperatorNotice)
	}
	switch {
	case current == "/" && u.Role == wire.RoleAdmin:
		return goapp.Div().Class("alert alert-info console-link").Body(
			goapp.Strong().Text("Ministero dell'Interno. "),
			goapp.A().Href("/ministero").Text("Apri la console: richieste di abilitazione, operatori, statistiche, registro"),
		)
	case current == "/" && u.Role == wire.RoleSportello:
		return goapp.Div().Class("alert alert-info console-link").Body(
			goapp.Strong().Text("Sportello Unico di "+session.ProvinceLabel(u.Provincia)+". "),
			goapp.A().Href("/sportello").Text("Apri l'elenco delle domande della provincia"),
		)
	case u.PendingOperator && u.Role != wire.RoleOperatore:
		return goapp.Div().Class("alert alert-warning pending-notice").Body(
			goapp.Strong().Text(session.PendingNoticeText),
			goapp.Text(" Finché il Ministero non ti abilita hai i limiti di un utente privato; riceverai un'e-mail di conferma dell'abilitazione."),
		)
	case u.Role == wire.RoleOperatore:
		ente := ""
		if u.Ente != nil {
			ente = " — " + session.EnteName(*u.Ente)
		}
		return goapp.Div().Class("alert alert-success operator-notice").Body(
			goapp.Strong().Text("Operatore abilitato — moduli illimitati"),
			goapp.Text(ente),
		)
	}
	return goapp.Span()
}
