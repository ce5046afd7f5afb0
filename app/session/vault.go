package session

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"nullaosta/app/store"
	"nullaosta/app/vault"
)

// Settings of the vault. The wrapped key is a person's setting kept in clear (it must be read
// before unlocking); the idle time is device-wide.
const (
	settingVaultKey  = store.VaultSettingPrefix + "key"
	settingLockAfter = "lockAfterSeconds"
)

// LockChoices are the idle times a person can choose on the device (minutes); DefaultLockAfter
// is the one until they choose: short enough that a tablet left on the desk of a patronato
// locks before the next person sits down, long enough not to interrupt someone reading a
// module with an applicant.
var LockChoices = []int{2, 5, 10, 15, 30, 60}

const DefaultLockAfter = 10 * time.Minute

// ErrPreviousPassword is what OpenVault says when the server accepted a password that does not
// open the data key of this device: the password was reset, or changed elsewhere. The person
// chooses between the previous password (RecoverVault) and continuing without (ResetVault).
var ErrPreviousPassword = errors.New("Su questo dispositivo i tuoi dati sono protetti con la password precedente.")

// ErrFirstLoginOnline is the offline login of someone who never logged in on this device.
var ErrFirstLoginOnline = errors.New("Non c'è connessione e su questo dispositivo non hai ancora effettuato l'accesso: collegati a internet per il primo accesso.")

// plain is the store without encryption, for the vault's own records and the verifier of
// before encryption, which are in clear.
func plain() store.Store { return store.Plain(Environment().Store) }

func wrappedKey(ctx context.Context, user string) (vault.Wrapped, bool, error) {
	s, err := plain().GetSetting(ctx, user, settingVaultKey)
	if errors.Is(err, store.ErrNotFound) {
		return vault.Wrapped{}, false, nil
	}
	if err != nil {
		return vault.Wrapped{}, false, err
	}
	w, err := vault.ParseWrapped(s)
	return w, err == nil, err
}

// OpenVault unlocks user's data on the device with password: it unwraps their data key, or
// makes one at their first login here. serverOK says the server has just accepted the
// password (online login or import); without it, the password is checked by the wrapped key
// alone (offline login, unlocking). Records left in clear by a version before encryption are
// encrypted now.
func OpenVault(ctx context.Context, user, password string, serverOK bool) error {
	Mark("nullaosta:unlock-start")
	defer Mark("nullaosta:unlock-done")
	w, ok, err := wrappedKey(ctx, user)
	if err != nil {
		return err
	}
	var k *vault.Key
	if ok {
		k, err = vault.Unwrap(ctx, w, user, password)
		switch {
		case errors.Is(err, vault.ErrWrongPassword) && serverOK:
			return ErrPreviousPassword
		case err != nil:
			return err
		}
		if w.Iter < vault.Iterations { // a key wrapped with fewer iterations: bring it up to date
			if w2, err := vault.Rewrap(ctx, w, user, password, password); err == nil {
				_ = plain().PutSetting(ctx, user, settingVaultKey, w2.Marshal())
			}
		}
	} else {
		if !serverOK {
			// A device upgraded from before encryption keeps the verifier of the offline
			// login: it is the only check of the password here.
			v, err := plain().GetSetting(ctx, user, SettingVerifier)
			if err != nil {
				return ErrFirstLoginOnline
			}
			if !CheckVerifier(v, user, password) {
				return vault.ErrWrongPassword
			}
		}
		w, k, err = vault.New(ctx, user, password)
		if err != nil {
			return err
		}
		if err := plain().PutSetting(ctx, user, settingVaultKey, w.Marshal()); err != nil {
			return err
		}
	}
	return unlocked(ctx, user, k)
}

// unlocked puts k in the keyring and finishes the upgrade: records in clear are encrypted and
// the old verifier (60,000 iterations, a cheaper target than the wrapped key) is deleted.
func unlocked(ctx context.Context, user string, k *vault.Key) error {
	keys := Environment().Keys
	if keys == nil {
		return nil
	}
	keys.Set(user, k)
	Touch()
	if _, err := store.SealPlaintext(ctx, Environment().Store, user); err != nil {
		return fmt.Errorf("Cifratura dei dati salvati non riuscita: %w", err)
	}
	_ = plain().DeleteSetting(ctx, user, SettingVerifier)
	Changes.Notify(TopicUser)
	return nil
}

// RecoverVault opens the data key with the previous password and wraps it under the new one:
// after a reset, the person who remembers the old password keeps everything.
func RecoverVault(ctx context.Context, user, oldPassword, newPassword string) error {
	w, ok, err := wrappedKey(ctx, user)
	if err != nil {
		return err
	}
	if !ok {
		return OpenVault(ctx, user, newPassword, true)
	}
	w2, err := vault.Rewrap(ctx, w, user, oldPassword, newPassword)
	if errors.Is(err, vault.ErrWrongPassword) {
		return errors.New("Password precedente non corretta: riprova, oppure continua senza i dati precedenti.")
	}
	if err != nil {
		return err
	}
	if err := plain().PutSetting(ctx, user, settingVaultKey, w2.Marshal()); err != nil {
		return err
	}
	k, err := vault.Unwrap(ctx, w2, user, newPassword)
	if err != nil {
		return err
	}
	return unlocked(ctx, user, k)
}

