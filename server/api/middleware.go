package api

import (
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"nullaosta/server/auth"
	"nullaosta/server/core"
	"nullaosta/shared"
)

// contentSecurityPolicy allows only what the app needs:
//   - scripts from this origin only (go-app's page loads /wasm_exec.js and /app.js; it has no
//     inline script), plus 'wasm-unsafe-eval' to compile app.wasm;
//   - styles from this origin; style attributes inline ('unsafe-inline' for style-src-attr
//     only), because go-app sets element styles with setAttribute("style") when a component
//     uses Style(); <style> elements and inline scripts stay forbidden;
//   - images and fonts from this origin and data: URLs (Bootstrap Italia's CSS embeds SVG
//     icons and a font as data: URLs); fetches, the manifest and the service worker from this
//     origin only;
//   - no plugins, no <base> changes, forms post only here, and no framing (clickjacking).
const contentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; style-src-attr 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaderValues are the headers every answer carries, keys canonical and each value a
// slice made once: Header.Set made six slices and canonicalised six keys per answer, 1% of the
// server's CPU on click day. The slices are shared by every answer and never written to: a
// handler that sets one of these headers again replaces the slice (Header.Set), and one that
// adds a value appends to a full slice, which copies it (TestSecurityHeadersShared).
var securityHeaderValues = [...]struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	// The camera for this origin only: «Verifica ricevuta» reads a receipt's QR code with it.
	{"Permissions-Policy", []string{"camera=(self), microphone=(), geolocation=(), payment=()"}},
}

// strictTransportSecurity is the header of the answers over TLS.
var strictTransportSecurity = []string{"max-age=31536000"}

// securityHeaders sets the headers every answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, v := range securityHeaderValues {
			h[v.key] = v.value
		}
		if r.TLS != nil {
			h["Strict-Transport-Security"] = strictTransportSecurity
		}
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		st := ww.Status()
		if st == 0 {
			st = http.StatusOK
		}
		level := slog.LevelDebug
		switch {
		case st >= 500:
			level = slog.LevelError
		case strings.HasPrefix(r.URL.Path, "/api/"):
			level = slog.LevelInfo
		}
		ctx := r.Context()
		if !s.Logger.Enabled(ctx, level) {
			return
		}
		// The record is made here rather than by Logger.LogAttrs, which looks up its caller's
		// program counter (runtime.Callers) for every line, a few microseconds per request
		// on click day, for a source that no handler of the server writes (none has
		// AddSource, and this line's source would always be this function). Typed
		// attributes: the same line as key-value pairs, without boxing each value in an
		// interface and converting it back (BenchmarkLogRequests).
		end := time.Now()
		rec := slog.NewRecord(end, level, "richiesta", 0)
		rec.AddAttrs(slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", st), slog.Int("bytes", ww.BytesWritten()), slog.Float64("ms", float64(end.Sub(start).Microseconds())/1000),
			slog.String("ip", clientIP(r)))
		s.Logger.Handler().Handle(ctx, rec)
	})
}

// crossOrigin rejects state-changing requests a browser makes from another origin (Go's
// CSRF protection, by Sec-Fetch-Site and Origin). Requests without those headers, such as the
// compiler's bearer-token calls outside a browser, are not cross-origin and pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if s.cfg.BaseURL != "" {
		cop.AddTrustedOrigin(strings.TrimRight(s.cfg.BaseURL, "/"))
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, core.Errorf(core.EFORBIDDEN, "Richiesta rifiutata: proviene da un altro sito. Apri Nullaosta dal suo indirizzo e riprova."))
	}))
	return cop.Handler(next)
}

// Cookie and token.
const (
	sessionCookie  = "nullaosta_session"
	sessionTTL     = 30 * 24 * time.Hour // the compiler works offline for days: keep people in
	tokenTTL       = 30 * 24 * time.Hour
	tokenPrefix    = "nlo_" // recognisable by secret scanners
	activationTTL  = 48 * time.Hour
	resetTTL       = time.Hour
	maxTokensShown = 100
)

