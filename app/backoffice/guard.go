package backoffice

import (
	"context"
	"errors"
	"slices"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
	"nullaosta/app/session"
	"nullaosta/app/ui"
	"nullaosta/shared/wire"
)

// consoleGuard decides whether the consoles (/ministero, /sportello) open for the person: it
// asks the server who is logged in, because a role is the server's to grant, and explains in
// Italian why a page stays closed. The server checks every call again.
type consoleGuard struct {
	status ui.LoadStatus
	me     client.User
	msg    string
	login  bool
}

// errForbiddenRole is returned by check when the person's role may not open the page.
var errForbiddenRole = errors.New("ruolo non ammesso")

// check fetches the profile and tells whether one of roles holds it. It does not touch go-app:
// call it from ctx.Async and apply the result with ctx.Dispatch.
func (g *consoleGuard) check(ctx context.Context, area string, roles ...string) error {
	if session.Environment().API == nil {
		g.Fail(session.ErrorText(session.ErrNoServer), false)
		return session.ErrNoServer
	}
	u, err := session.RefreshProfile(ctx)
	if err != nil {
		g.failErr(err)
		return err
	}
	g.me = u
	if !slices.Contains(roles, u.Role) {
		g.Fail("Questa sezione è riservata "+area+". Il tuo profilo è «"+wire.RoleLabel(u.Role)+"»: se devi accedervi, chiedi l'abilitazione al Ministero dell'Interno.", false)
		return errForbiddenRole
	}
	g.status, g.msg, g.login = ui.StatusLoaded, "", false
	return nil
}

func (g *consoleGuard) Fail(msg string, login bool) {
	g.status, g.msg, g.login = ui.StatusFailed, msg, login
}

// failErr explains an error of the API the console got.
func (g *consoleGuard) failErr(err error) {
	switch {
	case session.NeedLogin(err):
		g.Fail("Per aprire questa sezione accedi con il tuo account.", true)
	case client.ErrorCode(err) == client.CodeForbidden:
		g.Fail("Non hai i permessi per questa sezione: "+session.ErrorText(err), false)
	default:
		g.Fail(session.ErrorText(err, "Questa console lavora sui dati del server e ora non c'è connessione. Riprova quando sei di nuovo in linea."), false)
	}
}

// render shows the guard's verdict when the page cannot open; next is where to come back
// after logging in.
func (g *consoleGuard) render(next string) goapp.UI {
	if g.status == ui.StatusLoading {
		return goapp.P().Attr("role", "status").Text("Verifica del profilo…")
	}
	return goapp.Div().Class("console-closed").Body(
		goapp.Div().Class("alert alert-warning").Attr("role", "alert").Text(g.msg),
		goapp.If(g.login, func() goapp.UI {
			return goapp.A().Href(session.LoginLink(next)).Class("btn btn-primary").Text("Accedi")
		}).Else(func() goapp.UI {
			return goapp.A().Href("/").Class("btn btn-outline-primary").Text("Torna all'inizio")
		}),
	)
}
