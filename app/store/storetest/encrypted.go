package storetest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"nullaosta/app/store"
	"nullaosta/app/vault"
	"nullaosta/shared"
)

// anyone is a keyring that unlocks every user it meets with a random key of their own, so that
// the whole suite (which invents users) runs on an encrypting store.
type anyone struct {
	*vault.Keyring
	mu sync.Mutex
}

func (a *anyone) Unlocked(user string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.Keyring.Unlocked(user) {
		k, err := vault.Random()
		if err != nil {
			panic(err)
		}
		a.Set(user, k)
	}
	return true
}

func (a *anyone) Seal(ctx context.Context, user, aad string, plain []byte) (string, error) {
	a.Unlocked(user)
	return a.Keyring.Seal(ctx, user, aad, plain)
}

// RunEncrypted runs the suite on open's store wrapped by store.Encrypt, then the tests of
// encryption itself: no plaintext at rest, a locked person reads and writes nothing, another
// key opens nothing, plaintext of before the upgrade is encrypted at unlock, a password change
// rewraps without touching the records.
func RunEncrypted(t *testing.T, open func(t *testing.T) store.Store) {
	Run(t, func(t *testing.T) store.Store {
		s, err := store.Encrypt(open(t), &anyone{Keyring: vault.NewKeyring()})
		mustOK(t, err)
		return s
	})
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) store.Store)
	}{
		{"NoPlaintextAtRest", testNoPlaintext},
		{"Locked", testLocked},
		{"OtherKey", testOtherKey},
		{"Migration", testMigration},
		{"PasswordChange", testPasswordChange},
	}
	for _, tc := range tests {
		t.Run("Encryption/"+tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

// Personal data of a worker that must never be readable on the device.
const (
	surname  = "Okonkwo-Adebayo"
	passport = "YB4471902"
	token    = "tok-segretissimo-1234"
)

func secretDraft(user, id string) store.Draft {
	d := Draft(user, id)
	d.Data = shared.Data{"lavoratore.cognome": surname, "lavoratore.passaporto.numero": passport}
	return d
}

// fill writes one record of every kind for user, with the worker's data in each.
func fill(t *testing.T, s store.Store, user string) {
	ctx := context.Background()
	mustOK(t, s.PutDraft(ctx, secretDraft(user, "EM-SECRET")))
	mustOK(t, s.PutOutbox(ctx, store.OutboxItem{User: user, SubmissionID: "sub-1", ModuleID: "EM-SECRET", Data: secretDraft(user, "").Data, CreatedAt: t0}))
	r := Receipt(user, "EM2009-0000042", "2026-11-23T14:05:09Z")
	r.Sportello = "Sportello di " + surname
	mustOK(t, s.PutReceipt(ctx, r))
	mustOK(t, s.PutSetting(ctx, user, "token", token))
}

func unlocked(t *testing.T, users ...string) *vault.Keyring {
	kr := vault.NewKeyring()
	for _, u := range users {
		k, err := vault.Random()
		mustOK(t, err)
		kr.Set(u, k)
	}
	return kr
}

func encrypt(t *testing.T, s store.Store, kr *vault.Keyring) store.Store {
	es, err := store.Encrypt(s, kr)
	mustOK(t, err)
	return es
}

func checkNoPlaintext(t *testing.T, s store.Store, user string, want int) {
	t.Helper()
	raw, err := store.Raw(context.Background(), s, user)
	mustOK(t, err)
	if len(raw) != want {
		t.Fatalf("%d values stored for %s, want %d: %q", len(raw), user, want, raw)
	}
	for _, v := range raw {
		for _, secret := range []string{surname, passport, token, "lavoratore.cognome", "Amina"} {
			if strings.Contains(v, secret) {
				t.Errorf("the device keeps %q in clear: %.200s", secret, v)
			}
		}
	}
}

func testNoPlaintext(t *testing.T, open func(t *testing.T) store.Store) {
	s := encrypt(t, open(t), unlocked(t, anna))
	fill(t, s, anna)
	checkNoPlaintext(t, s, anna, 4)
	got, err := s.GetDraft(context.Background(), anna, "EM-SECRET")
	mustOK(t, err)
	sameJSON(t, "decrypted draft", got, secretDraft(anna, "EM-SECRET"))
}

func testLocked(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	kr := unlocked(t, anna, bruno)
	s := encrypt(t, open(t), kr)
	fill(t, s, anna)
	fill(t, s, bruno)
	kr.Forget(anna)
	locked := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("%s while locked: %v, want ErrLocked", what, err)
		}
	}
	_, err := s.GetDraft(ctx, anna, "EM-SECRET")
	locked("GetDraft", err)
	_, err = s.GetDraft(ctx, anna, "EM-MISSING")
	locked("GetDraft of a missing draft", err)
	_, err = s.ListDrafts(ctx, anna)
	locked("ListDrafts", err)
	_, err = s.ListOutbox(ctx, anna)
	locked("ListOutbox", err)
	_, err = s.ListReceipts(ctx, anna)
	locked("ListReceipts", err)
	_, err = s.GetSetting(ctx, anna, "token")
	locked("GetSetting", err)
	locked("PutDraft", s.PutDraft(ctx, secretDraft(anna, "EM-NEW")))
	locked("PutSetting", s.PutSetting(ctx, anna, "k", "v"))
	checkNoPlaintext(t, s, anna, 4) // nothing was written while locked
	// Bruno, still unlocked, works; the device-wide settings stay readable.
	ds, err := s.ListDrafts(ctx, bruno)
	mustOK(t, err)
	if len(ds) != 1 || ds[0].Data["lavoratore.cognome"] != surname {
		t.Errorf("bruno's drafts while anna is locked: %v", ds)
	}
	mustOK(t, s.PutSetting(ctx, "", "currentUser", bruno))
	checkSetting(t, s, "", "currentUser", bruno)
}