// authenticate finds who is calling: a bearer import token, else the session cookie. A bad
// credential makes the request anonymous; requireUser then answers 401 with the reason.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &principal{}
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, tok, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(strings.TrimSpace(tok), tokenPrefix) {
				p.Err = core.Errorf(core.EUNAUTHORIZED, "Intestazione Authorization non valida: usa «Bearer %s…» con il token di importazione.", tokenPrefix)
			} else if u, t, err := s.Store.TokenUser(r.Context(), auth.HashSecret(strings.TrimSpace(tok))); err != nil {
				p.Err = err
			} else {
				p.User, p.Via, p.Token = u, "token", t
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			hash := auth.HashSecret(c.Value)
			if u, _, err := s.Store.SessionUser(r.Context(), hash); err == nil {
				p.User, p.Via, p.Session = u, "session", hash
			} else if core.ErrorCode(err) == core.ENOTFOUND {
				p.Err = core.Errorf(core.EUNAUTHORIZED, "La sessione è scaduta: accedi di nuovo.")
			} else {
				p.Err = err
			}
		}
		if p.User != nil && !p.User.Active {
			p.User = nil
			p.Err = core.Errorf(core.EUNAUTHORIZED, "L'account non è attivo.")
		}
		next.ServeHTTP(w, r.WithContext(withPrincipal(r.Context(), p)))
	})
}

// access says who may call a route.
type access int

const (
	public           access = iota // anyone
	user                           // logged in (session cookie or import token), any role
	sessionOnly                    // logged in with the session cookie, any role
	applicant                      // privato or operatore, cookie or token
	applicantSession               // privato or operatore, session cookie only
	adminOnly                      // admin (the Ministry), session cookie only
	backOffice                     // admin or sportello, session cookie only
	sportelloOnly                  // sportello, session cookie only
)

// sessionAccess are the levels that refuse import tokens.
func (a access) sessionAccess() bool {
	return a == sessionOnly || a == applicantSession || a == adminOnly || a == backOffice || a == sportelloOnly
}

