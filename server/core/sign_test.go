package core_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"nullaosta/server/core"
	"nullaosta/server/receipt"
)

// TestSignSpendsTheNonce: core.Sign signs with the presigned nonce once, then, the nonce spent
// (a transaction run again), in full; both signatures verify, and only the full one is
// crypto/ed25519's deterministic signature.
func TestSignSpendsTheNonce(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	s := receipt.NewSigner(priv)
	nonces := core.Presign(s, 1)
	if len(nonces) != 1 || nonces[0] == (core.Nonce{}) {
		t.Fatalf("Presign = %v", nonces)
	}
	sign := func() *core.Receipt {
		t.Helper()
		r := &core.Receipt{Protocol: "EM2009-0000001", CampaignID: "em2009", ModuleID: "EM-7K3Q-9XHD-4",
			SubmissionID: "s1", ReceivedAt: "2009-09-01T07:00:00.000Z", Sportello: "Sportello Unico per l'Immigrazione di Cuneo",
			Provincia: "CN", SHA256: "ab"}
		if err := core.Sign(s, r, &nonces[0]); err != nil {
			t.Fatal(err)
		}
		if err := receipt.Verify(s.PublicKey(), r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := sign()
	if nonces[0] != (core.Nonce{}) {
		t.Fatal("the nonce was not spent")
	}
	again := sign()
	full := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, receipt.Text(again)))
	if again.Signature != full {
		t.Fatal("with the nonce spent, Sign did not sign in full")
	}
	if first.Signature == full {
		t.Fatal("the first signature is the deterministic one: the nonce was not used")
	}
	if core.Presign(nil, 3) != nil {
		t.Fatal("Presign without a Presigner made nonces")
	}
}
