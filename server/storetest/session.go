package storetest

import (
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
)

func testSessions(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "s@example.it")
	_, h := auth.NewSecret()
	if err := db.CreateSession(ctx, &core.Session{Hash: h, UserID: u.ID, ExpiresAt: T0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, s, err := db.SessionUser(ctx, h)
	if err != nil || got.ID != u.ID || s.UserID != u.ID || !s.CreatedAt.Equal(T0) || !s.ExpiresAt.Equal(T0.Add(time.Hour)) {
		t.Fatalf("SessionUser = %+v, %+v, %v", got, s, err)
	}
	// The whole account, password hash included: changing the password checks the old one
	// against the session's user.
	want, err := db.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	g, w := *got, *want
	sameCreated := g.CreatedAt.Equal(w.CreatedAt)
	g.CreatedAt, w.CreatedAt = time.Time{}, time.Time{}
	if !sameCreated || g.PasswordHash == "" || g != w {
		t.Fatalf("SessionUser = %+v, want %+v", *got, *want)
	}
	// Expired.
	su.setNow(T0.Add(2 * time.Hour))
	if _, _, err := db.SessionUser(ctx, h); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("expired session: %v", err)
	}
	su.setNow(T0)
	if err := db.DeleteSession(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionUser(ctx, h); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("deleted session: %v", err)
	}
}

func testTokens(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "t@example.it")
	other := NewUser(t, db, "o@example.it")
	_, h := auth.NewSecret()
	tok := &core.Token{Hash: h, UserID: u.ID, Label: "PC ufficio", ExpiresAt: T0.Add(24 * time.Hour)}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, gt, err := db.TokenUser(ctx, h)
	if err != nil || got.ID != u.ID || gt.LastUsedAt == nil {
		t.Fatalf("TokenUser = %+v, %+v, %v", got, gt, err)
	}
	ts, err := db.Tokens(ctx, u.ID)
	if err != nil || len(ts) != 1 || ts[0].Label != "PC ufficio" || ts[0].LastUsedAt == nil {
		t.Fatalf("Tokens = %+v, %v", ts, err)
	}
	if err := db.DeleteToken(ctx, other.ID, tok.ID); core.ErrorCode(err) != core.ENOTFOUND {
		t.Fatalf("someone else deleted the token: %v", err)
	}
	if err := db.DeleteToken(ctx, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, h); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
	// Expired.
	_, h2 := auth.NewSecret()
	if err := db.CreateToken(ctx, &core.Token{Hash: h2, UserID: u.ID, Label: "x", ExpiresAt: T0}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, h2); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
}
