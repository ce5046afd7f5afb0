// Package auth hashes passwords with argon2id and makes the random secrets behind sessions,
// import tokens and e-mail links, of which only a SHA-256 is ever stored.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. Default follows OWASP's recommendation (19 MiB, 2 passes).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// Default is what new hashes use.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// slots bounds how many hashes run at once: each takes Memory and a core for ~30 ms, so a burst
// of logins queues here instead of exhausting memory.
var slots = make(chan struct{}, max(2, runtime.NumCPU()))

// HashPassword returns the PHC string of an argon2id hash of password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding).
func HashPassword(password string) (string, error) {
	return hashWith(Default, password)
}

func hashWith(p Params, password string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := derive(p, password, salt)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time,
		p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func derive(p Params, password string, salt []byte) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// ErrMalformed is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("auth: malformed password hash")

// CheckPassword reports whether password matches the PHC string, comparing in constant time.
func CheckPassword(encoded, password string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	p.KeyLen = uint32(len(key))
	got := derive(p, password, salt)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummy is checked against when an account does not exist, so that answering "wrong
// credentials" takes as long whether or not the e-mail is registered.
var dummy = sync.OnceValue(func() string {
	s, _ := hashWith(Default, "nessun account ha questa password")
	return s
})

// CheckNoAccount spends the time of a password check and returns false.
func CheckNoAccount(password string) bool {
	CheckPassword(dummy(), password)
	return false
}

func decode(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformed
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, nil, nil, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	key, err := enc.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return Params{}, nil, nil, ErrMalformed
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 1<<20 {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// NewSecret returns 32 random bytes as URL-safe base64 (what the client holds) and their
// SHA-256 (what the server stores).
func NewSecret() (secret string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux; a broken RNG must not mint secrets
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the stored form of a secret.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
