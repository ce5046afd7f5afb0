// Package app is the compiler: the go-app v10 progressive web app, in Italian, that people use
// to generate, fill in, and send modules. The same routes are registered by the wasm main
// (app/wasm) and by the server, which serves the pages with go-app's handler.
package app

import (
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// routes lists every page, top to bottom. The service worker answers navigations to these paths
// from its cache (see worker.go), so each of them opens offline, deep links included.
var routes = []struct {
	path   string
	prefix bool // the path is followed by a parameter: /compila/{moduleId}
	new    func() goapp.Composer
}{
	{"/", false, func() goapp.Composer { return &home{} }},
	{"/registrati", false, func() goapp.Composer { return &register{} }},
	{"/attiva", false, func() goapp.Composer { return &activate{} }},
	{"/accedi", false, func() goapp.Composer { return &login{} }},
	{"/esci", false, func() goapp.Composer { return &logout{} }},
	{"/password-dimenticata", false, func() goapp.Composer { return &forgotPassword{} }},
	{"/reimposta-password", false, func() goapp.Composer { return &resetPassword{} }},
	{"/genera", false, func() goapp.Composer { return &generate{} }},
	{"/moduli", false, func() goapp.Composer { return &modules{} }},
	{"/importa", false, func() goapp.Composer { return &importer{} }},
	{"/compila", false, func() goapp.Composer { return &drafts{} }},
	{"/compila/", true, newCompiler},
	{"/invia", false, func() goapp.Composer { return &sender{} }},
	{"/ricevute", false, func() goapp.Composer { return &receipts{} }},
	{"/account", false, func() goapp.Composer { return &account{} }},
	{"/abilitazione", false, func() goapp.Composer { return &enablement{} }},
	{"/ministero", false, newMinistry},
	{"/ministero/", true, newMinistry}, // /ministero/operatori, /statistiche, /registro
	{"/sportello", false, func() goapp.Composer { return &sportelloList{} }},
	{"/sportello/", true, newSportelloDetail}, // /sportello/{protocol}
}

// RegisterRoutes declares every page. Both the browser and the server call it.
func RegisterRoutes() {
	for _, r := range routes {
		if r.prefix {
			goapp.RouteWithRegexp("^"+strings.TrimSuffix(r.path, "/")+"/[^/]+$", r.new)
			continue
		}
		goapp.Route(r.path, r.new)
	}
}

// Local static resources (under web/, served at /web/). Everything here is cached by the
// service worker at installation, so the app looks the same offline.
var (
	styles = []string{
		"/web/css/bootstrap-italia.min.css",
		"/web/css/fonts.css",
		"/web/css/app.css",
	}
	fonts = []string{
		"/web/fonts/titillium-web-v10-latin-ext_latin-regular.woff2 crossorigin=anonymous",
		"/web/fonts/titillium-web-v10-latin-ext_latin-600.woff2 crossorigin=anonymous",
		"/web/fonts/titillium-web-v10-latin-ext_latin-700.woff2 crossorigin=anonymous",
	}
	cacheable = []string{
		"/web/fonts/titillium-web-v10-latin-ext_latin-300.woff2",
		"/web/fonts/titillium-web-v10-latin-ext_latin-italic.woff2",
		"/web/fonts/roboto-mono-v13-latin-ext_latin-regular.woff2",
		"/web/icons/icon.svg",
		"/web/icons/icon-192.png",
		"/web/icons/icon-512.png",
		"/web/icons/icon-maskable-512.png",
	}
)

// themeColor is Bootstrap Italia's primary blue.
const themeColor = "#0066CC"

// NewHandler returns go-app's handler for the pages, service worker and manifest. The caller
// (the server) sets WasmContentLength and, if it serves web/ from elsewhere, Resources.
func NewHandler(version string) *goapp.Handler {
	return &goapp.Handler{
		Name:        "Nullaosta — domande di lavoro domestico",
		ShortName:   "Nullaosta",
		Title:       "Nullaosta — domande di lavoro domestico",
		Description: "Compila e invia la dichiarazione di emersione (modulo EM) e la richiesta di nulla osta al lavoro domestico (Modulo A), anche senza connessione.",
		Lang:        "it",
		Author:      "Nullaosta",
		Version:     version,
		Icon: goapp.Icon{
			Default:  "/web/icons/icon-192.png",
			Large:    "/web/icons/icon-512.png",
			Maskable: "/web/icons/icon-maskable-512.png",
			SVG:      "/web/icons/icon.svg",
		},
		BackgroundColor:       "#ffffff",
		ThemeColor:            themeColor,
		LoadingLabel:          "Caricamento di Nullaosta… {progress}%",
		StartURL:              "/",
		Styles:                styles,
		Fonts:                 fonts,
		CacheableResources:    cacheable,
		ServiceWorkerTemplate: serviceWorkerJS(),
		RawHeaders: []string{
			`<meta name="format-detection" content="telephone=no">`,
		},
	}
}
