package app

import (
	"context"
	"strings"
	"sync"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
)

// deviceState is what the browser tells about the device: the connection and the storage.
type deviceState struct {
	mu               sync.Mutex
	online           bool // navigator.onLine
	serverDown       bool // the last request got no answer although the browser is online
	storageWarning   string
	warningDismissed bool
}

// setServerDown records whether the server answered the last request.
func (d *deviceState) setServerDown(v bool) {
	d.mu.Lock()
	changed := d.serverDown != v
	d.serverDown = v
	d.mu.Unlock()
	if changed {
		changes.notify()
	}
}

func (d *deviceState) isServerDown() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.serverDown
}

var device = &deviceState{online: true}

func (d *deviceState) setOnline(v bool) {
	d.mu.Lock()
	changed := d.online != v
	d.online = v
	d.mu.Unlock()
	if changed {
		changes.notify()
	}
}

func (d *deviceState) isOnline() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.online
}

func (d *deviceState) setStorageWarning(s string) {
	d.mu.Lock()
	d.storageWarning = s
	d.mu.Unlock()
	changes.notify()
}

func (d *deviceState) warning() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.warningDismissed {
		return ""
	}
	return d.storageWarning
}

// dismissWarning hides the storage warning until the app is loaded again.
func (d *deviceState) dismissWarning() {
	d.mu.Lock()
	d.warningDismissed = true
	d.mu.Unlock()
	changes.notify()
}

// navItem is one entry of the in-app navigation.
type navItem struct{ Path, Label string }

// navItems is the navigation of applicants (and of whoever is not logged in).
var navItems = []navItem{
	{"/", "Inizio"},
	{"/genera", "Genera modulo"},
	{"/importa", "Importa"},
	{"/compila", "Compila"},
	{"/invia", "Invia"},
	{"/ricevute", "Ricevute"},
	{"/moduli", "I miei moduli"},
	{"/account", "Account"},
}

// navFor returns the navigation for a role ("" when unknown or logged out). The Ministry and
// the Sportelli do not generate or send: they see their consoles.
func navFor(role string) []navItem {
	switch role {
	case client.RoleAdmin:
		return []navItem{
			{"/", "Inizio"},
			{"/ministero", "Richieste di abilitazione"},
			{"/ministero/operatori", "Operatori"},
			{"/ministero/statistiche", "Statistiche"},
			{"/ministero/registro", "Registro"},
			{"/sportello", "Domande"},
			{"/account", "Account"},
		}
	case client.RoleSportello:
		return []navItem{
			{"/", "Inizio"},
			{"/sportello", "Domande della provincia"},
			{"/account", "Account"},
		}
	case client.RolePrivato, client.RoleOperatore:
		items := append([]navItem{}, navItems[:len(navItems)-1]...)
		return append(items, navItem{"/abilitazione", "Abilitazione operatori"}, navItems[len(navItems)-1])
	}
	return navItems
}

// navActive reports whether the entry for path is the current page's section.
func navActive(item, current string) bool {
	if item == current {
		return true
	}
	// The consoles' detail pages light their list: /sportello/EM… → /sportello.
	return item != "/" && item != "/ministero" && strings.HasPrefix(current, item+"/")
}

// page wraps a page's content in the common frame: skip link, top bar and navigation, footer.
func page(current string, content ...goapp.UI) goapp.UI {
	return goapp.Div().Class("app-frame").Body(
		goapp.A().Href("#contenuto").Class("skip-link").Text("Vai al contenuto"),
		&topBar{Current: current},
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

// topBar shows who is logged in on the device, whether the connection is up, the navigation,
// the banner of a new version and the storage warning. It listens to the device's changes.
type topBar struct {
	goapp.Compo
	Current string

	user       string
	role       string
	online     bool
	serverDown bool
	updatable  bool
	warning    string
	menuOpen   bool
	cancel     func()
}

func (t *topBar) OnInit() { t.refresh() }

func (t *topBar) OnMount(ctx goapp.Context) {
	t.updatable = ctx.AppUpdateAvailable()
	t.cancel = changes.subscribe(func() {
		ctx.Dispatch(func(ctx goapp.Context) { t.refresh() })
	})
	ctx.Async(func() {
		bg := context.Background()
		currentUser(bg)
		loadProfile(bg)
		ctx.Dispatch(func(ctx goapp.Context) { t.refresh() })
		maybeRefreshProfile(bg) // a role granted or revoked shows without logging in again
	})
}

func (t *topBar) OnDismount() {
	if t.cancel != nil {
		t.cancel()
	}
}

func (t *topBar) OnAppUpdate(ctx goapp.Context) { t.updatable = true }

func (t *topBar) refresh() {
	t.user = cachedUser()
	t.role = ""
	if u, ok := cachedProfile(); ok {
		t.role = u.Role
	}
	t.online = device.isOnline()
	t.serverDown = device.isServerDown()
	t.warning = device.warning()
}

func (t *topBar) onUpdate(ctx goapp.Context, e goapp.Event) {
	ctx.Async(func() {
		flushAll() // never lose a keystroke to the reload
		ctx.Dispatch(func(ctx goapp.Context) { ctx.Reload() })
	})
}

func (t *topBar) toggleMenu(ctx goapp.Context, e goapp.Event) { t.menuOpen = !t.menuOpen }

func (t *topBar) Render() goapp.UI {
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
	nav := navFor(t.role)
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
							goapp.A().Href("/esci").Class("ms-3").Text("Esci"),
						)
					}).Else(func() goapp.UI {
						return goapp.Span().Class("user-box").Body(
							goapp.A().Href("/accedi").Text("Accedi"),
							goapp.Span().Aria("hidden", "true").Text(" · "),
							goapp.A().Href("/registrati").Text("Registrati"),
						)
					}),
				),
			),
			goapp.Div().Class("app-header-center").Body(
				goapp.Div().Class("container d-flex align-items-center justify-content-between").Body(
					goapp.A().Href("/").Class("brand").Body(
						goapp.Img().Src("/web/icons/icon.svg").Alt("").Width(48).Height(48),
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
						OnClick(func(ctx goapp.Context, e goapp.Event) { device.dismissWarning() }),
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

// notice is a message box; kind is a Bootstrap alert colour (info, success, warning, danger).
func notice(kind, text string) goapp.UI {
	return goapp.Div().Class("alert alert-"+kind).Attr("role", "status").Text(text)
}

// loadStatus is the state of a page's data.
type loadStatus int

const (
	statusLoading loadStatus = iota
	statusLoaded
	statusFailed
)

// loadState draws a page whose data is still loading or failed to load: the message and, when
// the failure is a missing login, a link to log in and come back to path. loaded is true when
// the page should draw its data instead.
func loadState(s loadStatus, err string, login bool, path string) (ui goapp.UI, loaded bool) {
	switch s {
	case statusLoading:
		return goapp.P().Attr("role", "status").Text("Caricamento…"), false
	case statusFailed:
		return goapp.Div().Body(
			notice("warning", err),
			goapp.If(login, func() goapp.UI {
				return goapp.A().Href(loginLink(path)).Class("btn btn-primary").Text("Accedi")
			}),
		), false
	}
	return nil, true
}
