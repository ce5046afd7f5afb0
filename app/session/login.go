package session

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	goapp "github.com/maxence-charriere/go-app/v10/pkg/app"

	"nullaosta/app/client"
)

// ErrNoServer is what pages that need the server say when the app has none (pre-rendering).
var ErrNoServer = errors.New("Servizio non disponibile: il server non è configurato.")

// QueryParam reads a parameter of the page's URL.
func QueryParam(ctx goapp.Context, name string) string {
	return ctx.Page().URL().Query().Get(name)
}

// SafeNext keeps a "next" parameter only when it is a path of this app.
func SafeNext(next, fallback string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") {
		return next
	}
	return fallback
}

// RememberUser unlocks the person's data on the device with the password the server has just
// accepted (their data key, made at the first login here, is what lets them come back offline)
// and keeps their profile.
func RememberUser(ctx context.Context, user, password string, u *client.User) error {
	st := Environment().Store
	if err := OpenVault(ctx, user, password, true); err != nil {
		return err
	}
	if u != nil {
		b, _ := json.Marshal(u)
		if err := st.PutSetting(ctx, user, SettingProfile, string(b)); err != nil {
			return err
		}
		SetProfile(user, *u)
	}
	return nil
}

// LoginLink is where pages send a person who must log in first.
func LoginLink(next string) string { return "/accedi?next=" + url.QueryEscape(next) }

// NeedLogin reports whether err means the server wants a login.
func NeedLogin(err error) bool {
	return client.ErrorCode(err) == client.CodeUnauthorized
}
