package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"nullaosta/app/store"
	"nullaosta/app/vault"
	"nullaosta/shared"
)

// clock is a settable clock for the idle time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// useVault gives the test a device whose store encrypts, as the browser's does.
func useVault(t *testing.T) (store.Store, *clock) {
	t.Helper()
	keys := vault.NewKeyring()
	st, err := store.Encrypt(store.NewMemory(), keys)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	Use(Env{Store: st, Keys: keys, Now: c.now})
	t.Cleanup(func() { Use(Env{}) })
	return st, c
}

const (
	anna     = "anna@example.it"
	bruno    = "bruno@example.it"
	surname  = "Okonkwo-Adebayo"
	passport = "YB4471902"
)

func putSecret(t *testing.T, st store.Store, user, id string) {
	t.Helper()
	d := store.Draft{User: user, ModuleID: id, Kind: shared.KindEM, Status: store.StatusDraft,
		Data: shared.Data{"lavoratore.cognome": surname, "lavoratore.passaporto.numero": passport}}
	if err := st.PutDraft(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func noPlaintext(t *testing.T, st store.Store, user string) {
	t.Helper()
	raw, err := store.Raw(context.Background(), st, user)
	mustOK(t, err)
	for _, v := range raw {
		if strings.Contains(v, surname) || strings.Contains(v, passport) {
			t.Errorf("the device keeps the worker's data in clear: %.200s", v)
		}
	}
}

// TestVaultPasswordLifecycle: first login makes the key; locked, nothing reads; the offline
// login opens with the right password only; a password change rewraps; after a reset the
// server's new password does not open the device, the previous one recovers everything.
func TestVaultPasswordLifecycle(t *testing.T) {
	ctx := context.Background()
	st, _ := useVault(t)
	mustOK(t, OpenVault(ctx, anna, "prima password lunga", true))
	mustOK(t, SetCurrentUser(ctx, anna))
	putSecret(t, st, anna, "EM-1")
	noPlaintext(t, st, anna)

	Lock()
	if !Locked() {
		t.Fatal("not locked after Lock")
	}
	if _, err := st.GetDraft(ctx, anna, "EM-1"); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("GetDraft while locked: %v", err)
	}
	if err := OpenVault(ctx, anna, "password sbagliata", false); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("offline unlock with a wrong password: %v", err)
	}
	if !Locked() {
		t.Fatal("a wrong password unlocked")
	}
	mustOK(t, OpenVault(ctx, anna, "prima password lunga", false))
	if Locked() {
		t.Fatal("still locked after the right password")
	}
	if _, err := st.GetDraft(ctx, anna, "EM-1"); err != nil {
		t.Fatalf("GetDraft after unlocking: %v", err)
	}

	mustOK(t, ChangeVaultPassword(ctx, anna, "prima password lunga", "seconda password lunga"))
	Lock()
	if err := OpenVault(ctx, anna, "prima password lunga", false); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("the password before the change still opens: %v", err)
	}

	// A reset on the server: it accepts a third password that the device never saw.
	if err := OpenVault(ctx, anna, "terza password lunga", true); !errors.Is(err, ErrPreviousPassword) {
		t.Fatalf("login after a reset: %v, want ErrPreviousPassword", err)
	}
	if err := RecoverVault(ctx, anna, "non è questa", "terza password lunga"); err == nil || Locked() == false {
		t.Fatalf("recovering with a wrong previous password: %v (locked %v)", err, Locked())
	}
	mustOK(t, RecoverVault(ctx, anna, "seconda password lunga", "terza password lunga"))
	d, err := st.GetDraft(ctx, anna, "EM-1")
	mustOK(t, err)
	if d.Data["lavoratore.cognome"] != surname {
		t.Errorf("recovered draft: %v", d.Data)
	}
	Lock()
	mustOK(t, OpenVault(ctx, anna, "terza password lunga", false)) // the new one now opens offline
}

