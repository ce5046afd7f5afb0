package storetest

import (
	"testing"
	"time"

	"nullaosta/server/auth"
	"nullaosta/server/core"
)

func mailFor(u *core.User) core.Mail {
	return core.Mail{To: u.Email, Subject: "Attiva", Body: "corpo", Link: "http://x/attiva?token=t"}
}

func testCreateUser(t *testing.T, su *suite) {
	db := su.open(t)
	_, h1 := auth.NewSecret()
	u := &core.User{Email: " Maria.Rossi@Example.it ", Cognome: "Rossi", Nome: "Maria", DataNascita: "1970-03-07", PasswordHash: "first"}
	if err := db.CreateUser(ctx, u, core.OneTimeToken{Hash: h1, Purpose: core.PurposeActivate, ExpiresAt: T0.Add(48 * time.Hour)}, mailFor); err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Email != "maria.rossi@example.it" || u.Role != core.RolePrivato || u.Active {
		t.Fatalf("created %+v", u)
	}
	// Registering again before activating replaces the registration: the new names and
	// password, a new link, and the old link dead.
	_, h2 := auth.NewSecret()
	again := &core.User{Email: "maria.rossi@example.it", Cognome: "Altro", Nome: "Nome", DataNascita: "1980-01-01", PasswordHash: "second"}
	if err := db.CreateUser(ctx, again, core.OneTimeToken{Hash: h2, Purpose: core.PurposeActivate, ExpiresAt: T0.Add(48 * time.Hour)}, mailFor); err != nil {
		t.Fatal(err)
	}
	if again.ID != u.ID || again.PasswordHash != "second" || again.Cognome != "Altro" || again.Active {
		t.Fatalf("re-registration: %+v", again)
	}
	ms, err := db.MailTo(ctx, "MARIA.ROSSI@example.it", 10)
	if err != nil || len(ms) != 2 {
		t.Fatalf("MailTo = %d mails, %v; want 2", len(ms), err)
	}
	if _, err := db.OneTimeTokenUser(ctx, core.PurposeActivate, h1); core.ErrorCode(err) != core.EINVALID {
		t.Fatalf("the first link after a new registration: %v", err)
	}
	if _, err := db.UseToken(ctx, core.PurposeActivate, h1, ""); core.ErrorCode(err) != core.EINVALID {
		t.Fatalf("the first link activated: %v", err)
	}
	if got, err := db.OneTimeTokenUser(ctx, core.PurposeActivate, h2); err != nil || got.PasswordHash != "second" {
		t.Fatalf("the new link's account: %+v, %v", got, err)
	}
	if _, err := db.UseToken(ctx, core.PurposeActivate, h2, ""); err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByEmail(ctx, "maria.rossi@example.it")
	if err != nil || !got.Active || got.PasswordHash != "second" {
		t.Fatalf("after activation %+v, %v", got, err)
	}
	// The same link again: still fine (the account is active).
	if _, err := db.UseToken(ctx, core.PurposeActivate, h2, ""); err != nil {
		t.Fatalf("second use of the activation link: %v", err)
	}
	// Registering an active account changes nothing and stores no token; the owner is
	// mailed.
	_, h3 := auth.NewSecret()
	taken := &core.User{Email: "maria.rossi@example.it", PasswordHash: "x"}
	if err := db.CreateUser(ctx, taken, core.OneTimeToken{Hash: h3, Purpose: core.PurposeActivate, ExpiresAt: T0.Add(time.Hour)}, mailFor); err != nil {
		t.Fatalf("registration of a taken address: %v", err)
	}
	if got, _ := db.UserByEmail(ctx, "maria.rossi@example.it"); got.PasswordHash != "second" || !taken.Active || taken.ID != u.ID {
		t.Fatalf("taken address: %+v, stored %+v", taken, got)
	}
	if _, err := db.OneTimeTokenUser(ctx, core.PurposeActivate, h3); core.ErrorCode(err) != core.EINVALID {
		t.Fatalf("a token stored for a taken address: %v", err)
	}
	if ms, _ := db.MailTo(ctx, "maria.rossi@example.it", 10); len(ms) != 3 {
		t.Fatalf("%d mails", len(ms))
	}
}

