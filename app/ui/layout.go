package ui

import (
	"context"
	"slices"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/session"
)

// Route is one page of the app as the navigation sees it: its path, its entry in the menu
// and in its console's tabs, and the roles that see the entry. The app's route table
// (app/routes.go) is the one place that lists them; it hands them here with SetRoutes.
type Route struct {
	Path string
	// OpenWhenLocked: the page shows nothing of the person, so a locked session may see it
	// (public pages, unlock, log in and out). Every other page sends a locked person to /sblocca.
	OpenWhenLocked bool
	Menu           string   // label in the navigation; "" for none
	Tab            string   // label in the tabs of the console the path belongs to; "" for none
	Roles          []string // who sees the menu entry; "" is whoever is not logged in
}

var routes []Route

// SetRoutes gives the navigation the app's route table.
func SetRoutes(rs []Route) { routes = rs }

// NavItem is one entry of the in-app navigation.
type NavItem struct{ Path, Label string }

// NavFor returns the navigation for a role ("" when unknown or logged out), in the order of
// the route table. The Ministry and the Sportelli do not generate or send: they see their
// consoles.
func NavFor(role string) []NavItem {
	var out []NavItem
	for _, r := range routes {
		if r.Menu != "" && slices.Contains(r.Roles, role) {
			out = append(out, NavItem{r.Path, r.Menu})
		}
	}
	return out
}

// ConsoleTabs draws the tabs of the console whose pages start with prefix (/ministero), as
// links: each tab has its own address.
func ConsoleTabs(prefix, current string) goapp.UI {
	var tabs []Route
	for _, r := range routes {
		if r.Tab != "" && (r.Path == prefix || strings.HasPrefix(r.Path, prefix+"/")) {
			tabs = append(tabs, r)
		}
	}
	return goapp.Nav().Class("console-tabs mb-4").Aria("label", "Sezioni della console").Body(
		goapp.Ul().Class("nav nav-tabs").Body(goapp.Range(tabs).Slice(func(i int) goapp.UI {
			t := tabs[i]
			a := goapp.A().Class("nav-link").Href(t.Path).Text(t.Tab)
			if t.Path == current {
				a = a.Class("active").Aria("current", "page")
			}
			return goapp.Li().Class("nav-item").Body(a)
		})),
	)
}

// navActive reports whether the entry for path is the current page's section.
func navActive(item, current string) bool {
	if item == current {
		return true
	}
	// The consoles' detail pages and tabs light their entry: /sportello/EM… → /sportello,
	// /ministero/statistiche → /ministero.
	return item != "/" && strings.HasPrefix(current, item+"/")
}

// Page wraps a page's content in the common frame: skip link, top bar and navigation, footer.
func Page(current string, content ...goapp.UI) goapp.UI {
	return goapp.Div().Class("app-frame").Body(
		goapp.A().Href("#contenuto").Class("skip-link").Text("Vai al contenuto"),
		&TopBar{Current: current},
		&lockWatch{Current: current},
		goapp.Main().ID("contenuto").Class("container app-main").TabIndex(-1).Body(
			&roleNotice{Current: current},
			goapp.Div().Body(content...),
		),
		goapp.Footer().Class("app-footer").Body(
			goapp.Div().Class("container").Body(
				goapp.P().Class("mb-0").Text("Nullaosta — compilazione e invio delle domande di lavoro domestico. Funziona anche senza connessione: i moduli restano su questo dispositivo finché non li invii."),
			),
		),
	)
}

// TopBar shows who is logged in on the device, whether the connection is up, the navigation,
// the banner of a new version and the storage warning. It listens to the device's changes.
type TopBar struct {
	goapp.Compo
	Current string

	user       string
	locked     bool
	role       string
	online     bool
	serverDown bool
	updatable  bool
	warning    string
	menuOpen   bool
	cancel     func()
}

func (t *TopBar) OnInit() { t.refresh() }

func (t *TopBar) OnMount(ctx goapp.Context) {
	t.updatable = ctx.AppUpdateAvailable()
	t.cancel = session.Changes.Subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) { t.refresh() })
	}, session.TopicUser, session.TopicProfile, session.TopicDevice)
	ctx.Async(func() {
		bg := context.Background()
		session.CurrentUser(bg)
		session.LoadProfile(bg)
		ctx.Dispatch(func(ctx goapp.Context) { t.refresh() })
		session.MaybeRefreshProfile(bg) // a role granted or revoked shows without logging in again
	})
}

func (t *TopBar) OnDismount() {
	if t.cancel != nil {
		t.cancel()
	}
}

func (t *TopBar) OnAppUpdate(ctx goapp.Context) { t.updatable = true }

// onLock locks at once: the person leaves the tablet.
func (t *TopBar) onLock(ctx goapp.Context, e goapp.Event) {
	ctx.Async(session.LockEverywhere)
}

func (t *TopBar) refresh() {
	t.user = session.CachedUser()
	t.locked = session.Locked()
	t.role = ""
	if u, ok := session.CachedProfile(); ok {
		t.role = u.Role
	}
	t.online = session.Device.IsOnline()
	t.serverDown = session.Device.IsServerDown()
	t.warning = session.Device.Warning()
}

func (t *TopBar) onUpdate(ctx goapp.Context, e goapp.Event) {
	ctx.Async(func() {
		session.FlushAll() // never lose a keystroke to the reload
		ctx.Dispatch(func(ctx goapp.Context) { ctx.Reload() })
	})
}

func (t *TopBar) toggleMenu(ctx goapp.Context, e goapp.Event) { t.menuOpen = !t.menuOpen }

