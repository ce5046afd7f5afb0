package session

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"nullaosta/app/client"
	"nullaosta/shared/places"
	"nullaosta/shared/wire"
)

// The logged-in person's profile (role, ente, pending enablement) decides the navigation, the
// notices and which consoles open. The device keeps it (settingProfile, written at login and
// import) so it is known offline; GET /me refreshes it when the connection is up.
type profileCache struct {
	mu      sync.Mutex
	user    string // whose profile this is
	p       *client.User
	fetched time.Time // last GET /me for user
}

var profiles = &profileCache{}

// profileRefreshEvery bounds how often the pages ask the server for the profile.
const profileRefreshEvery = time.Minute

func (c *profileCache) reset() {
	c.mu.Lock()
	c.user, c.p, c.fetched = "", nil, time.Time{}
	c.mu.Unlock()
}

// CachedProfile returns the profile of the logged-in user if already known, without I/O.
func CachedProfile() (client.User, bool) {
	user := CachedUser()
	profiles.mu.Lock()
	defer profiles.mu.Unlock()
	if user == "" || profiles.user != user || profiles.p == nil {
		return client.User{}, false
	}
	return *profiles.p, true
}

// SetProfile records u as the profile of user and tells the pages when it changed.
func SetProfile(user string, u client.User) {
	profiles.mu.Lock()
	changed := profiles.user != user || profiles.p == nil || !sameProfile(*profiles.p, u)
	profiles.user, profiles.p = user, &u
	profiles.mu.Unlock()
	if changed {
		Changes.Notify(TopicProfile)
	}
}

func sameProfile(a, b client.User) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// LoadProfile reads the logged-in user's profile from the device.
func LoadProfile(ctx context.Context) (client.User, bool) {
	user := CurrentUser(ctx)
	if user == "" {
		return client.User{}, false
	}
	if u, ok := CachedProfile(); ok {
		return u, true
	}
	s, err := Environment().Store.GetSetting(ctx, user, SettingProfile)
	if err != nil {
		return client.User{}, false
	}
	var u client.User
	if json.Unmarshal([]byte(s), &u) != nil || NormUser(u.Email) != user {
		return client.User{}, false
	}
	SetProfile(user, u)
	return u, true
}

// RefreshProfile asks the server who is logged in (GET /me, with the session cookie) and keeps
// the answer on the device. A session that belongs to someone else than the device's current
// user is not taken as theirs.
func RefreshProfile(ctx context.Context) (client.User, error) {
	api := Environment().API
	if api == nil {
		return client.User{}, ErrNoServer
	}
	user := CurrentUser(ctx)
	u, err := api.Me(ctx)
	NoteReachability(err)
	if err != nil {
		return u, err
	}
	if user != "" && NormUser(u.Email) == user {
		profiles.mu.Lock()
		profiles.fetched = Environment().Now()
		profiles.mu.Unlock()
		if b, err := json.Marshal(u); err == nil {
			_ = Environment().Store.PutSetting(ctx, user, SettingProfile, string(b))
		}
		SetProfile(user, u)
	}
	return u, nil
}

// MaybeRefreshProfile refreshes the profile when it is older than profileRefreshEvery.
func MaybeRefreshProfile(ctx context.Context) {
	user := CurrentUser(ctx)
	if user == "" || Environment().API == nil || !Device.IsOnline() {
		return
	}
	profiles.mu.Lock()
	fresh := profiles.user == user && Environment().Now().Sub(profiles.fetched) < profileRefreshEvery
	profiles.mu.Unlock()
	if !fresh {
		_, _ = RefreshProfile(ctx)
	}
}

// EnteName is an ente for people: "Comune di Cuneo (CN)".
func EnteName(e client.Ente) string {
	s := e.Nome
	if e.Provincia != "" {
		s += " (" + e.Provincia + ")"
	}
	if t := wire.EnteTipoLabel(e.Tipo); t != "" {
		s += " — " + t
	}
	return s
}

// PendingNoticeText is what a person named in a request not yet decided reads (seed 000, step
// 2: "non deve compilare ed inviare alcuna domanda sino a quando…").
const PendingNoticeText = "La tua abilitazione come operatore è in attesa: non compilare né inviare domande prima dell'abilitazione."

func ProvinceLabel(sigla string) string {
	if pr, ok := places.ProvinceBySigla(sigla); ok {
		return pr.Name
	}
	return sigla
}