func testUseTokenRefusals(t *testing.T, su *suite) {
	db := su.open(t)
	_, expired := auth.NewSecret()
	u := &core.User{Email: "a@example.it", Cognome: "A", Nome: "B", DataNascita: "1970-01-01", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u, core.OneTimeToken{Hash: expired, Purpose: core.PurposeActivate, ExpiresAt: T0}, mailFor); err != nil {
		t.Fatal(err)
	}
	_, unknown := auth.NewSecret()
	for name, tc := range map[string]struct {
		purpose string
		hash    []byte
	}{
		"expired":       {core.PurposeActivate, expired},
		"unknown":       {core.PurposeActivate, unknown},
		"wrong purpose": {core.PurposeReset, expired},
	} {
		if _, err := db.UseToken(ctx, tc.purpose, tc.hash, "h"); core.ErrorCode(err) != core.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}

func testResetRevokesEverything(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "reset@example.it")
	_, sess := auth.NewSecret()
	if err := db.CreateSession(ctx, &core.Session{Hash: sess, UserID: u.ID, ExpiresAt: T0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, tok := auth.NewSecret()
	if err := db.CreateToken(ctx, &core.Token{Hash: tok, UserID: u.ID, Label: "pc", ExpiresAt: T0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ok, err := db.CreateResetToken(ctx, "nobody@example.it", core.OneTimeToken{}, mailFor)
	if ok || err != nil {
		t.Fatalf("reset for an unknown e-mail: %v, %v", ok, err)
	}
	_, reset := auth.NewSecret()
	ok, err = db.CreateResetToken(ctx, "RESET@example.it", core.OneTimeToken{Hash: reset, Purpose: core.PurposeReset, ExpiresAt: T0.Add(time.Hour)}, mailFor)
	if !ok || err != nil {
		t.Fatalf("CreateResetToken = %v, %v", ok, err)
	}
	// Checking the link (when its page opens) does not use it.
	for range 2 {
		if _, err := db.OneTimeTokenUser(ctx, core.PurposeReset, reset); err != nil {
			t.Fatalf("OneTimeTokenUser of a fresh reset link: %v", err)
		}
	}
	if _, err := db.UseToken(ctx, core.PurposeReset, reset, "newhash"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OneTimeTokenUser(ctx, core.PurposeReset, reset); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("OneTimeTokenUser of a used reset link: %v, want invalid", err)
	}
	got, _ := db.UserByID(ctx, u.ID)
	if got.PasswordHash != "newhash" {
		t.Errorf("password hash = %q", got.PasswordHash)
	}
	if _, _, err := db.SessionUser(ctx, sess); core.ErrorCode(err) != core.ENOTFOUND {
		t.Errorf("session survived the reset: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, tok); core.ErrorCode(err) != core.EUNAUTHORIZED {
		t.Errorf("import token survived the reset: %v", err)
	}
	if _, err := db.UseToken(ctx, core.PurposeReset, reset, "again"); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("reset link used twice: %v", err)
	}
}

func testSetPasswordKeepsCurrentSession(t *testing.T, su *suite) {
	db := su.open(t)
	u := NewUser(t, db, "pw@example.it")
	_, keep := auth.NewSecret()
	_, other := auth.NewSecret()
	for _, h := range [][]byte{keep, other} {
		if err := db.CreateSession(ctx, &core.Session{Hash: h, UserID: u.ID, ExpiresAt: T0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetPassword(ctx, u.ID, "nuovo", keep); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionUser(ctx, keep); err != nil {
		t.Errorf("current session ended: %v", err)
	}
	if _, _, err := db.SessionUser(ctx, other); err == nil {
		t.Error("other session survived the password change")
	}
}

func testSetRole(t *testing.T, su *suite) {
	db := su.open(t)
	NewUser(t, db, "op@example.it")
	if err := db.SetRole(ctx, "op@example.it", core.RoleOperatore, ""); err != nil {
		t.Fatal(err)
	}
	u, _ := db.UserByEmail(ctx, "op@example.it")
	if u.Role != core.RoleOperatore {
		t.Fatalf("role = %s", u.Role)
	}
	if err := db.SetRole(ctx, "op@example.it", "capo", ""); core.ErrorCode(err) != core.EINVALID {
		t.Errorf("unknown role: %v", err)
	}
	if err := db.SetRole(ctx, "none@example.it", core.RoleAdmin, ""); core.ErrorCode(err) != core.ENOTFOUND {
		t.Errorf("unknown user: %v", err)
	}
}
