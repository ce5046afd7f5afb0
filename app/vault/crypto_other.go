//go:build !(js && wasm)

package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
)

// Outside the browser (the in-memory store of the tests, the server's rendering of pages) the
// same algorithms come from Go's standard library; the format is WebCrypto's (ciphertext then
// the 16-byte tag), so a value sealed by either opens with the other.

type aeadKey struct{ a cipher.AEAD }

func newAEAD(raw []byte) (aeadKey, error) {
	b, err := aes.NewCipher(raw)
	if err != nil {
		return aeadKey{}, err
	}
	a, err := cipher.NewGCM(b)
	return aeadKey{a: a}, err
}

func deriveKey(ctx context.Context, password string, salt []byte, iter int) (aeadKey, error) {
	raw, err := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	if err != nil {
		return aeadKey{}, err
	}
	defer clear(raw)
	return newAEAD(raw)
}

func importKey(raw []byte) (aeadKey, error) { return newAEAD(raw) }

func encrypt(ctx context.Context, k aeadKey, iv, aad, plain []byte) ([]byte, error) {
	return k.a.Seal(nil, iv, plain, aad), nil
}

func decrypt(ctx context.Context, k aeadKey, iv, aad, ct []byte) ([]byte, error) {
	return k.a.Open(nil, iv, ct, aad)
}