// TestVaultStartOver: who does not remember the previous password is told what is lost, and
// continuing deletes it and starts a new key; another person's data is untouched.
func TestVaultStartOver(t *testing.T) {
	ctx := context.Background()
	st, _ := useVault(t)
	mustOK(t, OpenVault(ctx, anna, "prima password lunga", true))
	putSecret(t, st, anna, "EM-1")
	mustOK(t, st.PutOutbox(ctx, store.OutboxItem{User: anna, SubmissionID: "s1", ModuleID: "EM-1"}))
	mustOK(t, OpenVault(ctx, bruno, "password di bruno", true))
	putSecret(t, st, bruno, "EM-B")
	mustOK(t, SetCurrentUser(ctx, bruno)) // anna is locked: one person at a time
	if Environment().Keys.Unlocked(anna) {
		t.Fatal("anna still unlocked after bruno became the current user")
	}

	if err := OpenVault(ctx, anna, "nuova dopo il reset", true); !errors.Is(err, ErrPreviousPassword) {
		t.Fatalf("login after a reset: %v", err)
	}
	if d, q, r := LostWithReset(ctx, anna); d != 1 || q != 1 || r != 0 {
		t.Errorf("LostWithReset = %d drafts, %d queued, %d receipts; want 1, 1, 0", d, q, r)
	}
	mustOK(t, ResetVault(ctx, anna, "nuova dopo il reset"))
	mustOK(t, SetCurrentUser(ctx, anna))
	ds, err := st.ListDrafts(ctx, anna)
	mustOK(t, err)
	if len(ds) != 0 {
		t.Errorf("after starting over anna has %d drafts", len(ds))
	}
	putSecret(t, st, anna, "EM-2")
	if n, _ := store.Counts(ctx, st, bruno); n["drafts"] != 1 {
		t.Errorf("starting over touched bruno's drafts: %v", n)
	}
}

// TestVaultUpgrade: a device of before encryption keeps drafts in clear and the offline
// verifier; the first (offline) login encrypts them and deletes the verifier.
func TestVaultUpgrade(t *testing.T) {
	ctx := context.Background()
	st, _ := useVault(t)
	old := store.Plain(st)
	v, err := makeVerifier(anna, "password di prima")
	mustOK(t, err)
	mustOK(t, old.PutSetting(ctx, anna, SettingVerifier, v))
	putSecret(t, old, anna, "EM-OLD")
	mustOK(t, old.PutSetting(ctx, anna, SettingToken, "token-in-chiaro"))

	if err := OpenVault(ctx, bruno, "qualsiasi", false); !errors.Is(err, ErrFirstLoginOnline) {
		t.Errorf("offline login of someone never seen here: %v", err)
	}
	if err := OpenVault(ctx, anna, "sbagliata", false); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("offline upgrade with a wrong password: %v", err)
	}
	mustOK(t, OpenVault(ctx, anna, "password di prima", false))
	noPlaintext(t, st, anna)
	raw, _ := store.Raw(ctx, st, anna)
	for _, r := range raw {
		if strings.Contains(r, "token-in-chiaro") || strings.Contains(r, "/"+SettingVerifier+":") {
			t.Errorf("after the upgrade the device still keeps %.120s", r)
		}
	}
	d, err := st.GetDraft(ctx, anna, "EM-OLD")
	mustOK(t, err)
	if d.Data["lavoratore.passaporto.numero"] != passport {
		t.Errorf("migrated draft: %v", d.Data)
	}
}

// TestIdleLock: no input for the idle time locks, writing first what a form still holds.
func TestIdleLock(t *testing.T) {
	ctx := context.Background()
	st, c := useVault(t)
	mustOK(t, SetLockAfter(ctx, 5))
	if err := SetLockAfter(ctx, 7); err == nil {
		t.Error("an idle time outside the choices was accepted")
	}
	if got := LockAfter(ctx); got != 5*time.Minute {
		t.Fatalf("LockAfter = %v", got)
	}
	mustOK(t, OpenVault(ctx, anna, "una password lunga", true))
	mustOK(t, SetCurrentUser(ctx, anna))
	Touch()

	saver := NewSaver(st.PutDraft, nil)
	defer saver.Close()
	saver.delay = time.Hour // only the lock writes it
	saver.Schedule(store.Draft{User: anna, ModuleID: "EM-TYPED", Data: shared.Data{"lavoratore.cognome": surname}})

	c.t = c.t.Add(4 * time.Minute)
	if CheckIdle() || Locked() {
		t.Fatal("locked before the idle time")
	}
	Touch() // an input: the idle time starts again
	c.t = c.t.Add(4*time.Minute + 59*time.Second)
	if CheckIdle() {
		t.Fatal("locked although the person typed 4m59s ago")
	}
	c.t = c.t.Add(time.Second)
	if !CheckIdle() || !Locked() {
		t.Fatal("not locked after 5 minutes without input")
	}
	mustOK(t, OpenVault(ctx, anna, "una password lunga", false))
	d, err := st.GetDraft(ctx, anna, "EM-TYPED")
	if err != nil || d.Data["lavoratore.cognome"] != surname {
		t.Fatalf("the form's last keystrokes were not written before locking: %v %v", d, err)
	}
}
