package session

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
	"nullaosta/app/vault"
	"nullaosta/shared"
)

// Env is what the pages use outside themselves: the device's storage, the server's API and the
// send queue. The browser build fills it at start (Start); tests fill it with in-memory twins.
type Env struct {
	Store store.Store
	API   *client.Client // nil: no server (pre-rendering on the server, some tests)
	Queue *outbox.Queue  // nil: sending is not possible
	Now   func() time.Time
	// Keys holds the data keys of who is unlocked; Store encrypts with it (store.Encrypt).
	// nil: the store keeps records in clear (tests of the pages, pre-rendering).
	Keys *vault.Keyring
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
	resetIdle()
}

// Environment returns the current environment.
func Environment() Env {
	envMu.RLock()
	defer envMu.RUnlock()
	return curEnv
}

// Settings keys. Device-wide ones live under the user "".
const (
	settingCurrentUser = "currentUser" // device-wide: the e-mail of who is logged in here
	SettingToken       = "token"       // the user's import token (bearer)
	SettingCampaigns   = "campaigns"   // JSON []shared.Campaign saved at import
	SettingProfile     = "profile"     // JSON client.User
	SettingLastImport  = "lastImport"  // RFC 3339
	SettingVerifier    = "verifier"    // lets the person log in again on this device offline
)

// NormUser is how a user is keyed on the device: the e-mail, trimmed and lower-cased.
func NormUser(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

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

// CurrentUser returns the e-mail of who is logged in on this device ("" if nobody).
func CurrentUser(ctx context.Context) string {
	session.mu.Lock()
	defer session.mu.Unlock()
	if session.loaded {
		return session.user
	}
	u, err := Environment().Store.GetSetting(ctx, "", settingCurrentUser)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ""
	}
	session.user, session.loaded = u, true
	return u
}

// CachedUser returns the logged-in user if already known, without touching the store.
func CachedUser() string {
	session.mu.Lock()
	defer session.mu.Unlock()
	return session.user
}

// SetCurrentUser records who is logged in on this device ("" logs out).
func SetCurrentUser(ctx context.Context, email string) error {
	u := NormUser(email)
	st := Environment().Store
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
	// One person at a time: whoever else was unlocked on the device is locked, in the other
	// tabs too when the person changes (logout, another login).
	if keys := Environment().Keys; keys != nil {
		keys.ForgetExcept(u)
	}
	session.mu.Lock()
	if session.loaded && session.user != u {
		defer tellOtherTabs()
	}
	session.user, session.loaded = u, true
	session.mu.Unlock()
	Changes.Notify(TopicUser)
	return nil
}

// UserAPI returns the API client for user: with their import token when the device holds one
// (it works without the session cookie), otherwise the cookie session.
func UserAPI(ctx context.Context, user string) *client.Client {
	api := Environment().API
	if api == nil {
		return nil
	}
	if tok, err := Environment().Store.GetSetting(ctx, user, SettingToken); err == nil && tok != "" {
		return api.WithToken(tok)
	}
	return api
}

// CampaignFor returns the campaign a module is validated with: the one saved at import with the
// module's id, else the one of its kind, else the demo campaign of its kind.
func CampaignFor(ctx context.Context, user string, k shared.Kind, id string) shared.Campaign {
	var saved []shared.Campaign
	if s, err := Environment().Store.GetSetting(ctx, user, SettingCampaigns); err == nil {
		_ = json.Unmarshal([]byte(s), &saved)
	}
	return PickCampaign(saved, k, id, Environment().Now())
}

func PickCampaign(list []shared.Campaign, k shared.Kind, id string, now time.Time) shared.Campaign {
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

// Topic names a kind of change of the client's state, so that a page follows only what it
// shows: the receipts page fetches again when the queue settles, not when a notice is closed.
type Topic int

const (
	TopicUser    Topic = iota // who is logged in on the device
	TopicProfile              // the logged-in person's profile (role, ente, decisions)
	TopicDevice               // connection, reachability of the server, storage warning
	TopicQueue                // the send queue settled some modules (sent, rejected, retrying)
	numTopics
)

// hub tells the mounted pages that something they show has changed. Subscribers are called
// on any goroutine.
type hub struct {
	mu   sync.Mutex
	next int
	subs map[int]subscription
}

type subscription struct {
	topics [numTopics]bool
	f      func()
}

// Changes is the client's change notifier.
var Changes = &hub{}

// Subscribe calls f after every change of one of the topics, until cancel.
func (h *hub) Subscribe(f func(), topics ...Topic) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]subscription{}
	}
	var s subscription
	s.f = f
	for _, t := range topics {
		s.topics[t] = true
	}
	id := h.next
	h.next++
	h.subs[id] = s
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
	}
}

// Notify tells the subscribers of topic that it changed.
func (h *hub) Notify(topic Topic) {
	h.mu.Lock()
	subs := make([]func(), 0, len(h.subs))
	for _, s := range h.subs {
		if s.topics[topic] {
			subs = append(subs, s.f)
		}
	}
	h.mu.Unlock()
	for _, f := range subs {
		f()
	}
}

func JsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
