package receipt

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nullaosta/server/core"
)

func sample() *core.Receipt {
	return &core.Receipt{
		Protocol: "EM2009-0000001", CampaignID: "em2009", ModuleID: "EM-7K3Q-9XHD-4",
		SubmissionID: "5f0c2b1e-8d1c-4a47-9b59-1f8f0c3b2a10", ReceivedAt: "2009-09-01T07:00:00.000Z",
		ReceivedAtRome: "01/09/2009 09:00:00", Sportello: "Sportello Unico per l'Immigrazione di Cuneo",
		Provincia: "CN", SHA256: strings.Repeat("ab", 32),
	}
}

func TestText(t *testing.T) {
	r := sample()
	r.KeyID = "0011223344556677"
	want := "nullaosta-ricevuta-v1\nprotocol=EM2009-0000001\ncampaignId=em2009\nmoduleId=EM-7K3Q-9XHD-4\n" +
		"submissionId=5f0c2b1e-8d1c-4a47-9b59-1f8f0c3b2a10\nreceivedAt=2009-09-01T07:00:00.000Z\n" +
		"sportello=Sportello Unico per l'Immigrazione di Cuneo\nprovincia=CN\nsha256=" + strings.Repeat("ab", 32) +
		"\nkeyId=0011223344556677\n"
	if got := string(Text(r)); got != want {
		t.Fatalf("Text =\n%s\nwant\n%s", got, want)
	}
}

func TestSignAndVerify(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
	again, err := LoadOrCreate(dir)
	if err != nil || again.KeyID() != s.KeyID() || len(s.KeyID()) != 16 {
		t.Fatalf("reloaded key %q vs %q, %v", again.KeyID(), s.KeyID(), err)
	}
	r := sample()
	if err := s.Sign(r); err != nil {
		t.Fatal(err)
	}
	if err := Verify(s.PublicKey(), r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// Every signed field is covered.
	for i, tamper := range []func(*core.Receipt){
		func(r *core.Receipt) { r.Protocol = "EM2009-0000002" },
		func(r *core.Receipt) { r.ModuleID = "EM-7K3Q-9XHD-5" },
		func(r *core.Receipt) { r.ReceivedAt = "2009-09-01T07:00:01.000Z" },
		func(r *core.Receipt) { r.Sportello = "Sportello Unico di Roma" },
		func(r *core.Receipt) { r.SHA256 = strings.Repeat("cd", 32) },
		func(r *core.Receipt) { r.Signature = r.Signature[:10] },
	} {
		c := *r
		tamper(&c)
		if err := Verify(s.PublicKey(), &c); err == nil {
			t.Errorf("tampering %d not detected", i)
		}
	}
	// Another key.
	pub, _, _ := ed25519.GenerateKey(nil)
	if err := Verify(pub, r); err == nil || !strings.Contains(err.Error(), "chiave") {
		t.Errorf("other key: %v", err)
	}
	// A newline cannot be smuggled into the text.
	bad := sample()
	bad.SubmissionID = "a\nprotocol=X"
	if err := s.Sign(bad); err == nil {
		t.Error("signed a field with a newline")
	}
}

func TestParsePublicKey(t *testing.T) {
	s, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	info := s.Info()
	pemBytes, _ := PublicKeyPEM(s.PublicKey())
	for name, in := range map[string]string{
		"pem":    string(pemBytes),
		"json":   `{"keyId":"` + info.KeyID + `","publicKey":"` + info.PublicKey + `"}`,
		"base64": info.PublicKey + "\n",
	} {
		pub, err := ParsePublicKey([]byte(in))
		if err != nil || !bytes.Equal(pub, s.PublicKey()) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParsePublicKey([]byte("nonsense")); err == nil {
		t.Error("nonsense parsed")
	}
}

func TestPDF(t *testing.T) {
	s, _ := LoadOrCreate(t.TempDir())
	r := sample()
	s.Sign(r)
	var buf bytes.Buffer
	err := PDF(&buf, r, Details{ModuleTitle: "Dichiarazione di emersione", Campaign: "Emersione 2009",
		Datore: "ROSSI Maria — RSSMRA70C47D205X", Lavoratore: "PERERA Nimal", Tipologia: "colf", PublicKey: s.PublicKey()})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || buf.Len() < 1000 {
		t.Fatalf("not a PDF (%d bytes)", buf.Len())
	}
}