// testOtherKey: whoever unlocks with another key (another person's, or a new key after a
// password reset) opens none of the records.
func testOtherKey(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	raw := open(t)
	fill(t, encrypt(t, raw, unlocked(t, anna)), anna)
	other := encrypt(t, raw, unlocked(t, anna)) // same name, another key
	if _, err := other.GetDraft(ctx, anna, "EM-SECRET"); !errors.Is(err, store.ErrUndecryptable) {
		t.Errorf("GetDraft with another key: %v, want ErrUndecryptable", err)
	}
	if _, err := other.ListOutbox(ctx, anna); !errors.Is(err, store.ErrUndecryptable) {
		t.Errorf("ListOutbox with another key: %v, want ErrUndecryptable", err)
	}
	if v, err := other.GetSetting(ctx, anna, "token"); !errors.Is(err, store.ErrUndecryptable) {
		t.Errorf("GetSetting with another key: %q, %v, want ErrUndecryptable", v, err)
	}
	// Bruno, unlocked with his own key, sees nothing of anna's and cannot read it as his.
	b := encrypt(t, raw, unlocked(t, bruno))
	ds, err := b.ListDrafts(ctx, bruno)
	mustOK(t, err)
	if len(ds) != 0 {
		t.Errorf("bruno lists %d drafts", len(ds))
	}
	if _, err := b.GetDraft(ctx, anna, "EM-SECRET"); !errors.Is(err, store.ErrLocked) {
		t.Errorf("bruno's store reading anna's draft: %v, want ErrLocked", err)
	}
	// Forget drops what cannot be opened and keeps the vault's settings.
	mustOK(t, raw.PutSetting(ctx, anna, store.VaultSettingPrefix+"key", "{}"))
	mustOK(t, store.Forget(ctx, other, anna))
	n, err := store.Counts(ctx, other, anna)
	mustOK(t, err)
	if n["drafts"]+n["outbox"]+n["receipts"] != 0 || n["settings"] != 1 {
		t.Errorf("after Forget: %v, want only the vault's setting", n)
	}
}

// testMigration: records written in clear by a version without encryption are given to their
// owner once unlocked, and SealPlaintext encrypts them all.
func testMigration(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	plain := open(t)
	fill(t, plain, anna)
	mustOK(t, plain.PutSetting(ctx, anna, store.VaultSettingPrefix+"key", "{}"))
	kr := vault.NewKeyring()
	s := encrypt(t, plain, kr)
	if _, err := s.ListDrafts(ctx, anna); !errors.Is(err, store.ErrLocked) {
		t.Errorf("plaintext drafts of a locked person: %v, want ErrLocked", err)
	}
	k, err := vault.Random()
	mustOK(t, err)
	kr.Set(anna, k)
	n, err := store.SealPlaintext(ctx, s, anna)
	mustOK(t, err)
	if n != 4 {
		t.Errorf("SealPlaintext encrypted %d records, want 4 (draft, queue, receipt, token)", n)
	}
	checkNoPlaintext(t, s, anna, 5)
	got, err := s.GetDraft(ctx, anna, "EM-SECRET")
	mustOK(t, err)
	sameJSON(t, "migrated draft", got, secretDraft(anna, "EM-SECRET"))
	checkSetting(t, s, anna, "token", token)
	checkSetting(t, s, anna, store.VaultSettingPrefix+"key", "{}")
	if n, _ := store.SealPlaintext(ctx, s, anna); n != 0 {
		t.Errorf("a second SealPlaintext encrypted %d records again", n)
	}
}

// testPasswordChange: the data key rewrapped under the new password opens the records
// written before, and the old password no longer opens it.
func testPasswordChange(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	raw := open(t)
	w, k, err := vault.New(ctx, anna, "vecchia password lunga")
	mustOK(t, err)
	kr := vault.NewKeyring()
	kr.Set(anna, k)
	fill(t, encrypt(t, raw, kr), anna)
	w2, err := vault.Rewrap(ctx, w, anna, "vecchia password lunga", "nuova password lunga")
	mustOK(t, err)
	if _, err := vault.Unwrap(ctx, w2, anna, "vecchia password lunga"); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("the old password opens the rewrapped key: %v", err)
	}
	if _, err := vault.Unwrap(ctx, w2, bruno, "nuova password lunga"); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("anna's key opens as bruno's: %v", err)
	}
	k2, err := vault.Unwrap(ctx, w2, anna, "nuova password lunga")
	mustOK(t, err)
	kr2 := vault.NewKeyring()
	kr2.Set(anna, k2)
	got, err := encrypt(t, raw, kr2).GetDraft(ctx, anna, "EM-SECRET")
	mustOK(t, err)
	sameJSON(t, "draft after the password change", got, secretDraft(anna, "EM-SECRET"))
	if _, err := vault.ParseWrapped(w2.Marshal()); err != nil {
		t.Errorf("the wrapped key does not read back: %v", err)
	}
}
