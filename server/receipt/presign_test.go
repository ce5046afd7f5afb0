package receipt

import (
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"testing"

	"filippo.io/edwards25519"

	"nullaosta/server/core"
)

// TestSignWithIsEd25519: SignWith, given the nonce RFC 8032 derives from the key and the
// message, makes exactly crypto/ed25519's signature; so with any other secret nonce it makes
// an Ed25519 signature too, one that differs only in its r.
func TestSignWithIsEd25519(t *testing.T) {
	for _, seed := range []byte{1, 2, 3} {
		priv := ed25519.NewKeyFromSeed(make32(seed))
		s := NewSigner(priv)
		r := sample()
		r.Protocol += string('0' + rune(seed))
		text, err := s.text(r)
		if err != nil {
			t.Fatal(err)
		}
		h := sha512.Sum512(priv.Seed())
		d := sha512.New()
		d.Write(h[32:])
		d.Write(text)
		rs, err := new(edwards25519.Scalar).SetUniformBytes(d.Sum(nil))
		if err != nil {
			t.Fatal(err)
		}
		var n core.Nonce
		copy(n[:32], rs.Bytes())
		copy(n[32:], new(edwards25519.Point).ScalarBaseMult(rs).Bytes())
		if err := s.SignWith(r, &n); err != nil {
			t.Fatal(err)
		}
		if want := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, text)); r.Signature != want {
			t.Fatalf("SignWith with RFC 8032's nonce = %s, want crypto/ed25519's %s", r.Signature, want)
		}
	}
}

// TestPresignedReceiptsVerify: receipts signed with presigned nonces verify like Sign's,
// tampering with any field breaks them, every nonce is new, and a spent nonce signs nothing.
func TestPresignedReceiptsVerify(t *testing.T) {
	s := NewSigner(ed25519.NewKeyFromSeed(make32(9)))
	seen := map[core.Nonce]bool{}
	for i := range 50 {
		n, err := s.Presign()
		if err != nil {
			t.Fatal(err)
		}
		if seen[n] || n == (core.Nonce{}) {
			t.Fatalf("nonce %d repeated or zero", i)
		}
		seen[n] = true
		r := sample()
		r.Protocol = r.Protocol[:len(r.Protocol)-2] + string(rune('0'+i/10)) + string(rune('0'+i%10))
		if err := s.SignWith(r, &n); err != nil {
			t.Fatal(err)
		}
		if n != (core.Nonce{}) {
			t.Fatal("the nonce was not spent")
		}
		if err := Verify(s.PublicKey(), r); err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
		tampered := *r
		tampered.SHA256 = tampered.SHA256[:63] + "c"
		if Verify(s.PublicKey(), &tampered) == nil {
			t.Fatalf("receipt %d verifies with another content hash", i)
		}
		if err := s.SignWith(sample(), &n); err == nil {
			t.Fatal("a spent nonce signed again")
		}
	}
}

func make32(b byte) []byte {
	k := make([]byte, ed25519.SeedSize)
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

func BenchmarkSign(b *testing.B) {
	s := NewSigner(ed25519.NewKeyFromSeed(make32(5)))
	b.Run("Sign", func(b *testing.B) {
		for range b.N {
			if err := s.Sign(sample()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Presign", func(b *testing.B) {
		for range b.N {
			if _, err := s.Presign(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("SignWith", func(b *testing.B) {
		ns := make([]core.Nonce, b.N)
		for i := range ns {
			ns[i], _ = s.Presign()
		}
		b.ResetTimer()
		for i := range b.N {
			if err := s.SignWith(sample(), &ns[i]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
