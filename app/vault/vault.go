package vault

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"nullaosta/app/store"
)

// Iterations is PBKDF2-HMAC-SHA256's work factor for the key that wraps a person's data key:
// OWASP's Password Storage Cheat Sheet asks for 600,000 with SHA-256 (2023, still current).
// A wrapped key keeps its own count, so raising this one rewraps at the next login.
const Iterations = 600_000

// ErrWrongPassword is what unwrapping says when the password does not open the data key.
var ErrWrongPassword = errors.New("E-mail o password non corrette.")

// sealedPrefix marks an encrypted value, so that a plaintext record of before the upgrade is
// recognised and encrypted at the person's next login (store.SealPlaintext). No plaintext
// value of the store starts with it: records are JSON objects, settings are tokens, JSON or
// times.
const sealedPrefix = "nv1."

// Wrapped is a person's data key as the device keeps it (in clear, as a setting): encrypted
// under a key derived from the password. It is also what checks the password offline: only
// the right password opens it (AES-GCM authenticates).
type Wrapped struct {
	V     int    `json:"v"`
	KDF   string `json:"kdf"` // "PBKDF2-SHA256"
	Iter  int    `json:"iter"`
	Salt  []byte `json:"salt"`
	IV    []byte `json:"iv"`
	Key   []byte `json:"key"` // the data key, AES-256-GCM-encrypted under the derived key
	Owner string `json:"owner"`
}

// Marshal is the setting's value.
func (w Wrapped) Marshal() string {
	b, _ := json.Marshal(w)
	return string(b)
}

// ParseWrapped reads a setting written by Marshal.
func ParseWrapped(s string) (Wrapped, error) {
	var w Wrapped
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return w, fmt.Errorf("vault: chiave del dispositivo illeggibile: %w", err)
	}
	if w.V != 1 || w.KDF != "PBKDF2-SHA256" || w.Iter < 1 || len(w.Salt) < 16 || len(w.IV) != 12 || len(w.Key) != 32+16 {
		return w, errors.New("vault: chiave del dispositivo in un formato sconosciuto")
	}
	return w, nil
}

// wrapAAD binds a wrapped key to its owner: copied under another person's name it does not open.
func wrapAAD(user string) []byte { return []byte("nullaosta/datakey/v1/" + user) }

// New makes a random data key for user and wraps it under password. The key is returned
// ready for use (in the browser a non-extractable CryptoKey); its raw bytes are zeroed.
func New(ctx context.Context, user, password string) (Wrapped, *Key, error) {
	raw := make([]byte, 32)
	defer clear(raw)
	if _, err := rand.Read(raw); err != nil {
		return Wrapped{}, nil, err
	}
	w, err := wrap(ctx, user, password, raw)
	if err != nil {
		return Wrapped{}, nil, err
	}
	k, err := importKey(raw)
	if err != nil {
		return Wrapped{}, nil, err
	}
	return w, &Key{k: k}, nil
}

// Random returns a random data key that is wrapped by nothing: it lives as long as the
// process (tests, and measuring the cost of records apart from the password's).
func Random() (*Key, error) {
	raw := make([]byte, 32)
	defer clear(raw)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	k, err := importKey(raw)
	if err != nil {
		return nil, err
	}
	return &Key{k: k}, nil
}

func wrap(ctx context.Context, user, password string, raw []byte) (Wrapped, error) {
	w := Wrapped{V: 1, KDF: "PBKDF2-SHA256", Iter: Iterations, Salt: make([]byte, 16), IV: make([]byte, 12), Owner: user}
	if _, err := rand.Read(w.Salt); err != nil {
		return w, err
	}
	if _, err := rand.Read(w.IV); err != nil {
		return w, err
	}
	kek, err := deriveKey(ctx, password, w.Salt, w.Iter)
	if err != nil {
		return w, err
	}
	w.Key, err = encrypt(ctx, kek, w.IV, wrapAAD(user), raw)
	return w, err
}

