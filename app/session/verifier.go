package session

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"nullaosta/shared"
)

// IsoDate converts a date typed as GG/MM/AAAA (or YYYY-MM-DD) to YYYY-MM-DD for the API.
func IsoDate(s string) (string, error) {
	t, err := shared.ParseDate(s)
	if err != nil {
		return "", err
	}
	return t.Format("2006-01-02"), nil
}

// Offline login before encryption. A device of an earlier version keeps a verifier of the
// password (PBKDF2-SHA256, 60,000 iterations, random salt) for the offline login; now the
// wrapped data key checks the password (app/vault). CheckVerifier lets a person upgraded while
// offline log in once more; OpenVault then deletes the verifier.
const verifierIter = 60000

func CheckVerifier(v, email, password string) bool {
	parts := strings.Split(v, "$")
	if len(parts) != 3 || parts[0] != "v1" {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[1])
	want, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil {
		return false
	}
	k, err := pbkdf2.Key(sha256.New, password, append(salt, NormUser(email)...), verifierIter, 32)
	return err == nil && subtle.ConstantTimeCompare(k, want) == 1
}
