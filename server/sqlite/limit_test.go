package sqlite_test

import (
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
)

// TestLimitCounters: Hit counts in fixed windows and says when the count passes Max; Allowed
// reads without counting; a new window starts from zero.
func TestLimitCounters(t *testing.T) {
	db := openTest(t)
	now := t0
	db.Now = func() time.Time { return now }
	lim := core.Limit{Max: 3, Window: time.Minute}
	for i := 1; i <= 4; i++ {
		ok, err := db.Hit(ctx, "k", lim, 1)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("hit %d: %v %v", i, ok, err)
		}
	}
	if ok, err := db.Allowed(ctx, "k", lim); err != nil || ok {
		t.Fatalf("Allowed after 4 hits: %v %v", ok, err)
	}
	if ok, _ := db.Allowed(ctx, "other", lim); !ok {
		t.Fatal("another key is limited")
	}
	// Several at once.
	if ok, _ := db.Hit(ctx, "many", lim, 3); !ok {
		t.Fatal("3 of 3")
	}
	if ok, _ := db.Allowed(ctx, "many", lim); ok {
		t.Fatal("Allowed at the limit")
	}
	now = now.Add(2 * time.Minute)
	if ok, err := db.Allowed(ctx, "k", lim); err != nil || !ok {
		t.Fatalf("a new window: %v %v", ok, err)
	}
	for i := 1; i <= 3; i++ {
		if ok, err := db.Hit(ctx, "k", lim, 1); err != nil || !ok {
			t.Fatalf("hit %d of the new window: %v %v", i, ok, err)
		}
	}
}

// TestSetPasswordEndsResetLinks: a reset link asked for before a password change does not
// work after it.
func TestSetPasswordEndsResetLinks(t *testing.T) {
	db := openTest(t)
	_, h := auth.NewSecret()
	u := &core.User{Email: "r@example.it", Cognome: "R", Nome: "M", DataNascita: "1970-01-01", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u, core.OneTimeToken{Hash: h, Purpose: core.PurposeActivate, ExpiresAt: t0.Add(time.Hour)}, mailFor); err != nil {
		t.Fatal(err)
	}
	db.UseToken(ctx, core.PurposeActivate, h, "")
	_, reset := auth.NewSecret()
	if ok, err := db.CreateResetToken(ctx, u.Email, core.OneTimeToken{Hash: reset, Purpose: core.PurposeReset, ExpiresAt: t0.Add(time.Hour)}, mailFor); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := db.SetPassword(ctx, u.ID, "new", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseToken(ctx, core.PurposeReset, reset, "attacker"); core.ErrorCode(err) != core.EINVALID {
		t.Fatalf("reset link after a password change: %v", err)
	}
	if got, _ := db.UserByEmail(ctx, u.Email); got.PasswordHash != "new" {
		t.Fatalf("password %q", got.PasswordHash)
	}
}
