package session

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// makeVerifier is what a device of before encryption kept for the offline login.
func makeVerifier(email, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	k, err := pbkdf2.Key(sha256.New, password, append(salt, NormUser(email)...), verifierIter, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return "v1$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(k), nil
}
