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
var routes = []struct {
	path   string
	prefix bool                  // the path is followed by a parameter: /compila/{moduleId}
	new    func() goapp.Composer // nil: a menu or tab entry of a page another row declares
	ui.Route
}{
	{"/", false, func() goapp.Composer { return &site.Home{} }, ui.Route{Menu: "Inizio", Roles: everyone}},
	{"/registrati", false, func() goapp.Composer { return &site.Register{} }, ui.Route{}},
	{"/attiva", false, func() goapp.Composer { return &site.Activate{} }, ui.Route{}},
	{"/accedi", false, func() goapp.Composer { return &site.Login{} }, ui.Route{}},
	{"/esci", false, func() goapp.Composer { return &site.Logout{} }, ui.Route{}},
	{"/password-dimenticata", false, func() goapp.Composer { return &site.ForgotPassword{} }, ui.Route{}},
	{"/reimposta-password", false, func() goapp.Composer { return &site.ResetPassword{} }, ui.Route{}},
	{"/genera", false, func() goapp.Composer { return &compiler.Generate{} }, ui.Route{Menu: "Genera modulo", Roles: applicants}},
	{"/importa", false, func() goapp.Composer { return &compiler.Importer{} }, ui.Route{Menu: "Importa", Roles: applicants}},
	{"/compila", false, func() goapp.Composer { return &compiler.Drafts{} }, ui.Route{Menu: "Compila", Roles: applicants}},
	{"/compila/", true, compiler.NewCompiler, ui.Route{}},
	{"/invia", false, func() goapp.Composer { return &compiler.Sender{} }, ui.Route{Menu: "Invia", Roles: applicants}},
	{"/ricevute", false, func() goapp.Composer { return &compiler.Receipts{} }, ui.Route{Menu: "Ricevute", Roles: applicants}},
	{"/verifica", false, func() goapp.Composer { return &site.Verify{} }, ui.Route{Menu: "Verifica ricevuta", Roles: everyone}},
	{"/moduli", false, func() goapp.Composer { return &site.Modules{} }, ui.Route{Menu: "I miei moduli", Roles: applicants}},
	{"/abilitazione", false, func() goapp.Composer { return &backoffice.Enablement{} }, ui.Route{Menu: "Abilitazione operatori", Roles: registered}},
	{"/ministero", false, backoffice.NewMinistry, ui.Route{Menu: "Richieste di abilitazione", Tab: "Richieste di abilitazione", Roles: ministry}},
	{"/ministero/", true, backoffice.NewMinistry, ui.Route{}}, // the tabs below
	{"/ministero/operatori", false, nil, ui.Route{Menu: "Operatori", Tab: "Operatori abilitati", Roles: ministry}},
	{"/ministero/statistiche", false, nil, ui.Route{Menu: "Statistiche", Tab: "Statistiche", Roles: ministry}},
	{"/ministero/registro", false, nil, ui.Route{Menu: "Registro", Tab: "Registro delle operazioni", Roles: ministry}},
	{"/sportello", false, func() goapp.Composer { return &backoffice.DomandeList{} }, ui.Route{Menu: "Domande", Roles: ministry}},
	{"/sportello", false, nil, ui.Route{Menu: "Domande della provincia", Roles: sportelli}}, // the same page, named for a Sportello
	{"/sportello/", true, backoffice.NewDomandaDetail, ui.Route{}},                          // /sportello/{protocol}
	{"/account", false, func() goapp.Composer { return &site.Account{} }, ui.Route{Menu: "Account", Roles: everyone}},
}

// Who sees a menu entry ("" is whoever is not logged in).
var (
	everyone   = []string{"", wire.RolePrivato, wire.RoleOperatore, wire.RoleAdmin, wire.RoleSportello}
	applicants = []string{"", wire.RolePrivato, wire.RoleOperatore}
	registered = []string{wire.RolePrivato, wire.RoleOperatore}
	ministry   = []string{wire.RoleAdmin}
	sportelli  = []string{wire.RoleSportello}
)

// RegisterRoutes declares every page and gives the navigation its entries. Both the browser
// and the server call it.
func RegisterRoutes() {
	nav := make([]ui.Route, 0, len(routes))
	for _, r := range routes {
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
	ui.SetRoutes(nav)
}