// unwrapRaw returns the data key's raw bytes; the caller zeroes them.
func unwrapRaw(ctx context.Context, w Wrapped, user, password string) ([]byte, error) {
	if w.Owner != user {
		return nil, ErrWrongPassword
	}
	kek, err := deriveKey(ctx, password, w.Salt, w.Iter)
	if err != nil {
		return nil, err
	}
	raw, err := decrypt(ctx, kek, w.IV, wrapAAD(user), w.Key)
	if err != nil {
		return nil, ErrWrongPassword
	}
	return raw, nil
}

// Unwrap opens the data key with the password: ErrWrongPassword when it is not the one the
// key was wrapped with.
func Unwrap(ctx context.Context, w Wrapped, user, password string) (*Key, error) {
	raw, err := unwrapRaw(ctx, w, user, password)
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	k, err := importKey(raw)
	if err != nil {
		return nil, err
	}
	return &Key{k: k}, nil
}

// Rewrap wraps the same data key under a new password (a password change): no record is
// encrypted again.
func Rewrap(ctx context.Context, w Wrapped, user, oldPassword, newPassword string) (Wrapped, error) {
	raw, err := unwrapRaw(ctx, w, user, oldPassword)
	if err != nil {
		return Wrapped{}, err
	}
	defer clear(raw)
	return wrap(ctx, user, newPassword, raw)
}

// Key is an unwrapped data key.
type Key struct{ k aeadKey }

// Keyring holds the data keys of the people unlocked on this device, in memory only. It is
// the store's Sealer: a record of a person whose key is not here cannot be read or written.
type Keyring struct {
	mu   sync.RWMutex
	keys map[string]*Key
}

// NewKeyring returns an empty keyring: everyone is locked.
func NewKeyring() *Keyring { return &Keyring{keys: map[string]*Key{}} }

// Set makes user unlocked with k.
func (r *Keyring) Set(user string, k *Key) {
	r.mu.Lock()
	r.keys[user] = k
	r.mu.Unlock()
}

// Forget locks user: their key is dropped (the CryptoKey is garbage once unreferenced).
func (r *Keyring) Forget(user string) {
	r.mu.Lock()
	delete(r.keys, user)
	r.mu.Unlock()
}

// ForgetExcept locks everyone but user ("": everyone).
func (r *Keyring) ForgetExcept(user string) {
	r.mu.Lock()
	for u := range r.keys {
		if u != user {
			delete(r.keys, u)
		}
	}
	r.mu.Unlock()
}

// Unlocked reports whether user's key is in memory.
func (r *Keyring) Unlocked(user string) bool {
	_, ok := r.key(user)
	return ok
}

func (r *Keyring) key(user string) (*Key, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	k, ok := r.keys[user]
	return k, ok
}

// Seal encrypts plain for user with AES-256-GCM under a fresh random 96-bit IV; aad names the
// record (store, owner, id), so that a sealed value moved to another record does not open.
func (r *Keyring) Seal(ctx context.Context, user, aad string, plain []byte) (string, error) {
	k, ok := r.key(user)
	if !ok {
		return "", store.ErrLocked
	}
	iv := make([]byte, 12)
	if _, err := rand.Read(iv); err != nil {
		return "", err
	}
	ct, err := encrypt(ctx, k.k, iv, []byte(aad), plain)
	if err != nil {
		return "", err
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(append(iv, ct...)), nil
}

// Open decrypts a value made by Seal.
func (r *Keyring) Open(ctx context.Context, user, aad, sealed string) ([]byte, error) {
	k, ok := r.key(user)
	if !ok {
		return nil, store.ErrLocked
	}
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	if err != nil || len(b) < 12+16 {
		return nil, errors.New("vault: dato cifrato illeggibile")
	}
	plain, err := decrypt(ctx, k.k, b[:12], []byte(aad), b[12:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrUndecryptable, err)
	}
	return plain, nil
}

// IsSealed reports whether a stored value is encrypted.
func (r *Keyring) IsSealed(v string) bool { return strings.HasPrefix(v, sealedPrefix) }
