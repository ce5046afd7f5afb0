package app

import (
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/backoffice"
	"nullaosta/app/compiler"
	"nullaosta/app/site"
	"nullaosta/app/ui"
	"nullaosta/shared/wire"
)

// routes is the app's one route table, top to bottom: each page's path, the component that
// shows it, its entry in the navigation and in its console's tabs, and who sees the entry. The
// service worker answers navigations to these paths from its cache (see worker.go), so each of
// them opens offline, deep links included.
var routes = []route{
	{"/", false, func() goapp.Composer { return &site.Home{} }, ui.Route{OpenWhenLocked: true, Menu: "Inizio", Roles: everyone}},
	{"/registrati", false, func() goapp.Composer { return &site.Register{} }, ui.Route{OpenWhenLocked: true}},
	{"/attiva", false, func() goapp.Composer { return &site.Activate{} }, ui.Route{OpenWhenLocked: true}},
	{"/accedi", false, func() goapp.Composer { return &site.Login{} }, ui.Route{OpenWhenLocked: true}},
	{"/esci", false, func() goapp.Composer { return &site.Logout{} }, ui.Route{OpenWhenLocked: true}},
	{"/password-dimenticata", false, func() goapp.Composer { return &site.ForgotPassword{} }, ui.Route{OpenWhenLocked: true}},
	{"/reimposta-password", false, func() goapp.Composer { return &site.ResetPassword{} }, ui.Route{OpenWhenLocked: true}},
	{ui.UnlockPath, false, func() goapp.Composer { return &site.Unlock{} }, ui.Route{OpenWhenLocked: true}},
	{"/genera", false, func() goapp.Composer { return &compiler.Generate{} }, ui.Route{Menu: "Genera modulo", Roles: applicants}},
	{"/importa", false, func() goapp.Composer { return &compiler.Importer{} }, ui.Route{Menu: "Importa", Roles: applicants}},
	{"/compila", false, func() goapp.Composer { return &compiler.Drafts{} }, ui.Route{Menu: "Compila", Roles: applicants}},
	{"/compila/", true, compiler.NewCompiler, ui.Route{}},
	{"/invia", false, func() goapp.Composer { return &compiler.Sender{} }, ui.Route{Menu: "Invia", Roles: applicants}},
	{"/ricevute", false, func() goapp.Composer { return &compiler.Receipts{} }, ui.Route{Menu: "Ricevute", Roles: applicants}},
	{"/verifica", false, func() goapp.Composer { return &site.Verify{} }, ui.Route{OpenWhenLocked: true, Menu: "Verifica ricevuta", Roles: everyone}},
	{"/moduli", false, func() goapp.Composer { return &site.Modules{} }, ui.Route{Menu: "I miei moduli", Roles: applicants}},
	{"/abilitazione", false, func() goapp.Composer { return &backoffice.Enablement{} }, ui.Route{}}, // linked from /account, for comuni and patronati
	{"/ministero", false, backoffice.NewMinistry, ui.Route{Menu: "Console del Ministero", Tab: "Richieste di abilitazione", Roles: ministry}},
	{"/ministero/", true, backoffice.NewMinistry, ui.Route{}}, // the tabs below
	{"/ministero/operatori", false, nil, ui.Route{Tab: "Operatori abilitati"}},
	{"/ministero/statistiche", false, nil, ui.Route{Tab: "Statistiche"}},
	{"/ministero/registro", false, nil, ui.Route{Tab: "Registro delle operazioni"}},
	{"/sportello", false, func() goapp.Composer { return &backoffice.DomandeList{} }, ui.Route{Menu: "Domande", Roles: ministry}},
	{"/sportello", false, nil, ui.Route{Menu: "Domande della provincia", Roles: sportelli}}, // the same page, named for a Sportello
	{"/sportello/", true, backoffice.NewDomandaDetail, ui.Route{}},                          // /sportello/{protocol}
	{"/account", false, func() goapp.Composer { return &site.Account{} }, ui.Route{Menu: "Account", Roles: everyone}},
}

// The console's tabs are not repeated in the menu: its one entry leads to the console, whose
// tabs lead on.

// Who sees a menu entry ("" is whoever is not logged in).
var (
	everyone   = []string{"", wire.RolePrivato, wire.RoleOperatore, wire.RoleAdmin, wire.RoleSportello}
	applicants = []string{"", wire.RolePrivato, wire.RoleOperatore}
	ministry   = []string{wire.RoleAdmin}
	sportelli  = []string{wire.RoleSportello}
)

// RegisterRoutes declares every page and gives the navigation its entries. Both the browser
// and the server call it.
func RegisterRoutes() {
	nav := make([]ui.Route, 0, len(routes))
	var open []string
	for _, r := range routes {
		if r.OpenWhenLocked {
			open = append(open, r.path)
		}
		if r.Menu != "" || r.Tab != "" {
			e := r.Route
			e.Path = r.path
			nav = append(nav, e)
		}
		switch {
		case r.new == nil:
		case r.prefix:
			goapp.RouteWithRegexp("^"+strings.TrimSuffix(r.path, "/")+"/[^/]+$", r.new)
		default:
			goapp.Route(r.path, r.new)
		}
	}
	// Last, after every page: any other address is the Italian «Pagina non trovata» (go-app
	// tries the regular expressions in order, after the exact paths).
	goapp.RouteWithRegexp("^/", func() goapp.Composer { return &site.NotFound{} })
	ui.SetRoutes(nav)
	// The «Pagina non trovata» (ui.Page("")) shows nothing of the person either.
	ui.SetOpenWhenLocked(append(open, ""))
}

// route is a row of the route table.
type route struct {
	path   string
	prefix bool                  // the path is followed by a parameter: /compila/{moduleId}
	new    func() goapp.Composer // nil: a menu or tab entry of a page another row declares
	ui.Route
}

// IsPage reports whether path is one of the app's pages; any other address is answered with
// the «Pagina non trovata» page, which the server sends with the status 404.
func IsPage(path string) bool {
	_, ok := pageOf(path)
	return ok
}

// pageOf is the route of the page at path.
func pageOf(path string) (route, bool) {
	for _, r := range routes {
		switch {
		case r.new == nil:
		case r.prefix:
			if rest, ok := strings.CutPrefix(path, r.path); ok && rest != "" && !strings.Contains(rest, "/") {
				return r, true
			}
		case path == r.path:
			return r, true
		}
	}
	return route{}, false
}

// openWhenLocked reports whether a locked person may see the page at path; «Pagina non
// trovata», for any other address, shows nothing of them either.
func openWhenLocked(path string) bool {
	r, ok := pageOf(path)
	return !ok || r.OpenWhenLocked
}

// unlockURL is where a reload of path?search goes first: the unlock page, when the person is
// locked and the page shows their data; "" to stay.
func unlockURL(locked bool, path, search string) string {
	if !locked || openWhenLocked(path) {
		return ""
	}
	return ui.UnlockURL(path + search)
}
