package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"nullaosta/server/core"
)

// route is one line of the table: who may call it, the per-address rate limit, the handler.
type route struct {
	method  string
	path    string // under /api/v1
	access  access
	limit   *addrLimit
	handler http.HandlerFunc
}

// table lists every API route, top to bottom. docs/API.md documents each one.
func (s *Server) table() []route {
	l := &s.limits
	return []route{
		// Accounts.
		{"POST", "/auth/register", public, l.registerIP, s.register},
		{"POST", "/auth/activate", public, l.linkIP, s.activate},
		{"POST", "/auth/login", public, l.loginIP, s.login},
		{"POST", "/auth/logout", public, nil, s.logout},
		{"GET", "/me", user, nil, s.me},
		{"POST", "/auth/password", sessionOnly, nil, s.changePassword},
		{"POST", "/auth/reset", public, l.resetIP, s.reset},
		{"POST", "/auth/reset/confirm", public, l.linkIP, s.resetConfirm},
		{"POST", "/auth/reset/check", public, l.linkIP, s.resetCheck},

		// Campaigns and reference data.
		{"GET", "/campaigns", public, nil, s.listCampaigns},
		{"GET", "/refdata", public, nil, s.refdata},

		// Modules.
		{"POST", "/modules", applicantSession, nil, s.createModule},
		{"GET", "/modules", user, nil, s.listModules},
		{"GET", "/modules/{id}", user, nil, s.getModule},

		// Import tokens.
		{"POST", "/tokens", public, l.tokensIP, s.createToken},
		{"GET", "/tokens", user, nil, s.listTokens},
		{"DELETE", "/tokens/{id}", user, nil, s.deleteToken},
		{"GET", "/import", applicant, nil, s.importAll},

		// Submissions and receipts.
		{"POST", "/submissions", applicant, nil, s.submit},
		{"GET", "/receipts", user, nil, s.listReceipts},
		{"GET", "/receipts/public-key", public, nil, s.publicKey},
		{"GET", "/receipts/keys", public, nil, s.receiptKeys},
		{"GET", "/receipts/{protocol}/pdf", user, nil, s.receiptPDF},

		// Enablement of the operators of comuni and patronati (docs/API.md, back office).
		{"POST", "/enti/richieste", applicantSession, nil, s.createEnablement},
		{"GET", "/enti/richieste", sessionOnly, nil, s.myEnablements},

		// The Ministry's console.
		{"GET", "/admin/richieste", adminOnly, nil, s.adminEnablements},
		{"GET", "/admin/richieste/{id}", adminOnly, nil, s.adminEnablement},
		{"POST", "/admin/richieste/{id}/approva", adminOnly, nil, s.approva},
		{"POST", "/admin/richieste/{id}/respingi", adminOnly, nil, s.respingi},
		{"GET", "/admin/operatori", adminOnly, nil, s.adminOperatori},
		{"POST", "/admin/operatori/{userId}/revoca", adminOnly, nil, s.revoca},
		{"GET", "/admin/stats", adminOnly, nil, s.stats},
		{"GET", "/admin/audit", adminOnly, nil, s.auditLog},

		// The Sportello Unico: the applications of its province (the Ministry: of every one).
		{"GET", "/sportello/domande", backOffice, nil, s.domande},
		{"GET", "/sportello/domande/{protocol}", backOffice, nil, s.domanda},
		{"POST", "/sportello/domande/{protocol}/stato", sportelloOnly, nil, s.setStato},
		{"GET", "/sportello/export.csv", backOffice, nil, s.exportCSV},

		// Validation, for anyone.
		{"POST", "/validate", public, l.validateIP, s.validate},

		// Development mail (404 unless the server runs with -dev and no SMTP).
		{"GET", "/dev/mail", public, nil, s.devMailJSON},
	}
}

// compressible are the content types compressed on the fly (app.wasm is served precompressed
// when web/app.wasm.br or .gz exists, and compressed here otherwise).
var compressible = []string{
	"text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
	"application/json", "application/manifest+json", "image/svg+xml", "application/wasm", "text/csv",
}

// compressGets compresses the answers to GET and HEAD: pages, app.wasm and lists. The answers
// to POST are a few hundred bytes, where gzip costs more CPU than it saves (it was 15% of the
// server's CPU under load).
func compressGets() func(http.Handler) http.Handler {
	compress := middleware.Compress(5, compressible...)
	return func(next http.Handler) http.Handler {
		c := compress(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				c.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	if len(s.cfg.TrustedProxies) > 0 {
		r.Use(middleware.ClientIPFromXFF(s.cfg.TrustedProxies...))
	}
	r.Use(s.logRequests, middleware.Recoverer, securityHeaders, s.crossOrigin, compressGets())

	r.Get("/healthz", s.health)
	r.Get("/dev/mail", s.devMailPage)

	r.Route("/api/v1", func(r chi.Router) {
		r.Use(s.authenticate, s.bound)
		for _, rt := range s.table() {
			r.With(s.perIP(rt.limit), s.require(rt.access)).Method(rt.method, rt.path, rt.handler)
		}
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, core.Errorf(core.ENOTFOUND, "Indirizzo %s sconosciuto: le operazioni dell'API sono descritte in docs/API.md.", r.URL.Path))
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: errorJSON{Code: core.EINVALID,
				Message: "Metodo " + r.Method + " non previsto per " + r.URL.Path + "."}})
		})
	})

	// Everything else is the app: pages, /web/, the service worker, the manifest.
	r.Handle("/*", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.App.ServeHTTP(w, r) }))
	return r
}
