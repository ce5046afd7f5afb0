// Package api is the HTTP API under /api/v1 (docs/API.md): one route table, handlers that
// decode, validate, store and respond, and the only place where error codes become HTTP
// statuses.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
	"nullaosta/shared"
)

// Store is everything the API needs from storage.
type Store interface {
	core.UserService
	core.SessionService
	core.ModuleService
	core.SubmissionService
	core.MailService
	core.EnablementService
	core.DomandaService
	core.StatsService
	core.AuditService
	core.LimitService
}

// Config is how the server was started.
type Config struct {
	// Campaigns are the campaigns this server runs, one per kind.
	Campaigns []shared.Campaign
	// BaseURL is the public address, used in e-mail links ("https://nullaosta.example").
	// Required: New panics without it.
	BaseURL string
	// DevMail serves the outbox at /dev/mail and /api/v1/dev/mail (only without SMTP).
	DevMail bool
	// Bench turns off rate limits and the private user's module limit, for the load generator.
	// Never set it on a server people use.
	Bench bool
	// SharedAddressLimits keeps the per-address rate limits of the anonymous routes in the
	// database, shared by every instance on it (set with PostgreSQL). Without it they are in
	// this process's memory: right for SQLite, where one process serves and every database
	// write goes through one writer.
	SharedAddressLimits bool
	// TrustedProxies are CIDR prefixes of reverse proxies whose X-Forwarded-For is believed
	// when rate limiting by client address.
	TrustedProxies []string
	// RefdataVersion is the version of the reference data (shared/places).
	RefdataVersion string
	// Version is the build's version (the web app's version).
	Version string
}

// Server handles HTTP requests.
type Server struct {
	Store  Store
	Signer *receipt.Signer
	Logger *slog.Logger
	// Now is the clock; tests fix it.
	Now func() time.Time
	// WakeMail is called after an e-mail is queued.
	WakeMail func()
	// App serves everything that is not the API: go-app's pages, /web/ and the worker.
	App http.Handler

	cfg       Config
	campaigns map[string]*shared.Campaign // by id
	byKind    map[shared.Kind]*shared.Campaign
	limits    limits
	bounds    *bounds
	cpu       chan struct{} // turns at the CPU-bound part of a submission (takeCPU)
	uniform   time.Duration // see uniformAnswer
	handler   http.Handler
}

// New returns a server over store. Set App before serving pages.
func New(store Store, signer *receipt.Signer, cfg Config) *Server {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		panic("api: Config.BaseURL is required: e-mail links are never built from the request")
	}
	s := &Server{
		Store:     store,
		Signer:    signer,
		Logger:    slog.Default(),
		Now:       time.Now,
		WakeMail:  func() {},
		App:       http.NotFoundHandler(),
		cfg:       cfg,
		campaigns: map[string]*shared.Campaign{},
		byKind:    map[shared.Kind]*shared.Campaign{},
	}
	for i := range cfg.Campaigns {
		c := &cfg.Campaigns[i]
		s.campaigns[c.ID] = c
		s.byKind[c.Kind] = c
	}
	s.limits = newLimits(cfg.Bench)
	s.bounds = newBounds(!cfg.Bench)
	s.cpu = make(chan struct{}, cpuTurns())
	s.uniform = uniformAnswer
	s.handler = s.routes()
	return s
}

// cpuTurns is how many submissions decode and validate at once: a few per core. On click
// day hundreds arrive together; were they all runnable, the one goroutine that commits (the
// store's writer, which every submission waits for) would queue behind them for the CPU after
// each of its SQLite calls, and the whole server would go at the pace of that queue. With a
// few turns, the others wait, not runnable, in a channel.
func cpuTurns() int { return 2 * runtime.GOMAXPROCS(0) }

// takeCPU waits for a turn at the CPU-bound part of a request; false if the client went away
// (nothing more to answer).
func (s *Server) takeCPU(r *http.Request) bool {
	select {
	case s.cpu <- struct{}{}:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) releaseCPU() { <-s.cpu }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) now() time.Time { return s.Now().UTC() }

// today is the civil day in Italy, the day every rule is judged on.
func (s *Server) today() time.Time { return shared.RomeDay(s.now()) }

func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

// baseURL is the configured public address, the only origin of the links in e-mails: never
// the request's Host, which whoever sends the request chooses.
func (s *Server) baseURL() string { return s.cfg.BaseURL }

// principal is who made the request.
type principal struct {
	User    *core.User
	Via     string // "session" or "token"
	Session []byte // hash of the session cookie
	Token   *core.Token
	Err     error // why a presented credential was refused
}

type ctxKey struct{}

func withPrincipal(ctx context.Context, p *principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

func principalOf(r *http.Request) *principal {
	if p, ok := r.Context().Value(ctxKey{}).(*principal); ok {
		return p
	}
	return &principal{}
}

// userOf returns the authenticated user; routes guarantee it is there.
func userOf(r *http.Request) *core.User { return principalOf(r).User }
