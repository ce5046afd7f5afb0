package shared

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func sampleCode() *ReceiptCode {
	return &ReceiptCode{
		Protocol: "EM2009-0000001", ModuleID: "EM-7K3Q-9XHD-4", CampaignID: "em2009",
		EmployerCF: "RSSMRA70C47D205X", Worker: "D'ÀVILA (detta) Nimal|100%",
		ReceivedAt: "2009-09-01T07:00:00.000Z", SHA256: strings.Repeat("ab", 32),
	}
}

func TestReceiptCodeRoundTrip(t *testing.T) {
	priv := testKey(1)
	c := sampleCode()
	if err := c.Sign(priv); err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if !strings.HasPrefix(s, ReceiptCodePrefix+"|EM2009-0000001|") || len(s) > 300 {
		t.Fatalf("code %q (%d bytes)", s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f || strings.IndexByte("()\\", s[i]) >= 0 {
			t.Fatalf("byte %q at %d is outside the code's alphabet: %s", s[i], i, s)
		}
	}
	keys := map[string][]byte{c.KeyID: priv.Public().(ed25519.PublicKey)}
	got, err := VerifyReceiptCode("  "+s+"\n", keys)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if got.Worker != c.Worker || got.EmployerCF != c.EmployerCF || got.SHA256 != c.SHA256 || got.KeyID != c.KeyID {
		t.Fatalf("decoded %+v, want %+v", got, c)
	}
}

// Every single changed byte of a code makes it fail, with one of the three reasons.
func TestReceiptCodeEveryByteMatters(t *testing.T) {
	priv := testKey(2)
	c := sampleCode()
	c.Worker = "PERERA Nimal"
	c.Sign(priv)
	s := c.String()
	keys := map[string][]byte{c.KeyID: priv.Public().(ed25519.PublicKey)}
	for i := 0; i < len(s); i++ {
		for _, repl := range []byte{'A', '0', '%', '|'} {
			if s[i] == repl {
				continue
			}
			bad := s[:i] + string(repl) + s[i+1:]
			_, err := VerifyReceiptCode(bad, keys)
			if err == nil {
				t.Fatalf("changing byte %d to %q still verifies: %s", i, repl, bad)
			}
			if !errors.Is(err, ErrAltered) && !errors.Is(err, ErrNotReceiptCode) && !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("byte %d: error %v has no reason", i, err)
			}
		}
	}
	// A field re-encoded (%50 for P) reads the same but is not what was signed.
	if _, err := VerifyReceiptCode(strings.Replace(s, "PERERA", "%50ERERA", 1), keys); !errors.Is(err, ErrAltered) {
		t.Fatalf("re-encoded field: %v", err)
	}
}

func TestReceiptCodeReasons(t *testing.T) {
	old, cur := testKey(3), testKey(4)
	c := sampleCode()
	c.Sign(old)
	s := c.String()
	both := map[string][]byte{
		ReceiptKeyID(old.Public().(ed25519.PublicKey)): old.Public().(ed25519.PublicKey),
		ReceiptKeyID(cur.Public().(ed25519.PublicKey)): cur.Public().(ed25519.PublicKey),
	}
	// A retired key still verifies what it signed.
	if _, err := VerifyReceiptCode(s, both); err != nil {
		t.Fatalf("retired key: %v", err)
	}
	onlyCur := map[string][]byte{ReceiptKeyID(cur.Public().(ed25519.PublicKey)): cur.Public().(ed25519.PublicKey)}
	if _, err := VerifyReceiptCode(s, onlyCur); !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), c.KeyID) {
		t.Fatalf("unknown key: %v", err)
	}
	// A key id swapped for a known key: the signature no longer matches.
	swapped := strings.Replace(s, c.KeyID, ReceiptKeyID(cur.Public().(ed25519.PublicKey)), 1)
	if _, err := VerifyReceiptCode(swapped, both); !errors.Is(err, ErrAltered) {
		t.Fatalf("swapped key id: %v", err)
	}
	for _, in := range []string{"", "ciao", "https://example.org", ReceiptCodePrefix + "|a|b", strings.Repeat("x", 5000)} {
		if _, err := VerifyReceiptCode(in, both); !errors.Is(err, ErrNotReceiptCode) {
			t.Errorf("%.40q: %v", in, err)
		}
	}
}

func TestFindReceiptCode(t *testing.T) {
	priv := testKey(5)
	c := sampleCode()
	c.Sign(priv)
	s := c.String()
	for name, in := range map[string]string{
		"pdf metadata": "%PDF-1.3\n1 0 obj\n<< /Subject (NULLAOSTA-R1|broken) /Keywords (" + s + ") >>\nendobj\n",
		"sentence":     "Ecco la ricevuta: " + s + " grazie.",
		"alone":        s,
	} {
		got, ok := FindReceiptCode([]byte(in))
		if !ok || got != s {
			t.Errorf("%s: found %q, %v", name, got, ok)
		}
	}
	if _, ok := FindReceiptCode([]byte("%PDF-1.3 nothing here")); ok {
		t.Error("found a code where there is none")
	}
}

// The signature's last character carries 2 bits and 4 zero bits: every other letter there must
// fail, not decode to the same bytes.
func TestReceiptCodeSignaturePadding(t *testing.T) {
	priv := testKey(6)
	c := sampleCode()
	c.Sign(priv)
	s := c.String()
	keys := map[string][]byte{c.KeyID: priv.Public().(ed25519.PublicKey)}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for _, r := range alphabet {
		bad := s[:len(s)-1] + string(r)
		if bad == s {
			continue
		}
		if _, err := VerifyReceiptCode(bad, keys); err == nil {
			t.Fatalf("last character %q still verifies", r)
		}
	}
}