// ResetVault deletes what the device keeps of user under a key nobody can open any more and
// starts a new one under password.
func ResetVault(ctx context.Context, user, password string) error {
	if err := store.Forget(ctx, Environment().Store, user); err != nil {
		return err
	}
	_ = plain().DeleteSetting(ctx, user, settingVaultKey)
	return OpenVault(ctx, user, password, true)
}

// LostWithReset says what ResetVault would delete, counted without decrypting.
func LostWithReset(ctx context.Context, user string) (drafts, queued, receipts int) {
	n, err := store.Counts(ctx, Environment().Store, user)
	if err != nil {
		return 0, 0, 0
	}
	return n["drafts"], n["outbox"], n["receipts"]
}

// ChangeVaultPassword rewraps the data key after a password change: no record is encrypted
// again.
func ChangeVaultPassword(ctx context.Context, user, oldPassword, newPassword string) error {
	w, ok, err := wrappedKey(ctx, user)
	if err != nil {
		return err
	}
	if !ok {
		return OpenVault(ctx, user, newPassword, true)
	}
	w2, err := vault.Rewrap(ctx, w, user, oldPassword, newPassword)
	if err != nil {
		return err
	}
	return plain().PutSetting(ctx, user, settingVaultKey, w2.Marshal())
}

// Locked reports whether someone is logged in on the device but their data key is not in
// memory: after the idle time, or after the app was loaded again. Nothing of theirs shows
// until they type the password (/sblocca).
func Locked() bool {
	keys := Environment().Keys
	u := CachedUser()
	return keys != nil && u != "" && !keys.Unlocked(u)
}

// Lock writes what the forms hold, then forgets the data key of who is logged in.
func Lock() {
	keys := Environment().Keys
	u := CachedUser()
	if keys == nil || u == "" || !keys.Unlocked(u) {
		return
	}
	FlushAll()
	keys.Forget(u)
	Changes.Notify(TopicUser)
}

// LockEverywhere is «Blocca»: this page locks, and so do the app's other tabs on the device,
// which hold keys of their own in their own memory.
func LockEverywhere() {
	Lock()
	tellOtherTabs()
}

// tellOtherTabs asks the app's other tabs to drop their keys (set in the browser: a
// BroadcastChannel). The idle lock does not call it: the person may be working in another tab.
var tellOtherTabs = func() {}

// idle follows the person's last input, to lock after the idle time.
var idle = struct {
	mu    sync.Mutex
	last  time.Time
	after time.Duration
}{after: DefaultLockAfter}

func resetIdle() {
	idle.mu.Lock()
	idle.last, idle.after = time.Time{}, DefaultLockAfter
	idle.mu.Unlock()
}

// Touch records an input of the person (a key, a tap): the idle time starts again.
func Touch() {
	now := Environment().Now()
	idle.mu.Lock()
	idle.last = now
	idle.mu.Unlock()
}

// CheckIdle locks when the idle time has passed since the last input. The browser calls it
// periodically and when the page becomes visible again.
func CheckIdle() bool {
	idle.mu.Lock()
	expired := !idle.last.IsZero() && Environment().Now().Sub(idle.last) >= idle.after
	idle.mu.Unlock()
	if expired && !Locked() && CachedUser() != "" {
		Lock()
		return true
	}
	return false
}

// LockAfter returns the idle time of this device. It is kept in seconds, so that the
// end-to-end test can shorten it; people choose among LockChoices.
func LockAfter(ctx context.Context) time.Duration {
	if s, err := Environment().Store.GetSetting(ctx, "", settingLockAfter); err == nil {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			idle.mu.Lock()
			idle.after = time.Duration(n) * time.Second
			idle.mu.Unlock()
		}
	}
	idle.mu.Lock()
	defer idle.mu.Unlock()
	return idle.after
}

// SetLockAfter sets the idle time of this device; only LockChoices are accepted.
func SetLockAfter(ctx context.Context, minutes int) error {
	ok := false
	for _, m := range LockChoices {
		ok = ok || m == minutes
	}
	if !ok {
		return fmt.Errorf("Blocco automatico: scegli uno dei valori proposti (%v minuti).", LockChoices)
	}
	if err := Environment().Store.PutSetting(ctx, "", settingLockAfter, strconv.Itoa(minutes*60)); err != nil {
		return err
	}
	idle.mu.Lock()
	idle.after = time.Duration(minutes) * time.Minute
	idle.mu.Unlock()
	return nil
}
