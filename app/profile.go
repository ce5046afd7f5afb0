package app

import (
	"context"
	"encoding/json"
	"nullaosta/shared/wire"
	"sync"
	"time"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
)

// The logged-in person's profile (role, ente, pending enablement) decides the navigation, the
// notices and which consoles open. The device keeps it (settingProfile, written at login and
// import) so it is known offline; GET /me refreshes it when the connection is up.
type profileCache struct {
	mu      sync.Mutex
	user    string // whose profile this is
	p       *client.User
	fetched time.Time // last GET /me for user
}

var profiles = &profileCache{}

// profileRefreshEvery bounds how often the pages ask the server for the profile.
const profileRefreshEvery = time.Minute

func (c *profileCache) reset() {
	c.mu.Lock()
	c.user, c.p, c.fetched = "", nil, time.Time{}
	c.mu.Unlock()
}

// cachedProfile returns the profile of the logged-in user if already known, without I/O.
func cachedProfile() (client.User, bool) {
	user := cachedUser()
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	if user == "" || profiles.user != user || profiles.p == nil {
		return client.User{}, false
	}
	return *profiles.p, true
}

// setProfile records u as the profile of user and tells the pages when it changed.
func setProfile(user string, u client.User) {
	profiles.mu.Lock()
	changed := profiles.user != user || profiles.p == nil || !sameProfile(*profiles.p, u)
	profiles.user, profiles.p = user, &u
	profiles.mu.Unlock()
	if changed {
		changes.notify()
	}
}

func sameProfile(a, b client.User) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// loadProfile reads the logged-in user's profile from the device.
func loadProfile(ctx context.Context) (client.User, bool) {
	user := currentUser(ctx)
	if user == "" {
		return client.User{}, false
	}
	if u, ok := cachedProfile(); ok {
		return u, true
	}
	s, err := env().Store.GetSetting(ctx, user, settingProfile)
	if err != nil {
		return client.User{}, false
	}
	var u client.User
	if json.Unmarshal([]byte(s), &u) != nil || normUser(u.Email) != user {
		return client.User{}, false
	}
	setProfile(user, u)
	return u, true
}

// refreshProfile asks the server who is logged in (GET /me, with the session cookie) and keeps
// the answer on the device. A session that belongs to someone else than the device's current
// user is not taken as theirs.
func refreshProfile(ctx context.Context) (client.User, error) {
	api := env().API
	if api == nil {
		return client.User{}, errNoServer
	}
	user := currentUser(ctx)
	u, err := api.Me(ctx)
	noteReachability(err)
	if err != nil {
		return u, err
	}
	if user != "" && normUser(u.Email) == user {
		profiles.mu.Lock()
		profiles.fetched = env().Now()
		profiles.mu.Unlock()
		if b, err := json.Marshal(u); err == nil {
			_ = env().Store.PutSetting(ctx, user, settingProfile, string(b))
		}
		setProfile(user, u)
	}
	return u, nil
}

// maybeRefreshProfile refreshes the profile when it is older than profileRefreshEvery.
func maybeRefreshProfile(ctx context.Context) {
	user := currentUser(ctx)
	if user == "" || env().API == nil || !device.isOnline() {
		return
	}
	profiles.mu.Lock()
	fresh := profiles.user == user && env().Now().Sub(profiles.fetched) < profileRefreshEvery
	profiles.mu.Unlock()
	if !fresh {
		_, _ = refreshProfile(ctx)
	}
}

// enteName is an ente for people: "Comune di Cuneo (CN)".
func enteName(e client.Ente) string {
	s := e.Nome
	if e.Provincia != "" {
		s += " (" + e.Provincia + ")"
	}
	if t := wire.EnteTipoLabel(e.Tipo); t != "" {
		s += " — " + t
	}
	return s
}

// pendingNoticeText is what a person named in a request not yet decided reads (seed 000, step
// 2: "non deve compilare ed inviare alcuna domanda sino a quando…").
const pendingNoticeText = "La tua abilitazione come operatore è in attesa: non compilare né inviare domande prima dell'abilitazione."

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

func (n *roleNotice) OnInit() { n.user, n.known = cachedProfile() }

func (n *roleNotice) OnMount(ctx goapp.Context) {
	n.cancel = changes.subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) { n.user, n.known = cachedProfile() })
	})
	ctx.Async(func() {
		bg := context.Background()
		loadProfile(bg)
		ctx.Dispatch(func(ctx goapp.Context) { n.user, n.known = cachedProfile() })
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
	switch {
	case current == "/" && u.Role == client.RoleAdmin:
		return goapp.Div().Class("alert alert-info console-link").Body(
			goapp.Strong().Text("Ministero dell'Interno. "),
			goapp.A().Href("/ministero").Text("Apri la console: richieste di abilitazione, operatori, statistiche, registro"),
		)
	case current == "/" && u.Role == client.RoleSportello:
		return goapp.Div().Class("alert alert-info console-link").Body(
			goapp.Strong().Text("Sportello Unico di "+provinceLabel(u.Provincia)+". "),
			goapp.A().Href("/sportello").Text("Apri l'elenco delle domande della provincia"),
		)
	case u.PendingOperator && u.Role != client.RoleOperatore:
		return goapp.Div().Class("alert alert-warning pending-notice").Body(
			goapp.Strong().Text(pendingNoticeText),
			goapp.Text(" Finché il Ministero non ti abilita hai i limiti di un utente privato; riceverai un'e-mail di conferma dell'abilitazione."),
		)
	case u.Role == client.RoleOperatore:
		ente := ""
		if u.Ente != nil {
			ente = " — " + enteName(*u.Ente)
		}
		return goapp.Div().Class("alert alert-success operator-notice").Body(
			goapp.Strong().Text("Operatore abilitato — moduli illimitati"),
			goapp.Text(ente),
		)
	}
	return goapp.Span()
}