func (t *TopBar) Render() goapp.UI {
	status := goapp.Span().Class("net-status net-online").Body(
		goapp.Span().Class("net-dot").Aria("hidden", "true"),
		goapp.Text("In linea"),
	)
	switch {
	case !t.online:
		status = goapp.Span().Class("net-status net-offline").Body(
			goapp.Span().Class("net-dot").Aria("hidden", "true"),
			goapp.Text("Senza connessione — i dati restano sul dispositivo"),
		)
	case t.serverDown:
		status = goapp.Span().Class("net-status net-offline").Body(
			goapp.Span().Class("net-dot").Aria("hidden", "true"),
			goapp.Text("Server non raggiungibile — i dati restano sul dispositivo"),
		)
	}
	nav := NavFor(t.role)
	menuCls := "app-nav-list"
	if t.menuOpen {
		menuCls += " open"
	}
	return goapp.Div().Body(
		goapp.Div().Class("slot-update").Body(goapp.If(t.updatable, func() goapp.UI {
			return goapp.Div().Class("update-banner").Attr("role", "status").Body(
				goapp.Div().Class("container d-flex flex-wrap align-items-center gap-3 py-2").Body(
					goapp.Span().Text("È disponibile una nuova versione —"),
					goapp.Button().Type("button").Class("btn btn-sm btn-light").Text("Aggiorna").OnClick(t.onUpdate),
					goapp.Small().Text("Le modifiche sono già salvate sul dispositivo."),
				),
			)
		})),
		goapp.Header().Class("app-header").Body(
			goapp.Div().Class("app-header-slim").Body(
				goapp.Div().Class("container d-flex flex-wrap justify-content-between align-items-center gap-2").Body(
					goapp.Span().Aria("live", "polite").Body(status),
					goapp.If(t.user != "", func() goapp.UI {
						return goapp.Span().Class("user-box").Body(
							goapp.Span().Class("visually-hidden").Text("Utente collegato: "),
							goapp.Strong().Text(t.user),
							goapp.If(!t.locked, func() goapp.UI {
								return goapp.Button().Type("button").Class("btn btn-link btn-sm ms-3 p-0 align-baseline lock-now").
									Text("Blocca").Title("Nasconde i tuoi dati finché non scrivi di nuovo la password").OnClick(t.onLock)
							}),
							goapp.A().Href("/esci").Class("ms-3").Text("Esci"),
						)
					}).Else(func() goapp.UI {
						return goapp.Span().Class("user-box").Body(
							goapp.A().Href("/accedi").Text("Accedi"),
							goapp.Span().Aria("hidden", "true").Text("·"),
							goapp.A().Href("/registrati").Text("Registrati"),
						)
					}),
				),
			),
			goapp.Div().Class("app-header-center").Body(
				goapp.Div().Class("container d-flex align-items-center justify-content-between").Body(
					goapp.A().Href("/").Class("brand").Body(
						// Decorative: the link's text names it. go-app drops an empty alt, so the image
						// is hidden from assistive technology instead.
						goapp.Img().Src("/web/icons/icon.svg").Aria("hidden", "true").Attr("role", "presentation").Width(48).Height(48),
						goapp.Span().Class("brand-text").Body(
							goapp.Span().Class("brand-name").Text("Nullaosta"),
							goapp.Span().Class("brand-tag").Text("Domande di lavoro domestico: emersione e nulla osta"),
						),
					),
					goapp.Button().Type("button").Class("btn btn-outline-light d-lg-none").
						Aria("expanded", boolString(t.menuOpen)).Aria("controls", "app-nav").
						Text("Menu").OnClick(t.toggleMenu),
				),
			),
			goapp.Nav().ID("app-nav").Class("app-nav").Aria("label", "Navigazione principale").Body(
				goapp.Ul().Class("container "+menuCls).Body(
					goapp.Range(nav).Slice(func(i int) goapp.UI {
						it := nav[i]
						a := goapp.A().Href(it.Path).Text(it.Label)
						if navActive(it.Path, t.Current) {
							a = a.Aria("current", "page").Class("active")
						}
						return goapp.Li().Body(a)
					}),
				),
			),
		),
		goapp.Div().Class("slot-warning").Body(goapp.If(t.warning != "", func() goapp.UI {
			return goapp.Div().Class("container mt-3").Body(
				goapp.Div().Class("alert alert-warning d-flex flex-wrap align-items-center gap-3").Attr("role", "status").Body(
					goapp.Span().Class("flex-grow-1").Text(t.warning),
					goapp.Button().Type("button").Class("btn btn-sm btn-outline-secondary").Text("Ho capito").
						OnClick(func(ctx goapp.Context, e goapp.Event) { session.Device.DismissWarning() }),
				),
			)
		})),
	)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Notice is a message box; kind is a Bootstrap alert colour (info, success, warning, danger).
func Notice(kind, text string) goapp.UI {
	return goapp.Div().Class("alert alert-"+kind).Attr("role", "status").Text(text)
}

// LoadStatus is the state of a page's data.
type LoadStatus int

const (
	StatusLoading LoadStatus = iota
	StatusLoaded
	StatusFailed
)

// LoadState draws a page whose data is still loading or failed to load: the message and, when
// the failure is a missing login, a link to log in and come back to path. loaded is true when
// the page should draw its data instead.
func LoadState(s LoadStatus, err string, login bool, path string) (ui goapp.UI, loaded bool) {
	switch s {
	case StatusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…"), false
	case StatusFailed:
		return goapp.Div().Body(
			Notice("warning", err),
			goapp.If(login, func() goapp.UI {
				return goapp.A().Href(session.LoginLink(path)).Class("btn btn-primary").Text("Accedi")
			}),
		), false
	}
	return nil, true
}
