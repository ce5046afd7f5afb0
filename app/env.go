package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"nullaosta/app/client"
	"nullaosta/app/outbox"
	"nullaosta/app/store"
	"nullaosta/shared"
)

// Env is what the pages use outside themselves: the device's storage, the server's API and the
// send queue. The browser build fills it at start (Start); tests fill it with in-memory twins.
type Env struct {
	Store store.Store
	API   *client.Client // nil: no server (pre-rendering on the server, some tests)
	Queue *outbox.Queue  // nil: sending is not possible
	Now   func() time.Time
}

var (
	envMu  sync.RWMutex
	curEnv = Env{Store: store.NewMemory(), Now: time.Now}
)

// Use sets the environment the pages work with.
func Use(e Env) {
	if e.Store == nil {
		e.Store = store.NewMemory()
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	envMu.Lock()
	curEnv = e
	envMu.Unlock()
	session.reset()
	profiles.reset()
}

// env returns the current environment.
func env() Env {
	envMu.RLock()
	defer envMu.RUnlock()
	return curEnv
}

// Settings keys. Device-wide ones live under the user "".
const (
	settingCurrentUser = "currentUser" // device-wide: the e-mail of who is logged in here
	settingToken       = "token"       // the user's import token (bearer)
	settingCampaigns   = "campaigns"   // JSON []shared.Campaign saved at import
	settingProfile     = "profile"     // JSON client.User
	settingLastImport  = "lastImport"  // RFC 3339
	settingVerifier    = "verifier"    // lets the person log in again on this device offline
)

// normUser is how a user is keyed on the device: the e-mail, trimmed and lower-cased.
func normUser(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// session caches who is logged in on this device; the store holds the truth.
var session = &sessionCache{}

type sessionCache struct {
	mu     sync.Mutex
	loaded bool
	user   string
}

func (s *sessionCache) reset() {
	s.mu.Lock()
	s.loaded, s.user = false, ""
	s.mu.Unlock()
}

// currentUser returns the e-mail of who is logged in on this device ("" if nobody).
func currentUser(ctx context.Context) string {
	session.mu.Lock()
	defer session.mu.Unlock()
	if session.loaded {
		return session.user
	}
	u, err := env().Store.GetSetting(ctx, "", settingCurrentUser)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ""
	}
	session.user, session.loaded = u, true
	return u
}

// cachedUser returns the logged-in user if already known, without touching the store.
func cachedUser() string {
	session.mu.Lock()
	defer session.mu.Unlock()
	return session.user
}

// setCurrentUser records who is logged in on this device ("" logs out).
func setCurrentUser(ctx context.Context, email string) error {
	u := normUser(email)
	st := env().Store
	var err error
	if u == "" {
		err = st.DeleteSetting(ctx, "", settingCurrentUser)
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	} else {
		err = st.PutSetting(ctx, "", settingCurrentUser, u)
	}
	if err != nil {
		return err
	}
	session.mu.Lock()
	session.user, session.loaded = u, true
	session.mu.Unlock()
	changes.notify()
	return nil
}

// userAPI returns the API client for user: with their import token when the device holds one
// (it works without the session cookie), otherwise the cookie session.
func userAPI(ctx context.Context, user string) *client.Client {
	api := env().API
	if api == nil {
		return nil
	}
	if tok, err := env().Store.GetSetting(ctx, user, settingToken); err == nil && tok != "" {
		return api.WithToken(tok)
	}
	return api
}

// campaignFor returns the campaign a module is validated with: the one saved at import with the
// module's id, else the one of its kind, else the demo campaign of its kind.
func campaignFor(ctx context.Context, user string, k shared.Kind, id string) shared.Campaign {
	var saved []shared.Campaign
	if s, err := env().Store.GetSetting(ctx, user, settingCampaigns); err == nil {
		_ = json.Unmarshal([]byte(s), &saved)
	}
	return pickCampaign(saved, k, id, env().Now())
}

func pickCampaign(list []shared.Campaign, k shared.Kind, id string, now time.Time) shared.Campaign {
	for _, c := range list {
		if id != "" && c.ID == id {
			return c
		}
	}
	for _, c := range list {
		if c.Kind == k {
			return c
		}
	}
	if c, ok := shared.CampaignByID(id); ok {
		return c
	}
	return shared.DemoCampaign(k, now)
}

// hub tells the mounted pages that something they show has changed (the send queue flushed, the
// user changed, the connection came back). Subscribers are called on any goroutine.
type hub struct {
	mu   sync.Mutex
	next int
	subs map[int]func()
}

var changes = &hub{}

func (h *hub) subscribe(f func()) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]func(){}
	}
	id := h.next
	h.next++
	h.subs[id] = f
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
	}
}

func (h *hub) notify() {
	h.mu.Lock()
	subs := make([]func(), 0, len(h.subs))
	for _, f := range h.subs {
		subs = append(subs, f)
	}
	h.mu.Unlock()
	for _, f := range subs {
		f()
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
