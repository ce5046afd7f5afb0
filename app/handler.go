package app

import (
	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Local static resources (under web/, served at /web/). Everything here is cached by the
// service worker at installation, so the app looks the same offline.
// PurgedCSS is the part of Bootstrap Italia the app uses, written by `make build`
// (app/internal/csspurge) from FullCSS; the server falls back to FullCSS when it is missing.
const (
	PurgedCSS = "/web/css/bootstrap-italia.app.css"
	FullCSS   = "/web/css/bootstrap-italia.min.css"
)

var (
	styles = []string{
		PurgedCSS,
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
		// «Verifica ricevuta» loads these itself (not every page), and must work offline.
		"/web/js/verifica.js",
		"/web/js/jsQR.js",
		// The page loads it from a raw header (bootScript), which go-app does not cache.
		bootPath,
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
		LoadingLabel:          "Avvio dell'app…",
		StartURL:              "/",
		Styles:                styles,
		Fonts:                 fonts,
		CacheableResources:    cacheable,
		ServiceWorkerTemplate: serviceWorkerJS(),
		RawHeaders: []string{
			`<meta name="format-detection" content="telephone=no">`,
			bootScript,
		},
	}
}