// require enforces an access level.
func (s *Server) require(a access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if a == public {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := principalOf(r)
			if p.User == nil {
				if p.Err != nil && core.ErrorCode(p.Err) == core.EINTERNAL {
					s.writeError(w, r, p.Err)
					return
				}
				if p.Err != nil {
					s.writeError(w, r, &core.Error{Code: core.EUNAUTHORIZED, Message: core.ErrorMessage(p.Err)})
					return
				}
				s.writeError(w, r, core.Errorf(core.EUNAUTHORIZED, "Devi accedere con e-mail e password per questa operazione."))
				return
			}
			if a.sessionAccess() && p.Via != "session" {
				s.writeError(w, r, core.Errorf(core.EFORBIDDEN, "Il token di importazione serve solo a importare i moduli, inviarli e leggere le ricevute: per questa operazione accedi dal sito con e-mail e password."))
				return
			}
			if (a == applicant || a == applicantSession) && !p.User.Role.Applicant() {
				s.writeError(w, r, core.Errorf(core.EFORBIDDEN, "Il tuo profilo (%s) non genera né invia moduli: questa operazione è per utenti privati e operatori abilitati.", p.User.Role))
				return
			}
			role := p.User.Role
			if (a == adminOnly && role != core.RoleAdmin) ||
				(a == backOffice && role != core.RoleAdmin && role != core.RoleSportello) ||
				(a == sportelloOnly && role != core.RoleSportello) {
				s.writeError(w, r, core.Errorf(core.EFORBIDDEN, "Questa operazione è riservata %s: il tuo profilo (%s) non può eseguirla.", reservedTo(a), role))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func reservedTo(a access) string {
	switch a {
	case adminOnly:
		return "al Ministero"
	case sportelloOnly:
		return "agli Sportelli Unici"
	}
	return "al Ministero e agli Sportelli Unici"
}

// clientIP is the address rate limits count by: the one the trusted proxy reports, if any,
// else the peer's.
func clientIP(r *http.Request) string {
	if ip := middleware.GetClientIP(r.Context()); ip != "" {
		return httprate.CanonicalizeIP(ip)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return httprate.CanonicalizeIP(host)
}

// limits are the per-address rate limiters of the anonymous routes, middleware on the route.
// With SQLite one process serves, and they are kept in its memory, bounded (httprate holds one
// entry per address, IPv6 by /64, for the current and the previous window only), off the
// single writer's path. With Config.SharedAddressLimits (PostgreSQL, where several instances
// may serve behind one proxy) they are counters in the database like every limit on an
// account or an e-mail address (core.LimitService), so that N instances do not give one
// address N budgets.
type limits struct {
	off bool

	loginIP    *addrLimit
	registerIP *addrLimit
	resetIP    *addrLimit
	linkIP     *addrLimit // activation and reset confirmation
	tokensIP   *addrLimit
	validateIP *addrLimit
}

// addrLimit is one per-address budget, named for its counters in the database.
type addrLimit struct {
	name string
	lim  core.Limit
	mem  *httprate.RateLimiter
}

func newLimits(off bool) limits {
	byIP := httprate.WithKeyFuncs(func(r *http.Request) (string, error) { return clientIP(r), nil })
	n := func(name string, max int, window time.Duration) *addrLimit {
		return &addrLimit{name: name, lim: core.Limit{Max: max, Window: window}, mem: httprate.NewRateLimiter(max, window, byIP)}
	}
	return limits{
		off:        off,
		loginIP:    n("login", 30, time.Minute),
		registerIP: n("register", 20, time.Hour),
		resetIP:    n("reset", 10, time.Hour),
		linkIP:     n("link", 30, time.Minute),
		tokensIP:   n("tokens", 30, time.Minute),
		validateIP: n("validate", 120, time.Minute),
	}
}

// addrKey is the database counter of limit l for the request's address.
func addrKey(l *addrLimit, r *http.Request) string { return "addr:" + l.name + ":" + clientIP(r) }

// perIP is the middleware of a per-address limiter (nil: none).
func (s *Server) perIP(l *addrLimit) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if l == nil || s.limits.off {
			return next
		}
		if s.cfg.SharedAddressLimits {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if s.overLimit(w, r, addrKey(l, r), l.lim) {
					return
				}
				next.ServeHTTP(w, r)
			})
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if l.mem.OnLimit(w, r, clientIP(r)) {
				s.writeError(w, r, tooMany(w))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// overLimit counts one attempt against key (an e-mail address or an account) in the
// database and answers 429 if it is one too many; the handler then stops.
func (s *Server) overLimit(w http.ResponseWriter, r *http.Request, key string, lim core.Limit) bool {
	if s.limits.off || strings.HasSuffix(key, ":") { // no address: the per-address limit applies alone
		return false
	}
	left, err := s.Store.Hit(r.Context(), key, lim, 1)
	if err != nil {
		s.writeError(w, r, err)
		return true
	}
	if left < 0 {
		s.setRetryAfter(w, lim)
		s.writeError(w, r, tooMany(w))
		return true
	}
	return false
}

// setRetryAfter says in Retry-After when the current window of lim ends: a count in the
// database starts again then.
func (s *Server) setRetryAfter(w http.ResponseWriter, lim core.Limit) {
	now := s.now()
	end := time.Unix(lim.WindowStart(now), 0).Add(lim.Window)
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(end.Sub(now).Seconds()+0.5))))
}

// tooMany is the refusal of an attempt over a limit, saying when to try again: the limiter
// (or setRetryAfter) has just set Retry-After on w.
func tooMany(w http.ResponseWriter) error {
	return core.Errorf(core.ERATELIMITED, "Troppi tentativi in poco tempo: riprova tra %s.", retryIn(w.Header().Get("Retry-After")))
}

// retryIn writes a Retry-After of seconds for people: «12 minuti», «1 minuto», «30 secondi».
func retryIn(retryAfter string) string {
	secs, err := strconv.Atoi(retryAfter)
	switch {
	case err != nil || secs <= 0:
		return "qualche minuto"
	case secs < 60:
		return shared.Plural(secs, "secondo", "secondi")
	}
	return shared.Plural((secs+59)/60, "minuto", "minuti")
}

// lastAttempts is how many attempts left make a refused login say how many remain.
const lastAttempts = 3

// warnAttempts adds to a refused password how many attempts are left before the lock, when few
// are; wait is how long the lock would last (until its window ends).
func warnAttempts(err error, left int, wait time.Duration) error {
	if left > lastAttempts || left < 0 {
		return err
	}
	in := retryIn(strconv.Itoa(int(wait.Seconds() + 0.5)))
	msg := core.ErrorMessage(err) + " Attenzione: "
	switch left {
	case 0:
		msg += "era l'ultimo tentativo; ora l'accesso con questa e-mail è bloccato e potrai riprovare tra " + in + "."
	case 1:
		msg += "ti resta 1 tentativo, poi l'accesso con questa e-mail sarà bloccato per " + in + "."
	default:
		msg += "ti restano " + strconv.Itoa(left) + " tentativi, poi l'accesso con questa e-mail sarà bloccato per " + in + "."
	}
	return core.Errorf(core.ErrorCode(err), "%s", msg)
}

// uniformAnswer is how long the answers that must not tell whether an account exists
// (registration, password reset) take at least: longer than either path's work, so both take
// the same time.
const uniformAnswer = 250 * time.Millisecond

// uniformTime waits until uniformAnswer has passed since start. Deferred at the start of a
// handler, it runs after the answer is written and before the handler returns, which is when
// the answer reaches the client.
func (s *Server) uniformTime(start time.Time) {
	if d := s.uniform - time.Since(start); d > 0 {
		time.Sleep(d)
	}
}
