package receipt

import (
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"sync"
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
	// Presign as it was before the stock: one nonce, one inversion.
	b.Run("PresignUnbatched", func(b *testing.B) {
		var ns [1]core.Nonce
		for range b.N {
			if err := presignInto(ns[:]); err != nil {
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

// TestPresignBatchEncoding: the commitments a batch writes through one shared inversion are
// byte for byte what Point.Bytes writes for rB, for batches of every size up to two full ones.
func TestPresignBatchEncoding(t *testing.T) {
	for n := 1; n <= 2*presignBatch+1; n++ {
		ns := make([]core.Nonce, n)
		if err := presignInto(ns); err != nil {
			t.Fatal(err)
		}
		for i, nc := range ns {
			checkNonce(t, nc)
			if t.Failed() {
				t.Fatalf("batch of %d, nonce %d", n, i)
			}
		}
	}
}

// checkNonce fails t unless n is a scalar r in canonical form followed by Point.Bytes of rB.
func checkNonce(t *testing.T, n core.Nonce) {
	t.Helper()
	r, err := new(edwards25519.Scalar).SetCanonicalBytes(n[:32])
	if err != nil {
		t.Errorf("secret not canonical: %v", err)
		return
	}
	if want := new(edwards25519.Point).ScalarBaseMult(r).Bytes(); string(n[32:]) != string(want) {
		t.Errorf("commitment %x, want rB = %x", n[32:], want)
	}
}

// TestPresignStockHandsOutOnce: goroutines presigning together, through many refills of the
// stock, get each nonce once, every one well made, and the stock never holds more than
// maxStock.
func TestPresignStockHandsOutOnce(t *testing.T) {
	s := NewSigner(ed25519.NewKeyFromSeed(make32(3)))
	const workers, each = 8, 3 * presignBatch
	got := make([][]core.Nonce, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				n, err := s.Presign()
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], n)
			}
		}()
	}
	wg.Wait()
	seen := map[core.Nonce]bool{}
	for _, ns := range got {
		for _, n := range ns {
			if n == (core.Nonce{}) || seen[n] {
				t.Fatal("a nonce handed out twice, or a zero one")
			}
			seen[n] = true
			checkNonce(t, n)
		}
	}
	if len(seen) != workers*each {
		t.Fatalf("%d nonces, want %d", len(seen), workers*each)
	}
	for range 2 * maxStock {
		s.stock.put(make([]core.Nonce, presignBatch))
	}
	if n := len(s.stock.nonces); n != maxStock {
		t.Fatalf("the stock holds %d nonces, want at most %d", n, maxStock)
	}
}
